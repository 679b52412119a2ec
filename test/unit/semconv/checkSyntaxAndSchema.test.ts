import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { checkSchema } from '../../../src/core/semconv/checkSchema';
import { checkSyntax } from '../../../src/core/semconv/checkSyntax';
import { parseRegistryFile } from '../../../src/core/semconv/parsedFile';
import { checkFolder, removeTempRegistries, shared, tempRegistry, textAt, where } from './helpers';

afterEach(removeTempRegistries);

async function checkOne(name: string, text: string) {
  const dir = await tempRegistry({ [name]: text });
  const result = await checkFolder(dir);
  return { path: join(dir, name), diagnostics: result.diagnostics };
}

describe('yaml-syntax', () => {
  test('a duplicate key is placed on the second key', async () => {
    const text = 'groups:\n  - id: a\n    brief: A\n    brief: again\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['yaml-syntax@3:4']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('b');
    expect(diagnostics[0]!.message).toMatch(/remove or rename one of the two keys/);
    expect(diagnostics[0]!.severity).toBe('error');
  });

  test('an unclosed quote is placed on the opening quote, not at the end of the file', async () => {
    const text = 'groups:\n  - id: a\n    brief: "never closed\n    type: span\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['yaml-syntax@2:11']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('"never closed');
    expect(diagnostics[0]!.message).toBe('YAML syntax error: this quoted text is never closed: add the closing quote');
  });

  test("a quoted text continued at its key's indentation reads as weaver (libyaml) reads it", () => {
    // weaver's own template test registry writes a multi-line example this way.
    const path = shared('conformance/weaver-forge/data/registry/exception.yaml');
    const file = parseRegistryFile(path, readFileSync(path, 'utf8'), false);
    expect(checkSyntax(file)).toEqual([]);
    const groups = (file.value() as { groups: Array<{ attributes: Array<{ id: string; examples?: unknown }> }> }).groups;
    const stacktrace = groups[0]!.attributes.find((a) => a.id === 'exception.stacktrace');
    expect(stacktrace?.examples).toBe(
      'Exception in thread "main" java.lang.RuntimeException: Test exception\\n at com.example.GenerateTrace.methodB(GenerateTrace.java:13)\\n' +
        ' at com.example.GenerateTrace.methodA(GenerateTrace.java:9)\\n at com.example.GenerateTrace.main(GenerateTrace.java:5)',
    );
    expect(checkSchema(file)).toEqual([]);
  });

  test('a tab used as indentation is reported where it is', async () => {
    const text = 'groups:\n\t- id: a\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(diagnostics[0]!.code).toBe('yaml-syntax');
    expect(diagnostics[0]!.range.start).toEqual({ line: 1, character: 0 });
    expect(diagnostics[0]!.message).toMatch(/indent with spaces/);
  });
});

describe('yaml-syntax ranges on the text', () => {
  // Found by the fuzzer (seed 360746959): the parser places these errors one past the end of the text
  // or between the CR and LF of a line break, where the editor has no position.
  test.each([
    ['a flow sequence left open where the file ends (iteration 2906)', 'groups:\n  - id: x\n    examples: ['],
    ['a quote left open where a CRLF file ends', 'groups:\r\n  - id: x\r\n    brief: "abc\r\n'],
    ['a flow sequence left open in a CRLF file', 'groups:\r\n  - id: x\r\n    examples: [\r\n'],
  ])('%s', (_name, text) => {
    const lengths = text.split(/\r\n|\r|\n/).map((l) => l.length);
    const found = checkSyntax(parseRegistryFile('/registry/x.yaml', text, false));
    expect(found.length).toBeGreaterThan(0);
    for (const d of found) {
      for (const p of [d.range.start, d.range.end]) expect(p.line < lengths.length && p.character <= lengths[p.line]!, `${d.message} at ${JSON.stringify(p)}`).toBe(true);
    }
  });
});

describe('schema (v1)', () => {
  test('a group without brief is reported on the group line, with what to do', async () => {
    const text = 'groups:\n  - id: foo\n    type: attribute_group\n    attributes: []\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@1:4']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('id: foo');
    expect(diagnostics[0]!.message).toBe("group 'foo' is missing required field 'brief': add a one-line brief");
  });

  test('a wrong enum value is placed on the value and suggests the closest one', async () => {
    const text = [
      'groups:',
      '  - id: registry.x',
      '    type: attribute_group',
      '    brief: X.',
      '    attributes:',
      '      - id: x.size',
      '        type: int',
      '        stability: stabel',
      '        brief: Size.',
      '',
    ].join('\n');
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@7:19']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('stabel');
    expect(diagnostics[0]!.message).toContain("'stability' of attribute 'x.size' in group 'registry.x' must be one of stable,");
    expect(diagnostics[0]!.message).toContain("(did you mean 'stable'?)");
  });

  test('an unknown field is placed on its key', async () => {
    const text = 'groups:\n  - id: g\n    brief: G.\n    type: span\n    span_kind: client\n    stability: stable\n    attribtues: []\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@6:4']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('attribtues');
    expect(diagnostics[0]!.message).toBe("group 'g' has unknown field 'attribtues': remove it (did you mean 'attributes'?)");
  });

  test('an attribute that is neither a ref nor a definition says how to write either', async () => {
    const text = 'groups:\n  - id: g\n    brief: G.\n    attributes:\n      - brief: lonely\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@4:8']);
    expect(diagnostics[0]!.message).toBe(
      "attribute #1 in group 'g' is missing required fields 'id' and 'type': write `ref: <attribute id>` to use an existing attribute, or `id` and `type` to define one",
    );
  });

  test('v2 sections in a file without file_format point at the missing header', async () => {
    const text = 'attributes:\n  - key: a.b\n    type: string\n    brief: B.\n    stability: stable\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@0:0']);
    expect(diagnostics[0]!.message).toContain('add `file_format: definition/2` at the top of the file');
  });
});

