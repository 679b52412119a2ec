import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { mdCode, mdText, safeJson, safeYaml, textBlock, textField, textLine } from '../../../src/core/report/safeText';
import { markdownTokens } from './markdownTokens';

/**
 * The escaping functions on seeded random strings drawn from the characters that matter (line
 * breaks, ESC, C1, bidi, backticks, brackets, pipes, colons, `#`, spaces) and on the cases named in
 * the module: each output kind holds what it promises, and JSON / YAML parse back to the input.
 */


// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

const ALPHABET = [
  '\n', '\r', '\t', '\x1b', '\x07', '\x7f', '\x85', '\x9b', '\u2028', '\u202e', '\u2066', '\u200f', '\ufeff',
  '`', '[', ']', '(', ')', '<', '>', '|', ':', '#', '#', '@', '*', '_', '\\', '!', '&', '.', 'w', ' ', ' ', 'a', 'b', '%', ',', 'é', '😀',
  '::error file=x::', '##[error]', '##vso[task.setvariable]', 'www.', 'http://e.x', '<img src=x>', '[l](command:x)',
];

/** mulberry32: the same strings on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function samples(count: number, seed = 360746959): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]!).join(''));
}

const STRINGS = samples(2000);

describe('text', () => {
  test('textField: nothing raw, no line break, no command prefix anywhere', () => {
    for (const s of STRINGS) {
      const out = textField(s);
      expect(out, JSON.stringify(s)).not.toMatch(RAW_UNSAFE);
      expect(out).not.toMatch(/##(vso)?\[/);
    }
  });

  test('textLine: never starts a workflow command, whatever the line starts with', () => {
    for (const s of STRINGS) expect(textLine(s), JSON.stringify(s)).not.toMatch(/^\s*::/);
    expect(textLine('::error file=a::b')).toBe('\\x3a:error file=a::b');
    expect(textLine(' \u00a0::x')).toBe(' \u00a0\\x3a:x');
    expect(textLine(':a::b')).toBe(':a::b');
  });

  test('textBlock: LF and CRLF stay line breaks, every line inert', () => {
    expect(textBlock('a\r\n::error::x\rb')).toBe('a\n\\x3a:error::x\\rb');
    for (const s of STRINGS) {
      for (const line of textBlock(s).split('\n')) {
        expect(line).not.toMatch(RAW_UNSAFE);
        expect(line).not.toMatch(/^\s*::|##(vso)?\[/);
      }
    }
  });

  test('spelled forms', () => {
    expect(textField('a\nb\rc\td\x1b[2Ke\x9bf\u202eg\ufeff')).toBe('a\\nb\\rc\\td\\x1b[2Ke\\x9bf\\u202eg\\ufeff');
    expect(textField('x ##[error]y ##vso[task]z')).toBe('x ##\\x5berror]y ##vso\\x5btask]z');
  });
});

describe('markdown', () => {
  test('mdCode: one code span holding exactly the spelled-out text, nothing else', () => {
    for (const s of STRINGS) {
      const tokens = markdownTokens(`x ${mdCode(s)} y`);
      const inline = tokens.filter((t) => !['paragraph_open', 'paragraph_close', 'inline'].includes(t.type));
      expect(inline.map((t) => t.type), JSON.stringify(s)).toEqual(['text', 'code_inline', 'text']);
      // CommonMark turns line endings inside a span into spaces; there are none left to turn. A span of
      // spaces only is kept whole by CommonMark and trimmed by markdown-it: not compared.
      if (s.trim() !== '') expect(inline[1]!.content).toBe(textField(s));
    }
  });

  test('mdCode in a table cell and mdText: the row keeps its columns, no link, image or HTML', () => {
    for (const s of STRINGS) {
      const md = `| a | b |\n| --- | --- |\n| ${mdCode(s, { inTable: true })} | ${mdText(s)} |\n`;
      const tokens = markdownTokens(md);
      expect(tokens.filter((t) => t.type === 'td_open'), JSON.stringify(s)).toHaveLength(2);
      expect(tokens.filter((t) => ['link_open', 'image', 'html_inline', 'html_block'].includes(t.type))).toEqual([]);
      // What the cell shows is the spelled-out text (the renderer drops the escapes).
      const code = tokens.find((t) => t.type === 'code_inline')!;
      if (s.trim() !== '') expect(code.content).toBe(textField(s));
    }
  });

  test('mdText renders to the spelled-out text, as plain text only', () => {
    for (const s of STRINGS) {
      const tokens = markdownTokens(`x ${mdText(s)}`);
      const children = tokens.filter((t) => t.type !== 'paragraph_open' && t.type !== 'paragraph_close' && t.type !== 'inline');
      expect(children.every((t) => t.type === 'text'), JSON.stringify(s)).toBe(true);
      // markdown-it trims trailing spaces at the end of a paragraph.
      expect(children.map((t) => t.content).join('')).toBe(`x ${textField(s)}`.trimEnd());
    }
  });
});

describe('data formats stay faithful', () => {
  test('safeJson parses back to the same value and leaves nothing raw that JSON.stringify left', () => {
    const value = { list: STRINGS, [STRINGS[0]!]: STRINGS[1] };
    const out = safeJson(JSON.stringify(value, null, 2));
    expect(JSON.parse(out)).toEqual(value);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/);
    expect(out).not.toMatch(/##(vso)?\[/);
  });

  test('safeYaml parses back to the same value, keys included, with no raw unsafe character and no line a runner acts on', () => {
    const value = { list: STRINGS, nested: Object.fromEntries(STRINGS.slice(0, 200).map((s, i) => [s, { i, s }])) };
    const out = safeYaml(value);
    expect(parseYaml(out)).toEqual(value);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/);
    for (const line of out.split('\n')) expect(line).not.toMatch(/^\s*::|##(vso)?\[/);
  });

  test('safeYaml leaves ordinary text as yaml writes it (block scalars for multi-line notes)', () => {
    expect(safeYaml({ note: 'two\nlines', id: 'a.b' })).toBe('note: |-\n  two\n  lines\nid: a.b\n');
  });
});
