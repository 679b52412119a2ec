import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkRegistry } from '../../../src/core/semconv/checkRegistry';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import type { ResolveError } from '../../../src/core/semconv/resolve/errors';
import { errorsToWeaverJson } from '../../../src/core/semconv/resolve/errors';
import { resolveRegistry, type ResolveResult } from '../../../src/core/semconv/resolve/resolveRegistry';
import type { SourceLocation } from '../../../src/core/semconv/resolved/types';
import { parseSchemaUrl, parseSemver } from '../../../src/core/semconv/schemaUrl';
import { shared, textAt } from '../semconv/helpers';
import { removeTree, writeTree } from './helpers';

/** Weaver's loader errors: manifests and the dependency graph, each at the YAML node that causes it. */

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map(removeTree));
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await writeTree(files);
  roots.push(root);
  return root;
}

async function resolveIn(root: string, registry: string): Promise<ResolveResult> {
  const loaded = await loadRegistry(join(root, registry));
  return resolveRegistry(loaded, { provenancePath: (p) => relative(root, p) });
}

function at(location: SourceLocation): string {
  return textAt(readFileSync(location.file, 'utf8'), location.range);
}

function only(result: ResolveResult): ResolveError {
  expect(result.errors).toHaveLength(1);
  expect(result.registry).toBeUndefined();
  return result.errors[0] as ResolveError;
}

const SPAN = `groups:
  - id: registry.x
    type: attribute_group
    brief: X.
    attributes:
      - id: x.name
        type: string
        brief: A name.
        stability: stable
        examples: ['a']
`;

function manifest(url: string, deps: Array<[string, string]> = []): string {
  const lines = [`schema_url: ${url}`];
  if (deps.length > 0) {
    lines.push('dependencies:');
    for (const [depUrl, path] of deps) lines.push(`  - schema_url: ${depUrl}`, `    registry_path: ${path}`);
  }
  return lines.join('\n') + '\n';
}

