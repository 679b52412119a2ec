import { describeSpan, type ProblemList } from './problems';
import type { IndexedSpan, SpanIndex } from './spanIndex';

/**
 * Checks every span holds together on its own, whatever the workflow: one root, one trace, known
 * parents, a status, a start before its end, and children inside their parent's interval.
 */

export interface SpanCheckOptions {
  /** The run id, which is the trace id of every span of the run. */
  traceId: string;
  /** How far (ms) a child may stick out of its parent before it is reported. */
  toleranceMs: number;
}

/** Span states set when the engine closed a span before the work under it had stopped. */
const CLOSED_EARLY = new Set(['cancelled', 'discarded']);

export function checkSpanStructure(index: SpanIndex, options: SpanCheckOptions, problems: ProblemList): IndexedSpan | undefined {
  const processRoots = index.roots.filter((s) => s.kind === 'process');
  if (processRoots.length === 0) {
    problems.add('no-process-span', `The trace has no process span (a root span named "workflow <name>"): it cannot be checked against the workflow.`);
  }
  if (index.roots.length > 1) {
    const names = index.roots.map(describeSpan).join(', ');
    problems.add('several-root-spans', `The trace has ${index.roots.length} root spans (${names}); a run has exactly one, its process span.`);
  }
  for (const id of index.duplicateIds) {
    problems.add('duplicate-span-id', `Several spans share the span id ${id}.`, { spanId: id });
  }
  for (const s of index.orphans) {
    problems.add('orphan-span', `${describeSpan(s)} names parent ${s.span.parentSpanId}, which is not in the trace.`, spanWhere(s));
  }

  const tolerance = BigInt(Math.round(options.toleranceMs * 1e6));
  for (const s of index.all) {
    if (s.span.traceId !== options.traceId) {
      problems.add('trace-id', `${describeSpan(s)} belongs to trace ${String(s.span.traceId)}, not to the run's trace ${options.traceId}.`, spanWhere(s));
    }
    const code = s.span.status?.code;
    if (code !== 0 && code !== 1 && code !== 2) {
      problems.add('status-missing', `${describeSpan(s)} has no status (expected a code of 0 unset, 1 ok or 2 error).`, spanWhere(s));
    }
    if (s.start === undefined || s.end === undefined) {
      problems.add('end-before-start', `${describeSpan(s)} has no readable start or end time (nanoseconds as a decimal string).`, spanWhere(s));
      continue;
    }
    if (s.end < s.start) {
      problems.add('end-before-start', `${describeSpan(s)} ends ${ms(s.start - s.end)} before it starts.`, spanWhere(s));
    }
    const parent = s.parent;
    if (!parent || parent.start === undefined || parent.end === undefined) continue;
    if (s.start + tolerance < parent.start) {
      problems.add('outside-parent', `${describeSpan(s)} starts ${ms(parent.start - s.start)} before its parent ${describeSpan(parent)}.`, spanWhere(s));
    }
    // A cancelled or interrupted activity span is closed when the engine stops it; the service
    // under it ends when it notices the abort signal, so it may end later.
    if (s.end > parent.end + tolerance && !(parent.state !== undefined && CLOSED_EARLY.has(parent.state))) {
      problems.add('outside-parent', `${describeSpan(s)} ends ${ms(s.end - parent.end)} after its parent ${describeSpan(parent)}.`, spanWhere(s));
    }
  }
  return processRoots[0];
}

function spanWhere(s: IndexedSpan): { spanId: string; elementId?: string } {
  return s.elementId !== undefined ? { spanId: s.span.spanId, elementId: s.elementId } : { spanId: s.span.spanId };
}

function ms(nanos: bigint): string {
  return `${(Number(nanos) / 1e6).toFixed(3)} ms`;
}
