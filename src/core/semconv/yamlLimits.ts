import { Alias, isAlias, isCollection, isPair, isScalar, Scalar, YAMLParseError, type CST, type Document, type ErrorCode, type Node } from 'yaml';
import { rememberAliasTarget } from './yamlNodes';

/**
 * The limits weaver's YAML reader (serde_yaml over libyaml) puts on a document, applied here so that a
 * hostile file costs no more than its size: weaver refuses a document that nests more than 128
 * collections ("recursion limit exceeded") or whose aliases, expanded, jump more than 100 times its
 * number of events ("repetition limit exceeded", the guard against "billion laughs" files). Both are
 * enforced once, right after parsing, so that every later walk (value conversion, schema check, symbol
 * extraction, policy input, resolver) sees a document of bounded depth whose aliases expand to a
 * bounded size, and may recurse.
 *
 * - Nesting is cut in the parser's token tree, before the composer (which recurses once per level and
 *   would otherwise run out of stack): a collection nested past the limit becomes an empty value.
 * - Aliases are counted on the composed document in one pass: per node, how many alias jumps, how many
 *   nodes and how many levels its full expansion has (memoized, so a bomb costs its size, not its
 *   expansion). An alias that would take the document past a limit, or that names the collection it
 *   sits in (it would expand forever), is replaced by an empty value.
 *
 * Each cut is reported once, at the first place it happens, naming the limit and what to do.
 */

/** Collections nested deeper than this are refused (serde_yaml's recursion limit). */
export const MAX_NESTING_DEPTH = 128;
/** Alias jumps while expanding a document may not exceed this many times its events (serde_yaml's repetition limit). */
export const ALIAS_REPETITION_FACTOR = 100;
/** The nodes of a document with its aliases expanded may not exceed this many times its events. */
export const ALIAS_EXPANSION_FACTOR = 100;

/** Codes of the errors these limits add to `Document#errors` (outside yaml's own `ErrorCode`s). */
export const LIMIT_CODES = {
  nesting: 'NESTING_LIMIT',
  aliases: 'ALIAS_LIMIT',
} as const;

function limitError(offset: number, length: number, code: string, message: string): YAMLParseError {
  return new YAMLParseError([offset, offset + Math.max(1, length)], code as ErrorCode, message);
}

type Slot = { get(): CST.Token | null | undefined; set(token: CST.Token): void };

/**
 * Replaces every collection of `document` nested deeper than `MAX_NESTING_DEPTH` by an empty plain
 * scalar at its place. Returns the error for the first one cut (undefined when none was), and whether
 * the document holds an alias at all (when not, `limitAliases` has nothing to do). Iterative: the
 * token tree may be as deep as the text is long.
 */
export function limitNesting(document: CST.Document, maxDepth = MAX_NESTING_DEPTH): { error: YAMLParseError | undefined; hasAliases: boolean } {
  let first: CST.Token | undefined;
  let cut = 0;
  let hasAliases = document.value?.type === 'alias';
  const stack: Array<{ token: CST.Token | null | undefined; depth: number; slot?: Slot }> = [{ token: document.value, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth, slot } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth >= maxDepth && slot) {
        cut += 1;
        if (!first || token.offset < first.offset) first = token;
        slot.set({ type: 'scalar', offset: token.offset, indent: token.indent, source: '' });
        continue;
      }
      for (const item of token.items) {
        if (item.key?.type === 'alias' || item.value?.type === 'alias') hasAliases = true;
        if (item.key) stack.push({ token: item.key, depth: depth + 1, slot: { get: () => item.key, set: (t) => (item.key = t as never) } });
        if (item.value) stack.push({ token: item.value, depth: depth + 1, slot: { get: () => item.value, set: (t) => (item.value = t as never) } });
      }
    }
  }
  if (!first) return { error: undefined, hasAliases };
  const more = cut > 1 ? ` (${cut} places in this file)` : '';
  const error = limitError(
    first.offset,
    1,
    LIMIT_CODES.nesting,
    `collections nest more than ${maxDepth} levels deep here${more}, the most weaver reads ("recursion limit exceeded"): flatten the structure`,
  );
  return { error, hasAliases };
}

interface Expansion {
  /** Alias jumps in the full expansion. */
  jumps: number;
  /** Nodes in the full expansion. */
  nodes: number;
  /** Collection levels in the full expansion (a scalar is 0). */
  depth: number;
}

const LEAF: Expansion = { jumps: 0, nodes: 1, depth: 0 };
const EMPTY: Expansion = { jumps: 0, nodes: 1, depth: 0 };

/**
 * Counts what expanding the aliases of `doc` costs and cuts the aliases that would take it past the
 * limits (see the file header), adding one error per kind of cut to `doc.errors`. Also records what
 * every alias resolves to (`rememberAliasTarget`), found in document order as `Alias#resolve` finds it,
 * so no later lookup walks the document again. The tree is at most `MAX_NESTING_DEPTH` deep here
 * (`limitNesting` ran first), so the walk recurses.
 */
