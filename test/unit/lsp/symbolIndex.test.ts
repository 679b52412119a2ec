import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { SymbolIndex } from '../../../src/core/semconv/symbols';
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
});
