import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SERVICE_CATALOG } from '../../../src/core/services/catalog';
import { inputPrompts, listWorkflowChoices, parseInput, workflowNeeds, workspaceWorkflowFile } from '../../../src/extension/workspaceWorkflows';

/**
 * What "WeaverGen: Run Workflow..." offers and asks, on the repository's real workflows and a
 * scratch workspace holding its own `.weavergen/workflows`.
 */

const repoRoot = resolve(__dirname, '../../..');
const builtinDir = resolve(repoRoot, 'workflows');
const services = (...names: string[]) => ({ services: names, declaredInputs: [] });

describe('the workflows a workspace offers', () => {
  let workspace: string;

  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'weavergen-ws-workflows-'));
    const own = join(workspace, '.weavergen', 'workflows');
    mkdirSync(own, { recursive: true });
    // A replacement of a built-in and a workflow of the workspace's own.
    cpSync(join(builtinDir, 'registry_check.bpmn'), join(own, 'registry_check.bpmn'));
    cpSync(join(builtinDir, 'registry_stats.bpmn'), join(own, 'team_stats.bpmn'));
    writeFileSync(join(own, 'notes.txt'), 'not a workflow');
  });

  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  test('trusted: a same-named workspace file replaces the built-in; its own workflows are added', () => {
    const choices = listWorkflowChoices({ builtinDir, workspaceFolder: workspace, trusted: true });
    const check = choices.filter((c) => c.name === 'registry_check');
    expect(check).toEqual([{ name: 'registry_check', file: join(workspace, '.weavergen', 'workflows', 'registry_check.bpmn'), origin: 'workspace', replacesBuiltin: true, blocked: false }]);
    expect(choices.find((c) => c.name === 'team_stats')).toMatchObject({ origin: 'workspace', replacesBuiltin: false, blocked: false });
    // Every other built-in is still there, from the built-in folder.
    expect(choices.find((c) => c.name === 'registry_search')).toMatchObject({ origin: 'builtin', file: join(builtinDir, 'registry_search.bpmn') });
    expect(choices.some((c) => c.name === 'notes')).toBe(false);
  });

  test('untrusted: workspace files are listed as blocked, and the built-in of the same name still runs', () => {
    const choices = listWorkflowChoices({ builtinDir, workspaceFolder: workspace, trusted: false });
    expect(choices.filter((c) => c.name === 'registry_check').map((c) => [c.origin, c.blocked])).toEqual([
      ['workspace', true],
      ['builtin', false],
    ]);
    expect(choices.find((c) => c.name === 'team_stats')?.blocked).toBe(true);
    expect(choices.filter((c) => c.origin === 'builtin').every((c) => !c.blocked)).toBe(true);
  });

  test('no workspace folder: the built-ins only', () => {
    const choices = listWorkflowChoices({ builtinDir, workspaceFolder: undefined, trusted: true });
    expect(choices.every((c) => c.origin === 'builtin')).toBe(true);
    expect(choices.map((c) => c.name)).toContain('registry_check');
  });

  test('workspaceWorkflowFile finds only an existing file of that name', () => {
    expect(workspaceWorkflowFile(workspace, 'registry_check')).toBe(join(workspace, '.weavergen', 'workflows', 'registry_check.bpmn'));
    expect(workspaceWorkflowFile(workspace, 'registry_search')).toBeUndefined();
  });
});

