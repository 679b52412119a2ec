import { describe, expect, it } from 'vitest';
import { editorLineCounter } from '../../../src/core/semconv/parsedFile';

/** The definition: a line starts after every `\r\n`, lone `\r` and lone `\n`. */
function reference(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

describe('editorLineCounter', () => {
  it.each([
    ['no break', 'a: 1'],
    ['an empty text', ''],
    ['\\n breaks', 'a: 1\nb: 2\n'],
    ['\\r\\n breaks', 'a: 1\r\nb: 2\r\n'],
    ['lone \\r breaks', 'a: 1\rb: 2\r'],
    ['mixed breaks', '\r\n\n\r\r\n\n\r'],
    ['a \\r\\n split by text', 'x\r\ry\n\nz\r'],
  ])('breaks lines as editors do: %s', (_name, text) => {
    expect(editorLineCounter(text).lineStarts).toEqual(reference(text));
  });

  it('agrees with the definition on every arrangement of breaks up to six characters', () => {
    const alphabet = ['a', '\r', '\n'];
    let checked = 0;
    for (let length = 1; length <= 6; length++) {
      for (let n = 0; n < alphabet.length ** length; n++) {
        let text = '';
        for (let k = 0, rest = n; k < length; k++, rest = Math.floor(rest / alphabet.length)) text += alphabet[rest % alphabet.length];
        expect(editorLineCounter(text).lineStarts).toEqual(reference(text));
        checked++;
      }
    }
    expect(checked).toBe(1092);
  });

  it('maps offsets to editor lines and columns', () => {
    const counter = editorLineCounter('a\r\nbc\rd\n');
    expect(counter.linePos(4)).toEqual({ line: 2, col: 2 });
    expect(counter.linePos(6)).toEqual({ line: 3, col: 1 });
  });
});