describe('dependency graph', () => {
  test('a registry depending on itself through another is CircularDependency, named by schema URL', async () => {
    const root = await tree({
      'a/manifest.yaml': manifest('https://example.com/a/1.0.0', [['https://example.com/b/1.0.0', '../b']]),
      'a/a.yaml': SPAN,
      'b/manifest.yaml': manifest('https://example.com/b/1.0.0', [['https://example.com/a/1.0.0', '../a']]),
    });
    const error = only(await resolveIn(root, 'a'));
    expect(errorsToWeaverJson([error])).toEqual({
      CircularDependency: { registry_name: 'example.com/a', chain: 'example.com/a → example.com/b → example.com/a' },
    });
    // In the registry checked: its dependency on b; the edge that closes the cycle is related.
    expect(error.location.file).toBe(join(root, 'a/manifest.yaml'));
    expect(at(error.location)).toBe('https://example.com/b/1.0.0');
    expect(error.related?.map((l) => [relative(root, l.file), at(l)])).toEqual([['b/manifest.yaml', 'https://example.com/a/1.0.0']]);

    // `registry check` reports it under weaver's name, kebab-cased, at the same place.
    const check = checkRegistry(await loadRegistry(join(root, 'a')));
    const found = check.diagnostics.filter((d) => d.code === 'circular-dependency');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ file: join(root, 'a/manifest.yaml'), severity: 'error', range: error.location.range });
  });

  test("weaver's own circular fixture gives weaver's chain", async () => {
    const base = shared('conformance/weaver-resolver');
    const loaded = await loadRegistry(join(base, 'circular-registry-test/registry_a'), {
      resolveDependencyPath: (p) => (p.startsWith('data/') ? join(base, p.slice('data/'.length)) : undefined),
    });
    const error = only(resolveRegistry(loaded));
    expect(error.kind).toBe('CircularDependency');
    expect(error.fields).toEqual({
      registry_name: 'example.com/registry_a/schemas',
      chain: 'example.com/registry_a/schemas → example.com/registry_b/schemas → example.com/registry_a/schemas',
    });
    expect(at(error.location)).toBe('https://example.com/registry_b/schemas/1.0.0');
  });

  test('a chain of more than 10 registries is MaximumDependencyDepth, named by the registry_path as written', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i <= 10; i++) {
      files[`r${i}/manifest.yaml`] = manifest(`https://example.com/r${i}/1.0.0`, i < 10 ? [[`https://example.com/r${i + 1}/1.0.0`, `../r${i + 1}`]] : []);
    }
    const root = await tree(files);
    const error = only(await resolveIn(root, 'r0'));
    expect(errorsToWeaverJson([error])).toEqual({ MaximumDependencyDepth: { registry_name: '../r10' } });
    expect(relative(root, error.location.file)).toBe('r0/manifest.yaml');
    expect(at(error.location)).toBe('https://example.com/r1/1.0.0');
    expect(error.related?.map((l) => [relative(root, l.file), at(l)])).toEqual([['r9/manifest.yaml', 'https://example.com/r10/1.0.0']]);

    // Ten levels are allowed.
    expect((await resolveIn(root, 'r1')).errors).toEqual([]);
  });

  test('two direct dependencies on one registry with different majors is DuplicateDependency', async () => {
    const root = await tree({
      'main/manifest.yaml': manifest('https://example.com/main/1.0.0', [
        ['https://example.com/dep/1.0.0', '../dep1'],
        ['https://example.com/dep/2.0.0', '../dep2'],
      ]),
      'dep1/manifest.yaml': manifest('https://example.com/dep/1.0.0'),
      'dep2/manifest.yaml': manifest('https://example.com/dep/2.0.0'),
    });
    const error = only(await resolveIn(root, 'main'));
    expect(errorsToWeaverJson([error])).toEqual({ DuplicateDependency: { name: 'example.com/dep', version1: '1.0.0', version2: '2.0.0' } });
    expect(at(error.location)).toBe('https://example.com/dep/2.0.0');
    expect(error.related?.map(at)).toEqual(['https://example.com/dep/1.0.0']);
  });

  test("weaver's incompatible-version-conflict fixture: the conflict two levels down is placed on the root's dependency", async () => {
    const base = shared('conformance/weaver-resolver');
    const loaded = await loadRegistry(join(base, 'incompatible-version-conflict/main'), {
      resolveDependencyPath: (p) => (p.startsWith('data/') ? join(base, p.slice('data/'.length)) : undefined),
    });
    const error = only(resolveRegistry(loaded));
    expect(errorsToWeaverJson([error])).toEqual({ DuplicateDependency: { name: 'example.com/c', version1: '1.0.0', version2: '2.0.0' } });
    expect(relative(base, error.location.file)).toBe('incompatible-version-conflict/main/registry_manifest.yaml');
    expect(at(error.location)).toBe('https://example.com/b/0.1.0');
  });

  test('two versions that are not semver cannot be compared: InvalidSchemaUrlBadVersion', async () => {
    const root = await tree({
      'main/manifest.yaml': manifest('http://test/main/1.0.0', [
        ['http://test/dep/v1', '../dep1'],
        ['http://test/dep/v2', '../dep2'],
      ]),
      'dep1/manifest.yaml': manifest('http://test/dep/v1'),
      'dep2/manifest.yaml': manifest('http://test/dep/v2'),
    });
    const error = only(await resolveIn(root, 'main'));
    expect(errorsToWeaverJson([error])).toEqual({
      InvalidSchemaUrlBadVersion: { url: 'http://test/dep/v1', error: 'unexpected end of input while parsing major version number' },
    });
    expect(at(error.location)).toBe('http://test/dep/v2');
  });

  test('no false alarm: several dependencies, compatible versions of one registry, a diamond', async () => {
    const root = await tree({
      'main/manifest.yaml': manifest('https://example.com/main/1.0.0', [
        ['https://example.com/a/1.0.0', '../a'],
        ['https://example.com/b/1.0.0', '../b'],
      ]),
      'main/main.yaml': SPAN.replace(/registry\.x/g, 'registry.main').replace(/x\.name/g, 'main.name'),
      'a/manifest.yaml': manifest('https://example.com/a/1.0.0', [['https://example.com/c/1.2.0', '../c12']]),
      'b/manifest.yaml': manifest('https://example.com/b/1.0.0', [['https://example.com/c/1.1.0', '../c11']]),
      'c11/manifest.yaml': manifest('https://example.com/c/1.1.0'),
      'c12/manifest.yaml': manifest('https://example.com/c/1.2.0'),
    });
    const result = await resolveIn(root, 'main');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toBeUndefined();
  });
});

