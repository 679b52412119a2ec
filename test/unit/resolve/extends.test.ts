import { afterEach, describe, expect, test } from 'vitest';
import { attr, group, removeTree, resolveDir, writeTree } from './helpers';

let root = '';
afterEach(async () => {
  if (root) await removeTree(root);
  root = '';
});

const BASE = `groups:
  - id: registry.db
    type: attribute_group
    brief: DB.
    attributes:
      - id: db.name
        type: string
        brief: Name.
        stability: stable
      - id: db.system
        type: string
        brief: System.
`;

describe('extends', () => {
  test('is transitive; a child ref is laid over the parent ref; lineage names the parent for inherited definitions', async () => {
    root = await writeTree({
      'base.yaml': BASE,
      'spans.yaml': `groups:
  - id: top
    type: span
    brief: Top.
    extends: middle
    attributes:
      - ref: db.name
        brief: Top brief.
  - id: middle
    type: span
    brief: Middle.
    extends: bottom
    attributes:
      - ref: db.name
        requirement_level: required
  - id: bottom
    type: span
    brief: Bottom.
    attributes:
      - id: local.one
        type: int
        brief: One.
`,
    });
    const result = await resolveDir(root);
    expect(result.errors).toEqual([]);
    const top = group(result, 'top');
    expect(top.attributes.map((a) => a.name).sort()).toEqual(['db.name', 'local.one']);
    const name = attr(top, 'db.name');
    // brief from the child, requirement level from the parent's ref, the rest from the root
    expect(name.brief).toBe('Top brief.');
    expect(name.requirement_level).toBe('required');
    expect(name.stability).toBe('stable');
    expect(top.lineage.extends_group).toBe('middle');
    expect(top.lineage.attributes['db.name']).toEqual({
      source_group: 'registry.db',
      inherited_fields: ['note', 'stability'],
      locally_overridden_fields: ['brief', 'requirement_level'],
    });
    // local.one is defined in bottom: middle records bottom, top records middle
    expect(group(result, 'middle').lineage.attributes['local.one']?.source_group).toBe('bottom');
    expect(top.lineage.attributes['local.one']).toEqual({ source_group: 'middle', inherited_fields: ['brief', 'note', 'requirement_level'], locally_overridden_fields: [] });
  });

  test('an extends cycle and a missing parent are UnresolvedExtendsRef errors placed on the group', async () => {
    root = await writeTree({
      'groups.yaml': `groups:
  - id: a
    type: attribute_group
    brief: A.
    extends: b
  - id: b
    type: attribute_group
    brief: B.
    extends: a
  - id: c
    type: attribute_group
    brief: C.
    extends: nowhere
`,
    });
    const result = await resolveDir(root);
    expect(result.registry).toBeUndefined();
    const byGroup = Object.fromEntries(result.errors.map((e) => [e.fields.group_id as string, e]));
    expect(Object.keys(byGroup).sort()).toEqual(['a', 'b', 'c']);
    expect(result.errors.every((e) => e.kind === 'UnresolvedExtendsRef')).toBe(true);
    expect(byGroup.a?.fields.extends_ref).toBe('b');
    expect(byGroup.a?.message).toContain('cycle');
    expect(byGroup.c?.message).toContain('does not exist');
    // the `extends: nowhere` line
    expect(byGroup.c?.location.range.start.line).toBe(12);
  });

  test('constraints include copies the included group attributes', async () => {
    root = await writeTree({
      'base.yaml': BASE,
      'groups.yaml': `groups:
  - id: with.include
    type: span
    brief: Includes.
    constraints:
      - include: registry.db
`,
    });
    const result = await resolveDir(root);
    expect(result.errors).toEqual([]);
    expect(group(result, 'with.include').attributes.map((a) => a.name).sort()).toEqual(['db.name', 'db.system']);
  });
});

describe('duplicates', () => {
  test('DuplicateGroupId, DuplicateAttributeId and DuplicateMetricName with weaver fields', async () => {
    root = await writeTree({
      'a.yaml': `groups:
  - id: registry.x
    type: attribute_group
    brief: X.
    attributes:
      - id: x.one
        type: string
        brief: One.
  - id: metric.x
    type: metric
    metric_name: x.count
    instrument: counter
    unit: "1"
    brief: Count.
`,
      'b.yaml': `groups:
  - id: registry.x
    type: attribute_group
    brief: X again.
  - id: registry.y
    type: attribute_group
    brief: Y.
    attributes:
      - id: x.one
        type: string
        brief: One again.
  - id: metric.y
    type: metric
    metric_name: x.count
    instrument: counter
    unit: "1"
    brief: Count again.
`,
    });
    const result = await resolveDir(root);
    const kinds = result.errors.map((e) => e.kind).sort();
    expect(kinds).toEqual(['DuplicateAttributeId', 'DuplicateGroupId', 'DuplicateMetricName']);
    const dupGroup = result.errors.find((e) => e.kind === 'DuplicateGroupId');
    expect(dupGroup?.fields).toEqual({
      group_id: 'registry.x',
      provenances: [
        { schema_url: 'https://default/0.1.0', path: 'a.yaml' },
        { schema_url: 'https://default/0.1.0', path: 'b.yaml' },
      ],
    });
    expect(dupGroup?.location.file.endsWith('b.yaml')).toBe(true);
    expect(result.errors.find((e) => e.kind === 'DuplicateAttributeId')?.fields).toEqual({ group_ids: ['registry.x', 'registry.y'], attribute_id: 'x.one' });
    expect(result.errors.find((e) => e.kind === 'DuplicateMetricName')?.fields.metric_name).toBe('x.count');
  });
});

describe('dependencies', () => {
  test('refs and extends resolve against a local dependency; only the main registry groups are emitted', async () => {
    root = await writeTree({
      'dep/registry_manifest.yaml': 'name: dep\nschema_url: https://dep.example/1.0.0\n',
      'dep/attrs.yaml': BASE,
      // Weaver (0.25.1+) requires a dependency's schema_url when the manifest has one (InvalidRegistryManifest otherwise).
      'main/registry_manifest.yaml': 'name: main\nschema_url: https://main.example/1.0.0\ndependencies:\n  - schema_url: https://dep.example/1.0.0\n    registry_path: ../dep\n',
      'main/spans.yaml': `groups:
  - id: span.main
    type: span
    brief: Main.
    extends: registry.db
    attributes:
      - ref: db.name
        requirement_level: opt_in
`,
    });
    const result = await resolveDir(`${root}/main`, root);
    expect(result.errors).toEqual([]);
    expect(result.registry?.groups.map((g) => g.id)).toEqual(['span.main']);
    const main = group(result, 'span.main');
    expect(main.lineage.provenance).toEqual({ schema_url: 'https://main.example/1.0.0', path: 'main/spans.yaml' });
    expect(attr(main, 'db.name').requirement_level).toBe('opt_in');
    expect(attr(main, 'db.system').brief).toBe('System.');
  });
});
