import type { GroupLineage, JsonObject, JsonValue, ResolvedGroup, ResolvedRegistry } from '../resolved/types';
import { attributeFields } from './attributes';
import { canonicalJson } from './normalize';

/**
 * The resolved registry in weaver's serialised form: groups whose `attributes` are indices into a
 * separate, de-duplicated attribute catalog (what `weaver registry resolve` and weaver's resolver
 * tests write as `expected-registry.json` + `expected-attribute-catalog.json`).
 */
export interface WeaverResolvedJson {
  registry: JsonObject;
  catalog: JsonObject[];
}

export function lineageJson(lineage: GroupLineage): JsonObject {
  const out: JsonObject = { provenance: { schema_url: lineage.provenance.schema_url, path: lineage.provenance.path } };
  if (lineage.extends_group !== undefined) out.extends_group = lineage.extends_group;
  const names = Object.keys(lineage.attributes).sort();
  if (names.length > 0) {
    const attrs: JsonObject = {};
    for (const name of names) {
      const a = lineage.attributes[name];
      if (!a) continue;
      const entry: JsonObject = { source_group: a.source_group };
      if (a.inherited_fields.length > 0) entry.inherited_fields = [...a.inherited_fields];
      if (a.locally_overridden_fields.length > 0) entry.locally_overridden_fields = [...a.locally_overridden_fields];
      attrs[name] = entry;
    }
    out.attributes = attrs;
  }
  return out;
}

export function toWeaverJson(registry: ResolvedRegistry): WeaverResolvedJson {
  // Collect distinct attributes, then number them in a stable order (by name, then content).
  const distinct = new Map<string, JsonObject>();
  for (const g of registry.groups) {
    for (const a of g.attributes) {
      const fields = attributeFields(a);
      distinct.set(canonicalJson(fields), fields);
    }
  }
  const keys = [...distinct.keys()].sort((a, b) => {
    const na = String((distinct.get(a) as JsonObject).name);
    const nb = String((distinct.get(b) as JsonObject).name);
    return na < nb ? -1 : na > nb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  const index = new Map(keys.map((k, i) => [k, i] as const));
  const catalog = keys.map((k) => distinct.get(k) as JsonObject);
  const groups: JsonValue[] = registry.groups.map((g) => groupJson(g, index));
  return { registry: { registry_url: registry.registry_url, groups }, catalog };
}

function groupJson(g: ResolvedGroup, index: Map<string, number>): JsonObject {
  const refs = [...new Set(g.attributes.map((a) => index.get(canonicalJson(attributeFields(a))) as number))].sort((a, b) => a - b);
  const out: JsonObject = { id: g.id, type: g.type, ...g.fields, attributes: refs };
  if (!(g.fromPublished && g.type === 'attribute_group')) out.lineage = lineageJson(g.lineage);
  return out;
}