export function limitAliases(doc: Document.Parsed, maxDepth = MAX_NESTING_DEPTH): void {
  const anchors = new Map<string, Node>();
  const expansions = new Map<Node, Expansion>();
  const inProgress = new Set<Node>();
  let events = 0;
  let aliasCount = 0;
  const cuts: Array<{ alias: Alias; reason: 'cycle' | 'depth' | 'size' }> = [];

  // First pass: anchors in document order, each node's expansion (targets precede their aliases, so
  // each is known or, for an alias inside its own anchor, still in progress).
  const measure = (node: unknown, level: number, replace: (n: Node) => void): Expansion => {
    if (node === null || node === undefined) return EMPTY;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    if (isAlias(n)) {
      events += 1;
      aliasCount += 1;
      const target = anchors.get(n.source);
      rememberAliasTarget(n, target ?? null);
      if (!target) return EMPTY;
      const known = expansions.get(target);
      if (!known || inProgress.has(target)) {
        cuts.push({ alias: n, reason: 'cycle' });
        replace(emptyLike(n));
        return EMPTY;
      }
      if (level + known.depth > maxDepth) {
        cuts.push({ alias: n, reason: 'depth' });
        replace(emptyLike(n));
        return EMPTY;
      }
      return { jumps: known.jumps + 1, nodes: known.nodes, depth: known.depth };
    }
    if (isScalar(n)) {
      events += 1;
      if (n.anchor) expansions.set(n, LEAF);
      return LEAF;
    }
    if (!isCollection(n)) return EMPTY;
    events += 2;
    inProgress.add(n);
    const own: Expansion = { jumps: 0, nodes: 1, depth: 1 };
    // Placeholder so an alias to an enclosing anchor is recognised as a cycle.
    if (n.anchor) expansions.set(n, own);
    const items = n.items as unknown[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (isPair(item)) {
        const key = measure(item.key, level + 1, (r) => (item.key = r));
        const value = measure(item.value, level + 1, (r) => (item.value = r));
        own.jumps += key.jumps + value.jumps;
        own.nodes += key.nodes + value.nodes;
        own.depth = Math.max(own.depth, 1 + key.depth, 1 + value.depth);
      } else {
        const e = measure(item, level + 1, (r) => (items[i] = r));
        own.jumps += e.jumps;
        own.nodes += e.nodes;
        own.depth = Math.max(own.depth, 1 + e.depth);
      }
    }
    inProgress.delete(n);
    if (n.anchor) expansions.set(n, own);
    return own;
  };
  measure(doc.contents, 0, (r) => (doc.contents = r as never));
  if (aliasCount === 0) return;

  // Second pass: the aliases in document order, each adding its expansion to the running totals; one
  // that would pass a limit is cut (and counts nothing).
  const maxJumps = ALIAS_REPETITION_FACTOR * events;
  const maxNodes = ALIAS_EXPANSION_FACTOR * events;
  let jumps = 0;
  let nodes = 0;
  const budget = (node: unknown, replace: (n: Node) => void): void => {
    if (node === null || node === undefined) return;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const e = target ? expansions.get(target) : undefined;
      if (!e) return;
      if (jumps + e.jumps + 1 > maxJumps || nodes + e.nodes > maxNodes) {
        cuts.push({ alias: node, reason: 'size' });
        replace(emptyLike(node));
        return;
      }
      jumps += e.jumps + 1;
      nodes += e.nodes;
      return;
    }
    if (!isCollection(node)) return;
    const items = node.items as unknown[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (isPair(item)) {
        budget(item.key, (r) => (item.key = r));
        budget(item.value, (r) => (item.value = r));
      } else budget(item, (r) => (items[i] = r));
    }
  };
  budget(doc.contents, (r) => (doc.contents = r as never));

  for (const reason of ['size', 'depth', 'cycle'] as const) {
    const these = cuts.filter((c) => c.reason === reason);
    if (these.length === 0) continue;
    const first = these.reduce((a, b) => ((a.alias.range?.[0] ?? 0) <= (b.alias.range?.[0] ?? 0) ? a : b)).alias;
    const [start, end] = first.range ?? [0, 1];
    const more = these.length > 1 ? ` (${these.length} aliases in this file)` : '';
    const message =
      reason === 'size'
        ? `alias *${first.source} expands the document past ${ALIAS_REPETITION_FACTOR} times its size${more}, more than weaver reads ("repetition limit exceeded", the sign of a "billion laughs" file): write the values out or reuse fewer nested aliases`
        : reason === 'depth'
          ? `alias *${first.source} expands to collections nested more than ${maxDepth} levels deep${more}, the most weaver reads ("recursion limit exceeded"): flatten the structure`
          : `alias *${first.source} names a collection that contains it${more}, which would expand forever: point it at a node outside itself`;
    doc.errors.push(limitError(start, end - start, LIMIT_CODES.aliases, message));
  }
}

/** An empty value standing where a cut alias was (so ranges and the document's shape stay). */
function emptyLike(alias: Alias): Scalar {
  const scalar = new Scalar(null);
  if (alias.range) scalar.range = [...alias.range] as [number, number, number];
  return scalar;
}
