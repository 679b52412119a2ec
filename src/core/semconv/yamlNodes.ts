import { isAlias, isMap, isScalar, isSeq, Scalar as ScalarClass, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

/**
 * Small typed accessors over the `yaml` AST. Registry files use anchors and aliases (`&brief` ... `*brief`),
 * so every accessor resolves aliases before looking at a node.
 */

/**
 * What each alias node resolves to (null: nothing). `Alias#resolve` walks the whole document up to the
 * alias on every call, and the checks, the resolver and the editor features each resolve the same
 * aliases again; a parse makes new nodes, so entries go with their document.
 */
const aliasTargets = new WeakMap<object, Node | null>();

/**
 * Records what `alias` resolves to, found by a walk in document order (see `limitAliases`), so that
 * `resolveNode` never walks the document for it.
 */
export function rememberAliasTarget(alias: object, target: Node | null): void {
  aliasTargets.set(alias, target);
}

export function resolveNode(doc: Document, node: unknown): Node | undefined {
  let current = node;
  for (let i = 0; i < 64 && isAlias(current); i++) {
    let target = aliasTargets.get(current);
    if (target === undefined) {
      target = (current.resolve(doc) as Node | undefined) ?? null;
      aliasTargets.set(current, target);
    }
    current = target;
  }
  return current == null ? undefined : (current as Node);
}

export function asMap(doc: Document, node: unknown): YAMLMap<unknown, unknown> | undefined {
  const resolved = resolveNode(doc, node);
  return isMap(resolved) ? resolved : undefined;
}

export function asSeq(doc: Document, node: unknown): YAMLSeq<unknown> | undefined {
  const resolved = resolveNode(doc, node);
  return isSeq(resolved) ? resolved : undefined;
}

/** The key of a pair as a string (registry keys are always plain scalars). */
export function pairKey(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  // The common case, a plain string scalar, without the generic type test and conversion.
  if (k !== null && typeof k === 'object' && Object.getPrototypeOf(k) === ScalarClass.prototype) {
    const value = (k as Scalar).value;
    return typeof value === 'string' ? value : String(value);
  }
  return isScalar(k) ? String(k.value) : undefined;
}

export function findPair(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const pair = items[i] as Pair<unknown, unknown>;
    const k = pair.key;
    // Registry keys are plain string scalars: compare those directly, convert anything else.
    if (k !== null && typeof k === 'object' && Object.getPrototypeOf(k) === ScalarClass.prototype) {
      const value = (k as Scalar).value;
      if (value === key || (typeof value !== 'string' && String(value) === key)) return pair;
    } else if (pairKey(pair) === key) return pair;
  }
  return undefined;
}

/** The value node under `key`, aliases resolved. */
export function getNode(doc: Document, map: YAMLMap<unknown, unknown>, key: string): Node | undefined {
  const pair = findPair(map, key);
  return pair ? resolveNode(doc, pair.value) : undefined;
}

/** A string-valued scalar under `key` with its node (for ranges); undefined for anything else. */
export function getString(doc: Document, map: YAMLMap<unknown, unknown>, key: string): { value: string; node: Scalar } | undefined {
  const node = getNode(doc, map, key);
  if (isScalar(node) && typeof node.value === 'string') return { value: node.value, node };
  return undefined;
}

/** Map items of a sequence under `key` (non-map items are left to the schema check). */
export function getMapItems(doc: Document, map: YAMLMap<unknown, unknown>, key: string): YAMLMap<unknown, unknown>[] {
  const seq = asSeq(doc, getNode(doc, map, key));
  if (!seq) return [];
  const out: YAMLMap<unknown, unknown>[] = [];
  for (const item of seq.items) {
    const m = asMap(doc, item);
    if (m) out.push(m);
  }
  return out;
}
