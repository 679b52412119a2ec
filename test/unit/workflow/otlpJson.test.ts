import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { describe, expect, test } from 'vitest';
import { toOtlpTraceExport } from '../../../src/core/telemetry/otlpJson';
import { validateOtlpTraceExport } from '../../../src/core/telemetry/otlpValidation';
import { getRunTracing } from '../../../src/core/telemetry/tracing';
import { allSpans } from './helpers';

describe('toOtlpTraceExport', () => {
  test('typed attributes, OTLP span kinds, hex ids, nanosecond strings, exception events', () => {
    const { tracer, collect } = getRunTracing();
    const root = tracer.startSpan('root', { root: true, kind: SpanKind.CLIENT, startTime: [1_700_000_000, 5] }, ROOT_CONTEXT);
    const stop = collect(root.spanContext().traceId);
    root.setAttributes({ s: 'text', i: 42, d: 1.5, b: false, list: ['a', 'b'], nums: [1, 2.5] });
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    child.recordException(new TypeError('bad input'));
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'bad input' });
    child.end();
    root.end([1_700_000_001, 0]);
    const otlp = toOtlpTraceExport(stop());

    expect(validateOtlpTraceExport(otlp)).toEqual([]);
    const [rootSpan, childSpan] = allSpans(otlp);
    expect(rootSpan.name).toBe('root');
    expect(rootSpan.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(childSpan.kind).toBe(1); // SPAN_KIND_INTERNAL
    expect(rootSpan.startTimeUnixNano).toBe('1700000000000000005');
    expect(rootSpan.endTimeUnixNano).toBe('1700000001000000000');
    expect(rootSpan.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(childSpan.parentSpanId).toBe(rootSpan.spanId);
    expect(rootSpan.attributes).toEqual([
      { key: 's', value: { stringValue: 'text' } },
      { key: 'i', value: { intValue: '42' } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'b', value: { boolValue: false } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
      { key: 'nums', value: { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 2.5 }] } } },
    ]);
    expect(childSpan.status).toEqual({ code: 2, message: 'bad input' });
    expect(childSpan.events?.[0].name).toBe('exception');
    expect(childSpan.events?.[0].attributes).toContainEqual({ key: 'exception.type', value: { stringValue: 'TypeError' } });
    const resource = otlp.resourceSpans[0].resource.attributes;
    expect(resource).toContainEqual({ key: 'service.name', value: { stringValue: 'weavergen' } });
    expect(otlp.resourceSpans[0].scopeSpans[0].scope.name).toBe('weavergen.workflow');
  });

  test('spans of other traces are not collected into a run', () => {
    const { tracer, collect } = getRunTracing();
    const mine = tracer.startSpan('mine', { root: true }, ROOT_CONTEXT);
    const stop = collect(mine.spanContext().traceId);
    tracer.startSpan('someone else', { root: true }, ROOT_CONTEXT).end();
    mine.end();
    expect(allSpans(toOtlpTraceExport(stop())).map((s) => s.name)).toEqual(['mine']);
  });

  test('the validator names the field that is wrong', () => {
    const problems = validateOtlpTraceExport({
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [{ scope: { name: 'x' }, spans: [{ traceId: 'XYZ', spanId: '0123456789abcdef', name: 'n', kind: 1, startTimeUnixNano: 5, endTimeUnixNano: '4', attributes: [{ key: 'k', value: { stringValue: 1 } }], status: { code: 7 } }] }],
        },
      ],
    });
    expect(problems).toEqual([
      '$.resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 lowercase hex digits',
      '$.resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected nanoseconds as a decimal string',
      '$.resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value: attribute k: expected exactly one typed value field',
      '$.resourceSpans[0].scopeSpans[0].spans[0].status: expected { code: 0 | 1 | 2 }',
    ]);
  });
});
