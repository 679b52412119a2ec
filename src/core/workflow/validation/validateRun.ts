import { implementationFor } from '../serviceBinding';
import type { RunRecord, RunValidation, ValidationStep } from '../types';
import { containersOf, flowGraphFromXml, type FlowGraph, type GraphNode } from './flowGraph';
import { describeElement, describeSpan, ProblemList } from './problems';
import { computeRequiredPath, type PathNode, type RequiredPath } from './requiredPath';
import { checkSpanStructure } from './spanChecks';
import { durationMs, indexSpans, isErrorSpan, owningElement, runStatusOf, type IndexedSpan, type SpanIndex } from './spanIndex';

/**
 * Checks that a run's spans show what the run claims: every step on the path it took has an
 * activity span, every service task a service span under it, every span is well formed and sits
 * inside its parent, and every error span is accounted for by the run's failure or by a boundary
 * error event. It reads the spans, the recorded BPMN and the record's status, error and taken
 * flows; never the activity list the runner derived from the same events, so a trace that lost or
 * gained spans on the way shows up here.
 */

export interface RunValidationOptions {
  /**
   * How far (ms) a child span may start before or end after its parent. The runner's spans mix
   * the SDK's millisecond wall clock with a sub-millisecond performance clock, so exact nesting
   * is off by up to a millisecond even in a sound trace.
   */
  toleranceMs?: number;
  /** The parsed workflow, when the caller has it (the runner does); else parsed from `record.bpmnXml`. */
  graph?: FlowGraph;
}

export const DEFAULT_TOLERANCE_MS = 2;

/** Validates a run record (fresh from the runner or read back from a run store). Never throws. */
export async function validateRun(record: RunRecord, options: RunValidationOptions = {}): Promise<RunValidation> {
  let graph = options.graph;
  if (!graph) {
    try {
      graph = await flowGraphFromXml(record.bpmnXml);
    } catch (err) {
      const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
      return {
        valid: false,
        problems: [{ code: 'unreadable-workflow', message: `The BPMN recorded with run ${record.id} (${record.workflowFile}) cannot be parsed: ${message}` }],
        steps: [],
      };
    }
  }
  try {
    return validateRunAgainst(record, graph, options.toleranceMs ?? DEFAULT_TOLERANCE_MS);
  } catch (err) {
    return {
      valid: false,
      problems: [{ code: 'validator-error', message: `Validating run ${record.id} failed: ${err instanceof Error ? err.message : String(err)}` }],
      steps: [],
    };
  }
}

/** The synchronous core, for a workflow already parsed. */
export function validateRunAgainst(record: RunRecord, graph: FlowGraph, toleranceMs = DEFAULT_TOLERANCE_MS): RunValidation {
  const problems = new ProblemList();
  const index = indexSpans(record.spans);
  const processSpan = checkSpanStructure(index, { traceId: record.id, toleranceMs }, problems);

  if (processSpan) {
    const spanStatus = runStatusOf(processSpan);
    if (spanStatus !== record.status) {
      problems.add('run-status-mismatch', `The record says the run ${record.status}, its ${describeSpan(processSpan)} says ${spanStatus ?? 'nothing'} (weavergen.run.status).`, { spanId: processSpan.span.spanId });
    } else if ((record.status === 'failed') !== isErrorSpan(processSpan)) {
      const shown = isErrorSpan(processSpan) ? 'an error' : 'no error';
      problems.add('run-status-mismatch', `The run ${record.status} but its ${describeSpan(processSpan)} has ${shown} status.`, { spanId: processSpan.span.spanId });
    }
  }

  const failureId = record.status === 'failed' ? record.error?.activityId : undefined;
  const path = computeRequiredPath(graph, index, {
    status: record.status,
    ...(failureId !== undefined ? { failureId } : {}),
    takenFlows: new Set(record.takenFlows ?? []),
  });

  for (const p of path.required) {
    if (p.status === 'missing') {
      problems.add('missing-step', `Step ${describeElement(p.node.name, p.node.id)} is on the path the run took but has no activity span.`, { elementId: p.node.id });
    }
  }
  if (failureId !== undefined && path.engineRan && !path.reached.has(failureId) && graph.nodes.has(failureId)) {
    const node = graph.nodes.get(failureId) as GraphNode;
    if (!index.activitiesOf.has(failureId)) {
      problems.add('missing-step', `The run failed at ${describeElement(node.name, node.id)}, which has no activity span.`, { elementId: failureId });
    }
  }
  for (const gateway of path.stuckGateways) {
    const targets = gateway.outgoing.map((f) => describeElement(graph.nodes.get(f.targetId)?.name, f.targetId)).join(', ');
    problems.add('no-branch-taken', `Gateway ${describeElement(gateway.name, gateway.id)} completed but none of its branches (${targets}) was taken or has a span.`, { elementId: gateway.id });
  }

  checkActivitySpans(graph, index, path, problems);
  checkServiceSpans(graph, index, path, problems);
  checkErrors(record, graph, index, path, failureId, problems);

  const list = problems.list();
  return { valid: list.length === 0, problems: list, steps: orderedSteps(path) };
}

