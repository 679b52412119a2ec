import type { GroupType, RegistryView, ViewAttribute, ViewGroup } from './registryView';

/**
 * `weaver registry stats --format json`, computed on the registry view. Field names are weaver's:
 * the v1 form is `ResolvedTelemetrySchema::stats()` (`registry_stats` with a `group_breakdown` per
 * group type, each an externally tagged `GroupStats` variant, and `catalog_stats`), the v2 form
 * (`--v2`) is `v2::stats::Stats` (`registry.{attributes,metrics,spans,events,entities,attribute_groups}`,
 * `refinements`). Maps are plain objects with sorted keys; weaver's sets are sorted arrays.
 */

export type Breakdown = Record<string, number>;

export interface CommonGroupStats {
  count: number;
  total_attribute_count: number;
  total_with_prefix: number;
  total_with_note: number;
  stability_breakdown: Breakdown;
  deprecated_count: number;
  /** Number of attributes in a group -> number of groups with that many. */
  attribute_card_breakdown: Breakdown;
}

export type GroupStats =
  | { AttributeGroup: { common_stats: CommonGroupStats } }
  | { Metric: { common_stats: CommonGroupStats; metric_names: string[]; instrument_breakdown: Breakdown; unit_breakdown: Breakdown } }
  | { MetricGroup: { common_stats: CommonGroupStats } }
  | { Event: { common_stats: CommonGroupStats } }
  | { Resource: { common_stats: CommonGroupStats } }
  | { Scope: { common_stats: CommonGroupStats } }
  | { Span: { common_stats: CommonGroupStats; span_kind_breakdown: Breakdown } }
  | { Entity: { common_stats: CommonGroupStats } }
  | { Undefined: { common_stats: CommonGroupStats } };

export interface RegistryStatsV1 {
  registry_stats: Array<{ url: string; group_count: number; group_breakdown: Record<string, GroupStats> }>;
  catalog_stats: {
    attribute_count: number;
    attribute_type_breakdown: Breakdown;
    requirement_level_breakdown: Breakdown;
    stability_breakdown: Breakdown;
    deprecated_count: number;
  };
}

export interface CommonSignalStats {
  count: number;
  stability_breakdown: Breakdown;
  deprecated_count: number;
  total_with_note: number;
}

export interface RegistryStatsV2 {
  registry: {
    attributes: { attribute_count: number; attribute_type_breakdown: Breakdown; stability_breakdown: Breakdown; deprecated_count: number };
    metrics: { common: CommonSignalStats; metric_names: string[]; instrument_breakdown: Breakdown; unit_breakdown: Breakdown };
    spans: { common: CommonSignalStats; span_kind_breakdown: Breakdown };
    events: { common: CommonSignalStats; event_names: string[] };
    entities: { common: CommonSignalStats; entity_types: string[]; entity_identity_length_distribution: Breakdown };
    attribute_groups: { common: CommonSignalStats };
  };
  refinements: Record<string, never>;
}

function bump(b: Breakdown, key: string | number | undefined): void {
  if (key === undefined) return;
  const k = String(key);
  b[k] = (b[k] ?? 0) + 1;
}

/** Keys in order (numeric keys numerically), so the JSON is stable from run to run. */
function sorted(b: Breakdown): Breakdown {
  const keys = Object.keys(b);
  const numeric = keys.every((k) => /^\d+$/.test(k));
  keys.sort(numeric ? (x, y) => Number(x) - Number(y) : undefined);
  const out: Breakdown = {};
  for (const k of keys) out[k] = b[k] ?? 0;
  return out;
}

function commonGroupStats(groups: readonly ViewGroup[]): CommonGroupStats {
  const stability: Breakdown = {};
  const card: Breakdown = {};
  let attrs = 0;
  let prefix = 0;
  let note = 0;
  let deprecated = 0;
  for (const g of groups) {
    attrs += g.attributeCount;
    if (g.prefix) prefix++;
    if (g.note) note++;
    if (g.deprecated) deprecated++;
    bump(stability, g.stability);
    bump(card, g.attributeCount);
  }
  return {
    count: groups.length,
    total_attribute_count: attrs,
    total_with_prefix: prefix,
    total_with_note: note,
    stability_breakdown: sorted(stability),
    deprecated_count: deprecated,
    attribute_card_breakdown: sorted(card),
  };
}

const VARIANT: Record<GroupType, string> = {
  attribute_group: 'AttributeGroup',
  metric: 'Metric',
  metric_group: 'MetricGroup',
  event: 'Event',
  entity: 'Entity',
  scope: 'Scope',
  span: 'Span',
  undefined: 'Undefined',
};

