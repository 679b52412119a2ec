import { cp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { checkFolder, fixtures, removeTempRegistries, tempRegistry, textAt, where } from './helpers';

afterEach(removeTempRegistries);

/** A copy of the clean `mixed` fixture, so one file can be broken per test. */
async function mixedCopy(): Promise<string> {
  const dir = await tempRegistry({});
  await cp(fixtures('mixed'), dir, { recursive: true });
  return dir;
}

async function edit(dir: string, rel: string, from: string, to: string): Promise<string> {
  const path = join(dir, rel);
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  const next = text.replace(from, to);
  await writeFile(path, next);
  return next;
}

describe('the mixed v1/v2 fixture', () => {
  test('checks clean: v2 refs to v1 attributes, v1 refs to v2 attributes, prefixes, ref_group, extends, refinements', async () => {
    const result = await checkFolder(fixtures('mixed'));
    expect(result.diagnostics).toEqual([]);
    expect(result.summary).toMatchObject({ files: 4, groups: 6, attributes: 4 });
    // Every checked file gets an entry, so a publisher can clear files that became clean.
    expect([...result.byFile.keys()].map((f) => f.slice(fixtures('mixed').length + 1)).sort()).toEqual([
      'manifest.yaml',
      'shop/registry-v1.yaml',
      'shop/registry-v2.yaml',
      'shop/signals-v2.yaml',
      'shop/spans-v1.yaml',
    ]);
  });
});

describe('duplicate-group-id', () => {
  test('second and later definitions are reported, naming the first one', async () => {
    const dir = await mixedCopy();
    const text = await edit(dir, 'shop/registry-v2.yaml', 'attribute_groups:\n', 'attribute_groups:\n  - id: registry.shop.cart\n    visibility: internal\n');
    const { diagnostics } = await checkFolder(dir);
    expect(where(diagnostics)).toEqual(['duplicate-group-id@19:8']);
    expect(diagnostics[0]!.file).toBe(join(dir, 'shop/registry-v2.yaml'));
    expect(textAt(text, diagnostics[0]!.range)).toBe('registry.shop.cart');
    expect(diagnostics[0]!.message).toBe(
      "attribute group 'registry.shop.cart' (group id 'registry.shop.cart') is already defined at shop/registry-v1.yaml:2 by group 'registry.shop.cart': give one of them a different id",
    );
    // The first definition comes along as a related location, which the editor shows as a link.
    const related = diagnostics[0]!.related ?? [];
    expect(related.map((r) => [r.file, r.range.start.line, r.message])).toEqual([
      [join(dir, 'shop/registry-v1.yaml'), 1, "group id 'registry.shop.cart' first defined here"],
    ]);
    expect(textAt(await readFile(join(dir, 'shop/registry-v1.yaml'), 'utf8'), related[0]!.range)).toBe('registry.shop.cart');
  });

  test('a v2 metric and a v1 group share weaver\'s group namespace (metric.<name>)', async () => {
    const dir = await tempRegistry({
      'a.yaml': 'groups:\n  - id: metric.x.count\n    type: metric\n    metric_name: x.count\n    brief: X.\n    instrument: counter\n    unit: "1"\n    stability: stable\n',
      'b.yaml': 'file_format: definition/2\nmetrics:\n  - name: x.count\n    instrument: counter\n    unit: "1"\n    brief: X.\n    stability: stable\n',
    });
    const { diagnostics } = await checkFolder(dir);
    expect(where(diagnostics)).toEqual(['duplicate-group-id@2:10']);
    expect(diagnostics[0]!.file).toBe(join(dir, 'b.yaml'));
    expect(diagnostics[0]!.message).toContain("metric 'x.count' (group id 'metric.x.count') is already defined at a.yaml:2");
  });
});

describe('duplicate-attribute-id', () => {
  test('ids are compared fully qualified (prefix + id) across v1 and v2', async () => {
    const dir = await mixedCopy();
    const text = await edit(dir, 'shop/registry-v2.yaml', 'key: shop.order.id', 'key: shop.cart.item_count');
    const { diagnostics } = await checkFolder(dir);
    const dup = diagnostics.filter((d) => d.code === 'duplicate-attribute-id');
    expect(where(dup)).toEqual(['duplicate-attribute-id@2:9']);
    expect(textAt(text, dup[0]!.range)).toBe('shop.cart.item_count');
    expect(dup[0]!.message).toBe(
      "attribute 'shop.cart.item_count' is already defined at shop/registry-v1.yaml:12 (in group 'registry.shop.cart'): define it once and use `ref: shop.cart.item_count` where it is needed",
    );
    const related = dup[0]!.related ?? [];
    expect(related.map((r) => [r.file, r.range.start.line])).toEqual([[join(dir, 'shop/registry-v1.yaml'), 11]]);
    expect(textAt(await readFile(join(dir, 'shop/registry-v1.yaml'), 'utf8'), related[0]!.range)).toBe('item_count');
    // The renamed key left the refs to shop.order.id dangling: reported too, one per reference.
    expect(diagnostics.filter((d) => d.code === 'unresolved-ref').map((d) => [d.file.slice(dir.length + 1), d.range.start.line])).toEqual([
      ['shop/registry-v1.yaml', 20],
      ['shop/registry-v2.yaml', 22],
    ]);
  });

  test('attributes defined inline in span or event groups are not compared (weaver compares attribute groups only)', async () => {
    const event = (id: string) =>
      `  - id: ${id}\n    type: event\n    name: ${id}\n    brief: E.\n    stability: stable\n    attributes:\n      - id: e.shared\n        type: int\n        brief: S.\n        stability: stable\n`;
    const dir = await tempRegistry({ 'a.yaml': `groups:\n${event('event.one')}${event('event.two')}` });
    expect((await checkFolder(dir)).diagnostics).toEqual([]);
  });
});

describe('unresolved-ref', () => {
  test('a misspelled ref is placed on the ref value and suggests the closest id', async () => {
    const dir = await mixedCopy();
    const text = await edit(dir, 'shop/signals-v2.yaml', 'ref: shop.order.status', 'ref: shop.order.stat');
    const { diagnostics } = await checkFolder(dir);
    expect(where(diagnostics)).toEqual(['unresolved-ref@9:13']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('shop.order.stat');
    expect(diagnostics[0]!.message).toBe(
      "attribute 'shop.order.stat' referenced by metric 'shop.orders.placed' is not defined in this registry (did you mean 'shop.order.status'?): fix the reference or define the attribute",
    );
  });

  test('v1 refs resolve against v2 keys and v2 refs against prefixed v1 ids', async () => {
    const dir = await mixedCopy();
    await edit(dir, 'shop/registry-v1.yaml', 'prefix: shop.cart', 'prefix: shop.basket');
    const { diagnostics } = await checkFolder(dir);
    // Every ref to shop.cart.* now dangles, in v1 and v2 files alike; refs to v2 keys still resolve.
    expect(diagnostics.map((d) => [d.file.slice(dir.length + 1), d.code, d.range.start.line])).toEqual([
      ['shop/registry-v1.yaml', 'unresolved-ref', 19],
      ['shop/registry-v2.yaml', 'unresolved-ref', 23],
      ['shop/signals-v2.yaml', 'unresolved-ref', 15],
    ]);
    expect(diagnostics[1]!.message).toContain("(did you mean 'shop.basket.item_count'?)");
  });

  test('refs into a local dependency resolve; a ref into a remote one is reported as not checked, naming the dependency', async () => {
    expect((await checkFolder(fixtures('depends-on-mixed'))).diagnostics).toEqual([]);

    const metric = 'file_format: definition/2\nmetrics:\n  - name: m\n    instrument: gauge\n    unit: "1"\n    brief: M.\n    stability: stable\n    attributes:\n      - ref: http.request.method\n';
    const remote = await tempRegistry({
      'manifest.yaml': 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://opentelemetry.io/schemas/1.37.0\n',
      'm.yaml': metric,
    });
    // The dependency itself is an error finding on its line: the check could not look into it; the
    // ref it may define is an error on the ref, since it may as well be a typo.
    const remoteFindings = (await checkFolder(remote)).diagnostics;
    expect(where(remoteFindings)).toEqual(['ref-not-checked@8:13', 'dependency-not-fetched@2:16']);
    expect(remoteFindings.map((d) => d.severity)).toEqual(['error', 'error']);
    expect(remoteFindings[0]!.message).toBe(
      "attribute 'http.request.method' referenced by metric 'm' is not defined in this registry and could not be checked against dependency " +
        "'https://opentelemetry.io/schemas/1.37.0' (not fetched): fix it if it is a typo; else make the dependency available (a local registry_path) or check with --engine weaver, which fetches it",
    );

    const standalone = await tempRegistry({ 'm.yaml': metric });
    expect(where((await checkFolder(standalone)).diagnostics)).toEqual(['unresolved-ref@8:13']);
  });

  test('a local dependency path that does not exist is an error on the manifest naming where it was looked for', async () => {
    const text = 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://example.com/d/1.0.0\n    registry_path: ../missing-registry\n';
    const dir = await tempRegistry({ 'manifest.yaml': text });
    const { diagnostics } = await checkFolder(dir);
    expect(where(diagnostics)).toEqual(['dependency-not-found@3:19']);
    expect(diagnostics[0]!.severity).toBe('error');
    expect(textAt(text, diagnostics[0]!.range)).toBe('../missing-registry');
    expect(diagnostics[0]!.message).toContain(`looked for ${resolve(dir, '../missing-registry')} nor ${resolve(process.cwd(), '../missing-registry')}`);
  });
});

describe('unresolved-group-ref', () => {
  test('extends, ref_group and refinement refs to unknown groups, each with a suggestion', async () => {
    const dir = await mixedCopy();
    const spans = await edit(dir, 'shop/spans-v1.yaml', 'extends: attributes.shop.checkout.common', 'extends: attributes.shop.checkout.comon');
    const signals = await edit(dir, 'shop/signals-v2.yaml', 'ref_group: shop.attributes.order', 'ref_group: shop.attributes.orders');
    await edit(dir, 'shop/signals-v2.yaml', 'ref: shop.checkout', 'ref: shop.checkot');
    const { diagnostics } = await checkFolder(dir);
    expect(diagnostics.map((d) => [d.file.slice(dir.length + 1), d.code, d.range.start.line, d.range.start.character])).toEqual([
      ['shop/signals-v2.yaml', 'unresolved-group-ref', 8, 19],
      ['shop/signals-v2.yaml', 'unresolved-group-ref', 12, 9],
      ['shop/spans-v1.yaml', 'unresolved-group-ref', 6, 13],
    ]);
    expect(textAt(signals, diagnostics[0]!.range)).toBe('shop.attributes.orders');
    expect(diagnostics[0]!.message).toBe(
      "attribute group 'shop.attributes.orders' included by metric 'shop.orders.placed' is not defined in this registry (did you mean 'shop.attributes.order'?): fix the id or define the attribute group",
    );
    expect(diagnostics[1]!.message).toBe(
      "span 'shop.checkot' refined by span refinement 'span.shop.checkout.express' is not defined in this registry (did you mean 'shop.checkout'?): fix the name or define the span",
    );
    expect(textAt(spans, diagnostics[2]!.range)).toBe('attributes.shop.checkout.comon');
    expect(diagnostics[2]!.message).toContain("(did you mean 'attributes.shop.checkout.common'?)");
  });
});

describe("weaver's manifest warnings", () => {
  test('a manifest under the legacy name registry_manifest.yaml is a warning on it; manifest.yaml wins when both exist', async () => {
    const manifest = 'schema_url: https://example.com/r/1.0.0\n';
    const group = 'groups:\n  - id: registry.r\n    type: attribute_group\n    brief: R.\n    attributes:\n      - id: r.a\n        type: string\n        stability: stable\n        brief: A.\n        examples: [x]\n';
    const legacy = await tempRegistry({ 'registry_manifest.yaml': manifest, 'r.yaml': group });
    const { diagnostics } = await checkFolder(legacy);
    expect(diagnostics.map((d) => [d.file.slice(legacy.length + 1), d.severity, d.code])).toEqual([['registry_manifest.yaml', 'warning', 'legacy-registry-manifest']]);
    expect(diagnostics[0]!.message).toContain("rename the file to 'manifest.yaml'");

    const both = await tempRegistry({ 'manifest.yaml': manifest, 'registry_manifest.yaml': manifest, 'r.yaml': group });
    expect((await checkFolder(both)).diagnostics).toEqual([]);
  });
});
