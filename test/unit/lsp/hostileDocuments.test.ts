import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { DiagnosticsScheduler } from '../../../src/server/diagnosticsScheduler';
import { COMPLETION_LIMIT, matchTier } from '../../../src/server/features/completion';
import { RegistryLanguageService } from '../../../src/server/features/languageService';
import { DOCUMENT_TOO_LARGE_CODE, type OversizedDocument } from '../../../src/server/oversizedDocuments';
import { positionOf, read, semconvMain } from './helpers';
import { at, hoverText, service } from './service';

/**
 * The language server on documents an attacker (or a generator) can hand it: completion lists stay
 * short, documents past the size limit get syntax checks only and say so, and alias bombs or deep
 * nesting in an open buffer give findings, never a crash of the features.
 */

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-hostile-lsp-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('completion is capped', () => {
  test('an empty prefix after `ref:` on semconv-main gives at most the cap, best ranked, marked incomplete', async () => {
    const { ws, ls } = service(semconvMain);
    const file = join(semconvMain, 'http', 'spans.yaml');
    const original = await read(file);
    const edited = original.replace(/- ref: [\w.]+\n/, '- ref: \n');
    ws.setOverlay(file, edited);
    const list = await ls.completion(at(file, positionOf(edited, '- ref: \n', 7)));
    const all = ls.index.allAttributes().length;
    expect(all).toBeGreaterThan(COMPLETION_LIMIT);
    expect(list.items).toHaveLength(COMPLETION_LIMIT);
    expect(list.isIncomplete).toBe(true);
    // The cut keeps the best: attributes of the span's own namespace (http) come first.
    expect(list.items[0]!.label.startsWith('http.')).toBe(true);
    expect(list.items.map((i) => i.sortText)).toEqual([...list.items.map((i) => i.sortText!)].sort());
  });

  test('a prefix that matches fewer than the cap gives them all, complete', async () => {
    const { ws, ls } = service(semconvMain);
    const file = join(semconvMain, 'http', 'spans.yaml');
    const edited = (await read(file)).replace(/- ref: [\w.]+\n/, '- ref: http.request.method_o\n');
    ws.setOverlay(file, edited);
    const list = await ls.completion(at(file, positionOf(edited, 'http.request.method_o', 21)));
    const expected = ls.index.allAttributes().filter((a) => matchTier(a.id, 'http.request.method_o') !== undefined).length;
    expect(list.items.length).toBe(expected);
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.isIncomplete).toBe(false);
  });
});

const GROUP = (id: string, extra = ''): string =>
  `  - id: ${id}\n    type: attribute_group\n    brief: Attributes ${id}.\n    attributes:\n      - id: ${id}.a\n        type: string\n        brief: A.\n        stability: development\n        examples: ["x"]\n${extra}`;

