import { describe, expect, it } from 'vitest';
import { parseRegistryFile } from '../../../src/core/semconv/parsedFile';
import { checkSyntax } from '../../../src/core/semconv/checkSyntax';
import { positionAt } from '../../../src/core/semconv/positions';

/** Positions must count lines the way the editor does, whatever the parser's own counter says. */
describe('line breaks as the editor counts them', () => {
  it('a lone carriage return starts a new line', () => {
    const text = 'groups:\r  - id: a\n    type: attribute_group\n';
    const file = parseRegistryFile('/r/a.yaml', text, false);
    expect(positionAt(file.lineCounter, text.indexOf('type'))).toEqual({ line: 2, character: 4 });
  });

  it('an unclosed flow list spanning lines keeps later positions on their lines', () => {
    const text = 'groups:\n  - id: a\n    examples: [1,\n      2\n    brief: x\n';
    const file = parseRegistryFile('/r/b.yaml', text, false);
    const errors = checkSyntax(file);
    expect(errors.length).toBeGreaterThan(0);
    // Every reported position lies on a real line of the text, within that line.
    const lines = text.split('\n');
    for (const d of errors) {
      for (const p of [d.range.start, d.range.end]) {
        expect(p.line).toBeLessThan(lines.length);
        expect(p.character).toBeLessThanOrEqual(lines[p.line]!.length);
      }
    }
    expect(positionAt(file.lineCounter, text.indexOf('brief'))).toEqual({ line: 4, character: 4 });
  });

  it('a well-formed file keeps the parser counter as is', () => {
    const text = 'groups:\n  - id: a\n';
    const file = parseRegistryFile('/r/c.yaml', text, false);
    expect(positionAt(file.lineCounter, text.indexOf('id'))).toEqual({ line: 1, character: 4 });
  });
});
