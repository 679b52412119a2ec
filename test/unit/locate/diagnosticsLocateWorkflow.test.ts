import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createNativeEngine } from '../../../src/core/engine/nativeEngine';
import { SERVICE_CATALOG } from '../../../src/core/services';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { flowGraphFromXml } from '../../../src/core/workflow/validation/flowGraph';
import { elementsWithActivitySpans, flowNodeIds } from '../commands/helpers';
import { allSpans, attr, repoRoot, testHost } from '../workflow/helpers';

/**
 * The diagnostics_locate workflow on weaver's recorded outputs (../shared/conformance/weaver-policies):
 * each `expected-diagnostic-output.json` is what `weaver registry check --diagnostic-format json`
 * printed for the registry next to it, so the placed lines can be checked against that YAML.
 */

const policies = resolve(repoRoot, '..', 'shared', 'conformance', 'weaver-policies');
const STABILITY = join(policies, 'stability', 'tests', 'span_experimental_attribute');
const REMOVED = join(policies, 'backwards-compatibility', 'tests', 'spans');
const SERVICES = ['weaver.parseDiagnostics', 'weaver.placeDiagnostics', 'output.publishDiagnostics'];

async function locate(inputs: Record<string, unknown>, workflow = 'diagnostics_locate') {
  const host = testHost(createNativeEngine());
  const result = await runWorkflow({ workflow, inputs, host });
  return { ...result, host };
}

/** Service names of the run's service spans, in the order they started. */
function servicesCalled(spans: ReturnType<typeof allSpans>): string[] {
  return spans
    .filter((s) => s.name.startsWith('service '))
    .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)))
    .map((s) => String(attr(s, 'weavergen.service.name')));
}

