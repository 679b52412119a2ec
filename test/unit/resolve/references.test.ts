import { afterEach, describe, expect, test } from 'vitest';
import { attr, group, removeTree, resolveDir, writeTree } from './helpers';

const REGISTRY = `groups:
  - id: registry.http
    type: attribute_group
    brief: HTTP attributes.
    attributes:
      - id: http.method
        type: string
        stability: experimental
        brief: The method.
        note: A note.
        examples: ["GET"]
      - id: http.status
        type: int
        brief: The status.
        deprecated: Use something else.
      - id: http.kind
        brief: Kind.
        stability: stable
        type:
          members:
            - id: a
              value: a
              stability: experimental
`;

let root = '';
afterEach(async () => {
  if (root) await removeTree(root);
  root = '';
});

describe('attribute references', () => {
  test('a ref inherits the root fields it does not set and overrides the ones it sets, with lineage', async () => {
    root = await writeTree({
      'registry.yaml': REGISTRY,
      'spans.yaml': `groups:
  - id: span.http
    type: span
    span_kind: client
    brief: A span.
    attributes:
      - ref: http.method
        requirement_level: required
        brief: Overridden brief.
      - ref: http.status
`,
    });
    const result = await resolveDir(root);
    expect(result.errors).toEqual([]);
    const span = group(result, 'span.http');
    const method = attr(span, 'http.method');
    expect(method.brief).toBe('Overridden brief.');
    expect(method.requirement_level).toBe('required');
    expect(method.note).toBe('A note.');
    expect(method.examples).toEqual(['GET']);
    // experimental is read as development, as weaver does
    expect(method.stability).toBe('development');
    expect(span.lineage.attributes['http.method']).toEqual({
      source_group: 'registry.http',
      inherited_fields: ['examples', 'note', 'stability'],
      locally_overridden_fields: ['brief', 'requirement_level'],
    });
    const status = attr(span, 'http.status');
    expect(status.deprecated).toEqual({ reason: 'uncategorized', note: 'Use something else.' });
    expect(status.requirement_level).toBe('recommended');
    // Positions: the ref points at its own line and remembers where the attribute is defined.
    expect(method.location.file.endsWith('spans.yaml')).toBe(true);
    expect(method.location.range.start.line).toBe(6);
    expect(method.definition?.file.endsWith('registry.yaml')).toBe(true);
    expect(method.definition?.range.start.line).toBe(5);
  });

  test('enum members are normalised like attributes', async () => {
    root = await writeTree({ 'registry.yaml': REGISTRY });
    const result = await resolveDir(root);
    const kind = attr(group(result, 'registry.http'), 'http.kind');
    expect(kind.type).toEqual({ members: [{ id: 'a', value: 'a', stability: 'development' }] });
  });

  test('a ref to a missing attribute is UnresolvedAttributeRef at the ref, with weaver fields', async () => {
    root = await writeTree({
      'registry.yaml': REGISTRY,
      'spans.yaml': `groups:
  - id: span.bad
    type: span
    brief: A span.
    attributes:
      - ref: http.nope
`,
    });
    const result = await resolveDir(root);
    expect(result.registry).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error?.kind).toBe('UnresolvedAttributeRef');
    expect(error?.fields).toEqual({ group_id: 'span.bad', attribute_ref: 'http.nope', provenance: { schema_url: 'https://default/0.1.0', path: 'spans.yaml' } });
    expect(error?.location.range.start).toEqual({ line: 5, character: 13 });
  });

  test('prefix: ids take the group prefix; a ref with prefix: true creates a referenceable attribute', async () => {
    root = await writeTree({
      'geo.yaml': `groups:
  - id: registry.geo
    type: attribute_group
    prefix: geo
    brief: Geo.
    attributes:
      - id: lat
        type: double
        brief: Latitude.
`,
      'client.yaml': `groups:
  - id: registry.client
    type: attribute_group
    prefix: client
    brief: Client.
    attributes:
      - ref: geo.lat
        prefix: true
        brief: Client latitude.
  - id: usage
    type: attribute_group
    brief: Usage.
    attributes:
      - ref: client.geo.lat
`,
    });
    const result = await resolveDir(root);
    expect(result.errors).toEqual([]);
    expect(attr(group(result, 'registry.geo'), 'geo.lat').brief).toBe('Latitude.');
    const prefixed = attr(group(result, 'registry.client'), 'client.geo.lat');
    expect(prefixed.prefix).toBe(true);
    expect(prefixed.brief).toBe('Client latitude.');
    const usage = group(result, 'usage');
    expect(attr(usage, 'client.geo.lat').brief).toBe('Client latitude.');
    expect(usage.lineage.attributes['client.geo.lat']?.source_group).toBe('registry.client');
  });
});
