import { afterEach, describe, expect, test } from 'vitest';
import { ids, only, placed, policiesOn, removeTempRegistries } from './helpers';

afterEach(removeTempRegistries);

const naming = { packages: ['naming_conventions' as const] };

describe('naming_conventions', () => {
  test('attribute constant collision, both ways, unless one is excluded from code generation', async () => {
    const yaml = (exclude: boolean): string => `groups:
  - id: registry.shop
    type: attribute_group
    brief: Shop.
    attributes:
      - id: shop.cart.size
        type: int
        stability: stable
        brief: Items.
      - id: shop.cart_size
        type: int
        stability: stable
        brief: Items again.${exclude ? '\n        annotations:\n          code_generation:\n            exclude: true' : ''}
`;
    const r = await policiesOn({ 'a.yaml': yaml(false) }, naming);
    expect(ids(r)).toEqual(['naming_convention_attribute_constant_collision -:-', 'naming_convention_attribute_constant_collision -:-']);
    expect(r.findings.map((f) => f.finding.context)).toContainEqual({
      attribute_key: 'shop.cart.size',
      colliding_attribute_key: 'shop.cart_size',
      constant_name: 'shop_cart_size',
    });
    expect(r.findings.map((f) => placed(f, r.dir)).sort()).toEqual(['a.yaml:10 "shop.cart_size"', 'a.yaml:6 "shop.cart.size"']);
    expect(ids(await policiesOn({ 'a.yaml': yaml(true) }, naming))).toEqual([]);
  });

  test('an attribute used as a namespace of another, deprecated ones ignored', async () => {
    const r = await policiesOn(
      {
        'a.yaml': `file_format: definition/2
attributes:
  - key: shop.order
    type: string
    stability: development
    brief: The order.
  - key: shop.order.id
    type: string
    stability: development
    brief: The order id.
  - key: shop.item
    type: string
    stability: development
    brief: Old.
    deprecated:
      reason: obsoleted
  - key: shop.item.id
    type: string
    stability: development
    brief: The item id.
`,
      },
      naming,
    );
    const f = only(r, 'naming_convention_attribute_namespace_collision');
    expect(f.finding.context).toEqual({ attribute_key: 'shop.order', colliding_attribute_key: 'shop.order.id' });
    expect(placed(f, r.dir)).toBe('a.yaml:3 "shop.order"');
  });

  test('complex attribute types on a v1 metric and a public group, not on spans', async () => {
    const r = await policiesOn(
      {
        'r.yaml': `groups:
  - id: registry.shop
    type: attribute_group
    brief: Shop.
    attributes:
      - id: shop.payload
        type: any
        stability: development
        brief: Payload.
  - id: metric.shop.orders
    type: metric
    metric_name: shop.orders
    instrument: counter
    unit: "{order}"
    stability: development
    brief: Orders.
    attributes:
      - ref: shop.payload
  - id: span.shop.checkout
    type: span
    span_kind: server
    stability: development
    brief: Checkout.
    attributes:
      - ref: shop.payload
  - id: shop.public
    type: attribute_group
    visibility: public
    stability: development
    brief: Public.
    attributes:
      - ref: shop.payload
`,
      },
      naming,
    );
    expect(ids(r)).toEqual(['naming_convention_attribute_complex_type_violation -:-', 'naming_convention_attribute_complex_type_violation metric:shop.orders']);
    const onMetric = r.findings.find((f) => f.finding.signal_type === 'metric')!;
    expect(onMetric.finding.context).toEqual({ attribute_key: 'shop.payload', attribute_type: 'any' });
    expect(placed(onMetric, r.dir)).toBe('r.yaml:18 "shop.payload"');
    expect(r.findings.find((f) => f.finding.signal_type === null)!.finding.context).toEqual({
      attribute_key: 'shop.payload',
      attribute_type: 'any',
      group_id: 'shop.public',
    });
  });

  test('event constant collision and the forbidden event.name attribute', async () => {
    const r = await policiesOn(
      {
        'e.yaml': `file_format: definition/2
attributes:
  - key: event.name
    type: string
    stability: development
    brief: Name.
events:
  - name: shop.order_placed
    stability: development
    brief: Placed.
  - name: shop.order.placed
    stability: development
    brief: Placed again.
    attributes:
      - ref: event.name
`,
      },
      naming,
    );
    expect(ids(r)).toEqual([
      'naming_convention_event_constant_collision event:shop.order.placed',
      'naming_convention_event_constant_collision event:shop.order_placed',
      'naming_convention_event_name_attribute_forbidden event:shop.order.placed',
    ]);
    expect(placed(only(r, 'naming_convention_event_name_attribute_forbidden'), r.dir)).toBe('e.yaml:15 "event.name"');
  });

  test('enum members: duplicate values (deprecated ones may share), ids and constant names', async () => {
    const r = await policiesOn(
      {
        'a.yaml': `file_format: definition/2
attributes:
  - key: shop.state
    brief: State.
    stability: development
    type:
      members:
        - id: open
          value: o
        - id: opened
          value: o
        - id: closed
          value: c
        - id: shut
          value: c
          deprecated:
            reason: obsoleted
        - id: half.open
          value: h1
        - id: half_open
          value: h2
`,
      },
      naming,
    );
    expect(r.findings.map((f) => f.finding.message).sort()).toEqual([
      "Member with constant name 'half_open' (id 'half.open') is defined more than once on attribute 'shop.state'. Member constant names must be unique.",
      "Member with constant name 'half_open' (id 'half_open') is defined more than once on attribute 'shop.state'. Member constant names must be unique.",
      "Member with value 'o' (id 'open') is defined more than once on attribute 'shop.state'. Member values must be unique.",
      "Member with value 'o' (id 'opened') is defined more than once on attribute 'shop.state'. Member values must be unique.",
    ]);
    expect(r.findings.map((f) => placed(f, r.dir)).sort()).toEqual([
      'a.yaml:10 "opened"',
      'a.yaml:18 "half.open"',
      'a.yaml:20 "half_open"',
      'a.yaml:8 "open"',
    ]);
  });

  test('metric brief period, metric namespace collision and its exception on either metric', async () => {
    const metrics = (exceptionOn: 'none' | 'parent' | 'child'): string => {
      const exc = '\n    annotations:\n      naming_conventions:\n        policy_exceptions: [metric_namespace_collision]';
      return `file_format: definition/2
metrics:
  - name: shop.queue
    brief: Queue length
    stability: development
    instrument: gauge
    unit: "{item}"${exceptionOn === 'parent' ? exc : ''}
  - name: shop.queue.limit
    brief: "Queue limit.  "
    stability: development
    instrument: gauge
    unit: "{item}"${exceptionOn === 'child' ? exc : ''}
`;
    };
    const r = await policiesOn({ 'm.yaml': metrics('none') }, naming);
    expect(ids(r)).toEqual(['naming_convention_metric_brief_period metric:shop.queue', 'naming_convention_metric_namespace_collision metric:shop.queue']);
    expect(only(r, 'naming_convention_metric_brief_period').finding.context).toEqual({ brief: 'Queue length' });
    expect(only(r, 'naming_convention_metric_namespace_collision').finding.context).toEqual({ colliding_metric_name: 'shop.queue.limit' });
    for (const side of ['parent', 'child'] as const) {
      expect(ids(await policiesOn({ 'm.yaml': metrics(side) }, naming))).toEqual(['naming_convention_metric_brief_period metric:shop.queue']);
    }
  });

  test('name formats: attributes, namespaces, members, metrics, events, entities', async () => {
    const r = await policiesOn(
      {
        'a.yaml': `file_format: definition/2
attributes:
  - key: Shop.Bad
    type: string
    stability: development
    brief: Bad.
  - key: lonely
    type: string
    stability: development
    brief: No namespace.
  - key: legacy
    type: string
    stability: development
    brief: Old, no namespace, but deprecated.
    deprecated:
      reason: obsoleted
  - key: shop.kind
    stability: development
    brief: Kind.
    type:
      members:
        - id: Big
          value: big
metrics:
  - name: shop..orders
    brief: Orders.
    stability: development
    instrument: counter
    unit: "1"
events:
  - name: shop.Placed
    stability: development
    brief: Placed.
entities:
  - type: Shop
    stability: development
    brief: Shop.
    identity:
      - ref: lonely
`,
      },
      naming,
    );
    expect(ids(r)).toEqual([
      'naming_convention_attribute_name_format -:-',
      'naming_convention_attribute_name_namespace -:-',
      'naming_convention_attribute_name_namespace -:-',
      'naming_convention_entity_type_format entity:Shop',
      'naming_convention_enum_id -:-',
      'naming_convention_event_name_format event:shop.Placed',
      'naming_convention_metric_name_format metric:shop..orders',
    ]);
    expect(only(r, 'naming_convention_enum_id').finding.context).toEqual({ attribute: 'shop.kind', member_id: 'Big' });
    expect(r.findings.filter((f) => f.finding.id === 'naming_convention_attribute_name_namespace').map((f) => f.finding.context.attribute_key).sort()).toEqual([
      'Shop.Bad',
      'lonely',
    ]);
  });
});
