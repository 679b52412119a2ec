import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Composer, Lexer, Parser, YAMLParseError, type CST, type Document } from 'yaml';
import { findDuplicateKeys } from '../../../src/core/semconv/yamlDuplicateKeys';
import { limitAliases, limitNesting } from '../../../src/core/semconv/yamlLimits';
import { parseYamlDocument } from '../../../src/core/semconv/yamlParse';
import { seededRandom, shared, yamlFiles } from './helpers';

/**
 * The parse goes through yaml's lexer and parser with their generators turned into callbacks
 * (scripts/generate-yaml-push-parser.mjs). These tests hold it to the stock generators: the same
 * documents, node for node (every own property, in order, errors included), on every YAML file of
 * ../shared and on thousands of broken variants of them.
 */

interface LexerInternals {
  buffer: string;
  pos: number;
  atEnd: boolean;
  flowLevel: number;
  charAt(n: number): string;
  setNext(state: string): number;
  pushToIndex(i: number, allNull: boolean): Generator<string, number>;
}

/** The libyaml-like quoted scalar of yamlParse.ts, as the generator it was written as against the stock lexer. */
function* stockLenientQuotedScalar(this: LexerInternals): Generator<string, string | number> {
  const buffer = this.buffer;
  const quote = this.charAt(0);
  let end = buffer.indexOf(quote, this.pos + 1);
  if (quote === "'") {
    while (end !== -1 && buffer[end + 1] === "'") end = buffer.indexOf("'", end + 2);
  } else {
    while (end !== -1) {
      let backslashes = 0;
      while (buffer[end - 1 - backslashes] === '\\') backslashes += 1;
      if (backslashes % 2 === 0) break;
      end = buffer.indexOf('"', end + 1);
    }
  }
  const inside = end === -1 ? buffer : buffer.substring(0, end);
  for (let nl = inside.indexOf('\n', this.pos); nl !== -1; nl = inside.indexOf('\n', nl + 1)) {
    const marker = buffer.substr(nl + 1, 3);
    const after = buffer[nl + 4];
    if ((marker === '---' || marker === '...') && (after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r')) {
      end = nl - (inside[nl - 1] === '\r' ? 2 : 1);
      break;
    }
  }
  if (end === -1) {
    if (!this.atEnd) return this.setNext('quoted-scalar');
    end = buffer.length;
  }
  yield* this.pushToIndex(end + 1, false);
  return this.flowLevel ? 'flow' : 'doc';
}

/**
 * What parseYamlDocument gives through the stock generator lexer and parser: lone `\r` read as line
 * breaks, weaver's nesting and alias limits applied (yamlLimits.ts) and duplicate keys found
 * (yamlDuplicateKeys.ts) the same way. `uniqueKeys: true` instead: the composer's own duplicate check.
 */
function stockParse(text: string, { uniqueKeys = false } = {}): Document.Parsed {
  const parser = new Parser();
  const lexer = new Lexer();
  (lexer as unknown as { parseQuotedScalar: unknown }).parseQuotedScalar = stockLenientQuotedScalar;
  (parser as unknown as { lexer: Lexer }).lexer = lexer;
  const composer = new Composer({ logLevel: 'error', uniqueKeys });
  let doc: Document.Parsed | undefined;
  let nesting: YAMLParseError | undefined;
  let documents = 0;
  function* limited(tokens: Iterable<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type === 'document') {
        documents += 1;
        const limited = limitNesting(token);
        if (documents === 1) nesting = limited.error;
      }
      yield token;
    }
  }
  let extra: YAMLParseError | undefined;
  for (const next of composer.compose(limited(parser.parse(text.replace(/\r(?!\n)/g, '\n'))), true, text.length)) {
    if (!doc) doc = next;
    else {
      extra = new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents');
      break;
    }
  }
  if (!uniqueKeys) findDuplicateKeys(doc!);
  if (nesting) doc!.errors.push(nesting);
  if (extra) doc!.errors.push(extra);
  limitAliases(doc!);
  return doc!;
}

