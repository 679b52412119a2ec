import { afterEach, describe, expect, test } from 'vitest';
import { attr, group, removeTree, resolveDir, writeTree } from './helpers';

let root = '';
afterEach(async () => {
  if (root) await removeTree(root);
  root = '';
});

const V2 = `file_format: definition/2
attributes:
  - key: net.peer
    type: string
    brief: Peer.
    stability: stable
  - key: net.port
    type: int
    brief: Port.
    stability: experimental
attribute_groups:
  - id: net.common
    visibility: internal
    attributes:
      - ref: net.peer
        requirement_level: required
spans:
  - type: net.call
    kind: client
    brief: A call.
    stability: stable
    name:
      note: call
    attributes:
      - ref_group: net.common
      - ref: net.port
span_refinements:
  - id: net.call.refined
    ref: net.call
    brief: Refined call.
    attributes:
      - ref: net.port
        brief: Refined port.
entities:
  - type: host
    brief: A host.
    stability: stable
    identity:
      - ref: net.peer
    description:
      - ref: net.port
`;

describe('v2 files', () => {
  test('become weaver groups: synthetic attribute group, span.<type>, ref_group, refinements, roles', async () => {
    root = await writeTree({ 'model/net.yaml': V2 });
    const result = await resolveDir(root);
    expect(result.errors).toEqual([]);
    const ids = result.registry?.groups.map((g) => g.id);
    // the internal attribute group resolves but is not emitted
    expect(ids).toEqual(['entity.host', 'net.call.refined', 'registry.model.net', 'span.net.call']);
    expect(group(result, 'registry.model.net').fields.brief).toBe('<synthetic v2>');

    const span = group(result, 'span.net.call');
    expect(span.fields).toMatchObject({ span_kind: 'client', name: 'net.call', stability: 'stable' });
    expect(attr(span, 'net.peer').requirement_level).toBe('required'); // through ref_group
    expect(attr(span, 'net.port').stability).toBe('development');

    const refined = group(result, 'net.call.refined');
    expect(refined.lineage.extends_group).toBe('span.net.call');
    expect(attr(refined, 'net.port').brief).toBe('Refined port.');
    expect(attr(refined, 'net.peer').requirement_level).toBe('required');

    const host = group(result, 'entity.host');
    expect(attr(host, 'net.peer').role).toBe('identifying');
    expect(attr(host, 'net.port').role).toBe('descriptive');
  });

  test('a ref_group naming no group is UnresolvedGroupRef at the ref_group value', async () => {
    root = await writeTree({ 'model/net.yaml': V2.replace('- ref_group: net.common', '- ref_group: net.nowhere') });
    const result = await resolveDir(root);
    expect(result.errors.map((e) => e.kind)).toEqual(['UnresolvedGroupRef', 'UnresolvedExtendsRef']);
    const [refGroup] = result.errors;
    expect(refGroup?.fields).toMatchObject({ group_id: 'span.net.call', group_ref: 'net.nowhere' });
    expect(refGroup?.location.range.start.line).toBe(24);
    // the refinement of that span cannot resolve either, and says why
    expect(result.errors[1]?.message).toContain("itself unresolved");
  });
});
