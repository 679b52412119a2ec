import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ResponseError, type Range, type TextEdit } from 'vscode-languageserver/node';
import { applyEdits, mixedFixture, positionOf, read, semconvMain, textAt, uri } from './helpers';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { RegistryLanguageService } from '../../../src/server/features/languageService';
import { IdleCollector } from '../../../src/server/idleCollector';
import { at, hoverText, service } from './service';

/** Every editing feature on the small mixed v1/v2 registry (test/fixtures/registries/mixed). */

const v1Registry = join(mixedFixture, 'shop/registry-v1.yaml');
const v2Registry = join(mixedFixture, 'shop/registry-v2.yaml');
const v2Signals = join(mixedFixture, 'shop/signals-v2.yaml');
const v1Spans = join(mixedFixture, 'shop/spans-v1.yaml');

describe('hover', () => {
  test('on a v1 ref: the v2 definition with type, members, brief, the ref requirement level and where it is defined', async () => {
    const { ls } = service(mixedFixture);
    const text = await read(v1Spans);
    const hover = await ls.hover(at(v1Spans, positionOf(text, 'shop.order.status', 4)));
    const md = hoverText(hover);
    expect(md).toContain('**attribute** `shop.order.status` · development');
    expect(md).toContain('**Type:** `enum (string)`');
    expect(md).toContain('| `placed` | `placed` | development |');
    expect(md).toContain('Status of the order.');
    expect(md).toContain('**Requirement level:** required (set by this reference)');
    expect(md).toContain('Defined in `shop/registry-v2.yaml:8`');
    expect(textAt(text, hover!.range!)).toBe('shop.order.status');
  });

  test('on a group: its attributes, inherited ones with where they come from', async () => {
    const { ls } = service(mixedFixture);
    const text = await read(v1Spans);
    const md = hoverText(await ls.hover(at(v1Spans, positionOf(text, 'span.shop.checkout'))));
    expect(md).toContain('**span** `span.shop.checkout` · development');
    expect(md).toContain('**Span kind:** `server`');
    expect(md).toContain('| `shop.order.status` | `enum (string)` | required | this group |');
    expect(md).toContain('| `shop.cart.id` | `string` |  | extends `attributes.shop.checkout.common` |');
    expect(md).toContain('| `shop.order.id` | `string` |  | extends `attributes.shop.checkout.common` |');
  });

  test('on a v2 metric: attributes pulled in through ref_group', async () => {
    const { ls } = service(mixedFixture);
    const text = await read(v2Signals);
    const md = hoverText(await ls.hover(at(v2Signals, positionOf(text, 'shop.orders.placed'))));
    expect(md).toContain('**metric** `shop.orders.placed`');
    expect(md).toContain('Group id: `metric.shop.orders.placed`');
    expect(md).toContain('| `shop.cart.item_count` | `int` |  | ref_group `shop.attributes.order` |');
    expect(md).toContain('| `shop.order.status` | `enum (string)` |  | this group |');
  });

  test('nothing on a plain key; an unknown ref says so', async () => {
    const { ws, ls } = service(mixedFixture);
    const text = await read(v1Spans);
    expect(await ls.hover(at(v1Spans, positionOf(text, 'span_kind')))).toBeNull();
    ws.setOverlay(v1Spans, text.replace('ref: shop.order.status', 'ref: shop.order.stat'));
    const md = hoverText(await ls.hover(at(v1Spans, positionOf(text, 'shop.order.stat'))));
    expect(md).toBe('attribute `shop.order.stat` is not defined in this registry or its loaded dependencies');
  });
});