/** The first difference between two values, comparing every own property (symbols too) in order. */
function difference(a: unknown, b: unknown, path: string, seen = new Set<unknown>()): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) return undefined;
    if (typeof a === 'function' && typeof b === 'function' && String(a) === String(b)) return undefined;
    return `${path}: ${String(a)} !== ${String(b)}`;
  }
  if (seen.has(a)) return undefined;
  seen.add(a);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.map(String).join() !== keysB.map(String).join()) return `${path}: keys ${keysA.map(String).join()} vs ${keysB.map(String).join()}`;
  for (const key of keysA) {
    // Stack traces name the functions that threw, which differ by construction.
    if (key === 'stack') continue;
    const da = Object.getOwnPropertyDescriptor(a, key) as PropertyDescriptor;
    const db = Object.getOwnPropertyDescriptor(b, key) as PropertyDescriptor;
    if ('get' in da || 'set' in da) continue;
    const d = difference(da.value, db.value, `${path}.${String(key)}`, seen);
    if (d) return d;
  }
  return undefined;
}

const NOISE = ['"', "'", '[', ']', '{', '}', ':', '- ', '#', '&a', '*a', '!', '|', '>', '\t', '\r', '\n', '---\n', '...', '%', '? ', ',', '\\', ' ', '\uFEFF'];

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number): number => Math.floor(next() * n);
  switch (pick(5)) {
    case 0:
      lines.splice(pick(lines.length), 1 + pick(3));
      return lines.join('\n');
    case 1: {
      const at = pick(lines.length);
      lines.splice(at, 0, lines[at] ?? '');
      return lines.join('\n');
    }
    case 2: {
      const at = pick(lines.length);
      lines[at] = ' '.repeat(pick(5)) + (lines[at] ?? '').trimStart();
      return lines.join('\n');
    }
    case 3: {
      let out = text;
      for (let k = 0, n = 1 + pick(4); k < n; k++) {
        const at = pick(out.length + 1);
        out = out.slice(0, at) + (NOISE[pick(NOISE.length)] as string) + out.slice(at);
      }
      return out;
    }
    default:
      return text.slice(0, pick(text.length + 1));
  }
}

describe('yaml push parser', () => {
  it('gives the stock parse of every YAML file of the shared registries and weaver fixtures', () => {
    const files = [...yamlFiles(shared('registries')), ...yamlFiles(shared('conformance'))];
    expect(files.length).toBeGreaterThan(800);
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      expect({ path, difference: difference(parseYamlDocument(text), stockParse(text), 'doc') }).toEqual({ path, difference: undefined });
    }
  }, 60_000);

  it('gives the stock parse, errors included, of 2000 broken variants of registry files', () => {
    const files = yamlFiles(shared('registries', 'semconv-main')).filter((_, i) => i % 5 === 0);
    const next = seededRandom(20261125);
    let withErrors = 0;
    let withDuplicates = 0;
    for (let i = 0; i < 2000; i++) {
      const path = files[i % files.length] as string;
      let text = readFileSync(path, 'utf8');
      for (let m = 0, n = 1 + Math.floor(next() * 3); m < n; m++) text = mutate(text, next);
      const mine = parseYamlDocument(text);
      if (mine.errors.length > 0) withErrors++;
      expect({ case: i, path, difference: difference(mine, stockParse(text), 'doc') }).toEqual({ case: i, path, difference: undefined });
      // The linear duplicate-key pass finds what the composer's own check finds. The composer places
      // the error where the key's properties end, which in a broken file can be the line break before
      // the key; the pass places it on the key: only blank text may lie between the two.
      const duplicates = (doc: Document.Parsed): number[] => doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]).sort((a, b) => a - b);
      const own = duplicates(mine);
      const composers = duplicates(stockParse(text, { uniqueKeys: true }));
      if (own.length > 0) withDuplicates++;
      expect({ case: i, path, count: own.length }).toEqual({ case: i, path, count: composers.length });
      own.forEach((at, k) => expect({ case: i, between: text.slice(composers[k], at).trim() }).toEqual({ case: i, between: '' }));
    }
    // The variants reach the error paths, not only the happy one.
    expect(withErrors).toBeGreaterThan(300);
    expect(withDuplicates).toBeGreaterThan(50);
  }, 120_000);

  it('is what scripts/generate-yaml-push-parser.mjs makes of the installed yaml', async () => {
    // @ts-expect-error a script without typings
    const { generate, OUTPUT } = (await import('../../../scripts/generate-yaml-push-parser.mjs')) as { generate(): string; OUTPUT: string };
    expect(readFileSync(OUTPUT, 'utf8')).toBe(generate());
  });
});
