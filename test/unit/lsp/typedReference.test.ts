import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseRegistryFile } from '../../../src/core/semconv/parsedFile';
import { positionAt } from '../../../src/core/semconv/positions';
import { onlyIndentedKeyLinesChanged, onlyReferenceIdChanged } from '../../../src/server/features/typedReference';
import { seededRandom, yamlFiles } from '../semconv/helpers';
import { mixedFixture, positionOf, read, semconvMain } from './helpers';
import { at, service } from './service';

/** The verdict for `before` edited into `after`, asked for the line holding `needle` in `after`. */
function verdict(before: string, after: string, needle: string): boolean {
  const file = parseRegistryFile('/registry/x.yaml', before, false);
  return onlyReferenceIdChanged(file, after, positionOf(after, needle).line, (offset) => positionAt(file.lineCounter, offset).line);
}

const V1 = `groups:
  - id: span.shop.checkout
    type: span
    brief: Checkout.
    extends: attributes.shop.common
    note: |
      Written as:
        ref: shop.order.id
    attributes:
      - ref: shop.order.id
        requirement_level: required
      - ref: shop.cart.id
`;

describe('onlyReferenceIdChanged', () => {
  test('typing in the id after ref: or extends: keeps to the reference', () => {
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: shop.ord'), '- ref: shop.ord')).toBe(true);
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: shop.order.idx'), '- ref: shop.order.idx')).toBe(true);
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: '), '- ref: \n')).toBe(true);
    expect(verdict(V1, V1.replace('- ref: shop.cart.id', '- ref: s'), '- ref: s\n')).toBe(true);
    expect(verdict(V1, V1.replace('extends: attributes.shop.common', 'extends: attributes.sh'), 'extends: ')).toBe(true);
    expect(verdict(V1, V1, 'brief')).toBe(true);
  });

  test('anything else needs a fresh parse', () => {
    // The cursor is on another line than the change.
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: shop.ord'), '- ref: shop.cart.id')).toBe(false);
    // The key changes, or the line is not a reference.
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- rex: shop.order.id'), '- rex:')).toBe(false);
    expect(verdict(V1, V1.replace('brief: Checkout.', 'brief: Check'), 'brief:')).toBe(false);
    expect(verdict(V1, V1.replace('- id: span.shop.checkout', '- id: span.shop.check'), '- id:')).toBe(false);
    // A line break typed, a quote, a flow list, an anchor, a comment, a leading dash.
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: shop.\n'), '- ref: shop.')).toBe(false);
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: "shop.order.id'), '- ref: "')).toBe(false);
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: [shop.order.id'), '- ref: [')).toBe(false);
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: &a shop.order.id'), '- ref: &')).toBe(false);
    expect(verdict(V1, V1.replace('- ref: shop.order.id', '- ref: shop.order.id # x'), '- ref: shop.order.id #')).toBe(false);
    expect(verdict(V1, V1.replace('- ref: shop.cart.id', '- ref: -'), '- ref: -')).toBe(false);
    // Looks like a reference, but the parse read it as text of a block scalar (a brief or note).
    expect(verdict(V1, V1.replace('    ref: shop.order.id\n    attributes', '    ref: shop.o\n    attributes'), '    ref: shop.o')).toBe(false);
    // A more indented line below would continue the value.
    const continued = V1.replace('        requirement_level: required', '          more');
    expect(verdict(continued, continued.replace('- ref: shop.order.id', '- ref: shop.ord'), '- ref: shop.ord')).toBe(false);
  });
});

/** The verdict of onlyIndentedKeyLinesChanged for `before` edited into `after`. */
function keyVerdict(before: string, after: string, manifest = false): boolean {
  return onlyIndentedKeyLinesChanged(parseRegistryFile('/registry/x.yaml', before, manifest), after);
}

describe('onlyIndentedKeyLinesChanged', () => {
  const typing = V1.replace('        requirement_level: required', '        requirement_level: required\n        sa');
  test('a key being typed on an indented line, below the first top-level key', () => {
    expect(keyVerdict(typing, typing.replace('\n        sa\n', '\n        sam\n'))).toBe(true);
    expect(keyVerdict(typing, typing.replace('\n        sa\n', '\n        sampling_relevant:\n'))).toBe(true);
    expect(keyVerdict(typing, typing.replace('\n        sa\n', '\n        sampling_relevant: tr\n'))).toBe(true);
    expect(keyVerdict(V1, V1.replace('requirement_level: required', 'requirement_level: req'))).toBe(true);
    // Enter, then the first letter of a key; a blank line; a line removed.
    expect(keyVerdict(V1, V1.replace('        requirement_level: required\n', '        requirement_level: required\n        s\n'))).toBe(true);
    expect(keyVerdict(V1, V1.replace('        requirement_level: required\n', '        requirement_level: required\n\n'))).toBe(true);
    expect(keyVerdict(typing, V1)).toBe(true);
  });

  test('anything that could move the top-level keys needs a fresh parse', () => {
    // A line at column 0 changed or added; a changed line that is not a key being typed.
    expect(keyVerdict(V1, V1.replace('groups:', 'group:'))).toBe(false);
    expect(keyVerdict(typing, typing.replace('\n        sa\n', '\n        sa\nsa\n'))).toBe(false);
    expect(keyVerdict(V1, V1.replace('    brief: Checkout.', '    brief: Check out.'))).toBe(false);
    // What can span lines: a quote, a bracket, a brace, a block scalar, a comment, an anchor.
    for (const opener of ['"', "'", '[', '{', '|', '>', '#', '&a', '*a', '!t']) {
      expect(keyVerdict(typing, typing.replace('\n        sa\n', `\n        sa: ${opener}\n`)), opener).toBe(false);
    }
    // An indented line above the first top-level key, and a manifest.
    const leading = `  x: 1\n${V1}`;
    expect(keyVerdict(leading, leading.replace('  x: 1', '  x: 12'))).toBe(false);
    const manifest = 'name: m\ndependencies:\n  - name: a\n';
    expect(keyVerdict(manifest, manifest.replace('  - name: a', '  - name: ab'), true)).toBe(false);
  });
});

const KEY_EDITS = Number(process.env.KEY_EDITS ?? 300);

describe('completion while typing a reference id', () => {
  const spans = join(mixedFixture, 'shop/spans-v1.yaml');

  test('answers from the index without parsing, and only when the edit is that id in that file', async () => {
    const { ws, ls } = service(mixedFixture);
    await ls.refresh();
    const original = await read(spans);
    const typed = original.replace('- ref: shop.order.status', '- ref: shop.ord');
    const position = positionOf(typed, 'shop.ord', 8);
    ws.setOverlay(spans, typed);
    let parses = ws.parseCount;
    const list = await ls.completion(at(spans, position));
    expect(ws.parseCount).toBe(parses);
    expect(list.items.map((i) => i.label)).toEqual(['shop.order.id', 'shop.order.status']);

    // Another file edited meanwhile: the index must catch up first.
    const registry = join(mixedFixture, 'shop/registry-v2.yaml');
    ws.setOverlay(registry, (await read(registry)).replace('key: shop.order.id', 'key: shop.order.ident'));
    parses = ws.parseCount;
    const after = await ls.completion(at(spans, position));
    expect(ws.parseCount).toBe(parses + 2);
    expect(after.items.map((i) => i.label)).toEqual(['shop.order.ident', 'shop.order.status']);
  });

  test('on every reference of semconv-main: the same list as after a fresh parse', async () => {
    const { ws, ls } = service(semconvMain);
    await ls.refresh();
    // Every tenth file with references: a wide sample of v1 and v2 files, kept to a few seconds.
    const files = yamlFiles(semconvMain).filter((f, i) => i % 10 === 0 && /^\s+(?:-\s+)?(?:ref|extends):\s*\S/m.test(readFileSync(f, 'utf8')));
    expect(files.length).toBeGreaterThan(10);
    let fast = 0;
    for (const file of files) {
      const original = readFileSync(file, 'utf8');
      const lines = original.split('\n');
      const refLine = lines.findIndex((l) => /^\s+(?:-\s+)?(?:ref|extends):\s*[\w.]+\s*$/.test(l));
      if (refLine < 0) continue;
      const line = lines[refLine]!;
      const valueAt = line.search(/:\s*[\w.]+\s*$/) + line.slice(line.indexOf(':') + 1).search(/\S/) + 1;
      const id = line.slice(valueAt).trim();
      for (const typedId of [id.slice(0, 3), id.slice(0, -1), `${id}x`]) {
        const edited = [...lines.slice(0, refLine), line.slice(0, valueAt) + typedId, ...lines.slice(refLine + 1)].join('\n');
        ws.setOverlay(file, edited);
        const position = { line: refLine, character: valueAt + typedId.length };
        const parses = ws.parseCount;
        const quick = await ls.completion(at(file, position));
        if (ws.parseCount === parses) fast++;
        await ls.refresh();
        const fresh = await ls.completion(at(file, position));
        expect(quick, `${relative(semconvMain, file)}:${refLine + 1} typed ${typedId}`).toEqual(fresh);
      }
      ws.deleteOverlay(file);
      await ls.refresh();
    }
    // Most of these edits take the quick path (a few lines sit above a more indented one).
    expect(fast).toBeGreaterThan(files.length);
  });

  test('random one-character edits anywhere: whenever the index is used as is, the list is the one a fresh parse gives', async () => {
    const { ws, ls } = service(semconvMain);
    await ls.refresh();
    const next = seededRandom(20261126);
    const files = yamlFiles(semconvMain);
    const alphabet = ['a', 'e', 's', '.', '_', '-', ' ', ':', '"', '#', '[', '\n', '1'];
    let fast = 0;
    let parsed = 0;
    for (let i = 0; i < 500; i++) {
      const file = files[Math.floor(next() * files.length)]!;
      const original = readFileSync(file, 'utf8');
      const lines = original.split('\n');
      // Half the edits on reference lines (where the quick path is meant to apply), half anywhere.
      const refLines = lines.flatMap((l, n) => (/^\s+(?:-\s+)?(?:ref|extends|include|ref_group):/.test(l) ? [n] : []));
      const lineNo = refLines.length > 0 && next() < 0.5 ? refLines[Math.floor(next() * refLines.length)]! : Math.floor(next() * lines.length);
      const line = lines[lineNo]!;
      const col = Math.floor(next() * (line.length + 1));
      const edit = next() < 0.3 && col > 0 ? line.slice(0, col - 1) + line.slice(col) : line.slice(0, col) + alphabet[Math.floor(next() * alphabet.length)]! + line.slice(col);
      const edited = [...lines.slice(0, lineNo), edit, ...lines.slice(lineNo + 1)].join('\n');
      const editedLines = edited.split('\n');
      const position = { line: lineNo, character: Math.min(col, editedLines[lineNo]!.length) };
      ws.setOverlay(file, edited);
      const parses = ws.parseCount;
      const quick = await ls.completion(at(file, position));
      if (ws.parseCount === parses) {
        fast++;
        await ls.refresh();
        const fresh = await ls.completion(at(file, position));
        expect(quick, `${relative(semconvMain, file)}:${lineNo + 1}:${col} edited to ${JSON.stringify(edit)}`).toEqual(fresh);
      } else {
        parsed++;
      }
      ws.deleteOverlay(file);
      await ls.refresh();
    }
    expect(fast).toBeGreaterThan(40);
    expect(parsed).toBeGreaterThan(50);
  });

  test('typing keys on indented lines of semconv files: whenever the index is used as is, the list is the one a fresh parse gives', async () => {
    const { ws, ls } = service(semconvMain);
    await ls.refresh();
    const next = seededRandom(20261127);
    const files = yamlFiles(semconvMain);
    const word = ['a', 'e', 'n', 'o', 't', 's', 'r', '_', '.', ':', ' ', '-'];
    let fast = 0;
    for (let i = 0; i < KEY_EDITS; i++) {
      const file = files[Math.floor(next() * files.length)]!;
      const lines = readFileSync(file, 'utf8').split('\n');
      const indented = lines.flatMap((l, n) => (/^ +\S/.test(l) ? [n] : []));
      if (indented.length === 0) continue;
      const lineNo = indented[Math.floor(next() * indented.length)]!;
      // A new key line under this one, typed a few characters at a time: the first keystroke adds the
      // line (re-parse), the later ones stay on it.
      const indent = /^ */.exec(lines[lineNo]!)![0];
      let typed = '';
      const steps = 1 + Math.floor(next() * 5);
      for (let k = 0; k < steps; k++) {
        typed += word[Math.floor(next() * word.length)]!;
        const edited = [...lines.slice(0, lineNo + 1), indent + typed, ...lines.slice(lineNo + 1)].join('\n');
        ws.setOverlay(file, edited);
        const position = { line: lineNo + 1, character: indent.length + typed.length };
        const parses = ws.parseCount;
        const quick = await ls.completion(at(file, position));
        if (ws.parseCount !== parses) continue;
        fast++;
        const kind = ls.index.fileSymbols(file)!.file.kind;
        await ls.refresh();
        expect(ls.index.fileSymbols(file)!.file.kind, `${relative(semconvMain, file)}:${lineNo + 2} typed ${JSON.stringify(typed)}`).toBe(kind);
        const fresh = await ls.completion(at(file, position));
        expect(quick, `${relative(semconvMain, file)}:${lineNo + 2} typed ${JSON.stringify(typed)}`).toEqual(fresh);
      }
      ws.deleteOverlay(file);
      await ls.refresh();
    }
    expect(fast).toBeGreaterThan(KEY_EDITS / 2);
  }, 120_000);
});
