import type { JsonObject, JsonValue, ResolvedAttribute, ResolvedGroup, ResolvedRegistry } from '../resolved/types';
import { canonicalJson } from './normalize';

/**
 * The resolved registry in weaver's `resolved/2.0` form: one attribute catalog of definitions (what a
 * signal overrides of an attribute's definition makes a catalog entry of its own), signals whose
 * attributes are `{ base: <catalog index>, requirement_level, sampling_relevant }`, every signal listed
 * again as a refinement of itself next to the registry's own refinements, and the dependencies by
 * schema URL (`provenance.source` indexes them).
 */

const CATALOG_FIELDS = ['type', 'examples', 'brief', 'note', 'stability', 'deprecated', 'annotations'] as const;

type Section = 'spans' | 'metrics' | 'events' | 'entities';
const SECTION: Record<string, Section | undefined> = { span: 'spans', metric: 'metrics', event: 'events', entity: 'entities' };

function isEmpty(value: JsonValue | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

class Catalog {
  readonly entries: JsonObject[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly sourceOf: (origin: number | undefined) => number | undefined) {}

  ref(attr: ResolvedAttribute): number {
    const entry: JsonObject = { key: attr.name };
    const record = attr as unknown as Record<string, JsonValue | undefined>;
    for (const field of CATALOG_FIELDS) {
      const value = record[field];
      if (field === 'stability' && value === undefined) continue;
      if (!isEmpty(value)) entry[field] = value as JsonValue;
    }
    const source = this.sourceOf(attr.origin);
    if (source !== undefined) entry.provenance = { source };
    const key = canonicalJson(entry);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.entries.length;
      this.entries.push(entry);
      this.index.set(key, i);
    }
    return i;
  }
}

function attributeRef(catalog: Catalog, attr: ResolvedAttribute, withSampling: boolean): JsonObject {
  const ref: JsonObject = { base: catalog.ref(attr), requirement_level: attr.requirement_level };
  if (withSampling && attr.sampling_relevant !== undefined) ref.sampling_relevant = attr.sampling_relevant;
  return ref;
}

function signalEntry(catalog: Catalog, g: ResolvedGroup, sourceOf: (origin: number | undefined) => number | undefined, asRefinement: boolean): JsonObject {
  const view = g.signal;
  if (!view) return {};
  const out: JsonObject = {};
  if (asRefinement) out.id = view.refinement ? g.id : view.name;
  const nameKey = view.kind === 'span' || view.kind === 'entity' ? 'type' : view.kind === 'attribute_group' ? 'id' : 'name';
  // An event refinement is an event of its own name (weaver names it by the refinement id).
  out[nameKey] = view.kind === 'attribute_group' ? g.id : view.kind === 'event' && asRefinement && view.refinement ? g.id : view.name;
  const { name: spanName, ...fields } = view.fields;
  if (view.kind === 'span' && spanName !== undefined) out.name = spanName;
  Object.assign(out, fields);
  if (view.kind === 'entity') {
    out.identity = g.attributes.filter((a) => a.role === 'identifying').map((a) => attributeRef(catalog, a, false));
    const description = g.attributes.filter((a) => a.role !== 'identifying').map((a) => attributeRef(catalog, a, false));
    if (description.length > 0) out.description = description;
  } else {
    out.attributes = g.attributes.map((a) => attributeRef(catalog, a, view.kind === 'span'));
  }
  const source = sourceOf(g.origin);
  if (source !== undefined) out.provenance = { source };
  return out;
}

export function toResolvedV2(registry: ResolvedRegistry): JsonObject {
  const registries = registry.registries ?? [];
  // Origin 0 is the registry itself; dependencies are numbered from 0 in `dependencies`.
  const sourceOf = (origin: number | undefined): number | undefined => (origin !== undefined && origin > 0 ? origin - 1 : undefined);
  const catalog = new Catalog(sourceOf);
  const reg = { attributes: new Set<number>(), attribute_groups: [] as JsonValue[], spans: [] as JsonValue[], metrics: [] as JsonValue[], events: [] as JsonValue[], entities: [] as JsonValue[] };
  const refinements = { spans: [] as JsonValue[], metrics: [] as JsonValue[], events: [] as JsonValue[], entities: [] as JsonValue[] };

  for (const g of registry.groups) {
    const view = g.signal;
    if (!view) {
      // The definitions of a v2 file (its synthetic attribute group) are registry attributes.
      if (g.type === 'attribute_group' && (g.origin ?? 0) === 0) for (const a of g.attributes) reg.attributes.add(catalog.ref(a));
      continue;
    }
    if (view.kind === 'attribute_group') {
      // Attribute groups are the registry's own: weaver's resolved/2.0 form does not carry imported ones.
      if ((g.origin ?? 0) > 0) continue;
      reg.attribute_groups.push(signalEntry(catalog, g, sourceOf, false));
      for (const a of g.attributes) reg.attributes.add(catalog.ref(a));
      continue;
    }
    const section = SECTION[view.kind];
    if (!section) continue;
    if (!view.refinement) {
      reg[section].push(signalEntry(catalog, g, sourceOf, false));
      for (const a of g.attributes) reg.attributes.add(catalog.ref(a));
    }
    refinements[section].push(signalEntry(catalog, g, sourceOf, true));
  }

  const schemaUrl = registries[0]?.schemaUrl ?? '';
  return {
    file_format: 'resolved/2.0',
    schema_url: schemaUrl,
    attribute_catalog: catalog.entries,
    registry: { ...reg, attributes: [...reg.attributes].sort((a, b) => a - b) },
    refinements,
    dependencies: registries.slice(1).map((r) => r.declaredSchemaUrl ?? r.schemaUrl),
  };
}