describe('definition and references', () => {
  test('ref, extends and a refinement ref jump to their definitions', async () => {
    const { ls } = service(mixedFixture);
    const signals = await read(v2Signals);
    const spans = await read(v1Spans);
    const v1 = await read(v1Registry);

    const cart = await ls.definition(at(v2Signals, positionOf(signals, 'shop.cart.id')));
    expect(cart).toHaveLength(1);
    expect(cart![0]!.uri).toBe(uri(v1Registry));
    expect(cart![0]!.range.start).toEqual(positionOf(v1, 'id: id', 4));

    const ext = await ls.definition(at(v1Spans, positionOf(spans, 'attributes.shop.checkout.common')));
    expect(ext![0]!.uri).toBe(uri(v1Registry));
    expect(textAt(v1, ext![0]!.range)).toBe('attributes.shop.checkout.common');

    const refined = await ls.definition(at(v2Signals, positionOf(signals, 'ref: shop.checkout', 6)));
    expect(refined![0]!.uri).toBe(uri(v1Spans));
    expect(textAt(spans, refined![0]!.range)).toBe('span.shop.checkout');

    const group = await ls.definition(at(v2Signals, positionOf(signals, 'shop.attributes.order')));
    expect(group![0]!.uri).toBe(uri(v2Registry));
  });

  test('references of an attribute span the v1 and v2 files, with or without the declaration', async () => {
    const { ls } = service(mixedFixture);
    const v2 = await read(v2Registry);
    const params = { ...at(v2Registry, positionOf(v2, 'shop.order.id')), context: { includeDeclaration: true } };
    const all = await ls.references(params);
    const v1 = await read(v1Registry);
    expect(all.map((l) => `${l.uri.split('/').pop()}:${l.range.start.line}`)).toEqual([
      `registry-v2.yaml:${positionOf(v2, 'key: shop.order.id').line}`,
      `registry-v1.yaml:${positionOf(v1, 'ref: shop.order.id').line}`,
      `registry-v2.yaml:${positionOf(v2, 'ref: shop.order.id').line}`,
    ]);
    const refsOnly = await ls.references({ ...params, context: { includeDeclaration: false } });
    expect(refsOnly).toHaveLength(2);
  });

  test('references of a group: extends and refinements by signal name', async () => {
    const { ls } = service(mixedFixture);
    const spans = await read(v1Spans);
    const refs = await ls.references({ ...at(v1Spans, positionOf(spans, 'span.shop.checkout')), context: { includeDeclaration: false } });
    expect(refs.map((l) => l.uri.split('/').pop())).toEqual(['signals-v2.yaml']);
  });
});

describe('rename', () => {
  test('renames the v2 key and every ref in v1 and v2 files; the registry stays clean', async () => {
    const { ws, ls } = service(mixedFixture);
    const spans = await read(v1Spans);
    const position = positionOf(spans, 'shop.order.status', 2);
    const prepared = await ls.prepareRename(at(v1Spans, position));
    expect(prepared?.placeholder).toBe('shop.order.status');
    const edit = await ls.rename({ ...at(v1Spans, position), newName: 'shop.order.state' });
    const changes = edit!.changes!;
    expect(Object.keys(changes).sort()).toEqual([uri(v2Registry), uri(v2Signals), uri(v1Spans)].sort());
    for (const [fileUri, edits] of Object.entries(changes)) {
      const file = new URL(fileUri).pathname;
      ws.setOverlay(file, applyEdits(await read(file), edits));
    }
    const result = await ws.check();
    expect(result.diagnostics).toEqual([]);
    expect((await ls.refresh()).attribute('shop.order.state')?.file).toBe(v2Registry);
  });

  test('a v1 id under a group prefix keeps the prefix; other names are refused with the reason', async () => {
    const { ls } = service(mixedFixture);
    const v1 = await read(v1Registry);
    const position = positionOf(v1, 'id: id', 4);
    const edit = await ls.rename({ ...at(v1Registry, position), newName: 'shop.cart.uid' });
    expect(edit!.changes![uri(v1Registry)]!.map((e) => e.newText)).toEqual(['uid', 'shop.cart.uid']);
    expect(edit!.changes![uri(v2Signals)]!.map((e) => e.newText)).toEqual(['shop.cart.uid']);

    const refused = async (newName: string): Promise<string> => {
      const error = await ls.rename({ ...at(v1Registry, position), newName }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseError);
      return (error as ResponseError<unknown>).message;
    };
    expect(await refused('shop.basket.id')).toBe(
      "'shop.cart.id' is defined under the group prefix 'shop.cart' (shop/registry-v1.yaml:7): the new id must start with 'shop.cart.'.",
    );
    expect(await refused('Shop Cart')).toMatch(/^'Shop Cart' is not a valid attribute id: use lowercase letters/);
    expect(await refused('shop.order.id')).toBe("Attribute 'shop.order.id' already exists (shop/registry-v2.yaml:3): pick another id.");
  });

  test('prepareRename refuses a group id with a message', async () => {
    const { ls } = service(mixedFixture);
    const spans = await read(v1Spans);
    await expect(ls.prepareRename(at(v1Spans, positionOf(spans, 'span.shop.checkout')))).rejects.toThrow(/Only attribute ids can be renamed/);
  });
});