describe('schema (v2 and manifest)', () => {
  test('missing fields, enum typos and unknown fields in v2 are each placed on their node', async () => {
    const text = [
      'file_format: definition/2',
      'attributes:',
      '  - key: shop.id',
      '    type: string',
      '    stability: development',
      'metrics:',
      '  - name: shop.orders',
      '    instrument: countr',
      '    unit: "{order}"',
      '    brief: Orders.',
      '    stability: development',
      '    attributes:',
      '      - ref: shop.id',
      '        sampling_relevant: true',
      '',
    ].join('\n');
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@2:4', 'schema@7:16', 'schema@13:8']);
    expect(diagnostics[0]!.message).toBe("attribute 'shop.id' is missing required field 'brief': add a one-line brief");
    expect(textAt(text, diagnostics[1]!.range)).toBe('countr');
    expect(diagnostics[1]!.message).toContain("(did you mean 'counter'?)");
    expect(textAt(text, diagnostics[2]!.range)).toBe('sampling_relevant');
    expect(diagnostics[2]!.message).toBe("attribute reference 'shop.id' in metric 'shop.orders' has unknown field 'sampling_relevant': remove it");
  });

  test("the legacy `version: '2'` header still selects v2, with a deprecation warning on it", async () => {
    const text = "version: '2'\nattributes:\n  - key: a.b\n    type: int\n    brief: B.\n    stability: stable\n";
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['deprecated-version-field@0:0']);
    expect(diagnostics[0]!.severity).toBe('warning');
    expect(diagnostics[0]!.message).toBe("`version: '2'` is deprecated: replace it with `file_format: definition/2`");
  });

  test('an internal attribute group may not carry documentation fields', async () => {
    const text = 'file_format: definition/2\nattribute_groups:\n  - id: g\n    visibility: internal\n    brief: nope\n';
    const { diagnostics } = await checkOne('a.yaml', text);
    expect(where(diagnostics)).toEqual(['schema@4:4']);
    expect(diagnostics[0]!.message).toBe("attribute group 'g' has unknown field 'brief': remove it (allowed here: id, visibility, attributes)");
  });

  test('the manifest needs a schema_url; unknown top-level fields (like name) are accepted as weaver does', async () => {
    const dir = await tempRegistry({ 'registry_manifest.yaml': 'name: acme\ndescription: Acme.\n' });
    const { diagnostics } = await checkFolder(dir);
    expect(where(diagnostics)).toEqual(['schema@0:0']);
    expect(diagnostics[0]!.file).toBe(join(dir, 'registry_manifest.yaml'));
    expect(diagnostics[0]!.message).toContain("the registry manifest is missing required field 'schema_url'");
  });
});

describe("weaver's parser test data", () => {
  const data = shared('conformance/weaver-semconv/data');

  test('every data/*.yaml file passes syntax and schema', () => {
    const names = readdirSync(data).filter((n) => n.endsWith('.yaml'));
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) {
      const file = parseRegistryFile(join(data, name), readFileSync(join(data, name), 'utf8'), false);
      expect(file.doc.errors, name).toEqual([]);
      expect(file.kind, name).toBe('v1');
      expect(checkSchema(file), name).toEqual([]);
    }
  });

  test('invalid-semconv.yaml is rejected with a schema error on its group line', () => {
    const path = join(data, 'invalid/invalid-semconv.yaml');
    const text = readFileSync(path, 'utf8');
    const diagnostics = checkSchema(parseRegistryFile(path, text, false));
    expect(where(diagnostics)).toEqual(['schema@1:4']);
    expect(textAt(text, diagnostics[0]!.range)).toBe('id: client');
    expect(diagnostics[0]!.message).toBe("group 'client' is missing required field 'brief': add a one-line brief");
  });

  test('the data/invalid folder as a whole yields exactly one diagnostic, as in weaver', async () => {
    const { diagnostics } = await checkFolder(join(data, 'invalid'));
    expect(diagnostics.map((d) => [d.file.slice(data.length + 1), d.code])).toEqual([['invalid/invalid-semconv.yaml', 'schema']]);
  });
});
