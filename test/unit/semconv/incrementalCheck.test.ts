import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { deprecationMapCounter } from '../../../src/core/semconv/checkDeprecatedRefs';
import { duplicateCheckCounter } from '../../../src/core/semconv/checkDuplicates';
import { refCheckCounter } from '../../../src/core/semconv/checkRefs';
import { definitionIndexCounter } from '../../../src/core/semconv/checkRegistry';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { fixtures, removeTempRegistries, shared, tempRegistry, where } from './helpers';

afterEach(removeTempRegistries);

/** The cross-file work counters, read before and after a check to see what it redid. */
function counters(): { indexBuilds: number; deprecationMaps: number; duplicateRuns: number; refFiles: number } {
  return {
    indexBuilds: definitionIndexCounter.builds,
    deprecationMaps: deprecationMapCounter.builds,
    duplicateRuns: duplicateCheckCounter.runs,
    refFiles: refCheckCounter.files,
  };
}

function delta(before: ReturnType<typeof counters>): ReturnType<typeof counters> {
  const now = counters();
  return {
    indexBuilds: now.indexBuilds - before.indexBuilds,
    deprecationMaps: now.deprecationMaps - before.deprecationMaps,
    duplicateRuns: now.duplicateRuns - before.duplicateRuns,
    refFiles: now.refFiles - before.refFiles,
  };
}

describe('keystroke check reuses cross-file work', () => {
  test('an edit that defines nothing new re-checks only the edited file on semconv-main', async () => {
    const root = shared('registries', 'semconv-main');
    const spans = join(root, 'messaging/spans.yaml');
    const text = await readFile(spans, 'utf8');
    const ws = new RegistryWorkspace(root);
    const first = await ws.check(undefined, { policies: false });
    const fileCount = first.byFile.size;
    expect(fileCount).toBeGreaterThan(100);

    // The same keystroke the language server sees while a brief is being typed.
    ws.setOverlay(spans, text.replace('brief: ', 'brief: xyz '));
    const before = counters();
    const edited = await ws.check(undefined, { policies: false });
    expect(delta(before)).toEqual({ indexBuilds: 0, deprecationMaps: 0, duplicateRuns: 0, refFiles: 1 });

    // Reuse changes nothing observable: a workspace that never saw the registry before agrees.
    const fresh = new RegistryWorkspace(root);
    fresh.setOverlay(spans, text.replace('brief: ', 'brief: xyz '));
    const fromScratch = await fresh.check(undefined, { policies: false });
    expect(edited.diagnostics).toEqual(fromScratch.diagnostics);
    expect([...edited.byFile.keys()].sort()).toEqual([...fromScratch.byFile.keys()].sort());
  });

  test('renaming a definition in one file re-checks the refs of every other file', async () => {
    const dir = await tempRegistry({});
    await cp(fixtures('mixed'), dir, { recursive: true });
    const definitions = join(dir, 'shop/registry-v2.yaml');
    const signals = join(dir, 'shop/signals-v2.yaml');
    const spansV1 = join(dir, 'shop/spans-v1.yaml');
    const text = await readFile(definitions, 'utf8');
    const ws = new RegistryWorkspace(dir);
    expect((await ws.check(undefined, { policies: false })).diagnostics).toEqual([]);

    ws.setOverlay(definitions, text.replace('- key: shop.order.status', '- key: shop.order.state'));
    const before = counters();
    const renamed = await ws.check(undefined, { policies: false });
    const work = delta(before);
    expect(work.indexBuilds).toBe(1);
    expect(work.refFiles).toBe(4); // every definition file, not only the edited one
    // Neither referring file changed, yet both now point at nothing.
    expect(where(renamed.byFile.get(signals) ?? [])).toEqual(['unresolved-ref@9:13']);
    expect(where(renamed.byFile.get(spansV1) ?? [])).toEqual(['unresolved-ref@8:13']);

    // Renaming it back restores the registry as it was.
    ws.setOverlay(definitions, text);
    const restored = await ws.check(undefined, { policies: false });
    expect(restored.diagnostics).toEqual([]);
  });
});