describe('documents past the size limit', () => {
  const limit = 64 * 1024;

  async function setup() {
    const root = await mkdtemp(join(work, 'big-'));
    const file = join(root, 'big.yaml');
    await writeFile(file, `groups:\n${GROUP('registry.small')}`);
    const ws = new RegistryWorkspace(root);
    const published = new Map<string, readonly RegistryDiagnostic[]>();
    const syntaxOnly: OversizedDocument[][] = [];
    const scheduler = new DiagnosticsScheduler({
      checker: ws,
      debounceMs: 0,
      policyDelayMs: 0,
      maxDocumentSize: limit,
      publish: (f, diagnostics) => published.set(f, diagnostics),
      onSyntaxOnly: (docs) => syntaxOnly.push(docs),
    });
    const ls = new RegistryLanguageService(ws, undefined, (p) => scheduler.syntaxOnlyText(p));
    return { root, file, ws, scheduler, ls, published, syntaxOnly };
  }

  /** Many groups, one of them with an unknown field (a schema finding) and a YAML error at the end. */
  function bigText(groups: number): string {
    const parts = ['groups:\n'];
    for (let i = 0; i < groups; i++) parts.push(GROUP(`registry.g${i}`, i === 3 ? '    colour: red\n' : i === 7 ? '      - ref: registry.small.a\n' : ''));
    return parts.join('');
  }

  test('get their YAML syntax checked, a notice on line 1, and no other finding or feature', async () => {
    const { file, scheduler, ls, published, syntaxOnly } = await setup();
    let text = bigText(400);
    expect(text.length).toBeGreaterThan(limit);
    text += '  - id: "unclosed\n';
    scheduler.update(file, 1, text);
    await scheduler.flush();
    const findings = published.get(file) ?? [];
    expect(findings[0]).toMatchObject({ code: DOCUMENT_TOO_LARGE_CODE, severity: 'information', range: { start: { line: 0, character: 0 } } });
    expect(findings[0]!.message).toMatch(/larger than weavergen\.server\.maxDocumentSize \(0\.1 MB\): while it is open, only its YAML syntax is checked/);
    const lastLine = text.split('\n').length - 2;
    expect(findings.slice(1).map((d) => [d.code, d.range.start.line])).toEqual([['yaml-syntax', lastLine]]);
    // The schema finding of group 3 is not looked for.
    expect(findings.some((d) => d.code === 'schema')).toBe(false);
    expect(syntaxOnly.at(-1)).toEqual([{ path: file, size: text.length }]);
    // Editing features answer nothing for it rather than answer from the file on disk, except hover
    // on an attribute id, read from the cursor line and looked up in the registry as indexed.
    expect(await ls.hover(at(file, positionOf(text, 'registry.g5.a')))).toBeNull();
    const onRef = positionOf(text, 'ref: registry.small.a', 8);
    const hover = await ls.hover(at(file, onRef));
    expect(hoverText(hover)).toMatch(/\*\*attribute\*\* `registry\.small\.a`/);
    expect(hover!.range).toEqual({ start: { line: onRef.line, character: 13 }, end: { line: onRef.line, character: 13 + 'registry.small.a'.length } });
    expect(await ls.hover(at(file, { line: onRef.line, character: 3 }))).toBeNull();
    expect((await ls.completion(at(file, positionOf(text, 'type: string', 6)))).items).toEqual([]);
    expect(await ls.documentSymbols({ textDocument: at(file, { line: 0, character: 0 }).textDocument })).toEqual([]);
  });

  test('past the per-file byte limit, an open buffer is not even parsed: the notice alone, naming the setting', async () => {
    const { file, scheduler, published, syntaxOnly } = await setup();
    const parseLimit = 128 * 1024;
    const huge = new DiagnosticsScheduler({
      checker: new RegistryWorkspace(dirname(file)),
      debounceMs: 0,
      policyDelayMs: 0,
      maxDocumentSize: limit,
      maxParseSize: parseLimit,
      publish: (f, diagnostics) => published.set(f, diagnostics),
      onSyntaxOnly: (docs) => syntaxOnly.push(docs),
    });
    // A YAML error the syntax check would find if the buffer were parsed.
    const text = `${bigText(800)}  - id: "unclosed\n`;
    expect(text.length).toBeGreaterThan(parseLimit);
    huge.update(file, 1, text);
    await huge.flush();
    const findings = published.get(file) ?? [];
    expect(findings.map((d) => d.code)).toEqual([DOCUMENT_TOO_LARGE_CODE]);
    expect(findings[0]!.message).toMatch(/not checked at all, not even its YAML syntax.*weavergen\.files\.maxFileSize/);
    // Under the byte limit the same scheduler options still check the syntax.
    const smaller = `${bigText(400)}  - id: "unclosed\n`;
    scheduler.update(file, 1, smaller);
    await scheduler.flush();
    expect((published.get(file) ?? []).map((d) => d.code)).toEqual([DOCUMENT_TOO_LARGE_CODE, 'yaml-syntax']);
  });

  test('back under the limit, the document is checked in full again', async () => {
    const { file, scheduler, ls, published, syntaxOnly } = await setup();
    scheduler.update(file, 1, bigText(400));
    await scheduler.flush();
    const small = bigText(5);
    scheduler.update(file, 2, small);
    await scheduler.flush();
    const findings = published.get(file) ?? [];
    expect(findings.map((d) => d.code)).toEqual(['schema']);
    expect(syntaxOnly.at(-1)).toEqual([]);
    expect(hoverText(await ls.hover(at(file, positionOf(small, 'registry.g2.a'))))).toMatch(/registry\.g2\.a/);
  });
});

describe('hostile buffers in the editor', () => {
  test('an alias bomb and 100k-level nesting in open buffers: findings, and features that answer', async () => {
    const root = await mkdtemp(join(work, 'bomb-'));
    const bombFile = join(root, 'bomb.yaml');
    const deepFile = join(root, 'deep.yaml');
    const lines = ['      x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) lines.push(`      x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
    const bomb = `groups:\n${GROUP('registry.bomb')}    annotations:\n${lines.join('\n')}\n`;
    const deep = `groups:\n${GROUP('registry.deep')}    annotations:\n      deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    await writeFile(bombFile, bomb);
    await writeFile(deepFile, deep);
    const ws = new RegistryWorkspace(root);
    const published = new Map<string, readonly RegistryDiagnostic[]>();
    const scheduler = new DiagnosticsScheduler({ checker: ws, debounceMs: 0, policyDelayMs: 0, publish: (f, d) => published.set(f, d) });
    scheduler.update(bombFile, 1, bomb);
    scheduler.update(deepFile, 1, deep);
    await scheduler.flush();
    expect((published.get(bombFile) ?? []).filter((d) => /repetition limit exceeded/.test(d.message))).toHaveLength(1);
    expect((published.get(deepFile) ?? []).filter((d) => /recursion limit exceeded/.test(d.message))).toHaveLength(1);
    expect([...published.values()].flat().filter((d) => /Maximum call stack/.test(d.message))).toEqual([]);
    const ls = new RegistryLanguageService(ws);
    expect(hoverText(await ls.hover(at(bombFile, positionOf(bomb, 'registry.bomb.a'))))).toMatch(/registry\.bomb\.a/);
    expect((await ls.documentSymbols({ textDocument: at(deepFile, { line: 0, character: 0 }).textDocument })).length).toBeGreaterThan(0);
    expect(await ls.foldingRanges({ textDocument: at(bombFile, { line: 0, character: 0 }).textDocument })).not.toEqual([]);
  });
});