describe('diagnostics_locate.bpmn', () => {
  test('calls the catalogued services in order, one start-to-end path with a diagram bpmn-js can draw', async () => {
    const xml = await readFile(join(repoRoot, 'workflows', 'diagnostics_locate.bpmn'), 'utf8');
    const called = [...xml.matchAll(/implementation="\$\{environment\.services\.([\w.]+)\}"/g)].map((m) => m[1]);
    expect(called).toEqual(SERVICES);
    const catalogued = new Set<string>(SERVICE_CATALOG.map((s) => s.name));
    for (const s of SERVICES) expect(catalogued.has(s), s).toBe(true);
    const graph = await flowGraphFromXml(xml);
    expect([...graph.executableProcesses]).toEqual(['diagnostics_locate']);
    const nodeIds = await flowNodeIds('diagnostics_locate');
    expect([...graph.nodes.keys()].sort()).toEqual([...nodeIds].sort());
    const process = xml.slice(xml.indexOf('<bpmn:process'), xml.indexOf('</bpmn:process>'));
    const flowIds = [...process.matchAll(/<bpmn:sequenceFlow id="([^"]+)"/g)].map((m) => m[1]);
    expect(nodeIds).toHaveLength(SERVICES.length + 2);
    expect(flowIds).toHaveLength(SERVICES.length + 1);
    expect(xml).toContain('<bpmndi:BPMNPlane id="Plane_diagnostics_locate" bpmnElement="diagnostics_locate">');
    for (const id of nodeIds) expect(xml).toMatch(new RegExp(`<bpmndi:BPMNShape id="[^"]+" bpmnElement="${id}">\\s*<dc:Bounds x="\\d+" y="\\d+" width="\\d+" height="\\d+"`));
    for (const id of flowIds) expect(xml).toMatch(new RegExp(`<bpmndi:BPMNEdge id="[^"]+" bpmnElement="${id}">\\s*<di:waypoint x="\\d+" y="\\d+" />\\s*<di:waypoint`));
  });

  test('places a recorded policy violation on the ref it is about and publishes it, every step traced', async () => {
    const registryPath = join(STABILITY, 'current');
    const { record, check, host } = await locate({ registryPath, weaverJsonPath: join(STABILITY, 'expected-diagnostic-output.json') });
    expect(record.status, record.error?.message).toBe('succeeded');
    expect(record.validation?.valid, JSON.stringify(record.validation?.problems)).toBe(true);
    for (const id of await flowNodeIds('diagnostics_locate')) expect(elementsWithActivitySpans(record).has(id), id).toBe(true);
    expect(servicesCalled(allSpans(record.spans))).toEqual(SERVICES);

    const model = await readFile(join(registryPath, 'model.yaml'), 'utf8');
    const lines = model.split('\n');
    const refLine = lines.findIndex((l) => l.includes('ref: experimental.attr'));
    expect(refLine).toBeGreaterThan(0);
    expect(host.published).toHaveLength(1);
    const [published] = host.published;
    expect(published!.diagnostics).toEqual(check?.diagnostics);
    expect(published!.diagnostics).toHaveLength(1);
    expect(published!.diagnostics[0]).toMatchObject({
      file: join(registryPath, 'model.yaml'),
      severity: 'error',
      code: 'stability_span_lower_stability_attribute',
      source: 'weaver',
      range: { start: { line: refLine, character: lines[refLine]!.indexOf('experimental.attr') } },
    });
    expect(published!.summary).toMatchObject({ registryPath, files: 1 });
    expect(record.outputs).toMatchObject({
      findingCount: 1,
      findingsBySeverity: { error: 1, warning: 0, advice: 0 },
      placed: { exact: 1, file: 0, unplaced: 0 },
      diagnosticCount: 1,
      errorCount: 1,
      hasErrors: true,
      publishedCount: 1,
    });
  });

  test('a finding about what the registry no longer has is kept, on the first file, and counted as unplaced', async () => {
    const { record, host } = await locate({ registryPath: join(REMOVED, 'current'), weaverJsonPath: join(REMOVED, 'expected-diagnostic-output.json') });
    expect(record.status, record.error?.message).toBe('succeeded');
    expect(record.outputs.placed).toEqual({ exact: 3, file: 0, unplaced: 1 });
    const diagnostics = host.published[0]!.diagnostics;
    expect(diagnostics).toHaveLength(4);
    const missing = diagnostics.find((d) => d.code === 'compatibility_span_missing');
    expect(missing?.range.start).toEqual({ line: 0, character: 0 });
    expect(missing?.message).toContain("could not be placed on a line: span 'missing' not found in this registry");
  });

  test('weaver printing nothing (a clean registry) is zero findings and an empty publication', async () => {
    // An empty file stands for weaver's empty stdout: the registry folder is a real one.
    const { record, host } = await locate({ registryPath: join(STABILITY, 'current'), weaverJsonPath: '/dev/null' });
    expect(record.status, record.error?.message).toBe('succeeded');
    expect(record.outputs).toMatchObject({ findingCount: 0, placed: { exact: 0, file: 0, unplaced: 0 }, hasErrors: false, publishedCount: 0 });
    expect(host.published[0]?.diagnostics).toEqual([]);
  });

  test('an unreadable or non-JSON weaver output fails at the read step naming the file and what to do', async () => {
    const registryPath = join(STABILITY, 'current');
    const missingFile = join(STABILITY, 'no-such-output.json');
    const missing = await locate({ registryPath, weaverJsonPath: missingFile });
    expect(missing.record.status).toBe('failed');
    expect(missing.record.error).toMatchObject({ activityId: 'Task_parse', service: 'weaver.parseDiagnostics' });
    expect(missing.record.error?.message).toContain(`cannot read the weaver output ${missingFile}`);
    expect(missing.record.error?.message).toContain('--diagnostic-format json');
    expect(missing.host.published).toEqual([]);

    const yaml = join(registryPath, 'model.yaml');
    const notJson = await locate({ registryPath, weaverJsonPath: yaml });
    expect(notJson.record.error).toMatchObject({ activityId: 'Task_parse', service: 'weaver.parseDiagnostics' });
    expect(notJson.record.error?.message).toBe(`${yaml}: the output holds no JSON document (was --diagnostic-format json passed?). Run weaver with \`--diagnostic-format json\` and pass the file it wrote.`);

    const noInput = await locate({ registryPath });
    expect(noInput.record.error?.message).toContain('needs the input "weaverJsonPath"');
  });

  test('a registry folder that is not there fails at the place step', async () => {
    const nowhere = join(STABILITY, 'no-such-registry');
    const { record } = await locate({ registryPath: nowhere, weaverJsonPath: join(STABILITY, 'expected-diagnostic-output.json') });
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ activityId: 'Task_place', service: 'weaver.placeDiagnostics' });
    expect(record.error?.message).toContain(`Registry folder not found: ${nowhere}`);
  });

  test('error codes reach BPMN boundary events: an unreadable output is routed, placing without reading fails with NO_WEAVER_FINDINGS', async () => {
    const workflow = join(__dirname, 'fixtures', 'locate_error_routes.bpmn');
    const registryPath = join(STABILITY, 'current');
    const routed = await locate({ registryPath, weaverJsonPath: join(STABILITY, 'no-such-output.json') }, workflow);
    expect(routed.record.status, routed.record.error?.message).toBe('succeeded');
    const states = Object.fromEntries(routed.record.activities.map((a) => [a.id, a.state]));
    // The route after the first boundary event places without findings, which the second one catches.
    expect(states).toMatchObject({ Task_parse: 'failed', Catch_unreadable: 'done', Task_place_unread: 'failed', Catch_no_findings: 'done', End_no_findings: 'done' });
    expect(states.Task_place ?? 'not-reached').toBe('not-reached');
    expect(states.End_placed_anyway ?? 'not-reached').toBe('not-reached');
    expect(routed.record.activities.find((a) => a.id === 'Task_place_unread')?.error).toContain('put a weaver.parseDiagnostics task before "Place without reading"');
    expect(routed.record.validation?.valid, JSON.stringify(routed.record.validation?.problems)).toBe(true);
  });
});
