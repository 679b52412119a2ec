import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { canonicalJson, runPolicyCase, toDiagnosticEntry, type WeaverPolicyFinding } from '../../../src/core/semconv/policies';

/**
 * Every test case of weaver's policy packages (read-only, next to the repository), run natively and
 * compared with weaver's recorded `--diagnostic-format json` output as sets of `violation` objects:
 * id, level, message, signal_type, signal_name and context must all be equal.
 */
const root = resolve(__dirname, '../../../..', 'shared/conformance/weaver-policies');

function listCases(): Array<{ name: string; dir: string }> {
  const out: Array<{ name: string; dir: string }> = [];
  for (const pkg of readdirSync(root).sort()) {
    const tests = join(root, pkg, 'tests');
    if (!statSync(join(root, pkg)).isDirectory()) continue;
    let names: string[];
    try {
      names = readdirSync(tests).sort();
    } catch {
      continue;
    }
    for (const name of names) out.push({ name: `${pkg}/${name}`, dir: join(tests, name) });
  }
  return out;
}

interface ExpectedEntry {
  error: { type: string; violation: WeaverPolicyFinding };
}

function expectedEntries(dir: string): ExpectedEntry[] {
  return JSON.parse(readFileSync(join(dir, 'expected-diagnostic-output.json'), 'utf8')) as ExpectedEntry[];
}

function expectedFindings(dir: string): string[] {
  return expectedEntries(dir).map((e) => canonicalJson(e.error.violation)).sort();
}

const cases = listCases();

test('the weaver policy cases are there', () => {
  expect(cases.length).toBeGreaterThanOrEqual(26);
});

describe.each(cases)('$name', ({ dir }) => {
  test('native findings equal weaver recorded findings (as sets)', async () => {
    const { findings } = await runPolicyCase(dir);
    const actual = [...new Set(findings.map(canonicalJson))].sort();
    expect(actual).toEqual(expectedFindings(dir));
  });

  test('the whole entries, with weaver\'s rendered message, are equal too', async () => {
    const { findings } = await runPolicyCase(dir);
    const actual = [...new Set(findings.map((f) => canonicalJson(toDiagnosticEntry(f))))].sort();
    expect(actual).toEqual(expectedEntries(dir).map(canonicalJson).sort());
  });
});
