import { afterEach, describe, expect, test } from 'vitest';
import { ids, only, placed, policiesOn, removeTempRegistries } from './helpers';

afterEach(removeTempRegistries);

const stability = { packages: ['stability' as const] };

const registryV1 = `groups:
  - id: registry.shop
    type: attribute_group
    brief: Shop.
    attributes:
      - id: shop.id
        type: string
        stability: stable
        brief: Id.
      - id: shop.region
        type: string
        stability: development
        brief: Region.
      - id: shop.tier
        type: string
        stability: beta
        brief: Tier.
`;

describe('stability: lower-stability attributes', () => {
  test('a v1 metric inherits attributes through extends; opt_in (plain or with text) is allowed', async () => {
    const r = await policiesOn(
      {
        'registry.yaml': registryV1,
        'metrics.yaml': `groups:
  - id: metric_attributes.shop
    type: attribute_group
    brief: Shared.
    attributes:
      - ref: shop.region
        requirement_level: recommended
      - ref: shop.tier
        requirement_level:
          opt_in: only when asked
  - id: metric.shop.orders
    type: metric
    metric_name: shop.orders
    extends: metric_attributes.shop
    instrument: counter
    unit: "{order}"
    stability: stable
    brief: Orders.
    attributes:
      - ref: shop.id
        requirement_level: required
`,
      },
      stability,
    );
    const f = only(r, 'stability_metric_lower_stability_attribute');
    expect(f.finding).toMatchObject({
      signal_type: 'metric',
      signal_name: 'shop.orders',
      context: { attribute_key: 'shop.region', attribute_stability: 'development', signal_stability: 'stable' },
    });
    // Placed where the inherited ref is written, in the parent group.
    expect(placed(f, r.dir)).toBe('metrics.yaml:6 "shop.region"');
  });

  test('ranks: a beta span may use a beta attribute but not a development one; a ref may override stability', async () => {
    const r = await policiesOn(
      {
        'registry.yaml': registryV1,
        'spans.yaml': `groups:
  - id: span.shop.checkout
    type: span
    span_kind: server
    stability: beta
    brief: Checkout.
    attributes:
      - ref: shop.tier
      - ref: shop.region
  - id: span.shop.pay
    type: span
    span_kind: client
    stability: beta
    brief: Pay.
    attributes:
      - ref: shop.region
        stability: beta
`,
      },
      stability,
    );
    expect(ids(r)).toEqual(['stability_span_lower_stability_attribute span:shop.checkout']);
    expect(only(r, 'stability_span_lower_stability_attribute').finding.message).toBe(
      "span 'shop.checkout' has stability 'beta' which is higher than the stability 'development' of attribute 'shop.region'; lower-stability attributes are only allowed at 'opt_in' requirement level",
    );
  });

  test('the policy exception of the signal kind silences it; another kind does not', async () => {
    const entity = (exception: string): string => `groups:
  - id: entity.shop
    type: entity
    name: shop
    stability: stable
    brief: A shop.
    annotations:
      stability:
        policy_exceptions: [${exception}]
    attributes:
      - ref: shop.id
        role: identifying
      - ref: shop.region
        role: descriptive
`;
    const flagged = await policiesOn({ 'registry.yaml': registryV1, 'e.yaml': entity('metric_lower_stability_attribute') }, stability);
    expect(ids(flagged)).toEqual(['stability_entity_lower_stability_attribute entity:shop']);
    const excepted = await policiesOn({ 'registry.yaml': registryV1, 'e.yaml': entity('entity_lower_stability_attribute') }, stability);
    expect(ids(excepted)).toEqual([]);
  });

  test('stable entities need an identity; v1 roles decide identity', async () => {
    const r = await policiesOn(
      {
        'registry.yaml': registryV1,
        'e.yaml': `groups:
  - id: entity.shop
    type: entity
    name: shop
    stability: stable
    brief: A shop.
    attributes:
      - ref: shop.id
        role: descriptive
`,
      },
      stability,
    );
    expect(ids(r)).toEqual(['stability_entity_no_identity entity:shop']);
    expect(placed(only(r, 'stability_entity_no_identity'), r.dir)).toBe('e.yaml:2 "entity.shop"');
  });
});

describe('stability: deprecations', () => {
  test('renamed_to must name a live attribute of a compatible type', async () => {
    const r = await policiesOn(
      {
        'a.yaml': `file_format: definition/2
attributes:
  - key: shop.old_name
    type: string
    stability: development
    brief: Old.
    deprecated:
      reason: renamed
      renamed_to: shop.gone
  - key: shop.old_count
    type: string
    stability: development
    brief: Old count.
    deprecated:
      reason: renamed
      renamed_to: shop.count
  - key: shop.count
    type: int
    stability: development
    brief: Count.
  - key: shop.old_mode
    stability: development
    brief: Old mode.
    type:
      members:
        - id: a
          value: 1
    deprecated:
      reason: renamed
      renamed_to: shop.mode
  - key: shop.mode
    type: string
    stability: development
    brief: Mode.
  - key: shop.fine
    type: string
    stability: development
    brief: Renamed to a string enum, which is fine.
    deprecated:
      reason: renamed
      renamed_to: shop.kind
  - key: shop.kind
    stability: development
    brief: Kind.
    type:
      members:
        - id: big
          value: big
`,
      },
      stability,
    );
    expect(r.findings.map((f) => f.finding.message).sort()).toEqual([
      "Attribute 'shop.old_count' was renamed to 'shop.count', but the new attribute type 'int' is not the same as the old attribute type 'string'.",
      "Attribute 'shop.old_name' was renamed to 'shop.gone', but the new attribute does not exist or is deprecated.",
      "Enum attribute 'shop.old_mode' with int values was renamed to 'shop.mode', but the new attribute type is 'string'.",
    ]);
    const invalid = only(r, 'deprecation_attribute_renamed_to_invalid');
    expect(invalid.finding.context).toEqual({ attribute_key: 'shop.old_name', renamed_to: 'shop.gone' });
    expect(placed(invalid, r.dir)).toBe('a.yaml:9 "shop.gone"');
  });

  test('signals and enum members renamed to deprecated or missing targets', async () => {
    const r = await policiesOn(
      {
        's.yaml': `file_format: definition/2
attributes:
  - key: shop.state
    stability: development
    brief: State.
    type:
      members:
        - id: old
          value: old
          deprecated:
            reason: renamed
            renamed_to: older
        - id: older
          value: older
          deprecated:
            reason: obsoleted
        - id: fine
          value: fine
          deprecated:
            reason: renamed
            renamed_to: new
        - id: new
          value: new
events:
  - name: shop.opened
    stability: development
    brief: Opened.
    deprecated:
      reason: renamed
      renamed_to: shop.open
spans:
  - type: shop.visit
    kind: server
    stability: development
    brief: Visit.
    deprecated:
      reason: renamed
      renamed_to: shop.browse
  - type: shop.browse
    kind: server
    stability: development
    brief: Browse.
`,
      },
      stability,
    );
    expect(ids(r)).toEqual(['deprecation_enum_member_renamed_to_invalid -:-', 'deprecation_event_renamed_to_invalid event:shop.opened']);
    expect(only(r, 'deprecation_event_renamed_to_invalid').finding.context).toEqual({ renamed_to: 'shop.open' });
    expect(only(r, 'deprecation_enum_member_renamed_to_invalid').finding.context).toEqual({ attribute_key: 'shop.state', member_id: 'old', renamed_to: 'older' });
  });
});
