import { isAlias, isMap, isPair, isScalar, isSeq, YAMLParseError, type Document, type Node } from 'yaml';

/**
 * Duplicate mapping keys, reported as the `yaml` composer reports them with `uniqueKeys` on (the same
 * equality: the same node, or two scalars with `===` values; the same DUPLICATE_KEY error at the later
 * key), found in one pass with a table per mapping. The composer's own check compares each new key with
 * every earlier one of its mapping, so a hostile file with a mapping of tens of thousands of keys costs
 * seconds to minutes to parse; parsing runs with `uniqueKeys: false` and this pass instead.
 */

/** Mappings this small are compared pairwise: cheaper than a table. */
const PAIRWISE_UP_TO = 8;

export function findDuplicateKeys(doc: Document.Parsed): void {
  const found: YAMLParseError[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined || isAlias(node) || isScalar(node)) continue;
    if (isSeq(node)) {
      for (const item of node.items) if (item !== null && typeof item === 'object' && !isScalar(item)) stack.push(item);
      continue;
    }
    if (!isMap(node)) continue;
    const items = node.items;
    const table = items.length > PAIRWISE_UP_TO ? new Map<unknown, true>() : undefined;
    for (let i = 0; i < items.length; i++) {
      const pair = items[i];
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      if (key && !isScalar(key)) stack.push(key);
      if (pair.value !== null && typeof pair.value === 'object' && !isScalar(pair.value)) stack.push(pair.value);
      if (!isScalar(key)) continue;
      const value = key.value;
      // `===` never holds for NaN, where a table's SameValueZero would.
      if (typeof value === 'number' && Number.isNaN(value)) continue;
      let duplicate = false;
      if (table) {
        duplicate = table.has(value);
        if (!duplicate) table.set(value, true);
      } else {
        for (let j = 0; j < i && !duplicate; j++) {
          const earlier = items[j];
          duplicate = isPair(earlier) && isScalar(earlier.key) && earlier.key.value === value;
        }
      }
      if (duplicate) {
        const at = key.range?.[0] ?? 0;
        found.push(new YAMLParseError([at, at + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      }
    }
  }
  found.sort((a, b) => a.pos[0] - b.pos[0]);
  doc.errors.push(...found);
}
