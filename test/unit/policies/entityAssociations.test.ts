import { afterEach, expect, test } from 'vitest';
import { ids, only, placed, policiesOn, removeTempRegistries } from './helpers';

afterEach(removeTempRegistries);

test('v1 entity groups are known by their id without `entity.`; unknown associations are reported where written', async () => {
  const r = await policiesOn(
    {
      'r.yaml': `groups:
  - id: registry.host
    type: attribute_group
    brief: Host.
    attributes:
      - id: host.id
        type: string
        stability: development
        brief: Id.
  - id: entity.host
    type: entity
    name: host
    stability: development
    brief: A host.
    attributes:
      - ref: host.id
        role: identifying
  - id: metric.host.uptime
    type: metric
    metric_name: host.uptime
    instrument: gauge
    unit: s
    stability: development
    brief: Uptime.
    entity_associations:
      - host
      - hots
`,
    },
    { packages: ['entity_associations'] },
  );
  expect(ids(r)).toEqual(['entity_association_unknown_entity metric:host.uptime']);
  const f = only(r, 'entity_association_unknown_entity');
  expect(f.finding.message).toBe("Unknown entity 'hots' associated with metric 'host.uptime'");
  expect(placed(f, r.dir)).toBe('r.yaml:27 "hots"');
});