/** Activity spans for elements the BPMN lacks, off the path, or under the wrong parent. */
function checkActivitySpans(graph: FlowGraph, index: SpanIndex, path: RequiredPath, problems: ProblemList): void {
  for (const [elementId, spans] of index.activitiesOf) {
    const node = graph.nodes.get(elementId);
    if (!node) {
      for (const s of spans) problems.add('unknown-element', `${describeSpan(s)} is for element ${elementId}, which the workflow does not have.`, { elementId, spanId: s.span.spanId });
      continue;
    }
    if (!path.reached.has(elementId)) {
      for (const s of spans) {
        problems.add('off-path-span', `${describeSpan(s)} is for ${describeElement(node.name, node.id)}, which the path the run took does not reach.`, { elementId, spanId: s.span.spanId });
      }
    }
    const container = graph.nodes.get(node.parentId);
    for (const s of spans) {
      if (!s.parent) continue; // reported as an orphan or a root already
      const underContainer = container ? s.parent.kind === 'activity' && s.parent.elementId === container.id : s.parent.kind === 'process';
      // Iterations of a loop or multi-instance activity may hang under the activity's own span.
      const underItself = s.parent.kind === 'activity' && s.parent.elementId === elementId;
      if (!underContainer && !underItself) {
        const expected = container ? `the span of ${describeElement(container.name, container.id)}` : 'the process span';
        problems.add('wrong-parent', `${describeSpan(s)} hangs under ${describeSpan(s.parent)} instead of ${expected}.`, { elementId, spanId: s.span.spanId });
      }
    }
  }
}

/** Every service task that ran has a service span, for its own service, under its activity span. */
function checkServiceSpans(graph: FlowGraph, index: SpanIndex, path: RequiredPath, problems: ProblemList): void {
  for (const p of path.required) {
    if (!p.node.serviceTask) continue;
    for (const activity of p.spans) {
      // A task cancelled before its service was called has no service span, legitimately.
      if (activity.state === 'cancelled' || activity.state === 'discarded') continue;
      const services = activity.children.filter((c) => c.kind === 'service' && c.elementId === p.node.id);
      if (services.length === 0) {
        problems.add('missing-service-span', `Service task ${describeElement(p.node.name, p.node.id)} has no service span under its ${describeSpan(activity)}.`, { elementId: p.node.id, spanId: activity.span.spanId });
      }
    }
  }
  for (const [elementId, spans] of index.servicesOf) {
    const node = graph.nodes.get(elementId);
    for (const s of spans) {
      if (s.parent && !(s.parent.kind === 'activity' && s.parent.elementId === elementId)) {
        problems.add('wrong-parent', `${describeSpan(s)} hangs under ${describeSpan(s.parent)} instead of the activity span of ${elementId}.`, { elementId, spanId: s.span.spanId });
      }
      if (node && s.service !== undefined && node.implementation !== undefined && squash(node.implementation) !== squash(implementationFor(s.service))) {
        problems.add('service-mismatch', `${describeSpan(s)} calls ${s.service}, but ${describeElement(node.name, node.id)} names ${node.implementation}.`, { elementId, spanId: s.span.spanId });
      }
    }
  }
}

