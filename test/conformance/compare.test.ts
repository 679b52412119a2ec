import { describe, expect, test } from 'vitest';
import { compareAsSets, compareResolved, flattenErrors } from './compare';

describe('conformance comparison', () => {
  const catalog = [
    { name: 'a', type: 'string', brief: 'A', requirement_level: 'recommended' },
    { name: 'b', type: 'int', brief: 'B', requirement_level: 'recommended' },
  ];
  const registry = { registry_url: 'u', groups: [{ id: 'g', type: 'attribute_group', brief: 'G', attributes: [0, 1], lineage: { provenance: { path: 'p' } } }] };

  test('catalog numbering does not matter, attribute content does', () => {
    const renumbered = { registry_url: 'u', groups: [{ ...registry.groups[0], attributes: [1, 0] }] };
    expect(compareResolved({ registry, catalog }, { registry: renumbered, catalog: [catalog[1], catalog[0]] })).toBeUndefined();
    const changed = [catalog[0], { ...catalog[1], brief: 'other' }];
    expect(compareResolved({ registry, catalog }, { registry, catalog: changed })).toEqual({ path: '$.groups[id=g].attributes.b.brief', expected: 'B', actual: 'other' });
  });

  test('lineage and missing groups are differences', () => {
    const noLineage = { registry_url: 'u', groups: [{ ...registry.groups[0], lineage: { provenance: { path: 'q' } } }] };
    expect(compareResolved({ registry, catalog }, { registry: noLineage, catalog })?.path).toBe('$.groups[id=g].lineage.provenance.path');
    expect(compareResolved({ registry, catalog }, { registry: { registry_url: 'u', groups: [] }, catalog })?.path).toBe('$.groups[id=g]');
  });

  test('errors compare as sets, arrays inside them as sets, CompoundError flattened', () => {
    const expected = flattenErrors({ CompoundError: [{ X: { ids: ['a', 'b'] } }, { Y: {} }] });
    expect(compareAsSets(expected, [{ Y: {} }, { X: { ids: ['b', 'a'] } }], 'errors')).toBeUndefined();
    expect(compareAsSets(expected, [{ Y: {} }], 'errors')?.expected).toEqual({ X: { ids: ['a', 'b'] } });
    expect(compareAsSets(expected, [...expected, { Z: {} }], 'errors')?.actual).toEqual({ Z: {} });
  });
});
