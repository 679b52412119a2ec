import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadRegistry, type LoadedRegistry } from '../../../src/core/semconv/loadRegistry';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { fixtures, removeTempRegistries, seededRandom, tempRegistry, where } from './helpers';

afterEach(removeTempRegistries);

async function mixedCopy(): Promise<string> {
  const dir = await tempRegistry({});
  await cp(fixtures('mixed'), dir, { recursive: true });
  return dir;
}

describe('RegistryWorkspace', () => {
  test('re-checking after one overlay change re-parses only that file', async () => {
    const dir = await mixedCopy();
    const ws = new RegistryWorkspace(dir);
    const first = await ws.check();
    expect(first.diagnostics).toEqual([]);
    expect(ws.parseCount).toBe(6); // five YAML files and the manifest

    await ws.check();
    expect(ws.parseCount).toBe(6); // nothing changed, nothing parsed

    const signals = join(dir, 'shop/signals-v2.yaml');
    const text = await readFile(signals, 'utf8');
    ws.setOverlay(signals, text.replace('ref: shop.order.status', 'ref: shop.order.stat'));
    const edited = await ws.check();
    expect(ws.parseCount).toBe(7);
    expect(where(edited.byFile.get(signals) ?? [])).toEqual(['unresolved-ref@9:13']);

    // Typing on: each keystroke is one more parse, never the whole registry.
    ws.setOverlay(signals, text.replace('ref: shop.order.status', 'ref: shop.order.statu'));
    await ws.check();
    expect(ws.parseCount).toBe(8);
  });

  test('an overlay wins over the disk until it is deleted', async () => {
    const dir = await mixedCopy();
    const ws = new RegistryWorkspace(dir);
    const spans = join(dir, 'shop/spans-v1.yaml');
    const onDisk = await readFile(spans, 'utf8');
    ws.setOverlay(spans, onDisk.replace('brief: Checking out a cart.', 'brief:'));
    const withOverlay = await ws.check();
    expect(where(withOverlay.byFile.get(spans) ?? [])).toEqual(['schema@5:4']);
    expect(withOverlay.byFile.get(spans)![0]!.message).toBe("'brief' of group 'span.shop.checkout' must be a text; found nothing");

    ws.deleteOverlay(spans);
    const reverted = await ws.check();
    expect(reverted.byFile.get(spans)).toEqual([]); // an empty entry clears the file in the editor
  });

  test('invalidate re-reads a changed file and notices created and deleted files', async () => {
    const dir = await mixedCopy();
    const ws = new RegistryWorkspace(dir);
    await ws.check();
    const parsed = ws.parseCount;

    const v2 = join(dir, 'shop/registry-v2.yaml');
    await writeFile(v2, (await readFile(v2, 'utf8')).replace('key: shop.order.id', 'key: shop.order.uid'));
    // The disk changed but nobody said so: the workspace keeps what it read.
    expect((await ws.check()).diagnostics).toEqual([]);
    ws.invalidate(v2);
    const afterChange = await ws.check();
    expect(ws.parseCount).toBe(parsed + 1);
    expect(afterChange.diagnostics.map((d) => d.code)).toEqual(['unresolved-ref', 'unresolved-ref']);

    const extra = join(dir, 'shop/order-id.yaml');
    await writeFile(extra, 'file_format: definition/2\nattributes:\n  - key: shop.order.id\n    type: string\n    brief: Id.\n    stability: stable\n    examples: [a]\n');
    ws.invalidate(extra);
    expect((await ws.check()).diagnostics).toEqual([]);

    await rm(extra);
    ws.invalidate(extra);
    const afterDelete = await ws.check();
    expect(afterDelete.byFile.has(extra)).toBe(false);
    expect(afterDelete.diagnostics.map((d) => d.code)).toEqual(['unresolved-ref', 'unresolved-ref']);
  });

  test('an aborted check rejects instead of publishing a stale result', async () => {
    const ws = new RegistryWorkspace(fixtures('mixed'));
    const controller = new AbortController();
    controller.abort();
    await expect(ws.check(controller.signal)).rejects.toThrow();
  });

  test('load after any sequence of edits, closes and disk changes gives what a fresh load of the same state gives', async () => {
    // A registry and the local dependency its manifest names, side by side.
    const top = await tempRegistry({});
    await cp(fixtures('mixed'), join(top, 'mixed'), { recursive: true });
    await cp(fixtures('depends-on-mixed'), join(top, 'app'), { recursive: true });
    const root = join(top, 'app');
    const ws = new RegistryWorkspace(root);
    const overlays = new Map<string, string>();
    const shape = (r: LoadedRegistry): unknown => ({
      root: r.root,
      files: r.files.map((f) => [f.path, f.text, f.kind]),
      manifest: r.manifest && [r.manifest.path, r.manifest.text],
      dependencies: r.dependencies.map((d) => ({ declared: d.declared.registryPath, unavailable: d.unavailable?.reason, registry: d.registry && shape(d.registry) })),
    });
    const candidates = [
      join(root, 'metrics.yaml'),
      join(root, 'manifest.yaml'),
      join(root, 'extra.yaml'),
      join(top, 'mixed/shop/registry-v1.yaml'),
      join(top, 'mixed/shop/signals-v2.yaml'),
      join(top, 'mixed/shop/spans-v1.yaml'),
    ];
    const next = seededRandom(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const initial = new Map<string, string>();
    for (const file of candidates) initial.set(file, await readFile(file, 'utf8').catch(() => 'groups: []\n'));

    const first = await ws.load();
    expect(await ws.load()).toBe(first); // nothing changed: the same registry
    for (let step = 0; step < 150; step++) {
      const file = pick(candidates);
      const roll = next();
      if (roll < 0.6) {
        // Typing: a line of the file gains or loses a character.
        const base = overlays.get(file) ?? initial.get(file)!;
        const lines = base.split('\n');
        const n = Math.floor(next() * lines.length);
        lines[n] = next() < 0.5 ? lines[n]!.slice(0, -1) : `${lines[n]}${pick(['a', '.', ' ', ':', '#'])}`;
        overlays.set(file, lines.join('\n'));
        ws.setOverlay(file, overlays.get(file)!);
      } else if (roll < 0.75) {
        overlays.delete(file);
        ws.deleteOverlay(file);
      } else if (roll < 0.9) {
        await writeFile(file, `${initial.get(file)!}# saved ${step}\n`);
        ws.invalidate(file);
      } else {
        await rm(file, { force: true });
        ws.invalidate(file);
      }
      if (next() < 0.3) continue; // several changes between two loads
      const loaded = await ws.load();
      const fresh = await loadRegistry(root, { overlays });
      expect(shape(loaded), `step ${step}`).toEqual(shape(fresh));
    }
  });
});
