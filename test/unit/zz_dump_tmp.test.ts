import { test } from 'vitest';
import { runWorkflow } from '../../src/core/workflow/runner';
import { allSpans, attr, fixtureWorkflows, testHost } from './workflow/helpers';
import { createTestServices } from './workflow/testServices';

const cases: [string, Record<string, unknown>][] = [
  ['nested', {}], ['failing', {}], ['boundary_error', { failCode: 'EXPECTED_FAILURE' }], ['boundary_error', {}],
  ['parallel', {}], ['output_gateway', { goLeft: true }], ['output_gateway', { goLeft: false }], ['unknown_service', {}], ['no_implementation', {}],
  ['parallel_failure', {}], ['subprocess_boundary', { failCode: 'EXPECTED_FAILURE' }], ['subprocess_boundary', {}],
];
test('dump', async () => {
  for (const [wf, inputs] of cases) {
    const r = await runWorkflow({ workflow: wf, inputs, host: testHost(), services: createTestServices().registry, workflowsDir: fixtureWorkflows });
    console.log(`== ${wf} ${JSON.stringify(inputs)} ${r.record.status} taken=${r.record.takenFlows} valid=${r.record.validation?.valid}`);
    for (const p of r.record.validation?.problems ?? []) console.log('   P', p.code, p.message);
    console.log('   steps', r.record.validation?.steps.map(s => `${s.elementId}:${s.status}`).join(' '));
    if (wf.includes('subprocess') || wf === 'parallel_failure') {
      const spans = allSpans(r.record.spans);
      const byId = new Map(spans.map(s => [s.spanId, s]));
      for (const s of spans) console.log(`     ${s.name.padEnd(28)} st=${s.status.code} state=${attr(s,'weavergen.activity.state') ?? '-'} parent=${s.parentSpanId ? byId.get(s.parentSpanId)?.name : '-'}`);
    }
  }
});
