import { Document, visit } from 'yaml';

/**
 * Escaping of registry-derived text (file names, ids, briefs, messages) for every human-readable
 * output, one function per kind of output. A registry under review is untrusted: its file names and
 * ids may hold line breaks, ESC sequences, lone CRs, bidi overrides or workflow-command sequences.
 *
 * - Terminals act on ESC/CSI/OSC sequences (C0 ESC, C1 CSI) and on CR (line overwrite).
 * - GitHub Actions reads a line as a workflow command when it starts, after whitespace, with `::`,
 *   and (legacy form) when `##[` appears anywhere in it; Azure Pipelines does so for `##vso[`
 *   anywhere. The runner splits lines on LF, CR and CRLF.
 * - Bidi overrides and isolates reorder what a reader sees ("Trojan Source").
 * - Markdown turns brackets, backticks, HTML, pipes, emphasis, autolinks and mentions into markup.
 *
 * What each function returns is inert for its output and still says what was there: `\n`, `\x1b`,
 * `\u202e` spelled out. JSON and YAML stay faithful (they parse back to the original string).
 */

/**
 * Characters never printed raw in human-readable output: C0 controls (line breaks and tab
 * included), DEL, C1 controls (NEL, CSI...), the Arabic letter mark, LRM/RLM, the line and paragraph
 * separators, bidi embeddings/overrides (U+202A-202E) and isolates (U+2066-2069), and the BOM.
 */
const UNSAFE_CHARS = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[${UNSAFE_CHARS}]`, 'g');
const UNSAFE_EXCEPT_LF = new RegExp(`[${UNSAFE_CHARS.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b-\\u001f')}]`, 'g');
const UNSAFE_EXCEPT_BREAKS = new RegExp(`[${UNSAFE_CHARS.replace('\\u0000-\\u001f', '\\u0000-\\u0009\\u000b\\u000c\\u000e-\\u001f')}]`, 'g');
/** The characters JSON.stringify leaves raw that a terminal or a reader could be fooled by. */
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Workflow-command prefixes recognised anywhere in a line (GitHub's legacy form, Azure Pipelines). */
const COMMAND_ANYWHERE = /##(vso)?\[/g;
const JSON_REWRITES = new RegExp(`${JSON_RAW_UNSAFE.source}|${COMMAND_ANYWHERE.source}`, 'g');
/** GitHub's workflow command: `::` at the start of a line, after any whitespace. */
const COMMAND_AT_START = /^(\s*):(?=:)/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** `\n`, `\r`, `\t`, `\xNN` below U+0100, `\uNNNN` above. */
function spelled(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

/**
 * A field of a text line (a path, an id, a message, a brief): every unsafe character spelled out,
 * so the field never breaks or rewrites its line, and `##[` / `##vso[` made inert. Backslashes are
 * kept as they are (Windows paths), so `a\nb` written literally and a real line break print alike;
 * the JSON output tells them apart.
 */
export function textField(text: string): string {
  return text.replace(UNSAFE, spelled).replace(COMMAND_ANYWHERE, (_m, vso: string | undefined) => `##${vso ?? ''}\\x5b`);
}

/**
 * Text whose line breaks the output encodes itself (a GitHub annotation's `%0A`): the other unsafe
 * characters (ESC, bidi, C1...) spelled out, LF and CR kept for the encoder.
 */
export function textKeepingBreaks(text: string): string {
  return text.replace(UNSAFE_EXCEPT_BREAKS, spelled);
}

/**
 * A whole output line assembled from safe fields: a line that would start (after whitespace) with
 * `::` gets its first colon spelled `\x3a`, so GitHub Actions does not read it as a command.
 */
export function textLine(line: string): string {
  const safe = textField(line);
  return safe.replace(COMMAND_AT_START, '$1\\x3a');
}

/**
 * Multi-line human text (stderr messages, a stack trace, commander's messages): each line made safe
 * by textLine; LF and CRLF stay line breaks, a lone CR is spelled out.
 */
export function textBlock(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => textLine(line))
    .join('\n');
}

/**
 * Inline markdown text (a note, a version, a title part) and table cells: safe as a text field,
 * then every character markdown or GitHub act on escaped with a backslash: emphasis, code, links and
 * images (`[`, `]`, `!`, `(`, `)`), HTML and entities (`<`, `>`, `&`), table pipes, headings and
 * issue references (`#`), mentions (`@`), math (`$`), strike-through (`~`), and `:` and `www.`, which
 * would start an autolink.
 */
export function mdText(text: string): string {
  return textField(text)
    .replace(/[\\`*_[\]<>|#!()~&:@${}]/g, (ch) => `\\${ch}`)
    .replace(/(www)\./gi, '$1\\.');
}

/**
 * An id or a path as inline code: nothing inside a code span is markup (no link, no HTML, no
 * emphasis, no autolink). The fence is one backtick longer than the longest run inside, padded with
 * spaces when the text starts or ends with a backtick. `inTable`: pipes escaped, which GFM tables
 * need even inside code and render as `|`.
 */
export function mdCode(text: string, options: { inTable?: boolean } = {}): string {
  let body = textField(text);
  if (options.inTable) body = body.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * JSON text as JSON.stringify wrote it, with the characters it leaves raw that fool a terminal or a
 * reader (DEL, C1, bidi, line separators) written as `\uNNNN`, and `##[` / `##vso[` as `\u0023#[`:
 * the same JSON value, parsed back to the same strings. They can only occur inside strings.
 */
export function safeJson(json: string): string {
  // One pass over what may be megabytes (a resolved registry).
  return json.replace(JSON_REWRITES, (m) => (m.length === 1 ? `\\u${hex(m.charCodeAt(0), 4)}` : `\\u0023${m.slice(1)}`));
}

/**
 * A string YAML must not print as a plain or block scalar: raw controls (line breaks aside), a
 * command prefix, a line (a block scalar's too) that would start with `::`, or a line of blanks
 * only, which yaml's block scalars do not give back (`" \n"` reads back as `"\n"`).
 */
const YAML_RISKY = new RegExp(`${UNSAFE_EXCEPT_LF.source}|##(vso)?\\[|(?:^|\\n)\\s*::|(?:^|\\n)[ \\t]+(?:\\n|$)`);

/**
 * A value as YAML (no line folding, as the reports print it) that parses back to the same value:
 * risky strings (see YAML_RISKY), keys included, are written double-quoted, where every line break
 * is an escape (JSON-style double quotes: never folded onto a new line) and the characters the
 * writer leaves raw are escaped here (`\uNNNN`, `\x23`).
 */
export function safeYaml(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML_RISKY.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  // Only double-quoted scalars can now hold these characters, where `\uNNNN` and `\x23` are escapes.
  return doc
    .toString({ lineWidth: 0, doubleQuotedAsJSON: true })
    .replace(UNSAFE_EXCEPT_LF, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`)
    .replace(COMMAND_ANYWHERE, (m) => `\\x23${m.slice(1)}`);
}
