import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BUILTIN_SERVICES, createDefaultServiceRegistry, SERVICE_CATALOG, ServiceRegistry } from '../../../src/core/services';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { fixtureWorkflows, repoRoot, testHost } from './helpers';

describe('service registry and catalog', () => {
  test('every catalogued service is registered by default, and nothing else', () => {
    const names = createDefaultServiceRegistry().names().sort();
    expect(names).toEqual(SERVICE_CATALOG.map((s) => s.name).sort());
    expect(Object.keys(BUILTIN_SERVICES).sort()).toEqual(names);
    for (const doc of SERVICE_CATALOG) expect(doc.description.length).toBeGreaterThan(20);
  });

  test('names are dotted identifiers; duplicates and prefixes of each other are refused', () => {
    const registry = new ServiceRegistry().register('a.b', async () => ({}));
    expect(() => registry.register('a.b', async () => ({}))).toThrow(/already registered/);
    expect(() => registry.register('a', async () => ({}))).toThrow(/clashes with "a.b"/);
    expect(() => registry.register('a.b.c', async () => ({}))).toThrow(/clashes with "a.b"/);
    expect(() => registry.register('has space', async () => ({}))).toThrow(/not a valid service name/);
    expect(() => registry.register('a..b', async () => ({}))).toThrow(/not a valid service name/);
    expect(registry.names()).toEqual(['a.b']);
  });
});

describe('registry_check.bpmn', () => {
  const file = join(repoRoot, 'workflows', 'registry_check.bpmn');

  test('calls only catalogued services, in order load -> check -> publish', async () => {
    const xml = await readFile(file, 'utf8');
    const services = [...xml.matchAll(/implementation="\$\{environment\.services\.([\w.]+)\}"/g)].map((m) => m[1]);
    expect(services).toEqual(['registry.load', 'registry.check', 'output.publishDiagnostics']);
  });

  test('has a diagram: a shape for every flow node and an edge with waypoints for every flow', async () => {
    const xml = await readFile(file, 'utf8');
    const process = xml.slice(xml.indexOf('<bpmn:process'), xml.indexOf('</bpmn:process>'));
    const nodeIds = [...process.matchAll(/<bpmn:(?:startEvent|endEvent|serviceTask) id="([^"]+)"/g)].map((m) => m[1]);
    const flowIds = [...process.matchAll(/<bpmn:sequenceFlow id="([^"]+)"/g)].map((m) => m[1]);
    expect(nodeIds).toHaveLength(5);
    expect(flowIds).toHaveLength(4);
    for (const id of nodeIds) expect(xml).toMatch(new RegExp(`<bpmndi:BPMNShape id="[^"]+" bpmnElement="${id}">\\s*<dc:Bounds x="\\d+" y="\\d+" width="\\d+" height="\\d+"`));
    for (const id of flowIds) expect(xml).toMatch(new RegExp(`<bpmndi:BPMNEdge id="[^"]+" bpmnElement="${id}">\\s*<di:waypoint x="\\d+" y="\\d+" />\\s*<di:waypoint`));
  });
});

describe('built-in services on their error paths', () => {
  test('registry.load on a missing folder fails the run naming the folder and what to do', async () => {
    const missing = join(repoRoot, 'no-such-registry-folder');
    const { record } = await runWorkflow({ workflow: 'registry_check', inputs: { registryPath: missing }, host: testHost() });
    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      message: `Registry folder not found: ${missing}. Point registryPath at the folder holding the registry's YAML files.`,
      activityId: 'Task_load',
      service: 'registry.load',
    });
    expect(record.activities.map((a) => a.state)).toEqual(['done', 'failed', 'not-reached', 'not-reached', 'not-reached']);
  });

  test('registry.load without a registryPath input says which input is missing', async () => {
    const { record } = await runWorkflow({ workflow: 'registry_check', inputs: {}, host: testHost() });
    expect(record.error?.message).toBe('registry.load needs the input "registryPath": the path of a registry folder');
  });

  test('registry.check without a loaded registry points at the missing registry.load task', async () => {
    const { record } = await runWorkflow({
      workflow: join(fixtureWorkflows, 'check_without_load.bpmn'),
      inputs: {},
      host: testHost(),
    });
    expect(record.status).toBe('failed');
    expect(record.error?.message).toBe('registry.check has no registry to check: put a registry.load task before "Check too early" in the workflow');
  });
});
