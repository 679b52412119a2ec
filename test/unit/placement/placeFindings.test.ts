import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findingsFromJson } from '../../../src/core/weaver/diagnostics';
import type { JsonValue } from '../../../src/core/weaver/json';
import { loadPlacementContext, matchRegistryFile, placeFindings, type PlacedDiagnostic, type PlacementContext } from '../../../src/core/weaver/placement';

/**
 * Placement of weaver findings on the mixed v1/v2 fixture registry (it has a manifest, a prefixed v1
 * attribute group, v2 signals and refinements). The findings are in the JSON shapes weaver writes.
 */

const registry = resolve(__dirname, '../../fixtures/registries/mixed');
let ctx: PlacementContext;

beforeAll(async () => {
  ctx = await loadPlacementContext(registry);
});

function place(json: JsonValue): PlacedDiagnostic[] {
  return placeFindings(findingsFromJson(json), ctx);
}

/** The text a diagnostic's range covers. */
function covered(p: PlacedDiagnostic): string {
  const { start, end } = p.diagnostic.range;
  const line = readFileSync(p.diagnostic.file, 'utf8').split('\n')[start.line]!;
  expect(end.line).toBe(start.line);
  return line.slice(start.character, end.character);
}

function policy(violation: Record<string, JsonValue>, diagnostic: Record<string, JsonValue> = {}): JsonValue {
  return [{ error: { type: 'policy_violation', provenance: 'current', violation: { level: 'violation', message: 'm', signal_type: null, signal_name: null, ...violation } }, diagnostic }];
}

describe('placeFindings', () => {
  it('a prefixed v1 attribute is found by its full id, on the line of its unprefixed id', () => {
    const [p] = place(policy({ id: 'rule', context: { attribute_key: 'shop.cart.item_count' } }));
    expect(p!.placement).toMatchObject({ kind: 'exact', matched: 'item_count', subject: 'shop.cart.item_count' });
    expect(p!.diagnostic.file).toBe(join(registry, 'shop/registry-v1.yaml'));
    expect(covered(p!)).toBe('item_count');
  });

  it('an attribute of a signal goes on the ref inside that signal', () => {
    const [p] = place(policy({ id: 'rule', signal_type: 'metric', signal_name: 'shop.orders.placed', context: { attribute_key: 'shop.order.status' } }));
    expect(p!.diagnostic.file).toBe(join(registry, 'shop/signals-v2.yaml'));
    expect(covered(p!)).toBe('shop.order.status');
    const line = readFileSync(p!.diagnostic.file, 'utf8').split('\n')[p!.diagnostic.range.start.line]!;
    expect(line.trim()).toBe('- ref: shop.order.status');
  });

  it('a signal alone goes on its name; a refinement on its id', () => {
    const [metric, refinement] = place([
      ...(policy({ id: 'a', signal_type: 'metric', signal_name: 'shop.orders.placed', context: {} }) as JsonValue[]),
      ...(policy({ id: 'b', signal_type: 'span', signal_name: 'shop.checkout.express', context: {} }) as JsonValue[]),
    ]);
    expect(covered(metric!)).toBe('shop.orders.placed');
    expect(covered(refinement!)).toBe('span.shop.checkout.express');
  });

  it('an enum member goes on its id under the attribute', () => {
    const [p] = place(policy({ id: 'rule', context: { attribute_key: 'shop.order.status', member_id: 'cancelled' } }));
    expect(p!.placement.anchor?.kind).toBe('enum-member');
    expect(covered(p!)).toBe('cancelled');
  });

  it('a position weaver printed (relative to its working folder) is used, with the token there', () => {
    const [p] = place([{ error: { InvalidSemConvSpec: { path_or_url: 'shop/spans-v1.yaml', error: 'x' } }, diagnostic: { message: 'bad', ansi_message: '  ╭─[shop/spans-v1.yaml:4:16]' } }]);
    expect(p!.placement.kind).toBe('exact');
    expect(p!.diagnostic.range.start).toEqual({ line: 3, character: 15 });
    expect(covered(p!)).toBe('server');
  });

  it('a byte label is turned into the line and column of the bytes it covers', () => {
    const file = join(registry, 'shop/registry-v2.yaml');
    const offset = readFileSync(file).indexOf('shop.attributes.order');
    const [p] = place([
      { error: { InvalidSemConvSpec: { path_or_url: file } }, diagnostic: { message: 'bad', ansi_message: '', labels: [{ label: 'here', span: { offset, length: 21 }, primary: true }] } },
    ]);
    expect(p!.placement.anchor?.kind).toBe('byte-span');
    expect(covered(p!)).toBe('shop.attributes.order');
  });

  it('a file weaver names under another folder is matched by its path tail; nothing in it named: the top of that file', () => {
    const [p] = place({ DuplicateGroupId: { group_id: 'no.such.group', provenances: [{ schema_url: 'x', path: 'data/some-test/registry/shop/spans-v1.yaml' }] } });
    expect(p!.placement.kind).toBe('file');
    expect(p!.diagnostic.file).toBe(join(registry, 'shop/spans-v1.yaml'));
    expect(p!.diagnostic.range.start).toEqual({ line: 0, character: 0 });
    expect(p!.diagnostic.message).toMatch(/\[weaver gives no line for this: shown at the top of the file it names\]$/);
  });

  it('nothing found: on the manifest, saying what was looked for; url and help are kept', () => {
    const [p] = place(policy({ id: 'compatibility_removed_attribute', context: { attribute_key: 'gone.attr' } }, { url: 'https://example.com/rule', help: 'Restore it or deprecate it.' }));
    expect(p!.placement.kind).toBe('unplaced');
    expect(p!.diagnostic).toMatchObject({ file: join(registry, 'manifest.yaml'), code: 'compatibility_removed_attribute', url: 'https://example.com/rule', source: 'weaver' });
    expect(p!.diagnostic.message).toBe(
      "m (help: Restore it or deprecate it.) [could not be placed on a line: attribute 'gone.attr' not found in this registry; shown on the registry manifest (manifest.yaml)]",
    );
    const [bare] = place([{ error: 'HomeDirNotFound', diagnostic: { message: 'Home directory not found' } }]);
    expect(bare!.diagnostic.message).toBe(
      'Home directory not found [could not be placed on a line: weaver names no file, group, signal or attribute for this; shown on the registry manifest (manifest.yaml)]',
    );
  });

  it('an attribute dropped from a named group is shown on that group, not on its definition elsewhere', () => {
    const [p] = place(policy({ id: 'compatibility_attribute_group_dropped_attributes', context: { attribute_group_id: 'shop.attributes.order', missing_attributes: ['shop.order.status'] } }));
    expect(covered(p!)).toBe('shop.attributes.order');
  });
});

describe('matchRegistryFile', () => {
  const files = ['/r/a/model.yaml', '/r/b/model.yaml', '/r/b/other.yaml'];
  it('resolves against the working folder, else by the longest unique path tail', () => {
    expect(matchRegistryFile('a/model.yaml', '/r', files)).toBe('/r/a/model.yaml');
    expect(matchRegistryFile('/elsewhere/x/b/model.yaml', '/r', files)).toBe('/r/b/model.yaml');
    expect(matchRegistryFile('other.yaml', '/nowhere', files)).toBe('/r/b/other.yaml');
  });
  it('an ambiguous or unknown tail matches nothing', () => {
    expect(matchRegistryFile('model.yaml', '/nowhere', files)).toBeUndefined();
    expect(matchRegistryFile('c/missing.yaml', '/r', files)).toBeUndefined();
  });
});
