import {
  activitySpanName,
  ATTR_ACTIVITY_STATE,
  ATTR_BPMN_ELEMENT_ID,
  ATTR_RUN_STATUS,
  ATTR_SERVICE_NAME,
  processSpanName,
  serviceSpanName,
} from '../../telemetry/attributes';
import type { OtlpSpan, OtlpTraceExport } from '../types';

/**
 * A run's OTLP spans as a tree, sorted into the kinds the runner makes (process, activity,
 * service; see telemetry/attributes.ts for the names and keys) and everything else (spans that
 * services and libraries make inside a service span).
 */

export type SpanKind = 'process' | 'activity' | 'service' | 'other';

export interface IndexedSpan {
  span: OtlpSpan;
  kind: SpanKind;
  /** `weavergen.bpmn.element.id` of the span itself. */
  elementId?: string;
  /** `weavergen.service.name`. */
  service?: string;
  /** `weavergen.activity.state`: done, failed, cancelled or discarded. */
  state?: string;
  /** Nanoseconds since the epoch; undefined when the field is not a decimal string. */
  start?: bigint;
  end?: bigint;
  parent?: IndexedSpan;
  children: IndexedSpan[];
}

export interface SpanIndex {
  all: IndexedSpan[];
  byId: Map<string, IndexedSpan>;
  /** Spans without a parent id: the process span, and nothing else in a sound trace. */
  roots: IndexedSpan[];
  /** Spans naming a parent that is not in the trace. */
  orphans: IndexedSpan[];
  /** Span ids used by more than one span. */
  duplicateIds: string[];
  /** Activity spans by BPMN element id, in start order. */
  activitiesOf: Map<string, IndexedSpan[]>;
  /** Service spans by BPMN element id, in start order. */
  servicesOf: Map<string, IndexedSpan[]>;
}

const ACTIVITY_PREFIX = activitySpanName('');
const SERVICE_PREFIX = serviceSpanName('');
const PROCESS_PREFIX = processSpanName('');
const NANOS = /^\d+$/;

export function stringAttribute(span: OtlpSpan, key: string): string | undefined {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return typeof value?.stringValue === 'string' ? value.stringValue : undefined;
}

export function flattenSpans(trace: OtlpTraceExport): OtlpSpan[] {
  return (trace?.resourceSpans ?? []).flatMap((rs) => (rs?.scopeSpans ?? []).flatMap((ss) => ss?.spans ?? []));
}

export function indexSpans(trace: OtlpTraceExport): SpanIndex {
  const all: IndexedSpan[] = flattenSpans(trace).map((span) => {
    const indexed: IndexedSpan = { span, kind: 'other', children: [] };
    const elementId = stringAttribute(span, ATTR_BPMN_ELEMENT_ID);
    const service = stringAttribute(span, ATTR_SERVICE_NAME);
    const state = stringAttribute(span, ATTR_ACTIVITY_STATE);
    if (elementId !== undefined) indexed.elementId = elementId;
    if (service !== undefined) indexed.service = service;
    if (state !== undefined) indexed.state = state;
    if (typeof span.startTimeUnixNano === 'string' && NANOS.test(span.startTimeUnixNano)) indexed.start = BigInt(span.startTimeUnixNano);
    if (typeof span.endTimeUnixNano === 'string' && NANOS.test(span.endTimeUnixNano)) indexed.end = BigInt(span.endTimeUnixNano);
    const name = typeof span.name === 'string' ? span.name : '';
    if (elementId !== undefined && name.startsWith(ACTIVITY_PREFIX)) indexed.kind = 'activity';
    else if (elementId !== undefined && name.startsWith(SERVICE_PREFIX)) indexed.kind = 'service';
    else if (!span.parentSpanId && name.startsWith(PROCESS_PREFIX)) indexed.kind = 'process';
    return indexed;
  });
  all.sort((a, b) => compareBig(a.start, b.start));

  const byId = new Map<string, IndexedSpan>();
  const duplicateIds = new Set<string>();
  for (const s of all) {
    if (byId.has(s.span.spanId)) duplicateIds.add(s.span.spanId);
    else byId.set(s.span.spanId, s);
  }
  const roots: IndexedSpan[] = [];
  const orphans: IndexedSpan[] = [];
  for (const s of all) {
    if (!s.span.parentSpanId) {
      roots.push(s);
      continue;
    }
    const parent = byId.get(s.span.parentSpanId);
    if (!parent || parent === s) {
      orphans.push(s);
      continue;
    }
    s.parent = parent;
    parent.children.push(s);
  }

  const activitiesOf = new Map<string, IndexedSpan[]>();
  const servicesOf = new Map<string, IndexedSpan[]>();
  for (const s of all) {
    if (s.elementId === undefined) continue;
    const target = s.kind === 'activity' ? activitiesOf : s.kind === 'service' ? servicesOf : undefined;
    if (!target) continue;
    const list = target.get(s.elementId) ?? [];
    list.push(s);
    target.set(s.elementId, list);
  }
  return { all, byId, roots, orphans, duplicateIds: [...duplicateIds], activitiesOf, servicesOf };
}

/** The run status the process span carries (`weavergen.run.status`). */
export function runStatusOf(processSpan: IndexedSpan): string | undefined {
  return stringAttribute(processSpan.span, ATTR_RUN_STATUS);
}

export function isErrorSpan(s: IndexedSpan): boolean {
  return s.span.status?.code === 2;
}

/** The element a span belongs to: its own, or the nearest ancestor's (spans made inside a service). */
export function owningElement(s: IndexedSpan): string | undefined {
  for (let at: IndexedSpan | undefined = s; at; at = at.parent) if (at.elementId !== undefined) return at.elementId;
  return undefined;
}

export function durationMs(s: IndexedSpan): number {
  if (s.start === undefined || s.end === undefined || s.end < s.start) return 0;
  return Number(s.end - s.start) / 1e6;
}

function compareBig(a: bigint | undefined, b: bigint | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
