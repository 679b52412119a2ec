import { afterAll, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { diffRegistriesV1, diffRegistriesV2 } from '../../../src/core/semconv/diff/schemaChanges';
import { scoreMatch } from '../../../src/core/semconv/search/scoring';
import { searchRegistry } from '../../../src/core/semconv/search/searchRegistry';
import { registryStatsV1 } from '../../../src/core/semconv/stats/registryStats';
import { registryView, type RegistryView } from '../../../src/core/semconv/stats/registryView';
import { removeTempRegistries, tempRegistry } from '../semconv/helpers';
import { runReportWorkflow } from './helpers';

/** Small registries whose statistics, search ranks and changes are known exactly. */

afterAll(removeTempRegistries);

async function viewOf(files: Record<string, string>): Promise<RegistryView> {
  return registryView(await loadRegistry(await tempRegistry(files)));
}

const V1_SHOP = `groups:
  - id: registry.shop
    type: attribute_group
    brief: Shop attributes.
    attributes:
      - id: shop.order.id
        type: string
        stability: stable
        brief: Order id.
        examples: ['o-1']
      - id: shop.order.state
        type:
          members:
            - id: open
              value: open
              stability: development
            - id: closed
              value: closed
              stability: development
        stability: development
        requirement_level: required
        brief: Order state.
      - id: shop.legacy_id
        type: int
        stability: development
        deprecated:
          reason: renamed
          renamed_to: shop.order.id
        brief: Old order id.
  - id: span.shop.checkout
    type: span
    span_kind: server
    stability: development
    brief: Checkout.
    note: Runs once per order.
    attributes:
      - ref: shop.order.id
      - ref: shop.order.state
  - id: metric.shop.orders
    type: metric
    metric_name: shop.orders
    instrument: counter
    unit: "{order}"
    stability: development
    brief: Orders placed.
    attributes:
      - ref: shop.order.state
`;

const V2_SHOP = `file_format: definition/2
attributes:
  - key: shop.cart.size
    type: int
    stability: development
    brief: Items in the cart, counted at checkout.
metrics:
  - name: shop.cart.items
    instrument: histogram
    unit: "{item}"
    stability: stable
    brief: Items per cart.
    attributes:
      - ref: shop.cart.size
events:
  - name: shop.cart.abandoned
    stability: development
    brief: A cart left before checkout.
`;

describe('registry stats (v1 shape) on a registry with known contents', () => {
  test('counts groups per type, attributes per type, stability, requirement level and deprecation', async () => {
    const stats = registryStatsV1(await viewOf({ 'shop.yaml': V1_SHOP, 'cart.yaml': V2_SHOP }));
    const reg = stats.registry_stats[0];
    expect(reg?.group_count).toBe(5);
    expect(reg?.group_breakdown).toEqual({
      attribute_group: {
        AttributeGroup: {
          common_stats: { count: 1, total_attribute_count: 3, total_with_prefix: 0, total_with_note: 0, stability_breakdown: {}, deprecated_count: 0, attribute_card_breakdown: { '3': 1 } },
        },
      },
      event: {
        Event: {
          common_stats: { count: 1, total_attribute_count: 0, total_with_prefix: 0, total_with_note: 0, stability_breakdown: { development: 1 }, deprecated_count: 0, attribute_card_breakdown: { '0': 1 } },
        },
      },
      metric: {
        Metric: {
          common_stats: { count: 2, total_attribute_count: 2, total_with_prefix: 0, total_with_note: 0, stability_breakdown: { development: 1, stable: 1 }, deprecated_count: 0, attribute_card_breakdown: { '1': 2 } },
          metric_names: ['shop.cart.items', 'shop.orders'],
          instrument_breakdown: { counter: 1, histogram: 1 },
          unit_breakdown: { '{item}': 1, '{order}': 1 },
        },
      },
      span: {
        Span: {
          common_stats: { count: 1, total_attribute_count: 2, total_with_prefix: 0, total_with_note: 1, stability_breakdown: { development: 1 }, deprecated_count: 0, attribute_card_breakdown: { '2': 1 } },
          span_kind_breakdown: { server: 1 },
        },
      },
    });
    expect(stats.catalog_stats).toEqual({
      attribute_count: 4,
      attribute_type_breakdown: { enum: 1, int: 2, string: 1 },
      requirement_level_breakdown: { recommended: 3, required: 1 },
      stability_breakdown: { development: 3, stable: 1 },
      deprecated_count: 1,
    });
  });
});

describe('registry search ranking', () => {
  test("weaver's tiers: exact 100 > prefix 80 > contains 70 > tokens 60 > brief 40 > note 20; deprecated a tenth", () => {
    expect(scoreMatch('shop.order.id', 'shop.order.id', '', '', false)).toBe(100);
    expect(scoreMatch('shop.order', 'shop.order.id', '', '', false)).toBe(80);
    expect(scoreMatch('order.id', 'shop.order.id', '', '', false)).toBe(70);
    expect(scoreMatch('shop id', 'shop.order.id', '', '', false)).toBe(60);
    expect(scoreMatch('checkout', 'x.y', 'Runs at checkout', '', false)).toBe(40);
    expect(scoreMatch('checkout', 'x.y', '', 'see checkout', false)).toBe(20);
    expect(scoreMatch('cart checkout', 'x.y', 'counted at checkout, per cart', '', false)).toBe(35);
    expect(scoreMatch('SHOP.ORDER.ID', 'shop.order.id', '', '', false)).toBe(100);
    expect(scoreMatch('shop.order', 'shop.order.id', '', '', true)).toBe(8);
    expect(scoreMatch('zzz', 'shop.order.id', 'b', 'n', false)).toBe(0);
  });

  test('results come sorted by score across kinds, limited, with weaver field names per kind', async () => {
    const view = await viewOf({ 'shop.yaml': V1_SHOP, 'cart.yaml': V2_SHOP });
    const found = searchRegistry(view, { query: 'shop.cart', limit: 10 });
    expect(found.results.map((r) => [r.result_type, r.score])).toEqual([
      ['attribute', 80],
      ['metric', 80],
      ['event', 80],
    ]);
    expect(found.results[1]).toMatchObject({ name: 'shop.cart.items', instrument: 'histogram', unit: '{item}', stability: 'stable' });
    const legacy = searchRegistry(view, { query: 'shop.legacy_id' });
    expect(legacy.results[0]).toMatchObject({ key: 'shop.legacy_id', score: 10, deprecated: { reason: 'renamed', renamed_to: 'shop.order.id', note: 'Replaced by `shop.order.id`.' } });
    expect(searchRegistry(view, { query: 'order', limit: 1 }).results).toHaveLength(1);
    expect(searchRegistry(view, { query: 'order', limit: 1 }).total).toBeGreaterThan(1);
    expect(searchRegistry(view, { query: '', type: 'metric' }).results.map((r) => r.score)).toEqual([0, 0]);
    expect(searchRegistry(view, { query: 'shop', stability: 'stable' }).results.map((r) => r.result_type).sort()).toEqual(['attribute', 'metric']);
  });
});

describe('registry diff classification', () => {
  const BASE = `groups:
  - id: registry.app
    type: attribute_group
    brief: App.
    attributes:
      - id: app.name
        type: string
        stability: development
        brief: Name.
      - id: app.old
        type: string
        stability: development
        brief: Old.
      - id: app.gone
        type: string
        stability: development
        brief: Removed later.
      - id: app.legacy
        type: string
        stability: development
        brief: Deprecated already.
        deprecated: Use app.name.
  - id: metric.app.requests
    type: metric
    metric_name: app.requests
    instrument: counter
    unit: "{request}"
    stability: development
    brief: Requests.
`;
  const HEAD = `groups:
  - id: registry.app
    type: attribute_group
    brief: App.
    attributes:
      - id: app.name
        type: string
        stability: development
        brief: Name.
        deprecated:
          reason: obsoleted
      - id: app.old
        type: string
        stability: development
        brief: Old.
        deprecated:
          reason: renamed
          renamed_to: app.new
          note: Use app.new instead.
      - id: app.new
        type: string
        stability: development
        brief: New.
      - id: app.legacy
        type: string
        stability: development
        brief: Deprecated already.
        deprecated: Use app.name.
  - id: metric.app.requests
    type: metric
    metric_name: app.requests
    instrument: counter
    unit: "{request}"
    stability: development
    brief: Requests.
    deprecated: No longer recorded.
`;

  test('added, renamed (with its note), obsoleted (default note), uncategorized, removed; unchanged deprecations skipped', async () => {
    const head = await viewOf({ 'app.yaml': HEAD, 'registry_manifest.yaml': 'name: app\nsemconv_version: 2.0.0\nschema_base_url: https://example.com/schemas\n' });
    const base = await viewOf({ 'app.yaml': BASE, 'registry_manifest.yaml': 'name: app\nsemconv_version: 1.0.0\nschema_base_url: https://example.com/schemas\n' });
    const diff = diffRegistriesV1(head, base);
    expect(diff.head).toEqual({ semconv_version: '2.0.0' });
    expect(diff.baseline).toEqual({ semconv_version: '1.0.0' });
    expect(diff.changes.registry_attributes).toEqual([
      { type: 'removed', name: 'app.gone' },
      { type: 'obsoleted', name: 'app.name', note: 'Obsoleted.' },
      { type: 'added', name: 'app.new' },
      { type: 'renamed', old_name: 'app.old', new_name: 'app.new', note: 'Use app.new instead.' },
    ]);
    expect(diff.changes.metrics).toEqual([{ type: 'uncategorized', name: 'app.requests', note: 'No longer recorded.' }]);
    expect(diffRegistriesV1(head, head).changes).toEqual({ registry_attributes: [], metrics: [], events: [], spans: [], entities: [] });
    expect(diffRegistriesV2(head, base).registry.metric_changes).toEqual(diff.changes.metrics);
  });
});

describe('reports on the resolved registry, as weaver computes them', () => {
  const EXTENDS = `groups:
  - id: registry.db
    type: attribute_group
    brief: Db.
    attributes:
      - id: db.name
        type: string
        stability: development
        brief: Name.
      - id: db.op
        type: string
        stability: development
        brief: Operation.
  - id: db.common
    type: attribute_group
    brief: Common.
    attributes:
      - ref: db.name
  - id: span.db.client
    type: span
    span_kind: client
    stability: development
    brief: A call.
    extends: db.common
    attributes:
      - ref: db.op
        requirement_level: required
`;

  test('a group counts what it inherits; the catalog counts each distinct use of an attribute', async () => {
    const dir = await tempRegistry({ 'db.yaml': EXTENDS });
    const { record, reports } = await runReportWorkflow('registry_stats', { registryPath: dir });
    expect(record.outputs.source).toBe('resolved');
    const stats = reports[0]?.data as ReturnType<typeof registryStatsV1>;
    const span = stats.registry_stats[0]?.group_breakdown.span;
    // span.db.client writes one attribute and inherits db.name through `extends`.
    expect(span && 'Span' in span ? span.Span.common_stats.total_attribute_count : undefined).toBe(2);
    // db.name, db.op, and db.op again with requirement_level required: three catalog entries.
    expect(stats.catalog_stats.attribute_count).toBe(3);
    expect(stats.catalog_stats.requirement_level_breakdown).toEqual({ recommended: 2, required: 1 });
  });

  test('a registry that does not resolve is reported as written, with a warning naming the first error', async () => {
    const dir = await tempRegistry({ 'db.yaml': EXTENDS.replace('- ref: db.op', '- ref: db.opp') });
    const { record, reports, log } = await runReportWorkflow('registry_stats', { registryPath: dir });
    expect(record.status).toBe('succeeded');
    expect(record.outputs.source).toBe('definitions');
    expect(log.some((l) => l.startsWith('warn: ') && l.includes('does not resolve') && l.includes('db.opp'))).toBe(true);
    expect(reports[0]?.data).toMatchObject({ catalog_stats: { attribute_count: 2 } });
  });
});
