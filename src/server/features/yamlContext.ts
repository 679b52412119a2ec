/**
 * Where the cursor is in a registry YAML file, read from the text lines rather than the parse tree:
 * completion runs while the user is typing, when the file is usually not valid YAML (`ref: ` with
 * nothing after it, a half-written key). Block-style YAML, which registries use, makes the ancestry
 * of a line a matter of indentation.
 */

export interface LineInfo {
  /** Column of the `- ` of a sequence item, when the line starts one. */
  dashCol?: number;
  /** Column of the key (after any `- `). */
  keyCol: number;
  key?: string;
  /** The text after `key:` (trimmed), '' when the key opens a nested block. */
  value?: string;
}

const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:(?:\s+(.*)|\s*)$/;

/** The shape of one line: its key and where it sits; undefined for blank and comment lines. */
export function lineInfo(line: string): LineInfo | undefined {
  if (/^\s*(#.*)?$/.test(line)) return undefined;
  const m = KEY_LINE.exec(line);
  if (m) {
    const indent = m[1]!.length;
    const info: LineInfo = { keyCol: indent + (m[2]?.length ?? 0), key: m[3]!, value: (m[4] ?? '').trim() };
    if (m[2]) info.dashCol = indent;
    return info;
  }
  const item = /^(\s*)(-\s+)?/.exec(line)!;
  const info: LineInfo = { keyCol: item[1]!.length + (item[2]?.length ?? 0) };
  if (item[2]) info.dashCol = item[1]!.length;
  return info;
}

/**
 * The keys enclosing a node whose key would sit at column `col` on line `lineNo`, outermost first:
 * `['groups', 'attributes']` for an attribute entry of a v1 group.
 */
export function ancestorKeys(lines: readonly string[], lineNo: number, col: number): string[] {
  const path: string[] = [];
  let limit = col;
  for (let l = lineNo - 1; l >= 0 && limit > 0; l--) {
    const info = lineInfo(lines[l]!);
    if (!info) continue;
    if (info.dashCol !== undefined) {
      // Nested under the item's first key (`- type:` with members below it).
      if (info.key && !info.value && info.keyCol < limit) path.push(info.key);
      // Inside this sequence item: the sequence's own key is further up, at or left of the dash.
      if (info.dashCol < limit) limit = info.dashCol + 1;
      continue;
    }
    if (info.key && info.keyCol < limit) {
      // A key with an inline value cannot hold nested lines: it is not an ancestor.
      if (info.value && !/^[|>][-+0-9]*$/.test(info.value) && !/^&\S+$/.test(info.value)) continue;
      path.push(info.key);
      limit = info.keyCol;
    }
  }
  return path.reverse();
}

/** The value of `key` among the other keys of the same mapping (same column, same item). */
export function siblingValue(lines: readonly string[], lineNo: number, keyCol: number, key: string): string | undefined {
  const at = (l: number): { info: LineInfo | undefined; stop: boolean } => {
    const info = lineInfo(lines[l]!);
    if (!info) return { info, stop: false };
    return { info, stop: info.keyCol < keyCol || (info.keyCol === keyCol && info.dashCol !== undefined) };
  };
  for (let l = lineNo; l >= 0; l--) {
    const { info, stop } = at(l);
    if (info?.key === key && info.keyCol === keyCol && info.value) return unquote(info.value);
    if (stop && l !== lineNo) return undefined;
    if (info?.dashCol !== undefined && info.keyCol === keyCol) break;
  }
  for (let l = lineNo + 1; l < lines.length; l++) {
    const { info, stop } = at(l);
    if (stop) return undefined;
    if (info?.key === key && info.keyCol === keyCol && info.value) return unquote(info.value);
  }
  return undefined;
}

function unquote(value: string): string {
  const v = value.replace(/\s+#.*$/, '');
  return /^(['"]).*\1$/.test(v) ? v.slice(1, -1) : v;
}

export type CursorContext =
  | { kind: 'key'; path: string[]; prefix: string; start: number; end: number; keyCol: number; line: number }
  | { kind: 'value'; path: string[]; key: string; prefix: string; start: number; end: number; keyCol: number; line: number };

/** What is being typed at `character` of line `lineNo`: a key (with its ancestry) or a key's value. */
export function cursorContext(lines: readonly string[], lineNo: number, character: number): CursorContext | undefined {
  const line = lines[lineNo];
  if (line === undefined) return undefined;
  const before = line.slice(0, character);
  const tokenEnd = character + (/^[\w.\-[\]{}]*/.exec(line.slice(character))?.[0].length ?? 0);
  const valueMatch = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:\s+(.*)$/.exec(before) ?? /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:()$/.exec(before);
  if (valueMatch) {
    const keyCol = valueMatch[1]!.length + (valueMatch[2]?.length ?? 0);
    const key = valueMatch[3]!;
    const raw = valueMatch[4]!;
    // Inside a flow list (`examples: [a, b`) or after a quote, the current item starts later.
    const itemStart = Math.max(raw.lastIndexOf('['), raw.lastIndexOf(','), raw.lastIndexOf('"'), raw.lastIndexOf("'"));
    const prefix = raw.slice(itemStart + 1).trimStart();
    return { kind: 'value', path: [...ancestorKeys(lines, lineNo, keyCol), key], key, prefix, start: character - prefix.length, end: tokenEnd, keyCol, line: lineNo };
  }
  const keyMatch = /^(\s*)(-\s+)?([\w.-]*)$/.exec(before);
  if (keyMatch) {
    const keyCol = keyMatch[1]!.length + (keyMatch[2]?.length ?? 0);
    const prefix = keyMatch[3]!;
    const path = ancestorKeys(lines, lineNo, keyCol);
    // `- exc` under `events:` is a list of names, not a mapping key.
    if (keyMatch[2] && path[path.length - 1] === 'events') {
      return { kind: 'value', path, key: 'events', prefix, start: character - prefix.length, end: tokenEnd, keyCol, line: lineNo };
    }
    return { kind: 'key', path, prefix, start: character - prefix.length, end: tokenEnd, keyCol, line: lineNo };
  }
  return undefined;
}
