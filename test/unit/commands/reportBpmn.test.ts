import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SERVICE_CATALOG } from '../../../src/core/services';
import { flowGraphFromXml } from '../../../src/core/workflow/validation/flowGraph';
import { elementsWithActivitySpans, flowNodeIds, repoRoot, runReportWorkflow } from './helpers';

const WORKFLOWS: Record<string, string[]> = {
  registry_stats: ['registry.load', 'registry.stats', 'output.report'],
  registry_search: ['registry.load', 'registry.search', 'output.report'],
  registry_diff: ['registry.load', 'registry.diff', 'output.report'],
  registry_json_schema: ['registry.jsonSchema', 'output.report'],
  diagnostic_init: ['diagnostic.init'],
  completion: ['cli.completion', 'output.report'],
};

describe.each(Object.entries(WORKFLOWS))('%s.bpmn', (workflow, services) => {
  test('calls catalogued services in order and parses as one start-to-end path', async () => {
    const xml = await readFile(join(repoRoot, 'workflows', `${workflow}.bpmn`), 'utf8');
    const called = [...xml.matchAll(/implementation="\$\{environment\.services\.([\w.]+)\}"/g)].map((m) => m[1]);
    expect(called).toEqual(services);
    const catalogued = new Set<string>(SERVICE_CATALOG.map((s) => s.name));
    for (const s of services) expect(catalogued.has(s), s).toBe(true);
    const graph = await flowGraphFromXml(xml);
    expect([...graph.executableProcesses]).toEqual([workflow]);
    expect([...graph.nodes.keys()].sort()).toEqual((await flowNodeIds(workflow)).sort());
  });

  test('has a diagram bpmn-js can draw: a shape for every flow node, an edge with waypoints for every flow', async () => {
    const xml = await readFile(join(repoRoot, 'workflows', `${workflow}.bpmn`), 'utf8');
    const nodeIds = await flowNodeIds(workflow);
    const process = xml.slice(xml.indexOf('<bpmn:process'), xml.indexOf('</bpmn:process>'));
    const flowIds = [...process.matchAll(/<bpmn:sequenceFlow id="([^"]+)"/g)].map((m) => m[1]);
    expect(nodeIds).toHaveLength(services.length + 2);
    expect(flowIds).toHaveLength(services.length + 1);
    expect(xml).toContain(`<bpmndi:BPMNPlane id="Plane_${workflow}" bpmnElement="${workflow}">`);
    for (const id of nodeIds) expect(xml).toMatch(new RegExp(`<bpmndi:BPMNShape id="[^"]+" bpmnElement="${id}">\\s*<dc:Bounds x="\\d+" y="\\d+" width="\\d+" height="\\d+"`));
    for (const id of flowIds) expect(xml).toMatch(new RegExp(`<bpmndi:BPMNEdge id="[^"]+" bpmnElement="${id}">\\s*<di:waypoint x="\\d+" y="\\d+" />\\s*<di:waypoint`));
  });
});

describe('completion workflow', () => {
  test('makes a script from the command tree it is given, every step traced', async () => {
    const commandTree = {
      name: 'demo',
      description: 'a demo',
      options: [{ flags: ['-v', '--verbose'], takesValue: false, description: 'talk' }],
      commands: [{ name: 'run', description: 'run it', options: [{ flags: ['--mode'], takesValue: true, choices: ['fast', 'slow'], description: 'how' }], commands: [] }],
    };
    const { record, reports } = await runReportWorkflow('completion', { shell: 'fish', commandTree });
    expect(record.status, record.error?.message).toBe('succeeded');
    for (const id of await flowNodeIds('completion')) expect(elementsWithActivitySpans(record).has(id), id).toBe(true);
    expect(record.validation?.valid).toBe(true);
    expect(reports[0]?.content).toContain("complete -c demo -n '__fish_use_subcommand' -a run -d 'run it'");
    expect(reports[0]?.content).toContain("complete -c demo -n '__fish_seen_subcommand_from run' -l mode -x -a 'fast slow' -d 'how'");
  });

  test('a malformed tree fails at the completion step saying what shape it needs', async () => {
    const { record } = await runReportWorkflow('completion', { shell: 'bash', commandTree: { name: 'demo' } });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_completion');
    expect(record.error?.message).toContain('"commandTree" is not a command tree');
  });
});
