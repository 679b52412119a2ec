import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import type { FileSystemWatcher } from 'vscode-languageserver/node';
import { RegistryWorkspace } from '../../../src/core/engine/index';
import { BaselineWatcher } from '../../../src/server/baselineWatcher';
import { DiagnosticsScheduler } from '../../../src/server/diagnosticsScheduler';
import { WeaverOnSave } from '../../../src/server/weaverOnSave';
import { textAt } from '../semconv/helpers';

/**
 * Backwards-compatibility findings as you type: the language server's DiagnosticsScheduler on the
 * real RegistryWorkspace with a baseline registry, publishing through WeaverOnSave as server.ts does.
 * Input: weaver's own backwards-compatibility policy case (../shared/conformance, `attribute`), whose
 * `current` registry is copied to a temp folder (it gets edited) and whose `base` is read in place.
 */

const attributeCase = resolve(__dirname, '../../../../shared/conformance/weaver-policies/backwards-compatibility/tests/attribute');
const base = join(attributeCase, 'base');
const baseFile = join(base, 'model.yaml');

interface Publication {
  file: string;
  diagnostics: readonly RegistryDiagnostic[];
}

let scheduler: DiagnosticsScheduler | undefined;
let scratch: string | undefined;

afterEach(async () => {
  scheduler?.dispose();
  scheduler = undefined;
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
}

async function setup() {
  scratch = await mkdtemp(join(tmpdir(), 'weavergen-baseline-'));
  const root = join(scratch, 'current');
  await cp(join(attributeCase, 'current'), root, { recursive: true });
  const workspace = new RegistryWorkspace(root);
  const published: Publication[] = [];
  // Native findings only (no weaver settings): the path every publication of the server takes.
  const onSave = new WeaverOnSave({ registryRoot: root, publish: (file, diagnostics) => published.push({ file, diagnostics }), log: { info: () => {}, error: () => {} }, notify: () => {} });
  scheduler = new DiagnosticsScheduler({ checker: workspace, debounceMs: 0, policyDelayMs: 20, publish: (file, d, version) => onSave.publishNative(file, d, version) });
  const shown = new Map<string, readonly RegistryDiagnostic[]>();
  const last = (file: string) => {
    for (const p of published) shown.set(p.file, p.diagnostics);
    return shown.get(file) ?? [];
  };
  return { root, model: join(root, 'model.yaml'), workspace, scheduler, published, last };
}

describe('the idle pass with a baseline registry', () => {
  test('publishes a removed attribute at the baseline definition, keeps it while typing, clears it with the setting', async () => {
    const s = await setup();
    s.workspace.setBaselineRegistry(base);
    const removed = () => s.last(baseFile).filter((d) => d.code === 'compatibility_removed_attribute');
    const nowUnstable = () => s.last(s.model).filter((d) => d.code === 'compatibility_stable_attribute_now_unstable');

    const text = await readFile(s.model, 'utf8');
    s.scheduler.update(s.model, 1, text);
    await s.scheduler.flush();
    // The keystroke pass: no baseline, no compatibility finding.
    expect(removed()).toEqual([]);
    expect(nowUnstable()).toEqual([]);

    // The idle pass: weaver's case expects `is.dropped` removed (located in the baseline, a file outside
    // the registry root, published all the same) and `is.change_stable` now unstable.
    await waitFor(() => removed().length > 0);
    expect(removed()).toHaveLength(1);
    expect(textAt(await readFile(baseFile, 'utf8'), removed()[0]!.range)).toBe('is.dropped');
    expect(nowUnstable()).toHaveLength(1);

    // Typing in the registry: the fast pass keeps the baseline's finding (its file did not change), no flicker.
    const before = s.published.length;
    s.scheduler.update(s.model, 2, `# a comment\n${text}`);
    await s.scheduler.flush();
    expect(s.published.slice(before).some((p) => p.file === baseFile)).toBe(false);
    expect(removed()).toHaveLength(1);

    // The setting cleared: the baseline's file is cleared at once, the registry's compatibility finding by the idle pass.
    expect(s.workspace.setBaselineRegistry(undefined)).toBe(true);
    s.scheduler.recheck();
    await s.scheduler.flush();
    expect(s.published.at(-1)).toEqual({ file: baseFile, diagnostics: [] });
    await waitFor(() => nowUnstable().length === 0);
    expect(nowUnstable()).toEqual([]);
    expect(removed()).toEqual([]);
  });

  test('a baseline file changed on disk (watched-file event) is re-read by the next idle pass', async () => {
    const s = await setup();
    // A copy of the baseline, so it can change on disk.
    const copy = join(scratch!, 'base');
    await cp(base, copy, { recursive: true });
    const copyFile = join(copy, 'model.yaml');
    s.workspace.setBaselineRegistry(copy);
    const removed = () => s.last(copyFile).filter((d) => d.code === 'compatibility_removed_attribute');
    s.scheduler.update(s.model, 1, await readFile(s.model, 'utf8'));
    await waitFor(() => removed().length > 0);
    expect(removed()).toHaveLength(1);

    // The baseline now also released `is.released`, which the current registry lacks.
    const released = (await readFile(copyFile, 'utf8')).replace(
      'attributes:\n',
      'attributes:\n  - key: is.released\n    type: string\n    brief: released in the baseline\n    stability: stable\n',
    );
    await writeFile(copyFile, released);
    expect(s.workspace.inBaseline(copyFile)).toBe(true);
    s.scheduler.fileChanged(copyFile);
    await waitFor(() => removed().length === 2);
    expect(removed().map((d) => textAt(released, d.range))).toEqual(['is.released', 'is.dropped']);
  });
});

describe('BaselineWatcher', () => {
  test('registers one watcher for the baseline folder and replaces it when the folder changes', async () => {
    const registered: FileSystemWatcher[][] = [];
    const disposed: number[] = [];
    const watcher = new BaselineWatcher(
      async (watchers) => {
        const id = registered.push(watchers) - 1;
        return { dispose: () => disposed.push(id) };
      },
      { error: () => {} },
    );
    watcher.watch('/work/baseline');
    watcher.watch('/work/baseline'); // unchanged: no new registration
    expect(registered).toEqual([[{ globPattern: { baseUri: 'file:///work/baseline', pattern: '**/*.{yaml,yml}' } }]]);
    watcher.watch('/work/other');
    watcher.watch(undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(registered).toHaveLength(2);
    expect(disposed).toEqual([0, 1]);
  });

  test('a refused registration is one log line', async () => {
    const errors: string[] = [];
    const watcher = new BaselineWatcher(() => Promise.reject(new Error('unsupported')), { error: (m) => errors.push(m) });
    watcher.watch('/work/baseline');
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('/work/baseline');
    watcher.dispose();
  });
});
