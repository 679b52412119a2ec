/**
 * Semantic comparison of weaver's expected outputs with ours: resolved registries with catalog indices
 * turned back into attributes, groups matched by id, attributes by name; errors and findings as sets.
 * Every field weaver writes is compared (lineage included); the first difference is reported as a
 * JSON path with both values.
 */

export interface Difference {
  path: string;
  expected: unknown;
  actual: unknown;
}

type Json = unknown;

export function canonical(value: Json): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, Json>)[key]);
    return out;
  }
  return value;
}

/** Deep structural comparison; arrays in order. Returns the first difference. */
export function firstDifference(expected: Json, actual: Json, path: string): Difference | undefined {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual)) return { path, expected, actual };
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (i >= expected.length || i >= actual.length) return { path: `${path}[${i}]`, expected: expected[i], actual: actual[i] };
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const e = expected as Record<string, Json>;
    const a = actual as Record<string, Json>;
    const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
    for (const key of keys) {
      const d = firstDifference(e[key], a[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : { path, expected, actual };
}

interface ExpandedGroup {
  [key: string]: Json;
}

/** A registry in catalog form with each group's attribute indices replaced by the attributes. */
export function expandRegistry(registry: Json, catalog: Json): { registry_url: Json; groups: Map<string, ExpandedGroup> } {
  const reg = registry as { registry_url?: Json; groups?: Array<Record<string, Json>> };
  const cat = (catalog ?? []) as Json[];
  const groups = new Map<string, ExpandedGroup>();
  for (const g of reg.groups ?? []) {
    const indices = (g.attributes ?? []) as number[];
    const attributes: Record<string, Json> = {};
    for (const i of indices) {
      const attr = cat[i] as Record<string, Json> | undefined;
      const name = attr ? String(attr.name) : `#${i} (missing from catalog)`;
      let key = name;
      for (let n = 2; key in attributes; n++) key = `${name}#${n}`;
      attributes[key] = attr ?? null;
    }
    groups.set(String(g.id), { ...g, attributes });
  }
  return { registry_url: reg.registry_url, groups };
}

export function compareResolved(
  expected: { registry: Json; catalog: Json },
  actual: { registry: Json; catalog: Json },
): Difference | undefined {
  const e = expandRegistry(expected.registry, expected.catalog);
  const a = expandRegistry(actual.registry, actual.catalog);
  if (e.registry_url !== a.registry_url) return { path: '$.registry_url', expected: e.registry_url, actual: a.registry_url };
  const expectedIds = [...e.groups.keys()].sort();
  const actualIds = [...a.groups.keys()].sort();
  for (const id of expectedIds) if (!a.groups.has(id)) return { path: `$.groups[id=${id}]`, expected: 'present', actual: 'missing' };
  for (const id of actualIds) if (!e.groups.has(id)) return { path: `$.groups[id=${id}]`, expected: 'absent', actual: 'present' };
  for (const id of expectedIds) {
    const d = firstDifference(e.groups.get(id), a.groups.get(id), `$.groups[id=${id}]`);
    if (d) return d;
  }
  // The catalog as a set: the same distinct attributes, whatever their numbering.
  const ec = new Set(((expected.catalog ?? []) as Json[]).map(canonical));
  const ac = new Set(((actual.catalog ?? []) as Json[]).map(canonical));
  for (const c of ec) if (!ac.has(c)) return { path: '$.catalog', expected: JSON.parse(c) as Json, actual: 'missing' };
  for (const c of ac) if (!ec.has(c)) return { path: '$.catalog', expected: 'absent', actual: JSON.parse(c) as Json };
  return undefined;
}

/** Sorts every array inside an error (provenances, group ids...): weaver fills them from hash sets. */
function setCanonical(value: Json): string {
  const sortArrays = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(sortArrays).sort((x, y) => (canonical(x) < canonical(y) ? -1 : canonical(x) > canonical(y) ? 1 : 0));
    if (v && typeof v === 'object') {
      const out: Record<string, Json> = {};
      for (const [k, x] of Object.entries(v)) out[k] = sortArrays(x);
      return out;
    }
    return v;
  };
  return canonical(sortArrays(value));
}

/** Weaver's error JSON flattened: a `CompoundError` stands for its members. */
export function flattenErrors(value: Json): Json[] {
  if (Array.isArray(value)) return value.flatMap(flattenErrors);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'CompoundError') return flattenErrors((value as Record<string, Json>).CompoundError);
  }
  return [value];
}

