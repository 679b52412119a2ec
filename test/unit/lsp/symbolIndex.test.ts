import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { SymbolIndex } from '../../../src/core/semconv/symbols';
import { seededRandom } from '../semconv/helpers';
import { mixedFixture, positionOf, semconvMain, textAt } from './helpers';

describe('SymbolIndex on the mixed v1/v2 fixture', () => {
  test('indexes v1 and v2 definitions with the exact range of their names', async () => {
    const ws = new RegistryWorkspace(mixedFixture);
    const index = new SymbolIndex();
    index.update(await ws.load());
    const v1 = join(mixedFixture, 'shop/registry-v1.yaml');
    const v1Text = await readFile(v1, 'utf8');
    const cartId = index.attribute('shop.cart.id')!;
    expect(cartId.file).toBe(v1);
    expect(cartId.prefix).toBe('shop.cart');
    expect(textAt(v1Text, cartId.range)).toBe('id');
    expect(cartId).toMatchObject({ type: 'string', stability: 'development', brief: 'The cart identifier.', examples: ['c-42'], groupId: 'registry.shop.cart' });

    const status = index.attribute('shop.order.status')!;
    expect(status.format).toBe('v2');
    expect(status.type).toBe('enum (string)');
    expect(status.members.map((m) => m.value)).toEqual(['placed', 'cancelled']);

    expect(index.group('metric.shop.orders.placed')).toMatchObject({ name: 'shop.orders.placed', kind: 'metric', format: 'v2' });
    expect(index.group('span.shop.checkout.express')?.refines).toBe('span.shop.checkout');
    expect(index.attributeReferences('shop.cart.id').map((r) => `${r.kind}:${r.groupId}`)).toEqual([
      'ref:attributes.shop.checkout.common',
      'ref:span.shop.checkout.express',
    ]);
  });

  test('finds what is under the cursor by position, on both ends of a name', async () => {
    const ws = new RegistryWorkspace(mixedFixture);
    const index = new SymbolIndex();
    index.update(await ws.load());
    const spans = join(mixedFixture, 'shop/spans-v1.yaml');
    const text = await readFile(spans, 'utf8');
    const start = index.at(spans, positionOf(text, 'shop.order.status'));
    const end = index.at(spans, positionOf(text, 'shop.order.status', 'shop.order.status'.length));
    expect(start?.kind).toBe('reference');
    expect(end).toBe(start);
    expect(index.at(spans, positionOf(text, 'requirement_level'))).toBeUndefined();
    const ext = index.at(spans, positionOf(text, 'attributes.shop.checkout.common', 3));
    expect(ext?.kind === 'reference' && ext.symbol.kind).toBe('extends');
  });
});

describe('SymbolIndex on semconv-main', () => {
  test('indexes the whole registry, then re-indexes only the edited file', async () => {
    const ws = new RegistryWorkspace(semconvMain);
    const index = new SymbolIndex();
    const registry = await ws.load();
    expect(index.update(registry)).toBe(registry.files.length);
    expect(registry.files.length).toBeGreaterThan(200);
    const method = index.attribute('http.request.method')!;
    expect(method.file).toBe(join(semconvMain, 'http/registry.yaml'));
    expect(method.members.map((m) => m.value)).toContain('GET');
    expect(index.attributeReferences('http.request.method').length).toBeGreaterThan(5);

    // Unchanged: nothing re-indexed.
    expect(index.update(await ws.load())).toBe(0);

    const spans = join(semconvMain, 'http/spans.yaml');
    const text = await readFile(spans, 'utf8');
    const refsBefore = index.attributeReferences('server.address').length;
    ws.setOverlay(spans, text.replace('- ref: server.address\n', '- ref: server.addres\n'));
    expect(index.update(await ws.load())).toBe(1);
    expect(index.attributeReferences('server.address').length).toBe(refsBefore - 1);
    expect(index.attributeReferences('server.addres').map((r) => r.file)).toEqual([spans]);
    // Definitions of the other files are still there.
    expect(index.attribute('http.request.method')).toBe(method);
  });

  test('kept up to date edit by edit, it holds what an index built afresh holds', async () => {
    const ws = new RegistryWorkspace(semconvMain);
    const index = new SymbolIndex();
    index.update(await ws.load());
    // Everything the features read: definitions with their files and ranges, references by target.
    const snapshot = (ix: SymbolIndex): unknown => {
      const files = [...ix.allFiles()].map((f) => f.file.path).sort();
      const attributes = [...ix.attributeIds()].sort().map((id) => [id, ix.attributeDefinitions(id).map((a) => [a.file, a.span.start, a.type, a.brief]), ix.attributeReferences(id).map((r) => [r.file, r.span.start])]);
      const groups = [...ix.groupIds()].sort().map((id) => [id, ix.groupDefinitions(id).map((g) => [g.file, g.span.start, g.kind]), ix.groupDefinitions(id).flatMap((g) => ix.groupReferences(g).map((r) => [r.file, r.span.start]))]);
      return { files, attributes, groups };
    };
    const next = seededRandom(11);
    const files = ['http/spans.yaml', 'http/registry.yaml', 'messaging/spans.yaml', 'server/registry.yaml', 'db/registry.yaml'].map((f) => join(semconvMain, f));
    for (let step = 0; step < 12; step++) {
      const file = files[Math.floor(next() * files.length)]!;
      const lines = (await readFile(file, 'utf8')).split('\n');
      // Drop a few lines: definitions and references disappear, ranges below them move.
      const at = Math.floor(next() * lines.length);
      lines.splice(at, 1 + Math.floor(next() * 4));
      ws.setOverlay(file, lines.join('\n'));
      // The edited file, plus one closed since the last step (it reads from disk again).
      expect(index.update(await ws.load())).toBeLessThanOrEqual(2);
      if (next() < 0.3) ws.deleteOverlay(file);
    }
    const fresh = new SymbolIndex();
    fresh.update(await ws.load());
    index.update(await ws.load());
    expect(snapshot(index)).toEqual(snapshot(fresh));
  });
});