describe('the inputs a workflow asks for', () => {
  test('registry_search: its services in file order, registryPath (required) first, then the search options', async () => {
    const needs = await workflowNeeds(join(builtinDir, 'registry_search.bpmn'));
    expect(needs).toEqual({ services: ['registry.load', 'registry.search', 'output.report'], declaredInputs: [] });
    const prompts = inputPrompts(needs);
    expect(prompts.map((p) => [p.name, p.kind, p.required])).toEqual([
      ['registryPath', 'text', true],
      ['files', 'json', false],
      ['query', 'text', false],
      ['searchType', 'choice', false],
      ['stability', 'text', false],
      ['limit', 'number', false],
    ]);
    expect(prompts.find((p) => p.name === 'searchType')?.choices).toEqual(['all', 'attribute', 'metric', 'span', 'event', 'entity']);
  });

  test('registry_check asks for the registry, and optionally how files are read, a baseline, whether to skip policies, the policies and --v2', async () => {
    const prompts = inputPrompts(await workflowNeeds(join(builtinDir, 'registry_check.bpmn')));
    expect(prompts.map((p) => [p.name, p.required])).toEqual([
      ['registryPath', true],
      ['files', false],
      ['baselineRegistryPath', false],
      ['skipPolicies', false],
      ['policies', false],
      ['v2', false],
    ]);
  });

  test('an input two services read is asked once, required when one of them requires it', () => {
    const prompts = inputPrompts(services('registry.diff', 'registry.stats'));
    expect(prompts.filter((p) => p.name === 'v2')).toMatchObject([{ kind: 'boolean', required: false, services: ['registry.diff', 'registry.stats'] }]);
    expect(prompts[0]).toMatchObject({ name: 'baselineRegistryPath', required: true });
  });

  test('every catalogued input has a way to be asked', () => {
    const prompts = inputPrompts(services(...SERVICE_CATALOG.map((s) => s.name)));
    expect(prompts.find((p) => p.name === 'commandTree')?.kind).toBe('json');
    expect(prompts.find((p) => p.name === 'format')).toMatchObject({ kind: 'choice', choices: ['json', 'yaml'] });
    expect(prompts.find((p) => p.name === 'shell')).toMatchObject({ kind: 'choice', required: true });
  });

  test('inputs the BPMN process declares are asked too, and make a catalogued input required', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weavergen-declared-'));
    try {
      const file = join(dir, 'team_search.bpmn');
      writeFileSync(
        file,
        `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="https://example.org/team">
  <bpmn:process id="team_search" isExecutable="true">
    <bpmn:ioSpecification id="io">
      <bpmn:dataInput id="in_owner" name="teamOwner" />
      <bpmn:dataInput id="in_query" name="query" />
      <bpmn:inputSet id="inputs"><bpmn:dataInputRefs>in_owner</bpmn:dataInputRefs><bpmn:dataInputRefs>in_query</bpmn:dataInputRefs></bpmn:inputSet>
    </bpmn:ioSpecification>
    <bpmn:startEvent id="Start" />
    <bpmn:serviceTask id="Task_load" implementation="\${environment.services.registry.load}" />
    <bpmn:serviceTask id="Task_search" implementation="\${environment.services.registry.search}" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_load" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_load" targetRef="Task_search" />
  </bpmn:process>
</bpmn:definitions>
`,
      );
      const needs = await workflowNeeds(file);
      expect(needs).toEqual({ services: ['registry.load', 'registry.search'], declaredInputs: ['teamOwner', 'query'] });
      const prompts = inputPrompts(needs);
      expect(prompts.filter((p) => p.required).map((p) => p.name)).toEqual(['registryPath', 'query', 'teamOwner']);
      expect(prompts.find((p) => p.name === 'teamOwner')).toMatchObject({ kind: 'text', services: [], description: expect.stringContaining('bpmn:dataInput') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('services the catalog does not know ask for nothing', () => {
    expect(inputPrompts(services('team.custom'))).toEqual([]);
  });
});

describe('typed answers', () => {
  const [registryPath, , query, searchType, , limit] = inputPrompts(services('registry.load', 'registry.search'));
  const [v2] = inputPrompts(services('registry.stats'));
  const [, commandTree] = inputPrompts(services('cli.completion'));

  test('a required input cannot be left empty; an optional one is left unset', () => {
    expect(parseInput(registryPath!, '  ')).toEqual({ kind: 'invalid', message: expect.stringContaining('registryPath is required') });
    expect(parseInput(query!, '')).toEqual({ kind: 'unset' });
    expect(parseInput(registryPath!, ' /abs/registry ')).toEqual({ kind: 'value', value: '/abs/registry' });
  });

  test('numbers, booleans, choices and JSON are checked and converted', () => {
    expect(parseInput(limit!, '5')).toEqual({ kind: 'value', value: 5 });
    expect(parseInput(limit!, 'five')).toMatchObject({ kind: 'invalid', message: 'limit must be a number, e.g. 20' });
    expect(parseInput(v2!, 'true')).toEqual({ kind: 'value', value: true });
    expect(parseInput(v2!, 'yes')).toMatchObject({ kind: 'invalid' });
    expect(parseInput(searchType!, 'metric')).toEqual({ kind: 'value', value: 'metric' });
    expect(parseInput(searchType!, 'metrics')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('all, attribute, metric') });
    expect(parseInput(commandTree!, '{"name":"x","description":"","options":[],"commands":[]}')).toEqual({ kind: 'value', value: { name: 'x', description: '', options: [], commands: [] } });
    expect(parseInput(commandTree!, '{name')).toMatchObject({ kind: 'invalid', message: expect.stringContaining('commandTree must be JSON') });
  });
});
