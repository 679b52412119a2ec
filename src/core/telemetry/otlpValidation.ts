/**
 * Structural check of OTLP/JSON trace data (the `ExportTraceServiceRequest` JSON encoding): used
 * when a stored run is read back and by anything that accepts a trace file from elsewhere.
 * Returns the problems found, each with a JSON path, empty when the value is valid.
 */

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;
const NANOS = /^\d+$/;
const MAX_PROBLEMS = 20;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateOtlpTraceExport(value: unknown, path = '$'): string[] {
  const problems: string[] = [];
  const add = (p: string, what: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${p}: ${what}`);
  };
  if (!isObj(value) || !Array.isArray(value.resourceSpans)) {
    add(path, 'expected an object with a resourceSpans array');
    return problems;
  }
  value.resourceSpans.forEach((rs, i) => {
    const rp = `${path}.resourceSpans[${i}]`;
    if (!isObj(rs)) return add(rp, 'expected an object');
    if (!isObj(rs.resource) || !Array.isArray(rs.resource.attributes)) add(`${rp}.resource`, 'expected { attributes: [] }');
    else checkAttributes(rs.resource.attributes, `${rp}.resource.attributes`, add);
    if (!Array.isArray(rs.scopeSpans)) return add(`${rp}.scopeSpans`, 'expected an array');
    rs.scopeSpans.forEach((ss, j) => {
      const sp = `${rp}.scopeSpans[${j}]`;
      if (!isObj(ss)) return add(sp, 'expected an object');
      if (!isObj(ss.scope) || typeof ss.scope.name !== 'string') add(`${sp}.scope`, 'expected { name: string }');
      if (!Array.isArray(ss.spans)) return add(`${sp}.spans`, 'expected an array');
      ss.spans.forEach((span, k) => checkSpan(span, `${sp}.spans[${k}]`, add));
    });
  });
  return problems;
}

function checkSpan(span: unknown, p: string, add: (p: string, what: string) => void): void {
  if (!isObj(span)) return add(p, 'expected an object');
  if (typeof span.traceId !== 'string' || !HEX_TRACE_ID.test(span.traceId)) add(`${p}.traceId`, 'expected 32 lowercase hex digits');
  if (typeof span.spanId !== 'string' || !HEX_SPAN_ID.test(span.spanId)) add(`${p}.spanId`, 'expected 16 lowercase hex digits');
  if (span.parentSpanId !== undefined && (typeof span.parentSpanId !== 'string' || !HEX_SPAN_ID.test(span.parentSpanId))) {
    add(`${p}.parentSpanId`, 'expected 16 lowercase hex digits');
  }
  if (typeof span.name !== 'string') add(`${p}.name`, 'expected a string');
  if (typeof span.kind !== 'number' || !Number.isInteger(span.kind) || span.kind < 0 || span.kind > 5) add(`${p}.kind`, 'expected an integer 0-5');
  for (const f of ['startTimeUnixNano', 'endTimeUnixNano'] as const) {
    if (typeof span[f] !== 'string' || !NANOS.test(span[f] as string)) add(`${p}.${f}`, 'expected nanoseconds as a decimal string');
  }
  if (typeof span.startTimeUnixNano === 'string' && typeof span.endTimeUnixNano === 'string' && NANOS.test(span.startTimeUnixNano) && NANOS.test(span.endTimeUnixNano)) {
    if (BigInt(span.endTimeUnixNano) < BigInt(span.startTimeUnixNano)) add(p, 'ends before it starts');
  }
  if (!Array.isArray(span.attributes)) add(`${p}.attributes`, 'expected an array');
  else checkAttributes(span.attributes, `${p}.attributes`, add);
  const status = span.status;
  if (!isObj(status) || ![0, 1, 2].includes(status.code as number)) add(`${p}.status`, 'expected { code: 0 | 1 | 2 }');
  else if (status.message !== undefined && typeof status.message !== 'string') add(`${p}.status.message`, 'expected a string');
  if (span.events !== undefined) {
    if (!Array.isArray(span.events)) return add(`${p}.events`, 'expected an array');
    span.events.forEach((e, i) => {
      const ep = `${p}.events[${i}]`;
      if (!isObj(e) || typeof e.name !== 'string') return add(ep, 'expected { name: string }');
      if (typeof e.timeUnixNano !== 'string' || !NANOS.test(e.timeUnixNano)) add(`${ep}.timeUnixNano`, 'expected nanoseconds as a decimal string');
      if (!Array.isArray(e.attributes)) add(`${ep}.attributes`, 'expected an array');
      else checkAttributes(e.attributes, `${ep}.attributes`, add);
    });
  }
}

function checkAttributes(attributes: unknown[], p: string, add: (p: string, what: string) => void): void {
  attributes.forEach((kv, i) => {
    if (!isObj(kv) || typeof kv.key !== 'string') return add(`${p}[${i}]`, 'expected { key: string, value }');
    if (!isAnyValue(kv.value)) add(`${p}[${i}].value`, `attribute ${kv.key}: expected exactly one typed value field`);
  });
}

function isAnyValue(value: unknown): boolean {
  if (!isObj(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const v = value[keys[0]];
  switch (keys[0]) {
    case 'stringValue':
      return typeof v === 'string';
    case 'intValue':
      return typeof v === 'string' ? /^-?\d+$/.test(v) : Number.isInteger(v);
    case 'doubleValue':
      return typeof v === 'number';
    case 'boolValue':
      return typeof v === 'boolean';
    case 'arrayValue':
      return isObj(v) && Array.isArray(v.values) && v.values.every(isAnyValue);
    default:
      return false;
  }
}
