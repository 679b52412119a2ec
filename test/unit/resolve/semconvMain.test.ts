import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { resolveRegistry } from '../../../src/core/semconv/resolve/resolveRegistry';
import { toWeaverJson } from '../../../src/core/semconv/resolve/weaverJson';

const SEMCONV = resolve(__dirname, '../../../../shared/registries/semconv-main');

describe('the semantic-conventions registry', () => {
  test('resolves without error, v1 and v2 files together', async () => {
    const result = resolveRegistry(await loadRegistry(SEMCONV));
    expect(result.errors.map((e) => `${e.kind} ${e.message}`)).toEqual([]);
    const groups = new Map(result.registry?.groups.map((g) => [g.id, g]));
    const duration = groups.get('metric.http.server.request.duration');
    expect(duration?.type).toBe('metric');
    const method = duration?.attributes.find((a) => a.name === 'http.request.method');
    expect(method?.requirement_level).toBe('required');
    expect(duration?.lineage.attributes['http.request.method']?.source_group).toMatch(/http/);
    // every resolved attribute points back into the registry's YAML
    for (const g of result.registry?.groups ?? []) {
      for (const a of g.attributes) expect(a.location.file.startsWith(SEMCONV)).toBe(true);
    }
    const { catalog } = toWeaverJson(result.registry!);
    expect(catalog.length).toBeGreaterThan(900);
  }, 60_000);
});
