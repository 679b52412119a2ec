import { build } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bpmnEngineVersionPlugin } from '../../../scripts/buildPlugins.mjs';

/**
 * bpmn-engine reads its package.json through import.meta.url, which a CommonJS bundle empties.
 * These tests bundle bpmn-engine the way scripts/build.mjs does and run the bundle.
 */

const repoRoot = resolve(__dirname, '../../..');
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'weavergen-bundle-'));
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const options = {
  stdin: { contents: "export { Engine } from 'bpmn-engine';", resolveDir: repoRoot, loader: 'js' as const },
  bundle: true,
  platform: 'node' as const,
  format: 'cjs' as const,
  target: 'node20',
  write: false,
  logLevel: 'silent' as const,
  logOverride: { 'empty-import-meta': 'error' as const },
};

describe('bundling bpmn-engine to CommonJS', () => {
  test('without the plugin the emptied import.meta is a build error, not a crash at load', async () => {
    await expect(build(options)).rejects.toThrow(/import\.meta/);
  });

  test('with the plugin the bundle loads, reads the registry_check workflow and reports the real engine version', async () => {
    const result = await build({ ...options, plugins: [bpmnEngineVersionPlugin] });
    const file = join(out, 'engine.cjs');
    await writeFile(file, result.outputFiles![0]!.text);
    const { Engine } = createRequire(file)(file) as { Engine: new (o: object) => BpmnEngineLike };
    const source = await readFile(join(repoRoot, 'workflows', 'registry_check.bpmn'), 'utf8');
    const engine = new Engine({ name: 'bundle-test', source, settings: { enableDummyService: false } });
    expect(await engine.getDefinitions()).toHaveLength(1);
    // The state is where bpmn-engine reports the version it read from its package.json.
    const state = await engine.getState();
    const { version } = JSON.parse(await readFile(join(repoRoot, 'node_modules', 'bpmn-engine', 'package.json'), 'utf8'));
    expect(state.engineVersion).toBe(version);
  });
});

/** The part of bpmn-engine's Engine this test calls (the bundle is loaded untyped). */
interface BpmnEngineLike {
  getDefinitions(): Promise<unknown[]>;
  getState(): Promise<{ engineVersion: string }>;
}
