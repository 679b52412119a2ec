import { afterEach, describe, expect, test } from 'vitest';
import { ids, only, placed, policiesOn, removeTempRegistries } from './helpers';

afterEach(removeTempRegistries);

const compat = { packages: ['backwards-compatibility' as const] };

describe('backwards-compatibility against a baseline', () => {
  test('nothing runs without a baseline', async () => {
    const r = await policiesOn({ 'a.yaml': 'file_format: definition/2\nattributes: []\n' }, compat);
    expect(r.findings).toEqual([]);
  });

  test('a v1 baseline against a v2 current registry: attributes and enum members', async () => {
    const r = await policiesOn(
      {
        'a.yaml': `file_format: definition/2
attributes:
  - key: shop.id
    type: int
    stability: stable
    brief: Id.
  - key: shop.state
    stability: stable
    brief: State.
    type:
      members:
        - id: open
          value: opened
          stability: development
`,
      },
      {
        ...compat,
        baseline: {
          'r.yaml': `groups:
  - id: registry.shop
    type: attribute_group
    brief: Shop.
    attributes:
      - id: shop.id
        type: string
        stability: stable
        brief: Id.
      - id: shop.gone
        type: string
        stability: development
        brief: Gone.
      - id: shop.state
        stability: stable
        brief: State.
        type:
          members:
            - id: open
              value: open
              stability: stable
            - id: closed
              value: closed
              stability: development
`,
        },
      },
    );
    expect(r.findings.map((f) => f.finding.message).sort()).toEqual([
      "Attribute 'shop.gone' no longer exists in the attribute registry",
      "Attribute 'shop.id' was 'string', but has new type 'int'",
      "Enum 'shop.state' had member 'closed', but is no longer defined",
      "Enum 'shop.state' had stable member 'open', but is no longer stable",
      "Enum 'shop.state' had stable value 'open', but is now 'opened'",
    ]);
    const gone = only(r, 'compatibility_removed_attribute');
    expect(gone.inBaseline).toBe(true);
    expect(placed(gone, r.baseDir!)).toBe('r.yaml:10 "shop.gone"');
    expect(only(r, 'compatibility_stable_attribute_changed_type').finding.context).toEqual({
      attribute_key: 'shop.id',
      attribute_type: 'int',
      previous_attribute_type: 'string',
    });
  });

  test('stable metrics, spans, events and entities', async () => {
    const attrs = `  - key: shop.id
    type: string
    stability: stable
    brief: Id.
  - key: shop.region
    type: string
    stability: stable
    brief: Region.
`;
    const baseline = `file_format: definition/2
attributes:
${attrs}metrics:
  - name: shop.orders
    brief: Orders.
    stability: stable
    instrument: counter
    unit: "{order}"
spans:
  - type: shop.checkout
    kind: server
    stability: stable
    brief: Checkout.
    attributes:
      - ref: shop.id
events:
  - name: shop.opened
    stability: stable
    brief: Opened.
entities:
  - type: shop
    stability: stable
    brief: Shop.
    identity:
      - ref: shop.id
    description:
      - ref: shop.region
`;
    const current = `file_format: definition/2
attributes:
${attrs}metrics:
  - name: shop.orders
    brief: Orders.
    stability: stable
    instrument: updowncounter
    unit: "{order}"
    attributes:
      - ref: shop.region
        requirement_level: recommended
      - ref: shop.id
        requirement_level: opt_in
spans:
  - type: shop.checkout
    kind: client
    stability: beta
    brief: Checkout.
entities:
  - type: shop
    stability: stable
    brief: Shop.
    identity:
      - ref: shop.region
`;
    const r = await policiesOn({ 'c.yaml': current }, { ...compat, baseline: { 'b.yaml': baseline } });
    expect(ids(r)).toEqual([
      'compatibility_entity_changed_identity entity:shop',
      'compatibility_entity_missing_attribute entity:shop',
      'compatibility_entity_missing_attribute entity:shop',
      'compatibility_event_removed event:shop.opened',
      'compatibility_metric_added_attributes metric:shop.orders',
      'compatibility_metric_changed_instrument metric:shop.orders',
      'compatibility_span_changed_kind span:shop.checkout',
      'compatibility_span_changed_stability span:shop.checkout',
      'compatibility_span_dropped_attributes span:shop.checkout',
    ]);
    expect(only(r, 'compatibility_metric_added_attributes').finding).toMatchObject({
      context: { added_attributes: ['shop.region'] },
      message: `Metric 'shop.orders' cannot change required/recommended attributes (added '{"shop.region"}')`,
    });
    expect(only(r, 'compatibility_span_changed_kind').finding.context).toEqual({ previous: 'server', current: 'client' });
    // Each change is shown on the value that changed.
    expect(placed(only(r, 'compatibility_span_changed_kind'), r.dir)).toBe('c.yaml:24 "client"');
    expect(placed(only(r, 'compatibility_span_changed_stability'), r.dir)).toBe('c.yaml:25 "beta"');
    expect(placed(only(r, 'compatibility_metric_changed_instrument'), r.dir)).toBe('c.yaml:15 "updowncounter"');
    expect(r.findings.filter((f) => f.finding.id === 'compatibility_entity_missing_attribute').map((f) => f.finding.context)).toEqual([
      { identity_missing_attributes: ['shop.id'] },
      { description_missing_attributes: ['shop.region'] },
    ]);
  });

  test('a removed metric is allowed when a refinement of that id lists the exception', async () => {
    const baseline = `file_format: definition/2
metrics:
  - name: shop.orders
    brief: Orders.
    stability: development
    instrument: counter
    unit: "{order}"
`;
    const withException = `file_format: definition/2
metric_refinements:
  - id: shop.orders
    ref: shop.sales
    annotations:
      compatibility:
        policy_exceptions: [metric_missing]
metrics:
  - name: shop.sales
    brief: Sales.
    stability: development
    instrument: counter
    unit: "{order}"
`;
    expect(ids(await policiesOn({ 'c.yaml': withException }, { ...compat, baseline: { 'b.yaml': baseline } }))).toEqual([]);
    const without = withException.replace('[metric_missing]', '[span_missing]');
    expect(ids(await policiesOn({ 'c.yaml': without }, { ...compat, baseline: { 'b.yaml': baseline } }))).toEqual([
      'compatibility_metric_missing metric:shop.orders',
    ]);
  });

  test('public attribute groups: an object-form opt_in counts as added (the package only knows plain opt_in)', async () => {
    const group = (extra: string): string => `file_format: definition/2
attributes:
  - key: shop.id
    type: string
    stability: stable
    brief: Id.
  - key: shop.region
    type: string
    stability: stable
    brief: Region.
attribute_groups:
  - id: shop.common
    visibility: public
    stability: stable
    brief: Common.
    attributes:
      - ref: shop.id${extra}
`;
    const base = { 'b.yaml': group('') };
    const plain = await policiesOn({ 'c.yaml': group('\n      - ref: shop.region\n        requirement_level: opt_in') }, { ...compat, baseline: base });
    expect(ids(plain)).toEqual([]);
    const withText = await policiesOn(
      { 'c.yaml': group('\n      - ref: shop.region\n        requirement_level:\n          opt_in: on request') },
      { ...compat, baseline: base },
    );
    expect(ids(withText)).toEqual(['compatibility_attribute_group_added_attributes -:-']);
    expect(only(withText, 'compatibility_attribute_group_added_attributes').finding.context).toEqual({
      added_attributes: ['shop.region'],
      attribute_group_id: 'shop.common',
    });
  });
});