/** Multiset comparison of two lists of errors or findings. */
export function compareAsSets(expected: Json[], actual: Json[], what: string): Difference | undefined {
  const count = (items: Json[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const item of items) {
      const k = setCanonical(item);
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  const e = count(expected);
  const a = count(actual);
  for (const [k, n] of e) {
    if ((a.get(k) ?? 0) < n) return { path: `$.${what}`, expected: JSON.parse(k) as Json, actual: closest(k, a) };
  }
  for (const [k, n] of a) {
    if ((e.get(k) ?? 0) < n) return { path: `$.${what}`, expected: 'absent', actual: JSON.parse(k) as Json };
  }
  return undefined;
}

/** The actual item of the same kind (first key), to show next to a missing expected one. */
function closest(key: string, actual: Map<string, number>): Json {
  const kind = Object.keys(JSON.parse(key) as Record<string, Json>)[0];
  for (const k of actual.keys()) {
    const parsed = JSON.parse(k) as Record<string, Json>;
    if (Object.keys(parsed)[0] === kind) return parsed;
  }
  return 'missing';
}

type JsonRecord = Record<string, Json>;

function asRecord(value: Json): JsonRecord {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : {};
}

function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

/** A resolved/2.0 document with every `base` index replaced by its catalog entry. */
function expandV2(doc: Json): JsonRecord {
  const d = asRecord(doc);
  const catalog = asList(d.attribute_catalog);
  const entry = (i: Json): Json => (typeof i === 'number' ? (catalog[i] ?? `#${i} (missing from catalog)`) : i);
  const expandSignal = (s: Json): Json => {
    const out: JsonRecord = { ...asRecord(s) };
    for (const list of ['attributes', 'identity', 'description']) {
      if (!(list in out)) continue;
      // Attributes of a signal compare as a multiset: order follows catalog numbering.
      out[list] = asList(out[list])
        .map((ref) => ({ ...asRecord(ref), base: entry(asRecord(ref).base) }))
        .sort((x, y) => (canonical(x) < canonical(y) ? -1 : canonical(x) > canonical(y) ? 1 : 0));
    }
    return out;
  };
  const section = (container: Json, name: string, key: (s: JsonRecord) => string): JsonRecord => {
    const out: JsonRecord = {};
    for (const s of asList(asRecord(container)[name])) out[key(asRecord(s))] = expandSignal(s);
    return out;
  };
  const signalKey = (s: JsonRecord) => String(s.id ?? s.type ?? s.name);
  const registry = asRecord(d.registry);
  const refinements = asRecord(d.refinements);
  return {
    file_format: d.file_format,
    schema_url: d.schema_url,
    dependencies: d.dependencies ?? [],
    attribute_catalog: [...new Set(catalog.map(canonical))].sort(),
    registry: {
      attributes: [...new Set(asList(registry.attributes).map((i) => canonical(entry(i))))].sort(),
      attribute_groups: section(registry, 'attribute_groups', signalKey),
      spans: section(registry, 'spans', signalKey),
      metrics: section(registry, 'metrics', signalKey),
      events: section(registry, 'events', signalKey),
      entities: section(registry, 'entities', signalKey),
    },
    // `refinements.entities` is optional in the resolved/2.0 schema: absent means none.
    refinements: {
      spans: section(refinements, 'spans', signalKey),
      metrics: section(refinements, 'metrics', signalKey),
      events: section(refinements, 'events', signalKey),
      entities: section(refinements, 'entities', signalKey),
    },
  };
}

/** Compares two resolved/2.0 documents: catalog numbering aside, every field. */
export function compareResolvedV2(expected: Json, actual: Json): Difference | undefined {
  return firstDifference(expandV2(expected), expandV2(actual), '$');
}
