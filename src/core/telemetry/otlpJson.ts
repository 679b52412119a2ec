import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { OtlpAnyValue, OtlpKeyValue, OtlpSpan, OtlpTraceExport } from '../workflow/types';

/**
 * Converts SDK spans to OTLP/JSON (`ExportTraceServiceRequest` as the OTLP/HTTP JSON encoding
 * writes it): hex ids, nanosecond times as decimal strings, typed attribute values, and the OTLP
 * span-kind numbering (the API's INTERNAL=0 is OTLP's SPAN_KIND_INTERNAL=1).
 */
export function toOtlpTraceExport(spans: readonly ReadableSpan[]): OtlpTraceExport {
  if (spans.length === 0) return { resourceSpans: [] };
  // Every run span comes from one provider, so one resource; scopes still group as OTLP requires.
  const scopes = new Map<string, { scope: { name: string; version?: string }; spans: OtlpSpan[] }>();
  for (const span of [...spans].sort(byStartTime)) {
    const { name, version } = span.instrumentationScope;
    const key = `${name}@${version ?? ''}`;
    let group = scopes.get(key);
    if (!group) {
      group = { scope: version ? { name, version } : { name }, spans: [] };
      scopes.set(key, group);
    }
    group.spans.push(toOtlpSpan(span));
  }
  return {
    resourceSpans: [
      {
        resource: { attributes: toOtlpAttributes(spans[0].resource.attributes) },
        scopeSpans: [...scopes.values()],
      },
    ],
  };
}

function byStartTime(a: ReadableSpan, b: ReadableSpan): number {
  return a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1];
}

function toOtlpSpan(span: ReadableSpan): OtlpSpan {
  const ctx = span.spanContext();
  const out: OtlpSpan = {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: hrTimeToNanos(span.startTime),
    endTimeUnixNano: hrTimeToNanos(span.endTime),
    attributes: toOtlpAttributes(span.attributes),
    status: span.status.message ? { code: span.status.code, message: span.status.message } : { code: span.status.code },
  };
  if (span.parentSpanContext) out.parentSpanId = span.parentSpanContext.spanId;
  if (span.events.length > 0) {
    out.events = span.events.map((e) => ({
      name: e.name,
      timeUnixNano: hrTimeToNanos(e.time),
      attributes: toOtlpAttributes(e.attributes ?? {}),
    }));
  }
  return out;
}

export function hrTimeToNanos(time: HrTime): string {
  return (BigInt(time[0]) * 1_000_000_000n + BigInt(time[1])).toString();
}

export function toOtlpAttributes(attributes: Attributes): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    const converted = toOtlpValue(value);
    if (converted) out.push({ key, value: converted });
  }
  return out;
}

function toOtlpValue(value: AttributeValue | undefined): OtlpAnyValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  const values: OtlpAnyValue[] = [];
  for (const item of value) {
    const v = item === null || item === undefined ? undefined : toOtlpValue(item);
    if (v) values.push(v);
  }
  return { arrayValue: { values } };
}
