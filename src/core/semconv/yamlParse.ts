import { Composer, LineCounter, YAMLParseError, type CST, type Document } from 'yaml';
import { findDuplicateKeys } from './yamlDuplicateKeys';
import { LIMIT_CODES, limitAliases, limitNesting, MAX_NESTING_DEPTH } from './yamlLimits';
import { PushLexer, PushParser } from './yamlPushParser.generated';

/**
 * `parseDocument` with one leniency weaver has and the `yaml` package does not: a quoted scalar whose
 * continuation lines are indented no deeper than its key, e.g.
 *
 *     examples: 'Exception in thread "main"\n
 *     at com.example.Main(Main.java:5)'
 *
 * YAML 1.2 ends the scalar at the under-indented line (and then reports an unclosed quote); libyaml,
 * which weaver's serde_yaml is built on, reads on to the closing quote, and weaver's own test
 * registries rely on that. Reporting it would be a false alarm, so the lexer is swapped for one that
 * ends a quoted scalar only at its closing quote or at a document marker, as libyaml does. Everything
 * else (positions, errors, the document model) is the stock parser's.
 *
 * The replacement reaches into lexer members the typings mark private; `yaml` is pinned to an exact
 * version and `LENIENT` falls back to the stock lexer if those members ever disappear.
 *
 * The lexer and parser are yaml's own, with their generators turned into callbacks
 * (yamlPushParser.generated.ts, see scripts/generate-yaml-push-parser.mjs): the same tokens at a
 * fraction of the cost in code that has not been optimised yet, which is what a cold load runs.
 */

interface LexerInternals {
  buffer: string;
  pos: number;
  atEnd: boolean;
  flowLevel: number;
  charAt(n: number): string;
  setNext(state: string): number;
  pushToIndex(i: number, allNull: boolean): number;
}

interface Lexer {
  parseQuotedScalar(): string | number;
}

interface Parser {
  lexer: Lexer;
  emit(token: unknown): void;
  parse(source: string): void;
  offset: number;
  stack: Array<{ type: string; offset: number }>;
}

const proto = PushLexer.prototype as unknown as Record<string, unknown>;
const LENIENT = ['parseQuotedScalar', 'pushToIndex', 'charAt', 'setNext'].every((name) => typeof proto[name] === 'function');

function isDocumentMarker(buffer: string, lineStart: number): boolean {
  const c = buffer.charCodeAt(lineStart);
  if ((c !== 45 && c !== 46) || buffer.charCodeAt(lineStart + 1) !== c || buffer.charCodeAt(lineStart + 2) !== c) return false; // '---' or '...'
  const after = buffer.charCodeAt(lineStart + 3);
  return Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 13;
}

/** Replaces `Lexer#parseQuotedScalar` (installed per lexer instance below). */
function parseQuotedScalarLikeLibyaml(this: LexerInternals): string | number {
  const buffer = this.buffer;
  const quote = this.charAt(0);
  let end = buffer.indexOf(quote, this.pos + 1);
  if (quote === "'") {
    while (end !== -1 && buffer[end + 1] === "'") end = buffer.indexOf("'", end + 2);
  } else {
    while (end !== -1) {
      let backslashes = 0;
      while (buffer[end - 1 - backslashes] === '\\') backslashes += 1;
      if (backslashes % 2 === 0) break;
      end = buffer.indexOf('"', end + 1);
    }
  }
  // Only a document marker at the start of a line cuts the scalar short.
  const limit = end === -1 ? buffer.length : end;
  for (let nl = buffer.indexOf('\n', this.pos); nl !== -1 && nl < limit; nl = buffer.indexOf('\n', nl + 1)) {
    if (isDocumentMarker(buffer, nl + 1)) {
      end = nl - (buffer.charCodeAt(nl - 1) === 13 ? 2 : 1);
      break;
    }
  }
  if (end === -1) {
    if (!this.atEnd) return this.setNext('quoted-scalar');
    end = buffer.length;
  }
  this.pushToIndex(end + 1, false);
  return this.flowLevel ? 'flow' : 'doc';
}

function libyamlLikeLexer(): Lexer {
  const lexer = new PushLexer() as unknown as Lexer;
  (lexer as unknown as { parseQuotedScalar: typeof parseQuotedScalarLikeLibyaml }).parseQuotedScalar = parseQuotedScalarLikeLibyaml;
  return lexer;
}

/**
 * YAML 1.2 and libyaml break lines at a lone `\r` (old Mac line endings) as at `\n` and `\r\n`; the
 * `yaml` lexer only at the latter two, so it reads such a file as one long line and reports false
 * errors. Each lone `\r` becomes a `\n`: the same length, so every offset still points at the same
 * place of the original text, and scalars hold `\n` for it as libyaml's do.
 */
