import { dirname, join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { globToRegExp, importKeys } from '../../../src/core/semconv/resolve/imports';
import { resolveRegistry } from '../../../src/core/semconv/resolve/resolveRegistry';

// weaver's multi-registry fixture: app -> custom (acme) -> otel, each importing signals of the next.
const CASE = resolve(__dirname, '../../../../shared/conformance/weaver-resolver/multi-registry');
const mapDataPath = (p: string) => (p.startsWith('data/') ? join(dirname(CASE), p.slice('data/'.length)) : undefined);

async function resolveFixture(registry: string) {
  const loaded = await loadRegistry(join(CASE, registry), { resolveDependencyPath: mapDataPath });
  return resolveRegistry(loaded, { provenancePath: (p) => p.slice(dirname(CASE).length + 1) });
}

describe('imports across registries', () => {
  test('a registry exposes its own groups and the dependency signals its imports name', async () => {
    const result = await resolveFixture('custom_registry');
    expect(result.errors).toEqual([]);
    const ids = result.registry?.groups.map((g) => g.id).sort();
    expect(ids).toEqual([
      'custom.group',
      'custom.span',
      'entity.gcp.apphub.application',
      'entity.gcp.apphub.service',
      'event.session.start',
      'metric.auction.bid.count',
      'metric.example.counter',
      'shared.attributes',
    ]);
    // an imported group keeps the provenance of the registry that defines it
    const counter = result.registry?.groups.find((g) => g.id === 'metric.example.counter');
    expect(counter?.lineage.provenance).toEqual({ schema_url: 'https://opentelemetry.io/schemas/1.30.0', path: 'multi-registry/otel_registry/otel_registry.yaml' });
    // extends reaches into the dependency
    const span = result.registry?.groups.find((g) => g.id === 'custom.span');
    expect(span?.lineage.extends_group).toBe('span.server.request');
  });

  test('imports are transitive through what each dependency exposes; refs resolve through the chain', async () => {
    const result = await resolveFixture('app_registry');
    expect(result.errors).toEqual([]);
    expect(result.registry?.groups.map((g) => g.id).sort()).toEqual(['app.example', 'metric.example.counter']);
    const app = result.registry?.groups.find((g) => g.id === 'app.example');
    expect(app?.attributes.map((a) => a.name).sort()).toEqual(['app.name', 'auction.name', 'error.type']);
    expect(app?.lineage.attributes['auction.name']?.source_group).toBe('shared.attributes');
  });

  test('match keys follow weaver: v1 metrics by metric name, v1 spans by id, v2 signals by id, name or short id', () => {
    expect(importKeys({ id: 'metric.x', type: 'metric', metricName: 'x.count', v2: false })).toEqual(['x.count']);
    expect(importKeys({ id: 'span.server.request', type: 'span', name: 'server.request', v2: false })).toEqual(['span.server.request']);
    expect(importKeys({ id: 'span.server.request', type: 'span', name: 'server.request', v2: true })).toEqual(['span.server.request', 'server.request', 'server.request']);
    expect(globToRegExp('example.*').test('example.counter')).toBe(true);
    expect(globToRegExp('example.*').test('exampleXcounter')).toBe(false);
  });
});

describe('resolving for a check', () => {
  test('importedGroupsOnly builds the groups the registry imports and none of its own; errors are the same', async () => {
    const loaded = await loadRegistry(join(CASE, 'app_registry'), { resolveDependencyPath: mapDataPath });
    const full = resolveRegistry(loaded);
    const imported = resolveRegistry(loaded, { importedGroupsOnly: true });
    expect(full.registry?.groups.map((g) => g.id).sort()).toEqual(['app.example', 'metric.example.counter']);
    expect(imported.registry?.groups.map((g) => g.id)).toEqual(['metric.example.counter']);
    expect(imported.registry?.groups[0]).toEqual(full.registry?.groups.find((g) => g.id === 'metric.example.counter'));
    expect(imported.errors).toEqual(full.errors);
  });
});

describe('published dependencies', () => {
  // weaver's v2-dep fixture: a v2 refinement of a span that a published (resolved/2.0) registry defines.
  const V2_DEP = resolve(__dirname, '../../../../shared/conformance/weaver-resolver/registry-test-v2-dep');
  const mapV2Dep = (p: string) => (p.startsWith('data/') ? join(dirname(V2_DEP), p.slice('data/'.length)) : undefined);

  test('a refinement extends a published signal and inherits what it does not refine', async () => {
    const { loadPublishedDependencies } = await import('../../../src/core/semconv/resolve/published');
    const loaded = await loadRegistry(join(V2_DEP, 'span_registry/registry'), { resolveDependencyPath: mapV2Dep });
    const published = await loadPublishedDependencies(loaded);
    expect([...published.values()].map((p) => p.schemaUrl)).toEqual(['https://server.example.com/schemas/1.0.0']);
    const result = resolveRegistry(loaded, { published });
    expect(result.errors).toEqual([]);
    const refined = result.registry?.groups.find((g) => g.id === 'refined.request');
    expect(refined?.lineage.extends_group).toBe('server.request');
    const address = refined?.attributes.find((a) => a.name === 'server.address');
    expect(address).toMatchObject({ requirement_level: 'required', sampling_relevant: true, brief: 'Different brief' });
    const port = refined?.attributes.find((a) => a.name === 'server.port');
    expect(port?.brief).toBe('Refined server port');
    expect(refined?.lineage.attributes['server.port']?.source_group).toBe('v2_dependency.server.example.com/schemas');
    // the published signal itself is not imported: only the registry's own refinement is exposed
    expect(result.registry?.groups.map((g) => g.id)).toEqual(['refined.request']);
  });
});
