import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, test } from 'vitest';
import { runCli } from '../cliRun';
import { removeTree, writeTree } from './helpers';

const repoRoot = resolve(__dirname, '../../..');
const workflowsDir = join(repoRoot, 'workflows');

const cli = (args: string[], cwd: string) => runCli(args, cwd, { workflowsDir });

const REGISTRY = `groups:
  - id: registry.demo
    type: attribute_group
    brief: Demo.
    attributes:
      - id: demo.name
        type: string
        brief: Name.
        stability: stable
  - id: span.demo
    type: span
    span_kind: client
    brief: A span.
    attributes:
      - ref: demo.name
        requirement_level: required
`;

let root = '';
afterEach(async () => {
  if (root) await removeTree(root);
  root = '';
});

describe('weavergen registry resolve', () => {
  test('prints the resolved registry as JSON on stdout through the registry_resolve workflow', async () => {
    root = await writeTree({ 'reg/groups.yaml': REGISTRY });
    const { code, stdout, stderr } = await cli(['registry', 'resolve', '-r', 'reg', '--format', 'json', '--engine', 'native'], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { registry: { groups: Array<{ id: string; attributes: number[]; lineage: { attributes?: Record<string, unknown> } }> }; catalog: { attributes: Array<Record<string, unknown>> } };
    const span = doc.registry.groups.find((g) => g.id === 'span.demo');
    expect(span?.lineage.attributes?.['demo.name']).toEqual({ source_group: 'registry.demo', inherited_fields: ['brief', 'note', 'stability'], locally_overridden_fields: ['requirement_level'] });
    const attr = doc.catalog.attributes[span?.attributes[0] ?? -1];
    expect(attr).toEqual({ name: 'demo.name', type: 'string', brief: 'Name.', requirement_level: 'required', stability: 'stable' });
  });

  test('-o writes YAML inside the working folder and refuses a path outside it', async () => {
    root = await writeTree({ 'work/reg/groups.yaml': REGISTRY });
    const cwd = join(root, 'work');
    const ok = await cli(['registry', 'resolve', '-r', 'reg', '-o', 'out/resolved.yaml', '--engine', 'native'], cwd);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    const written = parseYaml(await readFile(join(cwd, 'out/resolved.yaml'), 'utf8')) as { registry: { groups: Array<{ id: string }> } };
    expect(written.registry.groups.map((g) => g.id)).toEqual(['registry.demo', 'span.demo']);

    const refused = await cli(['registry', 'resolve', '-r', 'reg', '-o', '../escape.yaml', '--engine', 'native'], cwd);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('outside the chosen folder');
    await expect(readFile(join(root, 'escape.yaml'), 'utf8')).rejects.toThrow();
  });

  test('--v2 writes the resolved/2.0 form: catalog of definitions, signals by base index, each also a refinement', async () => {
    root = await writeTree({
      'reg/model.yaml': `file_format: definition/2
attributes:
  - key: demo.name
    type: string
    brief: Name.
    stability: stable
spans:
  - type: demo.call
    kind: client
    brief: A call.
    stability: stable
    name:
      note: demo call
    attributes:
      - ref: demo.name
        requirement_level: required
`,
    });
    const { code, stdout, stderr } = await cli(['registry', 'resolve', '-r', 'reg', '--v2', '--format', 'json', '--engine', 'native'], root);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as {
      file_format: string;
      attribute_catalog: Array<Record<string, unknown>>;
      registry: { attributes: number[]; spans: Array<Record<string, unknown>> };
      refinements: { spans: Array<Record<string, unknown>> };
    };
    expect(doc.file_format).toBe('resolved/2.0');
    expect(doc.attribute_catalog).toEqual([{ key: 'demo.name', type: 'string', brief: 'Name.', stability: 'stable' }]);
    expect(doc.registry.attributes).toEqual([0]);
    expect(doc.registry.spans).toEqual([
      { type: 'demo.call', kind: 'client', name: { note: 'demo call' }, brief: 'A call.', stability: 'stable', attributes: [{ base: 0, requirement_level: 'required' }] },
    ]);
    expect(doc.refinements.spans[0]).toMatchObject({ id: 'demo.call', type: 'demo.call' });
  });

  test('a registry that does not resolve fails with each error at its file and line', async () => {
    root = await writeTree({ 'reg/groups.yaml': REGISTRY.replace('- ref: demo.name', '- ref: demo.missing') });
    const { code, stderr, stdout } = await cli(['registry', 'resolve', '-r', 'reg', '--engine', 'native'], root);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('groups.yaml:15:14 UnresolvedAttributeRef');
    expect(stderr).toContain("'demo.missing'");
  });
});