describe('completion', () => {
  async function labels(file: string, text: string, position: { line: number; character: number }, ws: ReturnType<typeof service>['ws'], ls: ReturnType<typeof service>['ls']) {
    ws.setOverlay(file, text);
    const list = await ls.completion(at(file, position));
    return list.items.map((i) => i.label);
  }

  test('attribute ids after ref:, with type as detail, replacing the typed prefix', async () => {
    const { ws, ls } = service(mixedFixture);
    const text = (await read(v1Spans)).replace('- ref: shop.order.status', '- ref: shop.ord');
    ws.setOverlay(v1Spans, text);
    const list = await ls.completion(at(v1Spans, positionOf(text, 'shop.ord', 8)));
    expect(list.items.map((i) => i.label)).toEqual(['shop.order.id', 'shop.order.status']);
    expect(list.items[1]).toMatchObject({ detail: 'enum (string)', textEdit: { newText: 'shop.order.status' } });
    expect(textAt(text, (list.items[0]!.textEdit as TextEdit).range)).toBe('shop.ord');
  });

  test('group ids, signal names, schema values, enum members and keys', async () => {
    const { ws, ls } = service(mixedFixture);
    const spans = await read(v1Spans);
    const signals = await read(v2Signals);

    const ext = spans.replace('extends: attributes.shop.checkout.common', 'extends: attr');
    expect(await labels(v1Spans, ext, positionOf(ext, 'extends: attr', 13), ws, ls)).toEqual(['attributes.shop.checkout.common', 'shop.attributes.order']);

    const refGroup = signals.replace('ref_group: shop.attributes.order', 'ref_group: ');
    expect(await labels(v2Signals, refGroup, positionOf(refGroup, 'ref_group: ', 11), ws, ls)).toEqual(['attributes.shop.checkout.common', 'registry.shop.cart', 'shop.attributes.order']);

    const refinement = signals.replace('ref: shop.checkout', 'ref: shop');
    expect(await labels(v2Signals, refinement, positionOf(refinement, 'ref: shop\n', 9), ws, ls)).toEqual(['shop.checkout', 'shop.checkout.express']);

    const kind = spans.replace('span_kind: server', 'span_kind: ');
    expect(await labels(v1Spans, kind, positionOf(kind, 'span_kind: ', 11), ws, ls)).toEqual(['client', 'server', 'producer', 'consumer', 'internal']);

    const instrument = signals.replace('instrument: counter', 'instrument: gau');
    expect(await labels(v2Signals, instrument, positionOf(instrument, 'instrument: gau', 15), ws, ls)).toEqual(['gauge']);

    const level = spans.replace('requirement_level: required', 'requirement_level: opt');
    expect(await labels(v1Spans, level, positionOf(level, 'requirement_level: opt', 22), ws, ls)).toEqual(['opt_in']);

    const examples = spans.replace('requirement_level: required', 'examples: [');
    expect(await labels(v1Spans, examples, positionOf(examples, 'examples: [', 11), ws, ls)).toEqual(['placed', 'cancelled']);

    // A new key in a v1 attribute reference: the keys a ref allows, minus those already written.
    const key = spans.replace('        requirement_level: required', '        requirement_level: required\n        sa');
    expect(await labels(v1Spans, key, positionOf(key, '        sa', 10), ws, ls)).toEqual(['sampling_relevant', 'stability']); // prefix match first, then letters in order
    const groupKey = spans.replace('    span_kind: server', '    span_kind: server\n    ');
    const groupKeys = await labels(v1Spans, groupKey, positionOf(groupKey, 'server\n    ', 11), ws, ls);
    expect(groupKeys).toContain('note');
    expect(groupKeys).not.toContain('brief');
    const topV2 = `${signals}\n`;
    expect(await labels(v2Signals, topV2, { line: topV2.split('\n').length - 1, character: 0 }, ws, ls)).toEqual([
      'version',
      'attributes',
      'attribute_groups',
      'entities',
      'events',
      'spans',
      'entity_refinements',
      'event_refinements',
      'metric_refinements',
      'imports',
    ]);
  });
});

describe('collection after a request that re-parsed', () => {
  test('completion after an edit counts as activity; a request on an unchanged registry does not', async () => {
    // Records the collections V8's gc() would run (vitest does not run with --expose-gc).
    const collections: string[] = [];
    const idle = new IdleCollector((o) => collections.push(o.type), 10);
    const ws = new RegistryWorkspace(mixedFixture);
    const ls = new RegistryLanguageService(ws, idle);
    await ls.refresh();
    await new Promise((r) => setTimeout(r, 40));
    collections.length = 0;

    // A brief rewritten, then a new key being typed: the file is re-parsed before completion answers.
    const text = (await read(v1Spans)).replace('brief: Checking out a cart.', 'brief: Checking out a basket.').replace('        requirement_level: required', '        requirement_level: required\n        sa');
    const position = positionOf(text, '        sa', 10);
    await ls.hover(at(v1Spans, position));
    await new Promise((r) => setTimeout(r, 40));
    expect(collections).toEqual([]);

    ws.setOverlay(v1Spans, text);
    const parses = ws.parseCount;
    await ls.completion(at(v1Spans, position));
    expect(ws.parseCount).toBe(parses + 1);
    await expect.poll(() => collections, { timeout: 2_000, interval: 10 }).toEqual(['minor']);
    await ls.completion(at(v1Spans, position));
    await new Promise((r) => setTimeout(r, 40));
    expect(collections).toEqual(['minor']);
    idle.dispose();
  });
});