function groupStats(type: GroupType, groups: readonly ViewGroup[]): GroupStats {
  const common_stats = commonGroupStats(groups);
  if (type === 'metric') {
    const instruments: Breakdown = {};
    const units: Breakdown = {};
    for (const g of groups) {
      bump(instruments, g.instrument);
      bump(units, g.unit);
    }
    const metric_names = [...new Set(groups.flatMap((g) => (g.signalName ? [g.signalName] : [])))].sort();
    return { Metric: { common_stats, metric_names, instrument_breakdown: sorted(instruments), unit_breakdown: sorted(units) } };
  }
  if (type === 'span') {
    const kinds: Breakdown = {};
    for (const g of groups) bump(kinds, g.spanKind);
    return { Span: { common_stats, span_kind_breakdown: sorted(kinds) } };
  }
  return { [VARIANT[type]]: { common_stats } } as GroupStats;
}

function attributeBreakdowns(attributes: readonly ViewAttribute[]): {
  types: Breakdown;
  requirement: Breakdown;
  stability: Breakdown;
  deprecated: number;
} {
  const types: Breakdown = {};
  const requirement: Breakdown = {};
  const stability: Breakdown = {};
  let deprecated = 0;
  for (const a of attributes) {
    bump(types, a.type);
    bump(requirement, a.requirementLevel);
    bump(stability, a.stability);
    if (a.deprecated) deprecated++;
  }
  return { types: sorted(types), requirement: sorted(requirement), stability: sorted(stability), deprecated };
}

export function registryStatsV1(view: RegistryView): RegistryStatsV1 {
  const byType = new Map<GroupType, ViewGroup[]>();
  for (const g of view.groups) {
    const bucket = byType.get(g.type);
    if (bucket) bucket.push(g);
    else byType.set(g.type, [g]);
  }
  const group_breakdown: Record<string, GroupStats> = {};
  for (const type of [...byType.keys()].sort()) group_breakdown[type] = groupStats(type, byType.get(type) ?? []);
  // Weaver counts its catalog: every distinct attribute use, not only the registry definitions.
  const a = attributeBreakdowns(view.catalog ?? view.attributes);
  return {
    registry_stats: [{ url: view.root, group_count: view.groups.length, group_breakdown }],
    catalog_stats: {
      attribute_count: (view.catalog ?? view.attributes).length,
      attribute_type_breakdown: a.types,
      requirement_level_breakdown: a.requirement,
      stability_breakdown: a.stability,
      deprecated_count: a.deprecated,
    },
  };
}

function commonSignalStats(groups: readonly ViewGroup[]): CommonSignalStats {
  const c = commonGroupStats(groups);
  return { count: c.count, stability_breakdown: c.stability_breakdown, deprecated_count: c.deprecated_count, total_with_note: c.total_with_note };
}

export function registryStatsV2(view: RegistryView): RegistryStatsV2 {
  const of = (type: GroupType) => view.groups.filter((g) => g.type === type);
  const names = (groups: readonly ViewGroup[]) => [...new Set(groups.flatMap((g) => (g.signalName ? [g.signalName] : [])))].sort();
  const metrics = of('metric');
  const spans = of('span');
  const events = of('event');
  const entities = of('entity');
  // v2 lists only public attribute groups; v1 attribute groups have no visibility and are left out.
  const publicGroups = of('attribute_group').filter((g) => g.visibility === 'public');
  const v1 = (registryStatsV1(view).registry_stats[0]?.group_breakdown ?? {}) as Record<string, GroupStats>;
  const metricStats = v1.metric && 'Metric' in v1.metric ? v1.metric.Metric : undefined;
  const spanStats = v1.span && 'Span' in v1.span ? v1.span.Span : undefined;
  const identity: Breakdown = {};
  for (const e of entities) bump(identity, e.identityLength ?? 0);
  const a = attributeBreakdowns(view.attributes);
  return {
    registry: {
      attributes: { attribute_count: view.attributes.length, attribute_type_breakdown: a.types, stability_breakdown: a.stability, deprecated_count: a.deprecated },
      metrics: {
        common: commonSignalStats(metrics),
        metric_names: names(metrics),
        instrument_breakdown: metricStats?.instrument_breakdown ?? {},
        unit_breakdown: metricStats?.unit_breakdown ?? {},
      },
      spans: { common: commonSignalStats(spans), span_kind_breakdown: spanStats?.span_kind_breakdown ?? {} },
      events: { common: commonSignalStats(events), event_names: names(events) },
      entities: { common: commonSignalStats(entities), entity_types: names(entities), entity_identity_length_distribution: sorted(identity) },
      attribute_groups: { common: commonSignalStats(publicGroups) },
    },
    refinements: {},
  };
}
