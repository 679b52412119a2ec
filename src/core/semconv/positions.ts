import { isCollection, isMap, isPair, isScalar, type LineCounter, type Node, type Pair } from 'yaml';
import type { Position, Range } from '../engine/diagnostic';

/**
 * Offsets from the `yaml` parser are UTF-16 indexes into the source string, and `LineCounter.linePos`
 * answers 1-based line/column in the same units, so converting to LSP positions is a plain shift by one.
 */
export function positionAt(lineCounter: LineCounter, offset: number): Position {
  // `lineCounter.linePos(offset)` shifted to 0-based, without its intermediate object: every range of
  // every check goes through here. The same binary search over the line starts, the same edge cases.
  const starts = lineCounter.lineStarts;
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((starts[mid] as number) < offset) low = mid + 1;
    else high = mid;
  }
  if (starts[low] === offset) return { line: low, character: 0 };
  // low === 0 only when the counter was never fed (no line starts): linePos says line 0, column offset.
  if (low === 0) return { line: 0, character: Math.max(0, offset - 1) };
  return { line: low - 1, character: offset - (starts[low - 1] as number) };
}

export function rangeFromOffsets(lineCounter: LineCounter, start: number, end: number): Range {
  return { start: positionAt(lineCounter, start), end: positionAt(lineCounter, Math.max(start, end)) };
}

/**
 * The nearest offset of `text` an editor has a position for: the parser reports some errors one past
 * the end of the text (an unclosed flow collection where the file ends) and ends some nodes between the
 * `\r` and `\n` of a line break; those move to the end of the text or of the line's text.
 */
export function offsetOnText(text: string, offset: number): number {
  const clamped = Math.min(Math.max(0, offset), text.length);
  return clamped > 0 && text.charCodeAt(clamped) === 10 && text.charCodeAt(clamped - 1) === 13 ? clamped - 1 : clamped;
}

/** `rangeFromOffsets` for offsets that may fall off the text (see `offsetOnText`). */
export function rangeInText(file: { text: string; lineCounter: LineCounter }, start: number, end: number): Range {
  return rangeFromOffsets(file.lineCounter, offsetOnText(file.text, start), offsetOnText(file.text, end));
}

/** The range of a node's value, without trailing comments or blank lines. */
export function nodeRange(lineCounter: LineCounter, node: Node): Range {
  const [start, valueEnd] = node.range ?? [0, 0, 0];
  return rangeFromOffsets(lineCounter, start, valueEnd);
}

/**
 * A one-line range that stands for a whole mapping in the editor: highlighting a 40-line group for
 * "missing brief" drowns the file, so the first `key: value` pair (usually `id: ...`) stands in for it.
 */
export function headRange(lineCounter: LineCounter, node: Node): Range {
  if (isMap(node) && node.items.length > 0 && !node.flow) {
    const first = node.items[0] as Pair<unknown, unknown>;
    const key = first.key as Node | null;
    const value = first.value as Node | null;
    if (key && key.range) {
      const end = value && isScalar(value) && value.range ? value.range[1] : key.range[1];
      return rangeFromOffsets(lineCounter, key.range[0], end);
    }
  }
  if (isCollection(node) && node.range) {
    // Sequences and flow collections: the first line of the node.
    const start = positionAt(lineCounter, node.range[0]);
    const end = positionAt(lineCounter, node.range[1]);
    if (end.line === start.line) return { start, end };
    const firstItem = node.items[0];
    const itemNode = isPair(firstItem) ? (firstItem.key as Node | null) : (firstItem as Node | undefined);
    if (itemNode && itemNode.range) {
      const itemEnd = positionAt(lineCounter, itemNode.range[1]);
      if (itemEnd.line === start.line) return { start, end: itemEnd };
    }
    return { start, end: start };
  }
  return nodeRange(lineCounter, node);
}

/** `file.yaml:12` style location (1-based line) for messages that point at another definition. */
export function describeLocation(relativePath: string, position: Position): string {
  return `${relativePath}:${position.line + 1}`;
}
