import { isMap, isScalar, isSeq, Scalar, type Document } from 'yaml';

/**
 * Whether an edit only changed the id written after a reference key on one line: `ref: serv` becoming
 * `ref: serve` while the user types. Such an edit cannot change any definition (attribute or group ids,
 * types, briefs, deprecations, members) nor what kind of registry file it is, which is all completion
 * reads from the index; so completion can answer from the index built before the edit, exactly as it
 * would after re-parsing the file, and the parse waits for the next request that needs it.
 *
 * The test is strict: both versions of the line must look like `key: id`, the earlier parse must have
 * read that line as exactly such a pair (not as text inside a block scalar, say), and no more indented
 * line may follow that could continue the value.
 */

/**
 * A reference line: indentation (or a sequence dash), one of the keys whose value names another
 * definition, and an id written as a plain scalar (possibly empty while typed). Values that YAML would
 * read as anything but a plain scalar (quotes, flow collections, anchors, tags, block indicators) and
 * a leading `-` (a sequence entry when alone) do not match, nor does a key at column 0 (top-level keys
 * decide the file's kind).
 */
const REFERENCE_LINE = /^(?: +(?:-[ \t]+)?|-[ \t]+)(?:ref|extends|include|ref_group)[ \t]*:[ \t]*(?:[A-Za-z0-9_.][\w.-]*)?[ \t]*\r?$/;

/** The key's column and where its value starts, on a line REFERENCE_LINE accepts. */
const REFERENCE_HEAD = /^( *(?:-[ \t]+)?)(?:ref|extends|include|ref_group)[ \t]*:[ \t]*/;

/** Columns of leading blanks, undefined for a blank or comment-only line. */
function indentOf(line: string): number | undefined {
  const m = /^[ \t]*/.exec(line)![0].length;
  return m === line.length || line[m] === '#' || line[m] === '\r' ? undefined : m;
}

/** The change between `before` and `after` as whole lines of each version, from `lineStart` on. */
interface ChangedLines {
  /** Length of the text both versions share before the change. */
  prefix: number;
  lineStart: number;
  /** From `lineStart` to the end of the line holding the change's end, in each version. */
  beforeLines: string;
  afterLines: string;
  beforeLineEnd: number;
  afterLineEnd: number;
}

function changedLines(before: string, after: string): ChangedLines {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // The line holding the change's start starts at the same place in both versions (the text before
  // the change is shared), and the text from the end of the last changed line on is shared too.
  const lineStart = prefix === 0 ? 0 : Math.max(before.lastIndexOf('\n', prefix - 1), before.lastIndexOf('\r', prefix - 1)) + 1;
  let beforeLineEnd = before.indexOf('\n', before.length - suffix);
  if (beforeLineEnd < 0) beforeLineEnd = before.length;
  const afterLineEnd = beforeLineEnd - before.length + after.length;
  return { prefix, lineStart, beforeLines: before.slice(lineStart, beforeLineEnd), afterLines: after.slice(lineStart, afterLineEnd), beforeLineEnd, afterLineEnd };
}

/**
 * True when `after` differs from `before` only inside the reference id on line `lineNo` (0-based), both
 * versions of that line being reference lines. `lineOf(offset)` gives the (0-based, editor) line of an
 * offset of `before`.
 */
export function onlyReferenceIdChanged(
  parsed: { text: string; doc: Document.Parsed },
  after: string,
  lineNo: number,
  lineOf: (offset: number) => number,
): boolean {
  const before = parsed.text;
  if (before === after) return true;
  const changed = changedLines(before, after);
  // A change reaching past a line break leaves a line break in these, which REFERENCE_LINE refuses.
  const { prefix, lineStart, beforeLines: beforeLine, afterLines: afterLine, beforeLineEnd, afterLineEnd } = changed;
  if (!REFERENCE_LINE.test(beforeLine) || !REFERENCE_LINE.test(afterLine)) return false;
  const beforeHead = REFERENCE_HEAD.exec(beforeLine)!;
  const afterHead = REFERENCE_HEAD.exec(afterLine)!;
  // The change starts in the value on both sides: the key and its colon are untouched.
  if (prefix - lineStart < beforeHead[0].length || prefix - lineStart < afterHead[0].length) return false;
  // A more indented line below would continue the value (or nest under an emptied one): then the
  // change may reach past this line, so only a following line back at the key's column or left of it
  // (or none) keeps it on this line.
  const keyCol = afterHead[1]!.length;
  for (let from = afterLineEnd + 1; from < after.length; ) {
    let end = after.indexOf('\n', from);
    if (end < 0) end = after.length;
    const indent = indentOf(after.slice(from, end));
    if (indent !== undefined) {
      if (indent > keyCol) return false;
      break;
    }
    from = end + 1;
  }
  if (lineOf(lineStart) !== lineNo) return false;
  return isPlainPairAt(parsed.doc.contents, lineStart + beforeHead[1]!.length, beforeLineEnd);
}