function withLoneCrAsLf(text: string): string {
  if (text.indexOf('\r') === -1) return text;
  return LONE_CR.test(text) ? text.replace(LONE_CR_ALL, '\n') : text;
}
const LONE_CR = /\r(?!\n)/;
const LONE_CR_ALL = /\r(?!\n)/g;

/**
 * The parser hands over a document's token tree only once it is complete, and that tree takes several
 * times the memory of the document built from it. The composer reads the items of a block collection
 * once, in order (`for...of`), so the items of the outer collections, where nearly all of a large
 * file sits, are let go as soon as the composer has moved past them: the tree shrinks while the
 * document grows, instead of both being held whole at the peak.
 */
function releaseAsComposed(document: CST.Document): void {
  const stack: Array<{ token: CST.Token | undefined | null; depth: number }> = [{ token: document.value, depth: 0 }];
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token || (token.type !== 'block-map' && token.type !== 'block-seq') || depth > 3) continue;
    const items = token.items as Array<CST.CollectionItem | undefined>;
    for (const item of items) if (item?.value) stack.push({ token: item.value, depth: depth + 1 });
    if (items.length < 16) continue;
    Object.defineProperty(items, Symbol.iterator, {
      configurable: true,
      value: function* releasing(this: Array<CST.CollectionItem | undefined>) {
        for (let i = 0; i < this.length; i++) {
          const item = this[i];
          this[i] = undefined;
          yield item;
        }
      },
    });
  }
}

/**
 * The document of a text the parser could not finish because its block collections nest too deeply: no
 * content (weaver refuses the whole file too), one error at the first collection nested past the limit
 * that the parser still had open, else where it stopped.
 */
function tooDeepToParse(text: string, parser: Parser): Document.Parsed {
  const doc = [...new Composer({ logLevel: 'error' }).end(true, text.length)][0]!;
  const open = parser.stack.filter((t) => t.type === 'block-seq' || t.type === 'block-map' || t.type === 'flow-collection');
  const offset = Math.min(open[MAX_NESTING_DEPTH]?.offset ?? parser.offset, text.length);
  doc.errors.push(
    new YAMLParseError(
      [offset, Math.min(offset + 1, text.length)],
      LIMIT_CODES.nesting as never,
      `collections nest more than ${MAX_NESTING_DEPTH} levels deep here, too deep to read the file at all (weaver: "recursion limit exceeded"): flatten the structure`,
    ),
  );
  return doc;
}

/**
 * Parses one YAML document with positions, as `parseDocument(text, { lineCounter })` would. The line
 * counter is optional: registry files build theirs from the text (see `editorLineCounter`).
 *
 * Tokens go to the composer as the parser emits them (nothing collects them), and the document is held
 * to weaver's nesting and alias limits (yamlLimits.ts) before anything walks it: a hostile file yields
 * errors on its lines, never an exhausted stack or heap.
 */
export function parseYamlDocument(text: string, lineCounter?: LineCounter): Document.Parsed {
  const parser = new PushParser(lineCounter?.addNewLine) as unknown as Parser;
  if (LENIENT) parser.lexer = libyamlLikeLexer();
  // Duplicate keys are errors, as weaver's serde_yaml has them, found by `findDuplicateKeys` after
  // composing (in linear time: the composer's own check is quadratic in a mapping's size).
  // logLevel 'error': toJS would otherwise print yaml's own warnings (e.g. a collection used as a key) to
  // stderr; the schema check reports what is wrong with such a file, on its line.
  const composer = new Composer({ logLevel: 'error', uniqueKeys: false });
  let doc: Document.Parsed | undefined;
  let extra: YAMLParseError | undefined;
  let nesting: YAMLParseError | undefined;
  let documents = 0;
  let hasAliases = false;
  const take = (next: Document.Parsed): void => {
    if (!doc) doc = next;
    else extra ??= new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents');
  };
  parser.emit = (token) => {
    // Only the first document is read; the second is composed for the range of the MULTIPLE_DOCS error.
    if (extra) return;
    const cst = token as CST.Token;
    if (cst.type === 'document') {
      documents += 1;
      const limited = limitNesting(cst);
      if (documents === 1) {
        nesting = limited.error;
        hasAliases = limited.hasAliases;
      }
      releaseAsComposed(cst);
    }
    for (const next of composer.next(cst)) take(next);
  };
  try {
    parser.parse(withLoneCrAsLf(text));
  } catch (error) {
    // The parser closes block collections recursively, one call per level, when a line goes back out
    // of them: thousands of levels exhaust the stack before the token tree is complete.
    if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) throw error;
    return tooDeepToParse(text, parser);
  }
  // end(forceDoc = true) always yields a document, even for an empty text.
  if (!extra) for (const next of composer.end(true, text.length)) take(next);
  const result = doc!;
  findDuplicateKeys(result);
  if (nesting) result.errors.push(nesting);
  if (extra) result.errors.push(extra);
  if (hasAliases) limitAliases(result);
  return result;
}
