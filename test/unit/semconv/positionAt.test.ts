import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LineCounter } from 'yaml';
import { editorLineCounter } from '../../../src/core/semconv/parsedFile';
import { positionAt } from '../../../src/core/semconv/positions';
import { shared } from './helpers';

/** What positionAt stood for before it searched the line starts itself: linePos, shifted to 0-based. */
function viaLinePos(lineCounter: LineCounter, offset: number): { line: number; character: number } {
  const { line, col } = lineCounter.linePos(offset);
  return { line: Math.max(0, line - 1), character: Math.max(0, col - 1) };
}

describe('positionAt', () => {
  test.each([
    ['an empty text', ''],
    ['one line without a break', 'abc'],
    ['LF, CRLF and CR breaks', 'a\nbc\r\nd\re\n'],
    ['blank lines first', '\n\n\nx'],
    ['astral characters (UTF-16 offsets)', 'a: "😀"\nb: 1\n'],
  ])('equals LineCounter.linePos shifted to 0-based at every offset of %s, fed or not', (_name, text) => {
    for (const lineCounter of [editorLineCounter(text), new LineCounter()]) {
      for (let offset = 0; offset <= text.length + 2; offset++) expect(positionAt(lineCounter, offset)).toEqual(viaLinePos(lineCounter, offset));
    }
  });

  test('equals it at every offset of a real registry file', () => {
    const text = readFileSync(shared('registries', 'semconv-main', 'http', 'registry.yaml'), 'utf8');
    const lineCounter = editorLineCounter(text);
    for (let offset = 0; offset <= text.length; offset += 7) expect(positionAt(lineCounter, offset)).toEqual(viaLinePos(lineCounter, offset));
  });
});