describe('removal exceptions on refinements', () => {
  test('only a refinement of the same kind, with the removed id (bare or kind-prefixed) and the right key, suppresses', async () => {
    const metric = (name: string, extra = ''): string =>
      `  - name: ${name}\n    stability: development\n    brief: M.\n    instrument: counter\n    unit: "1"\n${extra}`;
    const baseline = `file_format: definition/2
metrics:
${metric('gone.bare')}${metric('gone.prefixed')}${metric('gone.plain')}${metric('gone.other_key')}${metric('gone.other_pkg')}${metric('gone.other_kind')}${metric(
      'gone.self_excepted',
      '    annotations:\n      compatibility:\n        policy_exceptions: [metric_missing]\n',
    )}`;
    const current = `file_format: definition/2
metrics:
${metric('kept')}spans:
  - type: kept.span
    kind: client
    stability: development
    brief: S.
metric_refinements:
  - id: gone.bare
    ref: kept
    annotations: {compatibility: {policy_exceptions: [metric_missing]}}
  - id: metric.gone.prefixed
    ref: kept
    annotations: {compatibility: {policy_exceptions: [metric_missing]}}
  - id: metric.gone.plain
    ref: kept
  - id: metric.gone.other_key
    ref: kept
    annotations: {compatibility: {policy_exceptions: [span_missing]}}
  - id: metric.gone.other_pkg
    ref: kept
    annotations: {stability: {policy_exceptions: [metric_missing]}}
span_refinements:
  - id: metric.gone.other_kind
    ref: kept.span
    annotations: {compatibility: {policy_exceptions: [metric_missing]}}
`;
    const r = await policiesOn({ 'c.yaml': current }, { ...compat, baseline: { 'b.yaml': baseline } });
    expect(ids(r)).toEqual([
      'compatibility_metric_missing metric:gone.other_key',
      'compatibility_metric_missing metric:gone.other_kind',
      'compatibility_metric_missing metric:gone.other_pkg',
      'compatibility_metric_missing metric:gone.plain',
      // An exception on the removed metric itself in the baseline does not count.
      'compatibility_metric_missing metric:gone.self_excepted',
    ]);
  });
});