describe('outline, workspace symbols and folding', () => {
  test('document symbols nest attributes and refs under their groups', async () => {
    const { ls } = service(mixedFixture);
    const symbols = await ls.documentSymbols({ textDocument: { uri: uri(v1Registry) } });
    expect(symbols.map((s) => [s.name, s.detail, s.children!.map((c) => `${c.name}:${c.detail ?? ''}`)])).toEqual([
      ['registry.shop.cart', 'attribute_group', ['shop.cart.id:string', 'shop.cart.item_count:int']],
      ['attributes.shop.checkout.common', 'attribute_group', ['shop.cart.id:ref', 'shop.order.id:ref']],
    ]);
    const v2 = await ls.documentSymbols({ textDocument: { uri: uri(v2Registry) } });
    expect(v2.map((s) => s.name)).toEqual(['shop.order.id', 'shop.order.status', 'shop.attributes.order']);
    expect(v2[1]!.children!.map((c) => `${c.name}=${c.detail}`)).toEqual(['placed=placed', 'cancelled=cancelled']);
  });

  test('workspace symbols rank prefix matches first', async () => {
    const { ls } = service(mixedFixture);
    const hits = await ls.workspaceSymbols({ query: 'shop.order' });
    // Prefix matches, then ids containing the query, then the query's letters in order.
    expect(hits.map((h) => h.name)).toEqual(['shop.order.id', 'shop.order.status', 'metric.shop.orders.placed', 'shop.attributes.order']);
    expect(hits[0]!.location).toMatchObject({ uri: uri(v2Registry) });
  });

  test('folding ranges cover each group and each multi-line entry', async () => {
    const { ls } = service(mixedFixture);
    const ranges = await ls.foldingRanges({ textDocument: { uri: uri(v1Registry) } });
    const text = await read(v1Registry);
    const lines = text.split('\n');
    const last = lines.length - 2; // the file ends with a newline
    expect(ranges).toEqual([
      { startLine: 0, endLine: last }, // groups:
      { startLine: 1, endLine: 14 }, // group registry.shop.cart
      { startLine: 5, endLine: 14 }, // its attributes:
      { startLine: 6, endLine: 10 }, // attribute id
      { startLine: 11, endLine: 14 }, // attribute item_count
      { startLine: 15, endLine: last }, // group attributes.shop.checkout.common
      { startLine: 18, endLine: last }, // its attributes:
    ]);
  });
});

