import type { Position, Range } from '../../core/engine/diagnostic';
import type { ParsedFile } from '../../core/semconv/parsedFile';
import { offsetOnText, positionAt } from '../../core/semconv/positions';
import { offsetIn } from '../../core/semconv/symbols';

/**
 * Every core range comes from the YAML parser's line counter, which breaks lines at `\n` only and,
 * inside some broken constructs (an unclosed flow collection spanning lines), misses line breaks
 * altogether; LSP breaks lines at `\n`, `\r\n` and a lone `\r`. The two tables are compared once per
 * parse: when they agree (every well-formed file without a lone `\r`) positions pass unchanged, else
 * they are converted through UTF-16 offsets, which both sides agree on.
 */

interface LineTable {
  /** Offsets where each LSP line starts. */
  starts: number[];
}

const tables = new WeakMap<ParsedFile, LineTable | null>();

function tableOf(file: ParsedFile): LineTable | null {
  let table = tables.get(file);
  if (table === undefined) {
    const starts = [0];
    const re = /\r\n|\r|\n/g;
    for (let m = re.exec(file.text); m; m = re.exec(file.text)) starts.push(m.index + m[0].length);
    const parser = file.lineCounter.lineStarts;
    const same = parser.length === starts.length && starts.every((s, i) => parser[i] === s);
    table = same ? null : { starts };
    tables.set(file, table);
  }
  return table;
}

function lspPositionAt(table: LineTable, offset: number): Position {
  let lo = 0;
  let hi = table.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (table.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - table.starts[lo]! };
}

/** A core (parser) position as the editor counts lines. */
export function toLspPosition(file: ParsedFile | undefined, position: Position): Position {
  const table = file && tableOf(file);
  if (!file) return position;
  if (!table) return withinLine(file, position);
  return lspPositionAt(table, offsetOnText(file.text, offsetIn(file, position)));
}

/**
 * The position moved back onto the line's text when it points into the line break: a node the parser
 * ends on the `\n` of a `\r\n` (an unclosed flow collection does) would otherwise sit one column past
 * the end of its line, which the editor does not have.
 */
function withinLine(file: ParsedFile, position: Position): Position {
  const starts = file.lineCounter.lineStarts;
  if (position.line + 1 >= starts.length) return position;
  const next = starts[position.line + 1]!;
  const text = file.text;
  const end = next - (text.charCodeAt(next - 1) === 10 && text.charCodeAt(next - 2) === 13 ? 2 : 1);
  const length = end - starts[position.line]!;
  return position.character > length ? { line: position.line, character: length } : position;
}

export function toLspRange(file: ParsedFile | undefined, range: Range): Range {
  return { start: toLspPosition(file, range.start), end: toLspPosition(file, range.end) };
}

/** An editor position as the parser counts lines (what the symbol index is keyed by). */
export function fromLspPosition(file: ParsedFile, position: Position): Position {
  const table = tableOf(file);
  if (!table) return position;
  const line = Math.min(Math.max(0, position.line), table.starts.length - 1);
  const start = table.starts[line]!;
  const next = line + 1 < table.starts.length ? table.starts[line + 1]! : file.text.length;
  return positionAt(file.lineCounter, Math.min(start + Math.max(0, position.character), next));
}
