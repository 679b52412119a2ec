import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { createNativeEngine } from '../../../src/core/engine/index';
import { RegistryRunEntries } from '../../../src/extension/registryRunEntries';
import { shared } from '../semconv/helpers';

/**
 * The bookkeeping behind Check Registry's entries in the shared problems collection
 * (src/extension/problems.ts applies it to the vscode DiagnosticCollection). Input: the findings
 * the native engine's check gives for weaver's own backwards-compatibility policy case
 * (../shared/conformance, `attribute`, read in place) with and without its `base` as the baseline
 * registry, as Check Registry runs it with and without `weavergen.check.baselineRegistry`.
 */

const attributeCase = resolve(__dirname, '../../../../shared/conformance/weaver-policies/backwards-compatibility/tests/attribute');
const root = join(attributeCase, 'current');
const base = join(attributeCase, 'base');
const baseFile = join(base, 'model.yaml');
/** A folder beside the registry whose name starts with the registry's: not inside it. */
const besideRoot = `${root}-copy`;

let withBaseline: RegistryDiagnostic[];
let withoutBaseline: RegistryDiagnostic[];

beforeAll(async () => {
  const engine = createNativeEngine();
  const loaded = await engine.load({ registryPath: root });
  // The comparison rules are policies: they run when named, as with weaver.
  withBaseline = (await engine.check(loaded, undefined, { baselineRegistryPath: base, policies: [shared('policies', 'opentelemetry-weaver-packages', 'policies', 'check')] })).diagnostics;
  withoutBaseline = (await engine.check(loaded)).diagnostics;
});

/** A stand-in for the collection: file -> the codes of its entry, written the way problems.ts writes it. */
class Collection {
  readonly entries = new Map<string, string[]>();
  readonly runs = new RegistryRunEntries();

  checkRun(diagnostics: readonly RegistryDiagnostic[]): void {
    const byFile = new Map<string, string[]>();
    for (const d of diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d.code]);
    for (const file of this.runs.replace(root, this.entries.keys(), byFile.keys())) this.entries.delete(file);
    for (const [file, codes] of byFile) this.entries.set(file, codes);
  }

  server(file: string, codes: string[]): void {
    this.runs.released(file);
    if (codes.length === 0) this.entries.delete(file);
    else this.entries.set(file, codes);
  }
}

describe("Check Registry's entries in the problems collection", () => {
  test('the inputs: with the baseline, a removed attribute is reported in the baseline file, outside the registry', () => {
    const inBaseline = withBaseline.filter((d) => d.file === baseFile);
    expect(inBaseline.map((d) => d.code)).toContain('compatibility_removed_attribute');
    expect(withoutBaseline.some((d) => d.file.startsWith(base))).toBe(false);
  });

  test("a run replaces the previous run's entry in a baseline file, and leaves other sources' entries outside the registry", () => {
    const c = new Collection();
    c.server(join(besideRoot, 'model.yaml'), ['unresolved-ref']);
    c.checkRun(withBaseline);
    expect(c.entries.get(baseFile)).toContain('compatibility_removed_attribute');

    // The baseline setting is cleared and Check Registry runs again: the baseline file's entry goes.
    c.checkRun(withoutBaseline);
    expect(c.entries.has(baseFile)).toBe(false);
    expect([...c.entries.keys()].sort()).toEqual([...new Set([...withoutBaseline.map((d) => d.file), join(besideRoot, 'model.yaml')])].sort());
    expect(c.entries.get(join(besideRoot, 'model.yaml'))).toEqual(['unresolved-ref']);
  });

  test('an entry the language server wrote after the run is the server\'s: the next run leaves it', () => {
    const c = new Collection();
    c.checkRun(withBaseline);
    // The server's idle pass publishes the baseline file's findings itself.
    const serverCodes = withBaseline.filter((d) => d.file === baseFile).map((d) => d.code);
    c.server(baseFile, serverCodes);
    c.checkRun(withoutBaseline);
    expect(c.entries.get(baseFile)).toEqual(serverCodes);
  });

  test('every entry under the registry folder is replaced by the whole-registry result, whoever wrote it', () => {
    const c = new Collection();
    const stray = join(root, 'removed-since.yaml');
    c.server(stray, ['yaml-syntax']);
    c.checkRun(withoutBaseline);
    expect(c.entries.has(stray)).toBe(false);
    // A run with findings in the same files keeps them, replaced by the new findings.
    c.checkRun(withBaseline);
    c.checkRun(withBaseline);
    expect(c.entries.get(baseFile)).toEqual(withBaseline.filter((d) => d.file === baseFile).map((d) => d.code));
  });
});
