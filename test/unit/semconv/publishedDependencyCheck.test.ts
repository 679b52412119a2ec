import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createNativeEngine } from '../../../src/core/engine/nativeEngine';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';

// weaver's fixture: a v2 registry whose only dependency is a published (resolved/2.0) registry.
const CASE = resolve(__dirname, '../../../../shared/conformance/weaver-resolver/registry-test-published-1');

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

/** A copy of the case whose manifest names the published folder by a path relative to the registry. */
function copyCase(): { registry: string; main: string } {
  scratch = mkdtempSync(join(tmpdir(), 'weavergen-published-'));
  cpSync(join(CASE, 'registry'), join(scratch, 'registry'), { recursive: true });
  cpSync(join(CASE, 'published'), join(scratch, 'published'), { recursive: true });
  const manifest = join(scratch, 'registry', 'registry_manifest.yaml');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('data/registry-test-published-1/published', '../published'));
  return { registry: join(scratch, 'registry'), main: join(scratch, 'registry', 'main.yaml') };
}

/** Line (0-based) of the only line of `text` holding `needle`. */
function lineOf(text: string, needle: string): number {
  const lines = text.split('\n');
  const found = lines.flatMap((l, i) => (l.includes(needle) ? [i] : []));
  expect(found).toHaveLength(1);
  return found[0] as number;
}

describe('checking a registry that depends on a published registry', () => {
  test('refs and entity associations into the published registry resolve', async () => {
    const { registry } = copyCase();
    const ws = new RegistryWorkspace(registry);
    const result = await ws.check();
    // The span refs attribute `a` and associates entity `imported.entity.a`, both of the published
    // registry (the entity through `imports: entities: imported.*`). The findings left are real, and
    // weaver's own: the file still uses the deprecated `version: '2'` header, and the manifest the
    // legacy name `registry_manifest.yaml`.
    expect(result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => d.code).sort()).toEqual([
      'deprecated-version-field',
      'legacy-registry-manifest',
    ]);
  });

  test('a misspelled ref is reported by the editor workspace and the native engine alike', async () => {
    const { registry, main } = copyCase();
    const text = readFileSync(main, 'utf8').replace('  - ref: a\n', '  - ref: a_typo\n');
    writeFileSync(main, text);
    const line = lineOf(text, 'ref: a_typo');

    const ws = new RegistryWorkspace(registry);
    const fromWorkspace = (await ws.check()).diagnostics.filter((d) => d.severity === 'error');
    expect(fromWorkspace.map((d) => ({ file: d.file, line: d.range.start.line, code: d.code }))).toEqual([{ file: main, line, code: 'unresolved-ref' }]);
    expect(fromWorkspace[0]?.message).toContain('a_typo');

    const engine = createNativeEngine();
    const loaded = await engine.load({ registryPath: registry });
    const fromEngine = (await engine.check(loaded)).diagnostics.filter((d) => d.severity === 'error');
    expect(fromEngine.map((d) => ({ file: d.file, line: d.range.start.line, code: d.code }))).toEqual([{ file: main, line, code: 'unresolved-ref' }]);
  });
});