/**
 * An indented line holding at most a key being typed: indentation, maybe a sequence dash, maybe a key,
 * its colon and one plain word. Nothing on it can open or close what spans lines (quotes, brackets,
 * braces, block scalar indicators, comments, anchors, tags), and it is not at column 0, where the
 * top-level keys are.
 */
const INDENTED_KEY_LINE = /^ +(?:-[ \t]+)?(?:[A-Za-z_][\w.-]*(?:[ \t]*:(?:[ \t]+[\w.-]+)?)?)?[ \t]*\r?$/;

/** Blank (or white) lines: they never change the structure around them. */
const BLANK_LINE = /^[ \t]*\r?$/;

/**
 * True when every line `after` changed from `before` (in both versions) is blank or an indented line
 * holding at most a key being typed, all below the first top-level key of a registry file: the top-level
 * keys, and with them the file's kind (all that key completion and schema value completion read from
 * the parse), are the same in both. Typing a key on a new line is such an edit, Enter included.
 */
export function onlyIndentedKeyLinesChanged(parsed: { text: string; doc: Document.Parsed; kind: string }, after: string): boolean {
  const before = parsed.text;
  if (before === after) return true;
  if (parsed.kind !== 'v1' && parsed.kind !== 'v2') return false;
  const changed = changedLines(before, after);
  const { lineStart } = changed;
  const keyish = (block: string): boolean => block.split('\n').every((line) => BLANK_LINE.test(line) || INDENTED_KEY_LINE.test(line));
  if (!keyish(changed.beforeLines) || !keyish(changed.afterLines)) return false;
  // The document is a mapping whose first key sits at column 0 above those lines: indented lines below
  // it belong to the value of some top-level key.
  const contents = parsed.doc.contents;
  const firstKey = isMap(contents) ? contents.items[0]?.key : undefined;
  const keyStart = isScalar(firstKey) ? firstKey.range?.[0] : undefined;
  if (keyStart === undefined || keyStart >= lineStart) return false;
  return keyStart === 0 || before.charCodeAt(keyStart - 1) === 10 || before.charCodeAt(keyStart - 1) === 13;
}

/**
 * Whether the parse holds a mapping pair whose plain key starts at `keyOffset` and whose value is a plain
 * scalar (or nothing) ending by `lineEnd`: descends from the root through the collections covering it.
 */
function isPlainPairAt(node: unknown, keyOffset: number, lineEnd: number): boolean {
  for (let depth = 0; depth < 256 && node; depth++) {
    if (isMap(node)) {
      let next: unknown;
      for (const pair of node.items) {
        const key = pair.key;
        if (!isScalar(key) || !key.range) continue;
        if (key.range[0] === keyOffset) {
          const value = pair.value;
          return key.type === Scalar.PLAIN && isScalar(value) && value.type === Scalar.PLAIN && !!value.range && value.range[1] <= lineEnd && !value.anchor && !value.tag;
        }
        const valueRange = (pair.value as { range?: [number, number, number] } | null)?.range;
        if (key.range[0] < keyOffset && valueRange && keyOffset < valueRange[2]) next = pair.value;
      }
      node = next;
    } else if (isSeq(node)) {
      node = node.items.find((item) => {
        const range = (item as { range?: [number, number, number] } | null)?.range;
        return !!range && range[0] <= keyOffset && keyOffset < range[2];
      });
    } else {
      return false;
    }
  }
  return false;
}
