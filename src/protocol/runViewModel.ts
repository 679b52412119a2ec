import type { ActivityRecord, ActivityState, OtlpSpan, OtlpTraceExport, RunRecord } from '../core/workflow/types';

/**
 * What the run view shows, computed from a RunRecord without any DOM, so the wording and the
 * span tree are the same wherever a run is drawn (and testable in Node).
 */

export type SpanStatus = 'unset' | 'ok' | 'error';

export interface SpanRow {
  spanId: string;
  name: string;
  durationMs: number;
  status: SpanStatus;
  statusMessage?: string;
  parentSpanId?: string;
  /** Name of the parent span, or undefined for a root (or a parent not in this run). */
  parentName?: string;
  /** 0 for roots; children sit directly below their parent in the row order. */
  depth: number;
}

const STATE_LABEL: Record<ActivityState, string> = {
  done: 'done',
  failed: 'failed',
  'not-reached': 'not reached',
  cancelled: 'cancelled',
};

/** "0.42 ms", "7.5 ms", "12 ms", "1.25 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  // Decide on the rounded value, so 9.98 reads "10 ms" rather than "10.0 ms".
  if (Math.round(ms * 100) < 100) return `${ms.toFixed(2)} ms`;
  if (Math.round(ms * 10) < 100) return `${ms.toFixed(1)} ms`;
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The badge text of an activity: "done · 12 ms", "failed · 3.1 ms", "not reached". */
export function activityBadge(activity: ActivityRecord): string {
  const label = STATE_LABEL[activity.state];
  return activity.durationMs === undefined ? label : `${label} · ${formatDuration(activity.durationMs)}`;
}

function spanStatus(code: number): SpanStatus {
  // OTLP StatusCode: 0 unset, 1 ok, 2 error.
  return code === 2 ? 'error' : code === 1 ? 'ok' : 'unset';
}

function nanosToMs(start: string, end: string): number {
  try {
    return Number(BigInt(end) - BigInt(start)) / 1e6;
  } catch {
    return Number.NaN;
  }
}

function allSpans(trace: OtlpTraceExport): OtlpSpan[] {
  return trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

function startOf(span: OtlpSpan): bigint {
  try {
    return BigInt(span.startTimeUnixNano);
  } catch {
    return 0n;
  }
}

/**
 * The run's spans as table rows, depth first: each span followed by its children in start
 * order, so the table reads like the trace tree.
 */
export function spanRows(trace: OtlpTraceExport): SpanRow[] {
  const spans = allSpans(trace);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map<string | undefined, OtlpSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && byId.has(span.parentSpanId) ? span.parentSpanId : undefined;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => (startOf(a) < startOf(b) ? -1 : startOf(a) > startOf(b) ? 1 : 0));

  const rows: SpanRow[] = [];
  const visit = (span: OtlpSpan, depth: number): void => {
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
    const row: SpanRow = {
      spanId: span.spanId,
      name: span.name,
      durationMs: nanosToMs(span.startTimeUnixNano, span.endTimeUnixNano),
      status: spanStatus(span.status.code),
      depth,
    };
    if (span.status.message) row.statusMessage = span.status.message;
    if (span.parentSpanId) row.parentSpanId = span.parentSpanId;
    if (parent) row.parentName = parent.name;
    rows.push(row);
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(undefined) ?? []) visit(root, 0);
  return rows;
}

/** The one-line run header: "registry_check · succeeded · engine native · 182 ms". */
export function runHeadline(run: RunRecord): string {
  return `${run.workflow} · ${run.status} · engine ${run.engine} · ${formatDuration(run.durationMs)}`;
}