describe('manifest', () => {
  test('no schema_url (nor schema_base_url + semconv_version) is InvalidRegistryManifest on the manifest head', async () => {
    const root = await tree({ 'r/manifest.yaml': 'description: A registry.\n', 'r/x.yaml': SPAN });
    const error = only(await resolveIn(root, 'r'));
    expect(errorsToWeaverJson([error])).toEqual({
      InvalidRegistryManifest: { path: 'r/manifest.yaml', error: "Either 'schema_url' or both 'schema_base_url' and 'semconv_version' must be provided" },
    });
    expect(at(error.location)).toBe('description: A registry.');
  });

  test('a schema_url that is not a URL is InvalidRegistryManifest at its value', async () => {
    const root = await tree({ 'r/manifest.yaml': 'description: A registry.\nschema_url: example.com\n', 'r/x.yaml': SPAN });
    const error = only(await resolveIn(root, 'r'));
    expect(error.fields).toEqual({ path: 'r/manifest.yaml', error: 'schema_url: Invalid schema URL: relative URL without a base at line 2 column 13' });
    expect(at(error.location)).toBe('example.com');
    // The schema check cannot see it (a string is a string): `registry check` reports weaver's error.
    const check = checkRegistry(await loadRegistry(join(root, 'r')));
    expect(check.diagnostics.map((d) => [d.code, textAt(readFileSync(d.file, 'utf8'), d.range)])).toEqual([['invalid-registry-manifest', 'example.com']]);
  });

  test('a schema_url without a path is InvalidRegistryManifest', async () => {
    const root = await tree({ 'r/manifest.yaml': 'schema_url: https://example.com\n' });
    expect(only(await resolveIn(root, 'r')).fields).toEqual({
      path: 'r/manifest.yaml',
      error: 'schema_url: The schema URL must have at least one path segment. at line 1 column 13',
    });
  });

  test('an empty semconv_version is InvalidRegistryManifest at it', async () => {
    const root = await tree({ 'r/manifest.yaml': "schema_base_url: https://example.com/r/\nsemconv_version: ''\n" });
    const error = only(await resolveIn(root, 'r'));
    expect(error.fields).toEqual({ path: 'r/manifest.yaml', error: 'Registry name and version cannot be empty.' });
    expect(at(error.location)).toBe("''");
  });

  test('a dependency by name in a manifest with schema_url is InvalidRegistryManifest at the dependency', async () => {
    const root = await tree({
      'r/manifest.yaml': 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - name: dep\n    registry_path: ../dep\n',
      'dep/manifest.yaml': manifest('https://example.com/dep/1.0.0'),
    });
    const error = only(await resolveIn(root, 'r'));
    expect(error.fields).toEqual({
      path: 'r/manifest.yaml',
      error:
        "dependency 'dep' is missing the required field 'schema_url'. The schema_url uniquely identifies the dependency registry and its version, e.g. https://example.com/my-registry/1.0.0",
    });
    expect(at(error.location)).toBe('name: dep');
  });

  test('a dependency by name is fine in a legacy (semconv_version) manifest, with a deprecation warning', async () => {
    const root = await tree({
      'r/manifest.yaml': 'schema_base_url: https://example.com/r/\nsemconv_version: 1.0.0\ndependencies:\n  - name: dep\n    registry_path: ../dep\n',
      'dep/x.yaml': SPAN,
    });
    const result = await resolveIn(root, 'r');
    expect(result.errors).toEqual([]);
    expect(result.warnings?.map((w) => ({ [w.kind]: w.fields }))).toEqual([
      {
        DeprecatedSyntaxInRegistryManifest: {
          path: 'r/manifest.yaml',
          error: "The 'semconv_version' and 'schema_base_url' fields are deprecated in favor of 'schema_url'.",
        },
      },
    ]);
    expect(at((result.warnings?.[0] as ResolveError).location)).toBe('1.0.0');
  });

  test('an unknown file_format is InvalidRegistryManifest at it', async () => {
    const root = await tree({ 'r/manifest.yaml': 'file_format: definition/2\nschema_url: https://example.com/r/1.0.0\n' });
    const error = only(await resolveIn(root, 'r'));
    expect(error.fields).toEqual({
      path: 'r/manifest.yaml',
      error: "Unknown file_format 'definition/2'. Expected 'manifest/2.0' or no file_format for a definition manifest.",
    });
    expect(at(error.location)).toBe('definition/2');
  });

  test("a dependency's invalid manifest is reported on the dependency entry that leads to it", async () => {
    const root = await tree({
      'r/manifest.yaml': manifest('https://example.com/r/1.0.0', [['https://example.com/dep/1.0.0', '../dep']]),
      'dep/manifest.yaml': 'description: no url\n',
    });
    const error = only(await resolveIn(root, 'r'));
    expect(error.kind).toBe('InvalidRegistryManifest');
    expect(error.fields.path).toBe('dep/manifest.yaml');
    expect(relative(root, error.location.file)).toBe('r/manifest.yaml');
    expect(at(error.location)).toBe('https://example.com/dep/1.0.0');
    expect(error.related?.map((l) => [relative(root, l.file), at(l)])).toEqual([['dep/manifest.yaml', 'description: no url']]);
  });

  test('a published dependency without resolved_registry_uri is InvalidPublicationManifest', async () => {
    const root = await tree({
      'r/manifest.yaml': manifest('https://example.com/r/1.0.0', [['https://example.com/dep/1.0.0', '../dep']]),
      'dep/manifest.yaml': 'file_format: manifest/2.0\nschema_url: https://example.com/dep/1.0.0\n',
    });
    const error = only(await resolveIn(root, 'r'));
    expect(errorsToWeaverJson([error])).toEqual({
      InvalidPublicationManifest: { path: 'dep/manifest.yaml', details: "missing required field 'resolved_registry_uri'" },
    });
    expect(at(error.location)).toBe('https://example.com/dep/1.0.0');
  });

  test('a manifest named registry_manifest.yaml is LegacyRegistryManifest (a warning: resolution succeeds)', async () => {
    const root = await tree({ 'r/registry_manifest.yaml': 'schema_url: https://example.com/r/1.0.0\n', 'r/x.yaml': SPAN });
    const result = await resolveIn(root, 'r');
    expect(result.errors).toEqual([]);
    expect(result.registry).toBeDefined();
    expect(result.warnings?.map((w) => ({ [w.kind]: w.fields }))).toEqual([{ LegacyRegistryManifest: { path: 'r/registry_manifest.yaml' } }]);
    expect(at((result.warnings?.[0] as ResolveError).location)).toBe('schema_url: https://example.com/r/1.0.0');
  });
});

