import { isCollection, isMap, isPair, isScalar, isSeq, visit, type Node } from 'yaml';
import type { Position, Range } from '../../core/engine/diagnostic';
import type { ParsedFile } from '../../core/semconv/parsedFile';
import { positionAt } from '../../core/semconv/positions';
import { matchTier } from './completion';
import type { AttributeSymbol, FileSymbols, GroupSymbol, SymbolIndex } from '../../core/semconv/symbols';

/** The outline of a file (groups > attributes), workspace symbol search, and folding ranges. */

export interface OutlineNode {
  name: string;
  detail?: string;
  kind: 'group' | 'signal' | 'attribute' | 'ref' | 'ref_group' | 'member';
  range: Range;
  selectionRange: Range;
  deprecated?: boolean;
  children: OutlineNode[];
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function attributeNode(a: AttributeSymbol): OutlineNode {
  const node: OutlineNode = {
    name: a.id,
    kind: 'attribute',
    range: a.fullRange,
    selectionRange: a.range,
    children: a.members
      .filter((m) => contains(a.fullRange, m.range))
      .map((m) => ({ name: m.id, detail: m.value, kind: 'member' as const, range: m.range, selectionRange: m.range, children: [] })),
  };
  if (a.type) node.detail = a.type;
  if (a.deprecated) node.deprecated = true;
  return node;
}

function groupNode(g: GroupSymbol, symbols: FileSymbols): OutlineNode {
  const range = contains(g.fullRange, g.range) ? g.fullRange : g.range;
  const children: OutlineNode[] = [];
  // Whole ranges, not just the name: in broken YAML (an unclosed flow map) the parser can end a group
  // before the end of an attribute it holds, and an outline child must lie inside its parent.
  for (const a of symbols.attributes) if (a.groupId === g.id && contains(range, a.fullRange)) children.push(attributeNode(a));
  for (const r of symbols.references) {
    if (r.groupId !== g.id || (r.kind !== 'ref' && r.kind !== 'ref_group') || !contains(range, r.range)) continue;
    children.push({ name: r.written, detail: r.kind, kind: r.kind, range: r.range, selectionRange: r.range, children: [] });
  }
  children.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
  const signal = g.kind !== 'attribute_group';
  return {
    name: g.format === 'v2' ? g.name : g.id,
    detail: g.kind,
    kind: signal ? 'signal' : 'group',
    range,
    selectionRange: g.range,
    children,
  };
}

export function documentOutline(symbols: FileSymbols): OutlineNode[] {
  const top: OutlineNode[] = symbols.groups.map((g) => groupNode(g, symbols));
  for (const a of symbols.attributes) if (a.groupId === undefined) top.push(attributeNode(a));
  top.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
  return top;
}

export interface WorkspaceHit {
  name: string;
  kind: 'group' | 'signal' | 'attribute';
  container?: string;
  file: string;
  range: Range;
  rank: number;
}

/** Attributes and groups whose id matches the query, best matches first, at most `limit`. */
export function workspaceSymbols(index: SymbolIndex, query: string, limit = 500): WorkspaceHit[] {
  const hits: WorkspaceHit[] = [];
  for (const g of index.allGroups()) {
    const tier = matchTier(g.id, query);
    if (tier !== undefined) hits.push({ name: g.id, kind: g.kind === 'attribute_group' ? 'group' : 'signal', container: g.kind, file: g.file, range: g.range, rank: tier });
  }
  for (const a of index.allAttributes()) {
    const tier = matchTier(a.id, query);
    if (tier === undefined) continue;
    const hit: WorkspaceHit = { name: a.id, kind: 'attribute', file: a.file, range: a.range, rank: tier };
    if (a.groupId) hit.container = a.groupId;
    hits.push(hit);
  }
  hits.sort((x, y) => x.rank - y.rank || x.name.length - y.name.length || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return hits.slice(0, limit);
}

/** Lines to fold: every mapping entry and sequence item whose value spans several lines. */
export function foldingRanges(
  file: ParsedFile,
  lineOf: (offset: number) => number = (offset) => positionAt(file.lineCounter, offset).line,
): Array<{ startLine: number; endLine: number }> {
  const out: Array<{ startLine: number; endLine: number }> = [];
  const seen = new Set<string>();
  const text = file.text;
  const lastLine = (node: Node): number | undefined => {
    if (!node.range) return undefined;
    let end = node.range[1];
    while (end > node.range[0] && /\s/.test(text[end - 1]!)) end--;
    return lineOf(Math.max(node.range[0], end - 1));
  };
  const add = (startOffset: number, node: Node): void => {
    const startLine = lineOf(startOffset);
    const endLine = lastLine(node);
    if (endLine === undefined || endLine <= startLine) return;
    const key = `${startLine}:${endLine}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ startLine, endLine });
  };
  visit(file.doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return;
      const value = pair.value as Node | null;
      if (value && (isCollection(value) || isScalar(value)) && value.range) add(pair.key.range[0], value);
    },
    Seq(_, seq) {
      if (!isSeq(seq)) return;
      for (const item of seq.items) if (isMap(item) && item.range) add(item.range[0], item);
    },
  });
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}