/**
 * An error span is explained by the run's failure (the failed activity, the sub-processes holding
 * it and the process span) or by a boundary error event that fired on its activity or on a
 * sub-process holding it. Spans made inside a service belong to that service's activity.
 */
function checkErrors(record: RunRecord, graph: FlowGraph, index: SpanIndex, path: RequiredPath, failureId: string | undefined, problems: ProblemList): void {
  const failed = record.status === 'failed';
  const failureChain = new Set<string>();
  if (failureId !== undefined) {
    failureChain.add(failureId);
    for (const c of containersOf(graph, failureId)) failureChain.add(c.id);
  }
  for (const s of index.all) {
    if (!isErrorSpan(s)) continue;
    const elementId = owningElement(s);
    if (elementId === undefined) {
      if (!failed) problems.add('unexplained-error', `${describeSpan(s)} has an error status but the run ${record.status}.`, { spanId: s.span.spanId });
      continue;
    }
    if (failed && failureChain.has(elementId)) continue;
    const caughtBy = [elementId, ...containersOf(graph, elementId).map((c) => c.id)].some((id) => path.firedErrorBoundaries.has(id));
    if (caughtBy) continue;
    const node = graph.nodes.get(elementId);
    const why = failed ? `the run failed at ${failureId ?? 'no recorded activity'}` : `the run ${record.status}`;
    problems.add('unexplained-error', `${describeSpan(s)} of ${describeElement(node?.name, elementId)} has an error status, but ${why} and no boundary error event caught it.`, { elementId, spanId: s.span.spanId });
  }

  if (failed && failureId !== undefined) {
    const spans = index.activitiesOf.get(failureId) ?? [];
    const services = index.servicesOf.get(failureId) ?? [];
    if (spans.length > 0 && ![...spans, ...services].some(isErrorSpan)) {
      const node = graph.nodes.get(failureId);
      problems.add('failure-not-recorded', `The run failed at ${describeElement(node?.name, failureId)}, but none of its spans has an error status.`, { elementId: failureId });
    }
  }
}

function orderedSteps(path: RequiredPath): ValidationStep[] {
  const position = new Map<string, number>();
  [...path.reached.keys()].forEach((id, i) => position.set(id, i));
  // A missing step sorts right after the step the path reached it from.
  const keyOf = (p: PathNode, seen = new Set<string>()): bigint => {
    const start = p.spans[0]?.start;
    if (start !== undefined) return start;
    if (p.from === undefined || seen.has(p.node.id)) return -1n;
    seen.add(p.node.id);
    const from = path.reached.get(p.from);
    return from ? keyOf(from, seen) : -1n;
  };
  return path.required
    .map((p) => ({ p, key: keyOf(p) }))
    .sort((a, b) => (a.key === b.key ? (position.get(a.p.node.id) ?? 0) - (position.get(b.p.node.id) ?? 0) : a.key < b.key ? -1 : 1))
    .map(({ p }) => toStep(p));
}

function toStep(p: PathNode): ValidationStep {
  const step: ValidationStep = {
    elementId: p.node.id,
    name: p.node.name,
    type: p.node.type,
    status: p.status,
    durationMs: p.spans.reduce((sum, s: IndexedSpan) => sum + durationMs(s), 0),
    spanCount: p.spans.length,
  };
  if (p.spans[0]) step.spanId = p.spans[0].span.spanId;
  return step;
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}
