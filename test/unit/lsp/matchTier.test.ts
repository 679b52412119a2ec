import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { SymbolIndex } from '../../../src/core/semconv/symbols';
import { matchingAttributeIds, matchTier } from '../../../src/server/features/completion';
import { yamlFiles } from '../semconv/helpers';
import { mixedFixture, semconvMain } from './helpers';
import { join } from 'node:path';

/** The ranking as first written (split into segments, substring, letters in order): the scan must agree with it. */
function referenceTier(id: string, typed: string): number | undefined {
  if (typed === '') return 0;
  const lower = id.toLowerCase();
  const t = typed.toLowerCase();
  if (lower.startsWith(t)) return 0;
  if (lower.split(/[._]/).some((segment, i) => i > 0 && segment.startsWith(t))) return 1;
  if (lower.includes(t)) return 2;
  let j = 0;
  for (let i = 0; i < lower.length && j < t.length; i++) if (lower[i] === t[j]) j++;
  return j === t.length ? 3 : undefined;
}

describe('matchTier', () => {
  test('prefix, later segment, substring, letters in order, no match', () => {
    expect(matchTier('server.address', 'serv')).toBe(0);
    expect(matchTier('Server.Address', 'sERV')).toBe(0);
    expect(matchTier('client.server_port', 'server')).toBe(1);
    expect(matchTier('http.request.method', 'req')).toBe(1);
    expect(matchTier('messaging.kafka.offset', 'afka')).toBe(2);
    // The input holds a separator, so it cannot start a segment: a substring match only.
    expect(matchTier('url.http.request', 'http.req')).toBe(2);
    // The first occurrence is inside a segment, a later one starts a segment.
    expect(matchTier('errors.error_type', 'error')).toBe(0);
    expect(matchTier('xerror.error', 'error')).toBe(1);
    expect(matchTier('server.address', 'sadr')).toBe(3);
    expect(matchTier('server.address', 'zz')).toBeUndefined();
    expect(matchTier('anything', '')).toBe(0);
  });

  test('agrees with the segment-splitting definition on every id of semconv-main', () => {
    const ids = new Set<string>();
    for (const file of yamlFiles(semconvMain)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*-?\s*(?:id|ref|name|key):\s*([\w.]+)\s*$/gm)) ids.add(m[1]!);
    }
    expect(ids.size).toBeGreaterThan(1000);
    const inputs = ['', 's', 'serv', 'x]*', 'a|b', 'mixed', 'a\\\\b', 'http', 'req', 'http.req', 'request.m', 'ms', 'db_', '_', '.', 'a.b', 'Net', 'xyz', 'k8s.pod', 'name'];
    let compared = 0;
    for (const id of ids) {
      for (const typed of inputs) {
        expect(matchTier(id, typed), `${id} / ${typed}`).toBe(referenceTier(id, typed));
        compared++;
      }
    }
    expect(compared).toBe(ids.size * inputs.length);
  });

  test('the one-pass search finds exactly the ids matchTier accepts, in index order', async () => {
    const inputs = ['', 's', 'serv', 'x]*', 'a|b', 'mixed', 'a\\\\b', 'SERV', 'http.req', 'request.m', 'k8s.pod', 'db_', '_', '.', 'zzz', 'a.b.c.d', '[', '\\', '(', '*', '+?', '$^', 'ǅ', 'i̇', 'e\u0301'];
    const check = (index: SymbolIndex): number => {
      const ids = [...index.attributeIds()];
      for (const typed of inputs) expect(matchingAttributeIds(index, typed), typed).toEqual(ids.filter((id) => matchTier(id, typed) !== undefined));
      return ids.length;
    };

    const ws = new RegistryWorkspace(semconvMain);
    const index = new SymbolIndex();
    index.update(await ws.load());
    expect(check(index)).toBeGreaterThan(900);
    // Attribute definitions change: the search follows.
    const file = join(semconvMain, 'server/registry.yaml');
    ws.setOverlay(file, (await ws.load()).files.find((f) => f.path === file)!.text.replace('key: server.address', 'key: server.addr_renamed'));
    index.update(await ws.load());
    expect(matchingAttributeIds(index, 'addr_ren')).toEqual(['server.addr_renamed']);
    check(index);

    // Ids no registry should have, but a broken buffer can: regex characters and mixed case (searched
    // by lines), then also a line break and a letter whose lower case is longer (İ; tested one by one).
    const regexy = ['shop.[x]*', 'Shop.MiXed', 'shop.a\\b', 'shop.ǅ', 'shop.(a|b)+'];
    for (const weird of [regexy, [...regexy, 'shop.line\nbreak', 'shop.İstanbul']]) {
      const odd = new RegistryWorkspace(mixedFixture);
      const v2 = join(mixedFixture, 'shop/registry-v2.yaml');
      const text = (await odd.load()).files.find((f) => f.path === v2)!.text;
      const entries = weird.map((id) => `  - key: ${JSON.stringify(id)}\n    type: string\n    brief: x\n    stability: development\n`).join('');
      odd.setOverlay(v2, text.replace('attributes:\n', `attributes:\n${entries}`));
      const oddIndex = new SymbolIndex();
      oddIndex.update(await odd.load());
      expect([...oddIndex.attributeIds()]).toEqual(expect.arrayContaining(weird));
      check(oddIndex);
    }
  });
});