describe('imports', () => {
  test('an imports pattern naming nothing in the dependencies is UnmatchedImport (a warning) at the pattern', async () => {
    const dep = `groups:
  - id: metric.demo.count
    type: metric
    metric_name: demo.count
    brief: Count.
    stability: stable
    instrument: counter
    unit: '1'
    attributes: []
`;
    const main = `groups: []
imports:
  metrics:
    - demo.*
    - demo.typo
`;
    const root = await tree({
      'main/manifest.yaml': manifest('https://example.com/main/1.0.0', [['https://example.com/dep/1.0.0', '../dep']]),
      'main/main.yaml': main,
      'dep/manifest.yaml': manifest('https://example.com/dep/1.0.0'),
      'dep/dep.yaml': dep,
    });
    const result = await resolveIn(root, 'main');
    expect(result.errors).toEqual([]);
    expect(result.registry?.groups.map((g) => g.id)).toEqual(['metric.demo.count']);
    expect(result.warnings?.map((w) => ({ [w.kind]: w.fields }))).toEqual([{ UnmatchedImport: { pattern: 'demo.typo', signal: 'metrics' } }]);
    const warning = result.warnings?.[0] as ResolveError;
    expect(relative(root, warning.location.file)).toBe('main/main.yaml');
    expect(at(warning.location)).toBe('demo.typo');
  });

  test('not asked when a dependency is not visible (remote): it may hold what the pattern names', async () => {
    const root = await tree({
      'main/manifest.yaml': manifest('https://example.com/main/1.0.0', [['https://opentelemetry.io/schemas/1.44.0', 'https://github.com/open-telemetry/semantic-conventions.git[model]']]),
      'main/main.yaml': 'groups: []\nimports:\n  metrics:\n    - db.*\n',
    });
    expect((await resolveIn(root, 'main')).warnings).toBeUndefined();
  });
});

describe('the real registries stay clean', () => {
  test.each(['semconv-main', 'semconv-v1.44.0'])('%s: no loader error or warning', async (name) => {
    const result = resolveRegistry(await loadRegistry(shared('registries', name)));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toBeUndefined();
  });
});

describe('schema URLs and versions as weaver reads them', () => {
  test('name and version', () => {
    expect(parseSchemaUrl('https://opentelemetry.io/schemas/1.44.0')).toEqual({
      ok: true,
      value: { url: 'https://opentelemetry.io/schemas/1.44.0', name: 'opentelemetry.io/schemas', version: '1.44.0' },
    });
    expect(parseSchemaUrl('https://example.com:8080/schemas/1.0.0')).toMatchObject({ value: { name: 'example.com:8080/schemas' } });
    expect(parseSchemaUrl('https://opentelemetry.io/1.0.0')).toMatchObject({ value: { name: 'opentelemetry.io', version: '1.0.0' } });
  });

  test("semver errors are the semver crate's", () => {
    expect(parseSemver('1.45.0-unreleased')).toEqual({ ok: true, major: 1 });
    expect(parseSemver('v2.0.0')).toEqual({ ok: true, major: 2 });
    expect(parseSemver('1.0')).toEqual({ ok: false, error: 'unexpected end of input while parsing minor version number' });
    expect(parseSemver('x')).toEqual({ ok: false, error: "unexpected character 'x' while parsing major version number" });
    expect(parseSemver('01.0.0')).toEqual({ ok: false, error: 'invalid leading zero in major version number' });
    expect(parseSemver('1.0.0 ')).toEqual({ ok: false, error: "unexpected character ' ' after patch version number" });
  });
});
