import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultWorkflowsDir, listWorkflows, locateWorkflow, WorkflowError } from '../../../src/core/workflow/locate';
import { fixtureWorkflows, repoRoot } from './helpers';

let overrides: string;

beforeEach(async () => {
  overrides = await mkdtemp(join(tmpdir(), 'weavergen-overrides-'));
});

afterEach(async () => {
  await rm(overrides, { recursive: true, force: true });
});

describe('locateWorkflow', () => {
  test('finds the built-in workflows folder of the repository from the sources', () => {
    expect(defaultWorkflowsDir()).toBe(join(repoRoot, 'workflows'));
    expect(locateWorkflow('registry_check')).toEqual({
      name: 'registry_check',
      file: join(repoRoot, 'workflows', 'registry_check.bpmn'),
      origin: 'builtin',
    });
  });

  test('a workflow in an override folder replaces the built-in one of the same name', async () => {
    await copyFile(join(fixtureWorkflows, 'nested.bpmn'), join(overrides, 'registry_check.bpmn'));
    await copyFile(join(fixtureWorkflows, 'nested.bpmn'), join(overrides, 'my_flow.bpmn'));
    const found = locateWorkflow('registry_check', { overrideDirs: [overrides] });
    expect(found).toEqual({ name: 'registry_check', file: join(overrides, 'registry_check.bpmn'), origin: 'override' });
    expect(locateWorkflow('my_flow', { overrideDirs: [overrides] }).origin).toBe('override');
    const listed = listWorkflows({ overrideDirs: [overrides] });
    expect(listed.find((w) => w.name === 'registry_check')?.origin).toBe('override');
    expect(listed.map((w) => w.name)).toContain('my_flow');
  });

  test('a path to a .bpmn file is used as is', () => {
    const file = join(fixtureWorkflows, 'parallel.bpmn');
    expect(locateWorkflow(file)).toEqual({ name: 'parallel', file, origin: 'file' });
    expect(() => locateWorkflow(join(overrides, 'missing.bpmn'))).toThrow(`Workflow file not found: ${join(overrides, 'missing.bpmn')}`);
  });

  test('names cannot walk out of their folder, and unknown names list what exists', () => {
    expect(() => locateWorkflow('../secrets')).toThrow(WorkflowError);
    expect(() => locateWorkflow('../secrets')).toThrow(/not a workflow name/);
    expect(() => locateWorkflow('nope', { workflowsDir: fixtureWorkflows })).toThrow(
      /Workflow "nope" not found: looked for nope\.bpmn in .*fixtures\/workflows\. Available: .*parallel.*\.weavergen\/workflows/,
    );
  });
});
