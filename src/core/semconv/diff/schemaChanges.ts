import type { Deprecation, RegistryView, ViewGroup } from '../stats/registryView';

/**
 * `weaver registry diff`: what changed from a baseline registry to the head registry, as weaver's
 * schema-changes model (docs/schema-changes.md). Only top-level items are compared: an item of the
 * head missing from the baseline is `added`, one of the baseline missing from the head `removed`,
 * and an item present in both whose deprecation is new (or different) becomes `renamed`,
 * `obsoleted` or `uncategorized` after its `deprecated.reason`. Fields are never compared (weaver
 * does not implement `updated` either).
 *
 * Two shapes, as weaver writes them:
 * - v1 (default): `{ head: {semconv_version}, baseline: {semconv_version}, changes: { registry_attributes,
 *   metrics, events, spans, entities } }`; signals are keyed by their name (metric_name, event name,
 *   entity name), and v1 spans have none, so `spans` stays empty as in weaver.
 * - v2 (`--v2`, schemas/semconv.diff.v2.json): `{ head_schema_url, baseline_schema_url, registry: {
 *   attribute_changes, attribute_group_changes, entity_changes, event_changes, metric_changes, span_changes } }`;
 *   spans are keyed by their type, attribute groups (public ones) by id.
 * Weaver iterates hash maps, so its order varies; here each list is sorted by name.
 */

export type SchemaItemChange =
  | { type: 'added'; name: string }
  | { type: 'renamed'; old_name: string; new_name: string; note: string }
  | { type: 'obsoleted'; name: string; note: string }
  | { type: 'uncategorized'; name: string; note: string }
  | { type: 'removed'; name: string };

export interface SchemaChangesV1 {
  head: { semconv_version: string };
  baseline: { semconv_version: string };
  changes: {
    registry_attributes: SchemaItemChange[];
    metrics: SchemaItemChange[];
    events: SchemaItemChange[];
    spans: SchemaItemChange[];
    entities: SchemaItemChange[];
  };
}

export interface SchemaChangesV2 {
  head_schema_url: { url: string };
  baseline_schema_url: { url: string };
  registry: {
    attribute_changes: SchemaItemChange[];
    attribute_group_changes: SchemaItemChange[];
    entity_changes: SchemaItemChange[];
    event_changes: SchemaItemChange[];
    metric_changes: SchemaItemChange[];
    span_changes: SchemaItemChange[];
  };
}

interface Diffable {
  deprecated?: Deprecation;
}

function sameDeprecation(a: Deprecation, b: Deprecation): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function changeName(c: SchemaItemChange): string {
  return c.type === 'renamed' ? c.old_name : c.name;
}

/** Weaver's `diff_signals_by_hash` over two name-keyed maps. */
export function diffItems(head: ReadonlyMap<string, Diffable>, baseline: ReadonlyMap<string, Diffable>): SchemaItemChange[] {
  const changes: SchemaItemChange[] = [];
  for (const [name, item] of head) {
    const before = baseline.get(name);
    if (!before) {
      changes.push({ type: 'added', name });
      continue;
    }
    const deprecated = item.deprecated;
    if (!deprecated) continue;
    if (before.deprecated && sameDeprecation(deprecated, before.deprecated)) continue;
    switch (deprecated.reason) {
      case 'renamed':
        changes.push({ type: 'renamed', old_name: name, new_name: deprecated.renamed_to, note: deprecated.note });
        break;
      case 'obsoleted':
        changes.push({ type: 'obsoleted', name, note: deprecated.note });
        break;
      default:
        changes.push({ type: 'uncategorized', name, note: deprecated.note });
    }
  }
  for (const name of baseline.keys()) if (!head.has(name)) changes.push({ type: 'removed', name });
  return changes.sort((x, y) => {
    const a = changeName(x);
    const b = changeName(y);
    return a < b ? -1 : a > b ? 1 : x.type < y.type ? -1 : x.type > y.type ? 1 : 0;
  });
}

function attributeMap(view: RegistryView): Map<string, Diffable> {
  return new Map(view.attributes.map((a) => [a.key, a] as const));
}

function signalMap(view: RegistryView, type: ViewGroup['type'], key: (g: ViewGroup) => string | undefined = (g) => g.signalName): Map<string, Diffable> {
  const out = new Map<string, Diffable>();
  for (const g of view.groups) {
    if (g.type !== type) continue;
    const name = key(g);
    if (name !== undefined && !out.has(name)) out.set(name, g);
  }
  return out;
}

/** v1 spans have no stable identifier (weaver's `signal_name()` gives none for spans). */
function v1SignalMap(view: RegistryView, type: ViewGroup['type']): Map<string, Diffable> {
  return type === 'span' ? new Map() : signalMap(view, type);
}

export function diffRegistriesV1(head: RegistryView, baseline: RegistryView): SchemaChangesV1 {
  return {
    head: { semconv_version: head.version ?? '' },
    baseline: { semconv_version: baseline.version ?? '' },
    changes: {
      registry_attributes: diffItems(attributeMap(head), attributeMap(baseline)),
      metrics: diffItems(v1SignalMap(head, 'metric'), v1SignalMap(baseline, 'metric')),
      events: diffItems(v1SignalMap(head, 'event'), v1SignalMap(baseline, 'event')),
      spans: diffItems(v1SignalMap(head, 'span'), v1SignalMap(baseline, 'span')),
      entities: diffItems(v1SignalMap(head, 'entity'), v1SignalMap(baseline, 'entity')),
    },
  };
}

function publicGroups(view: RegistryView): Map<string, Diffable> {
  return signalMap(view, 'attribute_group', (g) => (g.visibility === 'public' ? g.id : undefined));
}

export function diffRegistriesV2(head: RegistryView, baseline: RegistryView): SchemaChangesV2 {
  return {
    head_schema_url: { url: head.schemaUrl ?? '' },
    baseline_schema_url: { url: baseline.schemaUrl ?? '' },
    registry: {
      attribute_changes: diffItems(attributeMap(head), attributeMap(baseline)),
      attribute_group_changes: diffItems(publicGroups(head), publicGroups(baseline)),
      entity_changes: diffItems(signalMap(head, 'entity'), signalMap(baseline, 'entity')),
      event_changes: diffItems(signalMap(head, 'event'), signalMap(baseline, 'event')),
      metric_changes: diffItems(signalMap(head, 'metric'), signalMap(baseline, 'metric')),
      span_changes: diffItems(signalMap(head, 'span'), signalMap(baseline, 'span')),
    },
  };
}

/** Counts per change type over every list, for summaries (`{ added: 12, renamed: 3, ... }`). */
export function countChanges(lists: readonly SchemaItemChange[][]): Record<SchemaItemChange['type'], number> {
  const out: Record<SchemaItemChange['type'], number> = { added: 0, renamed: 0, obsoleted: 0, uncategorized: 0, removed: 0 };
  for (const l of lists) for (const c of l) out[c.type]++;
  return out;
}
