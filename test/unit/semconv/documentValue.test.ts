import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineCounter, type Document } from 'yaml';
import { documentValue, parseRegistryFile } from '../../../src/core/semconv/parsedFile';
import { parseYamlDocument } from '../../../src/core/semconv/yamlParse';
import { shared, yamlFiles } from './helpers';

/** What `ParsedFile#value()` gave before the fast conversion: the reference it must match exactly. */
function viaToJS(doc: Document.Parsed): unknown {
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch {
    return null;
  }
}

function parse(text: string): Document.Parsed {
  return parseYamlDocument(text, new LineCounter());
}

describe('documentValue (ParsedFile#value)', () => {
  it('equals doc.toJS for every YAML file of semconv-main and weaver conformance data', () => {
    const files = [...yamlFiles(shared('registries', 'semconv-main')), ...yamlFiles(shared('conformance'))];
    expect(files.length).toBeGreaterThan(600);
    for (const path of files) {
      const doc = parse(readFileSync(path, 'utf8'));
      expect({ path, value: documentValue(doc) }).toStrictEqual({ path, value: viaToJS(doc) });
    }
  });

  it.each([
    ['aliases', 'a: &x {b: 1}\nc: *x\nd: [*x, *x]\n'],
    ['an alias to an unknown anchor', 'a: *missing\n'],
    ['an anchor redefined between aliases', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n'],
    ['an alias to a scalar, a sequence and a nested map', 'n: &n {deep: {er: [1, &s two]}}\nm: *n\ns: *s\nl: &l [x, y]\nk: [*l]\n'],
    ['an alias before its anchor', 'a: *later\nb: &later 1\n'],
    ['an alias inside the collection it names', 'a: &self [1, *self]\n'],
    ['a merge key', 'base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n'],
    ['a merge key under YAML 1.1', '%YAML 1.1\n---\nbase: &b {x: 1}\nderived:\n  <<: *b\n'],
    ['a repeated key (last wins)', 'a: 1\na: 2\n'],
    ['a __proto__ key', '__proto__: {polluted: true}\ntoString: 3\n'],
    ['null, numeric and boolean keys', '~: a\n1: b\ntrue: c\n? \n: d\n'],
    ['a collection key', '? [a, b]\n: 1\n'],
    ['a !!set under YAML 1.1', '%YAML 1.1\n---\ns: !!set {a, b}\nt: 2001-12-14\n'],
    ['a pair inside a flow sequence', 'a: [b: 1, c]\n'],
    ['an empty document', ''],
    ['a bare scalar', 'just text\n'],
    ['broken input', 'groups:\n  - id: x\n    brief: "unterminated\n  bad: [\n'],
    ['big integers and special floats', 'a: 123456789012345678901234567890\nb: .nan\nc: -.inf\nd: 0x1F\n'],
  ])('equals doc.toJS for %s', (_name, text) => {
    const doc = parse(text);
    expect(documentValue(doc)).toStrictEqual(viaToJS(doc));
  });

  it('computes the value once per parsed file and hands back the same object', () => {
    const file = parseRegistryFile('/r/a.yaml', 'groups:\n  - id: g\n    type: attribute_group\n', false);
    const first = file.value();
    expect(first).toStrictEqual({ groups: [{ id: 'g', type: 'attribute_group' }] });
    expect(file.value()).toBe(first);
  });
});
