import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createNativeEngine } from '../../../src/core/engine/index';
import { checkSyntax } from '../../../src/core/semconv/checkSyntax';
import { parseRegistryFile } from '../../../src/core/semconv/parsedFile';
import { positionAt } from '../../../src/core/semconv/positions';
import { MAX_NESTING_DEPTH } from '../../../src/core/semconv/yamlLimits';
import { runCli } from '../cliRun';
import { checkFolder, removeTempRegistries, shared, tempRegistry, where } from './helpers';

/**
 * Files an attacker can put in a pull request: each is read to the end with a located finding naming
 * the limit weaver applies, never an exhausted heap or stack.
 */

afterAll(removeTempRegistries);

const GROUP_HEAD = 'groups:\n  - id: registry.bomb\n    type: attribute_group\n    brief: b\n    stability: stable\n';

/** A "billion laughs" file: nine levels of nine aliases each (9^9 strings once expanded). */
function aliasBomb(): string {
  const lines = ['    x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) lines.push(`    x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `${GROUP_HEAD}    annotations:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** Counts the values a plain value expands to (shared values counted each time they are reached). */
function expandedSize(value: unknown, budget: { left: number }): void {
  budget.left -= 1;
  if (budget.left < 0 || value === null || typeof value !== 'object') return;
  for (const v of Object.values(value)) {
    expandedSize(v, budget);
    if (budget.left < 0) return;
  }
}

describe('alias expansion', () => {
  it('a billion-laughs file gets one finding at the alias that passes the limit, and the check completes', async () => {
    const text = aliasBomb();
    expect(text.length).toBeLessThan(800);
    const dir = await tempRegistry({ 'bomb.yaml': text });
    const { diagnostics } = await checkFolder(dir);
    const limit = diagnostics.filter((d) => /repetition limit exceeded/.test(d.message));
    expect(limit).toHaveLength(1);
    const [finding] = limit;
    expect(finding!.code).toBe('yaml-syntax');
    expect(finding!.severity).toBe('error');
    // It sits on an alias of the file (`*aN`), on that alias's line.
    const line = text.split('\n')[finding!.range.start.line]!;
    expect(line.slice(finding!.range.start.character)).toMatch(/^\*a\d/);
    expect(finding!.message).toMatch(/100 times its size.*: write the values out/);
  });

  it('what is left of the bomb expands to at most a hundred times the file', () => {
    const text = aliasBomb();
    const file = parseRegistryFile('/r/bomb.yaml', text, false);
    const budget = { left: 100 * text.length };
    expandedSize(file.value(), budget);
    expect(budget.left).toBeGreaterThanOrEqual(0);
    // The aliases that fit are still expanded: the first levels keep their values.
    expect((file.value() as { groups: Array<{ annotations: Record<string, unknown[]> }> }).groups[0]!.annotations.x1![0]).toEqual(Array(9).fill('lol'));
  });

  it('the native engine and `registry check` report it and exit 1', async () => {
    const dir = await tempRegistry({ 'bomb.yaml': aliasBomb() });
    const engine = createNativeEngine();
    const { diagnostics } = await engine.check(await engine.load({ registryPath: dir }));
    expect(diagnostics.some((d) => /repetition limit exceeded/.test(d.message))).toBe(true);
    const { code, stdout } = await runCli(['registry', 'check', '-r', dir], dir);
    expect(code).toBe(1);
    expect(stdout).toMatch(/bomb\.yaml:1[0-4]:\d+: error yaml-syntax: .*repetition limit exceeded/);
  });

  it('an alias inside the collection it names is cut, with a finding at the alias', () => {
    const text = `${GROUP_HEAD}    annotations:\n      loop: &loop [1, *loop]\n`;
    const file = parseRegistryFile('/r/loop.yaml', text, false);
    const findings = checkSyntax(file);
    expect(findings.map((d) => d.message)).toEqual([expect.stringMatching(/alias \*loop names a collection that contains it/)]);
    expect(findings[0]!.range.start).toEqual(positionAt(file.lineCounter, text.indexOf('*loop')));
    expect(file.value()).toMatchObject({ groups: [{ annotations: { loop: [1, null] } }] });
  });

  it('aliases registries use (a brief reused many times) raise nothing', async () => {
    const attributes = Array.from(
      { length: 200 },
      (_, i) => `      - id: demo.a${i}\n        type: string\n        brief: ${i === 0 ? '&brief The shared brief.' : '*brief'}\n        stability: development\n        examples: ${i === 0 ? '&ex ["a", "b"]' : '*ex'}\n`,
    ).join('');
    const dir = await tempRegistry({ 'attrs.yaml': `groups:\n  - id: registry.demo\n    type: attribute_group\n    brief: d\n    attributes:\n${attributes}` });
    const { diagnostics } = await checkFolder(dir);
    expect(diagnostics).toEqual([]);
  });
});

describe('nesting depth', () => {
  const flow = (levels: number): string => `${GROUP_HEAD}    annotations:\n      deep: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
  const block = (levels: number): string => `${GROUP_HEAD}    annotations:\n      deep:\n        ${'- '.repeat(levels)}x\n`;

  for (const [name, make, opener] of [
    ['flow', flow, '['],
    ['block', block, '- '],
  ] as const) {
    it(`${name}: 100,000 levels give one finding at the first level past the limit, never a stack overflow`, async () => {
      const text = make(100_000);
      const dir = await tempRegistry({ 'deep.yaml': text });
      const { diagnostics } = await checkFolder(dir);
      expect(diagnostics.filter((d) => /Maximum call stack|RangeError/.test(d.message))).toEqual([]);
      const limit = diagnostics.filter((d) => /recursion limit exceeded/.test(d.message));
      expect(limit).toHaveLength(1);
      // groups, its item, annotations: the value of `deep` opens level 4 + 1, so the cut is at
      // opener (limit - 4), 0-based.
      const line = text.split('\n').findIndex((l) => l.includes(opener.repeat(10)));
      const column = text.split('\n')[line]!.indexOf(opener) + (MAX_NESTING_DEPTH - 4) * opener.length;
      expect(where(limit)).toEqual([`yaml-syntax@${line}:${column}`]);
      expect(limit[0]!.message).toMatch(/nest more than 128 levels deep here.*: flatten the structure/);
    });
  }

  it('block nesting the parser cannot even close (a line goes back out of 100,000 levels) gives one finding, no RangeError', async () => {
    const text = `${GROUP_HEAD}    annotations:\n      deep:\n        ${'- '.repeat(100_000)}x\n      after: 1\n`;
    const dir = await tempRegistry({ 'deep.yaml': text });
    const { diagnostics } = await checkFolder(dir);
    expect(diagnostics.filter((d) => /Maximum call stack|RangeError/.test(d.message))).toEqual([]);
    const limit = diagnostics.filter((d) => /recursion limit exceeded/.test(d.message));
    expect(limit).toHaveLength(1);
    // At the first sequence nested past the limit, on the deep line.
    const line = text.split('\n').findIndex((l) => l.includes('- - - -'));
    expect(where(limit)).toEqual([`yaml-syntax@${line}:${8 + (MAX_NESTING_DEPTH - 4) * 2}`]);
  });

  it('nesting up to the limit is read as it is', () => {
    const within = parseRegistryFile('/r/ok.yaml', flow(MAX_NESTING_DEPTH - 4), false);
    expect(checkSyntax(within)).toEqual([]);
    const past = parseRegistryFile('/r/past.yaml', flow(MAX_NESTING_DEPTH - 3), false);
    expect(checkSyntax(past).map((d) => d.message)).toEqual([expect.stringMatching(/recursion limit exceeded/)]);
  });

  it('block mappings nested by indentation are cut the same way', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    const text = `${lines.join('\n')} leaf\n`;
    const file = parseRegistryFile('/r/maps.yaml', text, false);
    const findings = checkSyntax(file);
    expect(where(findings)).toEqual([`yaml-syntax@${MAX_NESTING_DEPTH}:${MAX_NESTING_DEPTH}`]);
  });

  it('an alias that would nest past the limit is cut at the alias', () => {
    const text = `${GROUP_HEAD}    annotations:\n      deep: &d ${'['.repeat(120)}${']'.repeat(120)}\n      deeper: [[[[[[[[[[*d]]]]]]]]]]\n`;
    const file = parseRegistryFile('/r/alias-deep.yaml', text, false);
    const findings = checkSyntax(file);
    expect(findings.map((d) => d.message)).toEqual([expect.stringMatching(/alias \*d expands to collections nested more than 128 levels deep/)]);
    expect(findings[0]!.range.start).toEqual(positionAt(file.lineCounter, text.indexOf('*d')));
  });
});

describe('wide mappings', () => {
  it('a mapping of 50,000 keys with one repeated reports that key once, on its line', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `      k${i}: ${i}`);
    keys.push('      k123: again');
    const text = `${GROUP_HEAD}    annotations:\n${keys.join('\n')}\n`;
    const file = parseRegistryFile('/r/wide.yaml', text, false);
    const findings = checkSyntax(file);
    expect(findings.map((d) => d.message)).toEqual([expect.stringMatching(/Map keys must be unique: remove or rename one of the two keys/)]);
    expect(findings[0]!.range.start).toEqual(positionAt(file.lineCounter, text.indexOf('k123: again')));
  });
});

describe('lone carriage returns', () => {
  const registryFile = shared('registries', 'semconv-main', 'http', 'spans.yaml');

  it('a registry file with old Mac line endings checks as the same file with \\n', async () => {
    const lf = readFileSync(registryFile, 'utf8');
    expect(lf).not.toContain('\r');
    const dirLf = await tempRegistry({ 'spans.yaml': lf });
    const dirCr = await tempRegistry({ 'spans.yaml': lf.replace(/\n/g, '\r') });
    const dirMixed = await tempRegistry({ 'spans.yaml': lf.split('\n').map((l, i) => l + ['\n', '\r', '\r\n'][i % 3]).join('').slice(0, -1) });
    const byLf = where((await checkFolder(dirLf)).diagnostics);
    // Unresolved references (the attributes live in other files) are the findings of the file alone.
    expect(byLf.length).toBeGreaterThan(0);
    expect(byLf.every((w) => !w.startsWith('yaml-syntax'))).toBe(true);
    expect(where((await checkFolder(dirCr)).diagnostics)).toEqual(byLf);
    expect(where((await checkFolder(dirMixed)).diagnostics)).toEqual(byLf);
  });

  it('values read across lone CRs are the values read across \\n', () => {
    const text = 'groups:\r  - id: a\r    type: attribute_group\r    brief: "multi\r      line"\r    note: >\r      folded\r      text\r';
    const file = parseRegistryFile('/r/cr.yaml', text, false);
    expect(checkSyntax(file)).toEqual([]);
    expect(file.value()).toEqual(parseRegistryFile('/r/lf.yaml', text.replace(/\r/g, '\n'), false).value());
    expect(positionAt(file.lineCounter, text.indexOf('folded'))).toEqual({ line: 6, character: 6 });
  });
});
