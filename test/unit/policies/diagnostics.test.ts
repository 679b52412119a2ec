import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { isRegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { levelSeverity, packageOfCase, runPolicyCase, toDiagnosticEntry } from '../../../src/core/semconv/policies';
import { policiesOn, removeTempRegistries, shared } from './helpers';
import { tempRegistry } from '../semconv/helpers';

afterEach(removeTempRegistries);

describe('findings as registry diagnostics', () => {
  test('code is the rule id, severity follows the level, the message says what to do', async () => {
    const r = await policiesOn(
      {
        'm.yaml': `file_format: definition/2
metrics:
  - name: shop.orders
    brief: Orders
    stability: development
    instrument: counter
    unit: "{order}"
`,
      },
      { packages: ['naming_conventions'] },
    );
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(isRegistryDiagnostic(d)).toBe(true);
    expect(d).toMatchObject({
      file: join(r.dir, 'm.yaml'),
      // The brief itself is what needs the fix.
      range: { start: { line: 3, character: 11 }, end: { line: 3, character: 17 } },
      severity: 'error',
      code: 'naming_convention_metric_brief_period',
      source: 'weavergen',
    });
    expect(d.message).toBe("Non-empty metric brief 'Orders' must end with a period (.): end the brief with a period. [policy naming_conventions]");
  });

  test('levels map to severities the way weaver fails a check', () => {
    expect(levelSeverity('violation')).toBe('error');
    expect(levelSeverity('improvement')).toBe('warning');
    expect(levelSeverity('information')).toBe('information');
  });

  test('a removal is shown at the baseline definition and says so', async () => {
    const r = await policiesOn(
      { 'c.yaml': 'file_format: definition/2\nattributes: []\n' },
      {
        packages: ['backwards-compatibility'],
        baseline: { 'b.yaml': 'file_format: definition/2\nattributes:\n  - key: shop.id\n    type: string\n    stability: stable\n    brief: Id.\n' },
      },
    );
    expect(r.diagnostics.map((d) => [d.file, d.range.start.line, d.message])).toEqual([
      [
        join(r.baseDir!, 'b.yaml'),
        2,
        "Attribute 'shop.id' no longer exists in the attribute registry (shown at its definition in the baseline registry): restore the attribute and deprecate it instead of removing it. [policy backwards-compatibility]",
      ],
    ]);
  });

  test("weaver's whole diagnostic entry is rebuilt exactly from a finding", async () => {
    const dir = shared('conformance/weaver-policies/backwards-compatibility/tests/events');
    const { findings } = await runPolicyCase(dir);
    const expected = (await import(join(dir, 'expected-diagnostic-output.json'), { with: { type: 'json' } })).default as unknown[];
    const rebuilt = findings.map(toDiagnosticEntry);
    expect(new Set(rebuilt.map((e) => JSON.stringify(e)))).toEqual(new Set(expected.map((e) => JSON.stringify(e))));
  });
});

describe('runPolicyCase', () => {
  test('reads the package from the case path', () => {
    expect(packageOfCase(shared('conformance/weaver-policies/stability/tests/metric_renamed_to_invalid'))).toBe('stability');
    expect(packageOfCase('/tmp/somewhere/else')).toBeUndefined();
  });

  test('a case folder without current/ is a clear error naming the folder', async () => {
    const dir = await tempRegistry({ 'base/model.yaml': 'file_format: definition/2\n' });
    await expect(runPolicyCase(dir)).rejects.toThrow(`${join(dir, 'current')}: a policy test case needs a 'current' folder`);
  });
});