describe('line breaks', () => {
  test('a lone CR (a line break for the editor, not for the YAML parser) still lands hover and definition on the right text', async () => {
    const { ws, ls } = service(mixedFixture);
    // The comment line ends with a lone '\r': the editor sees one more line than the parser.
    const text = (await read(v1Spans)).replace('groups:\n', 'groups: # checkout\r  # spans\n');
    ws.setOverlay(v1Spans, text);
    const lspLines = text.split(/\r\n|\r|\n/);
    const line = lspLines.findIndex((l) => l.includes('ref: shop.order.status'));
    const character = lspLines[line]!.indexOf('shop.order.status') + 3;
    const hover = await ls.hover(at(v1Spans, { line, character }));
    expect(hoverText(hover)).toContain('**attribute** `shop.order.status`');
    expect(hover!.range).toEqual({ start: { line, character: character - 3 }, end: { line, character: character - 3 + 'shop.order.status'.length } });
    const outline = await ls.documentSymbols({ textDocument: { uri: uri(v1Spans) } });
    expect(outline[0]!.selectionRange.start.line).toBe(lspLines.findIndex((l) => l.includes('id: span.shop.checkout')));

    // CRLF cut between CR and LF, as a truncated save leaves it: the text ends with a lone CR.
    const cut = (await read(v1Spans)).replace(/\n/g, '\r\n').replace(/\n$/, '');
    ws.setOverlay(v1Spans, cut);
    const cutLines = cut.split(/\r\n|\r|\n/);
    const [group] = await ls.documentSymbols({ textDocument: { uri: uri(v1Spans) } });
    expect(group!.range.end).toEqual({ line: cutLines.length - 1, character: 0 });
  });

  test('a stray unclosed flow map inside an enum: every outline child stays inside its parent', async () => {
    // The mutation the fuzzer found this with (seed 331638256, iteration 8956), on semconv's browser/registry.yaml:
    // CRLF line ends and bytes inserted before a member's `value:` opening an unclosed `{`.
    const file = join(semconvMain, 'browser/registry.yaml');
    const { ws, ls } = service(semconvMain);
    const original = (await read(file)).replace(/\n/g, '\r\n');
    const text = original.replace("- id: ttfb\r\n              value: 'ttfb'", "- id: ttfb\r\n        {\u01a0      value: 'ttfb'");
    expect(text).not.toBe(original);
    ws.setOverlay(file, text);
    const within = (outer: Range, inner: Range): boolean =>
      (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
      (inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.character <= outer.end.character));
    const visit = (list: Awaited<ReturnType<typeof ls.documentSymbols>>): number =>
      list.reduce((n, s) => {
        for (const c of s.children ?? []) expect(within(s.range, c.range), `${c.name} inside ${s.name}`).toBe(true);
        return n + 1 + visit(s.children ?? []);
      }, 0);
    expect(visit(await ls.documentSymbols({ textDocument: { uri: uri(file) } }))).toBeGreaterThan(0);
  });

  test('an enum member left without its value offers no empty completion item', async () => {
    // The mutation the fuzzer found this with (seed 359414422, iteration 2827), on semconv's profile/registry.yaml:
    // CRLF line ends and a member's `brief:` dedented, so its `value:` no longer belongs to the member.
    const file = join(semconvMain, 'profile/registry.yaml');
    const { ws, ls } = service(semconvMain);
    const original = (await read(file)).replace(/\n/g, '\r\n');
    const text = original.replace('- id: dotnet\r\n              brief: >', '- id: dotnet\r\n           brief: >');
    expect(text).not.toBe(original);
    ws.setOverlay(file, text);
    // Right after `examples:` of the attribute that enum belongs to: its members are offered.
    const list = await ls.completion(at(file, positionOf(text, "examples: ['cpython']", 9)));
    // The parse did leave a member without a value, and it is not offered.
    expect(ls.index.attribute('profile.frame.type')!.members.map((m) => m.value)).toContain('');
    expect(list.items.map((i) => i.label)).not.toContain('');
  });

  test('a node the parser ends inside a CRLF line break: its range ends at the end of the line text', async () => {
    // The mutation the fuzzer found this with (seed 359856325, iteration 5659), on semconv's session/common.yaml:
    // CRLF line ends and bytes opening flow collections inserted on the last line.
    const file = join(semconvMain, 'session/common.yaml');
    const { ws, ls } = service(semconvMain);
    const original = (await read(file)).replace(/\n/g, '\r\n');
    const text = original.replace(/requirement_level: opt_in\r\n$/, 'requirement_level:ref: [}{ opt_in\r\n');
    expect(text).not.toBe(original);
    ws.setOverlay(file, text);
    const lengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
    const inside = (p: { line: number; character: number }): boolean => p.line < lengths.length && p.character <= lengths[p.line]!;
    const symbols = await ls.documentSymbols({ textDocument: { uri: uri(file) } });
    expect(symbols.length).toBeGreaterThan(0);
    for (const s of symbols) expect(inside(s.range.end), `${s.name} ends at ${JSON.stringify(s.range.end)}`).toBe(true);
  });

  test("an unclosed flow list (the parser's line counter then misses line breaks) yields ranges within the text", async () => {
    // The mutation the fuzzer found this with, on semconv's messaging/rabbitmq.yaml.
    const file = join(semconvMain, 'messaging/rabbitmq.yaml');
    const { ws, ls } = service(semconvMain);
    const original = await read(file);
    const text = original.replace('    ref: messaging.receive.client\n    stability: development\n', '    ref: messaging.receive.client\n    [stability: development\n');
    expect(text).not.toBe(original);
    ws.setOverlay(file, text);
    const lengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
    const inside = (p: { line: number; character: number }): boolean => p.line < lengths.length && p.character <= lengths[p.line]!;
    const visit = (list: Awaited<ReturnType<typeof ls.documentSymbols>>): number =>
      list.reduce((n, s) => {
        expect(inside(s.range.start) && inside(s.range.end) && inside(s.selectionRange.end), s.name).toBe(true);
        return n + 1 + visit(s.children ?? []);
      }, 0);
    expect(visit(await ls.documentSymbols({ textDocument: { uri: uri(file) } }))).toBeGreaterThan(0);
  });
});
