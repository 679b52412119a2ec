import { describe, expect, test } from 'vitest';
import { createEngine, createNativeEngine } from '../../../src/core/engine/index';
import { fixtures, shared } from './helpers';

describe('createEngine', () => {
  test('native and auto give the native engine', () => {
    expect(createEngine('native').kind).toBe('native');
    expect(createEngine('auto').kind).toBe('native');
  });

  test('weaver fails with what to do, since the binary is not available', () => {
    expect(() => createEngine('weaver')).toThrow(/weaver binary was not found on the PATH: set weavergen.engine \(or --engine\) to native, or install weaver/);
    expect(() => createEngine('weaver', { weaverPath: '/opt/weaver' })).toThrow(/not found at '\/opt\/weaver'/);
  });
});

describe('the native engine', () => {
  test('loads and checks a registry through the RegistryEngine contract', async () => {
    const engine = createNativeEngine();
    const handle = await engine.load({ registryPath: fixtures('mixed') });
    expect(handle.engine).toBe('native');
    expect(handle.summary).toEqual({ registryPath: fixtures('mixed'), files: 4, groups: 6, attributes: 4 });
    const result = await engine.check(handle);
    expect(result.diagnostics).toEqual([]);
    expect(result.summary).toEqual(handle.summary);
  });

  test('overlays passed to load are what gets checked', async () => {
    const engine = createNativeEngine();
    const path = fixtures('mixed', 'shop/spans-v1.yaml');
    const handle = await engine.load({
      registryPath: fixtures('mixed'),
      overlays: new Map([[path, 'groups:\n  - id: span.shop.checkout\n    brief: B.\n    type: spam\n    extends: nowhere\n']]),
    });
    const { diagnostics } = await engine.check(handle);
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.source])).toEqual([
      ['schema', 3, 'weavergen'],
      ['unresolved-group-ref', 4, 'weavergen'],
    ]);
  });

  test('rejects a handle it did not make', async () => {
    const a = createNativeEngine();
    const b = createNativeEngine();
    const handle = await a.load({ registryPath: fixtures('mixed') });
    await expect(b.check(handle)).rejects.toThrow(/did not load/);
  });

  test(
    'checks the real registry clean through the contract',
    async () => {
      const engine = createNativeEngine();
      const handle = await engine.load({ registryPath: shared('registries/semconv-main') });
      // Hints (`deprecated-ref` on live groups' refs to deprecated attributes) are not problems.
      expect((await engine.check(handle)).diagnostics.filter((d) => d.severity !== 'hint')).toEqual([]);
    },
    60_000,
  );
});
