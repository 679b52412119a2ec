import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { removeTempRegistries, tempRegistry, textAt } from './helpers';

/**
 * The language server's RegistryWorkspace with a baseline registry (`weavergen.check.baselineRegistry`):
 * the backwards-compatibility package runs in the policy pass only, against a baseline loaded once.
 */

afterEach(removeTempRegistries);

const ATTRIBUTES = `file_format: definition/2
attributes:
  - key: shop.order.id
    type: string
    brief: The order's id.
    stability: stable
`;

const TOTAL = `  - key: shop.order.total
    type: double
    brief: The order's total.
    stability: stable
`;

const CURRENCY = `  - key: shop.order.currency
    type: string
    brief: The order's currency.
    stability: stable
`;

const removed = (list: readonly RegistryDiagnostic[] | undefined): RegistryDiagnostic[] => (list ?? []).filter((d) => d.code === 'compatibility_removed_attribute');
const allRemoved = (byFile: Map<string, RegistryDiagnostic[]>): RegistryDiagnostic[] => [...byFile.values()].flatMap(removed);

/** The current registry lost `shop.order.total`, which the baseline released as stable. */
async function registries(): Promise<{ current: string; baseline: string; baselineFile: string }> {
  const current = await tempRegistry({ 'shop/attributes.yaml': ATTRIBUTES });
  const baseline = await tempRegistry({ 'shop/attributes.yaml': ATTRIBUTES + TOTAL });
  return { current, baseline, baselineFile: join(baseline, 'shop', 'attributes.yaml') };
}

describe('RegistryWorkspace with a baseline registry', () => {
  test('a removed stable attribute is reported at its definition in the baseline, by the policy pass only', async () => {
    const { current, baseline, baselineFile } = await registries();
    const ws = new RegistryWorkspace(current);
    expect(ws.setBaselineRegistry(baseline)).toBe(true);
    expect(ws.setBaselineRegistry(baseline)).toBe(false); // unchanged: the loaded baseline stays

    // The keystroke pass never reads the baseline.
    const fast = await ws.check(undefined, { policies: false });
    expect(allRemoved(fast.byFile)).toEqual([]);
    expect(fast.byFile.has(baselineFile)).toBe(false);

    const full = await ws.check(undefined, { policies: true });
    const [finding, ...more] = allRemoved(full.byFile);
    expect(more).toEqual([]);
    expect(finding?.file).toBe(baselineFile);
    expect(textAt(await readFile(baselineFile, 'utf8'), finding!.range)).toBe('shop.order.total');
    expect(finding?.message).toContain("Attribute 'shop.order.total' no longer exists in the attribute registry (shown at its definition in the baseline registry)");
    expect(full.diagnostics).toContainEqual(finding);

    // Once loaded, the baseline's files are listed (clean) on the keystroke pass too, so an editor keeps
    // their idle-pass findings between passes instead of treating the files as gone.
    const again = await ws.check(undefined, { policies: false });
    expect(again.byFile.get(baselineFile)).toEqual([]);
  });

  test('the baseline is read once; a change on disk counts after invalidate(path)', async () => {
    const { current, baseline, baselineFile } = await registries();
    const ws = new RegistryWorkspace(current);
    ws.setBaselineRegistry(baseline);
    expect(removed((await ws.check()).byFile.get(baselineFile)).map((d) => d.message.split("'")[1])).toEqual(['shop.order.total']);

    await writeFile(baselineFile, ATTRIBUTES + TOTAL + CURRENCY);
    // No disk event yet: the baseline loaded before stands.
    expect(removed((await ws.check()).byFile.get(baselineFile))).toHaveLength(1);

    expect(ws.inBaseline(baselineFile)).toBe(true);
    expect(ws.inBaseline(join(current, 'shop', 'attributes.yaml'))).toBe(false);
    ws.invalidate(baselineFile);
    const reloaded = removed((await ws.check()).byFile.get(baselineFile));
    expect(reloaded.map((d) => d.message.split("'")[1])).toEqual(['shop.order.total', 'shop.order.currency']);
    const text = await readFile(baselineFile, 'utf8');
    expect(reloaded.map((d) => textAt(text, d.range))).toEqual(['shop.order.total', 'shop.order.currency']);
  });

  test('clearing the baseline clears its findings and drops its files from the result', async () => {
    const { current, baseline, baselineFile } = await registries();
    const ws = new RegistryWorkspace(current);
    ws.setBaselineRegistry(baseline);
    expect(allRemoved((await ws.check()).byFile)).toHaveLength(1);

    expect(ws.setBaselineRegistry(undefined)).toBe(true);
    expect(ws.baselineRegistry).toBeUndefined();
    const cleared = await ws.check();
    expect(allRemoved(cleared.byFile)).toEqual([]);
    expect(cleared.byFile.has(baselineFile)).toBe(false);
    expect(cleared.diagnostics.some((d) => d.code.startsWith('compatibility_'))).toBe(false);
  });

  test('a baseline path that is not a folder is logged once and the check runs without it', async () => {
    const { current, baselineFile } = await registries();
    const logged: string[] = [];
    const ws = new RegistryWorkspace(current, { log: (m) => logged.push(m) });
    const without = await ws.check();

    const missing = join(await mkdtemp(join(tmpdir(), 'weavergen-nobaseline-')), 'missing');
    try {
      ws.setBaselineRegistry(missing);
      const first = await ws.check();
      const second = await ws.check();
      expect(first.diagnostics).toEqual(without.diagnostics);
      expect(second.diagnostics).toEqual(without.diagnostics);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain(`baseline registry ${missing}`);
      expect(logged[0]).toContain('is not a folder');

      // A file is not a folder either: one more line, for the new path.
      ws.setBaselineRegistry(baselineFile);
      expect((await ws.check()).diagnostics).toEqual(without.diagnostics);
      await ws.check();
      expect(logged).toHaveLength(2);
      expect(logged[1]).toContain(`baseline registry ${baselineFile} `);
    } finally {
      await rm(join(missing, '..'), { recursive: true, force: true });
    }
  });
});
