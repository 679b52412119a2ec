import { afterEach, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { policyRegistryFromLoaded } from '../../../src/core/semconv/policies';
import { removeTempRegistries } from './helpers';
import { tempRegistry } from '../semconv/helpers';

afterEach(removeTempRegistries);

async function inputOf(files: Record<string, string>) {
  return policyRegistryFromLoaded(await loadRegistry(await tempRegistry(files)));
}

describe('the policy input built from the loaded model', () => {
  test('v1: prefixes, extends with local overrides, ref overrides, refinements and weaver names', async () => {
    const input = await inputOf({
      'r.yaml': `groups:
  - id: registry.shop
    type: attribute_group
    prefix: shop
    brief: Shop.
    attributes:
      - id: id
        type: string
        stability: stable
        brief: Id.
      - id: region
        type: string
        stability: experimental
        brief: Region.
  - id: shop.common
    type: attribute_group
    brief: Common.
    attributes:
      - ref: shop.id
        requirement_level: required
      - ref: shop.region
  - id: span.shop.checkout
    type: span
    extends: shop.common
    span_kind: server
    stability: stable
    brief: Checkout.
    attributes:
      - ref: shop.region
        requirement_level: opt_in
        stability: stable
  - id: span.shop.checkout.refined
    type: span
    extends: span.shop.checkout
    span_kind: server
    stability: stable
    brief: A refinement.
  - id: entity.entity.shop
    type: entity
    name: shop
    brief: Shop.
    attributes:
      - ref: shop.id
        role: identifying
`,
    });
    expect(input.attributes.map((a) => [a.key, a.stability])).toEqual([
      ['shop.id', 'stable'],
      // `experimental` is weaver's legacy spelling of `development`.
      ['shop.region', 'development'],
    ]);
    expect(input.spans.map((s) => s.name)).toEqual(['shop.checkout']);
    expect(input.spans[0]!.attributes.map((a) => [a.key, a.requirementLevel, a.stability])).toEqual([
      ['shop.id', 'required', 'stable'],
      ['shop.region', 'opt_in', 'stable'],
    ]);
    expect(input.refinements.map((r) => [r.signalType, r.id])).toEqual([['span', 'shop.checkout.refined']]);
    // Weaver strips every leading `entity.`; a group without stability reads as `alpha`.
    expect(input.entities.map((e) => [e.name, e.stability, e.identity.map((a) => a.key)])).toEqual([['shop', 'alpha', ['shop.id']]]);
  });

  test('v2: ref_group to an internal group, entity identity and description, public groups only', async () => {
    const input = await inputOf({
      'r.yaml': `file_format: definition/2
attributes:
  - key: shop.id
    type: string
    stability: stable
    brief: Id.
  - key: shop.region
    type: string
    stability: development
    brief: Region.
    deprecated:
      reason: renamed
      renamed_to: shop.area
attribute_groups:
  - id: shop.internal
    visibility: internal
    attributes:
      - ref: shop.region
        requirement_level: recommended
  - id: shop.public
    visibility: public
    stability: stable
    brief: Public.
    attributes:
      - ref: shop.id
metrics:
  - name: shop.orders
    brief: Orders.
    stability: stable
    instrument: counter
    unit: "{order}"
    attributes:
      - ref_group: shop.internal
      - ref: shop.id
entities:
  - type: shop
    stability: stable
    brief: Shop.
    identity:
      - ref: shop.id
    description:
      - ref: shop.region
`,
    });
    expect(input.attributeGroups.map((g) => g.name)).toEqual(['shop.public']);
    expect(input.metrics[0]!.attributes.map((a) => a.key)).toEqual(['shop.region', 'shop.id']);
    expect(input.entities[0]!.identity.map((a) => a.key)).toEqual(['shop.id']);
    expect(input.entities[0]!.description.map((a) => a.key)).toEqual(['shop.region']);
    expect(input.attributes.find((a) => a.key === 'shop.region')!.deprecated).toMatchObject({ reason: 'renamed', renamedTo: 'shop.area' });
  });
});
