import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { fixtures, removeTempRegistries, tempRegistry, where } from './helpers';

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
});
