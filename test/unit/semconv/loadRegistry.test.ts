import { join, relative } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { fileModel } from '../../../src/core/semconv/model';
import { ParseCache } from '../../../src/core/semconv/parseCache';
import { fixtures, removeTempRegistries, tempRegistry } from './helpers';

afterEach(removeTempRegistries);

const V1 = `groups:
  - id: registry.a
    type: attribute_group
    brief: A.
    attributes:
      - id: a.one
        type: int
        stability: stable
        brief: One.
`;

describe('loadRegistry', () => {
  test('loads v1 and v2 files recursively with the manifest, and classifies the rest', async () => {
    const registry = await loadRegistry(fixtures('mixed'));
    const files = registry.files.map((f) => [relative(registry.root, f.path), f.kind]);
    expect(files).toEqual([
      ['docker-compose.yaml', 'other'],
      ['shop/registry-v1.yaml', 'v1'],
      ['shop/registry-v2.yaml', 'v2'],
      ['shop/signals-v2.yaml', 'v2'],
      ['shop/spans-v1.yaml', 'v1'],
    ]);
    expect(registry.manifest?.path).toBe(fixtures('mixed', 'manifest.yaml'));
    expect(registry.manifest?.kind).toBe('manifest');
  });

  test('skips template sets, policies, weaver.yaml, hidden folders and nested registries', async () => {
    const dir = await tempRegistry({
      'manifest.yaml': 'schema_url: https://example.com/r/1.0.0\n',
      'a.yml': V1,
      'templates/md/weaver.yaml': 'templates: []\n',
      'templates/md/data.yaml': 'groups: []\n',
      'policies/rules.yaml': 'groups: []\n',
      'weaver.yaml': 'text_maps: {}\n',
      '.github/workflows/ci.yaml': 'on: push\n',
      'vendor/registry_manifest.yaml': 'schema_url: https://example.com/vendor/1.0.0\n',
      'vendor/v.yaml': 'groups: []\n',
      'out-of-tree/resolved.yaml': 'file_format: resolved/2.0\nregistry: {}\n',
      'compose.yaml': "version: '2'\nservices: {}\n",
    });
    const overlays = new Map([[join(dir, 'vendor/unsaved.yaml'), 'groups: []\n']]);
    const registry = await loadRegistry(dir, { overlays });
    expect(registry.files.map((f) => relative(dir, f.path))).toEqual(['a.yml', 'compose.yaml', 'out-of-tree/resolved.yaml']);
    expect(registry.files.map((f) => f.kind)).toEqual(['v1', 'other', 'other']);
    expect(registry.manifest?.path).toBe(join(dir, 'manifest.yaml'));
  });

  test('keeps exact source positions of definitions (0-based, UTF-16 columns)', async () => {
    const dir = await tempRegistry({ 'a.yaml': V1, 'b.yaml': V1.replace('a.one', 'é.ünïcödé').replace('registry.a', 'registry.b') });
    const [a, b] = (await loadRegistry(dir)).files;
    expect(fileModel(a!).attributes[0]!.range).toEqual({ start: { line: 5, character: 12 }, end: { line: 5, character: 17 } });
    expect(fileModel(a!).groups[0]!.range).toEqual({ start: { line: 1, character: 8 }, end: { line: 1, character: 18 } });
    expect(fileModel(b!).attributes[0]!.range).toEqual({ start: { line: 5, character: 12 }, end: { line: 5, character: 21 } });
  });

  test('overlays win over the disk, and an overlay-only file joins the registry', async () => {
    const dir = await tempRegistry({ 'a.yaml': V1 });
    const edited = V1.replace('a.one', 'a.uno');
    const overlays = new Map([
      [join(dir, 'a.yaml'), edited],
      [join(dir, 'new/b.yaml'), 'file_format: definition/2\n'],
      [join(dir, '..', 'elsewhere.yaml'), 'groups: []\n'],
    ]);
    const registry = await loadRegistry(dir, { overlays });
    expect(registry.files.map((f) => relative(dir, f.path))).toEqual(['a.yaml', 'new/b.yaml']);
    expect(registry.files[0]!.text).toBe(edited);
    expect(registry.files[1]!.kind).toBe('v2');
  });

  test('parses each file once per content: loading again reuses every unchanged parse', async () => {
    const cache = new ParseCache();
    const dir = fixtures('mixed');
    await loadRegistry(dir, { cache });
    const afterFirst = cache.parseCount;
    expect(afterFirst).toBe(6); // five files and the manifest
    await loadRegistry(dir, { cache });
    expect(cache.parseCount).toBe(afterFirst);
    const path = join(dir, 'shop/spans-v1.yaml');
    await loadRegistry(dir, { cache, overlays: new Map([[path, '# edited\ngroups: []\n']]) });
    expect(cache.parseCount).toBe(afterFirst + 1);
  });

  test('loads a local dependency and marks remote or missing ones unavailable', async () => {
    const withLocal = await loadRegistry(fixtures('depends-on-mixed'));
    expect(withLocal.dependencies).toHaveLength(1);
    expect(withLocal.dependencies[0]!.registry?.root).toBe(fixtures('mixed'));

    const dir = await tempRegistry({
      'registry_manifest.yaml': [
        'schema_url: https://example.com/r/1.0.0',
        'dependencies:',
        '  - schema_url: https://opentelemetry.io/schemas/1.37.0',
        '  - schema_url: https://example.com/x/1.0.0',
        '    registry_path: https://github.com/open-telemetry/semantic-conventions.git[model]',
        '  - name: gone',
        '    registry_path: ./not-here',
        '',
      ].join('\n'),
    });
    const reasons = (await loadRegistry(dir)).dependencies.map((d) => d.unavailable?.reason);
    expect(reasons).toEqual(['remote', 'remote', 'not-found']);
  });
});
