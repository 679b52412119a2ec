import { describe, expect, test } from 'vitest';
import { SERVICE_CATALOG } from '../../../src/core/services/catalog';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { computeServiceCoverage, validateRun } from '../../../src/core/workflow/validation';
import type { RunRecord } from '../../../src/core/workflow/types';
import { fixtureWorkflows, testHost } from '../workflow/helpers';
import { dropElement, runFixture, runRegistryCheck } from './helpers';

/** check_without_load.bpmn with the built-in services: registry.check runs with nothing loaded and fails. */
async function checkWithoutLoad(): Promise<RunRecord> {
  const { record } = await runWorkflow({ workflow: 'check_without_load', inputs: {}, host: testHost(), workflowsDir: fixtureWorkflows });
  return record;
}

describe('computeServiceCoverage over real recorded runs', () => {
  test('counts calls and outcomes per catalogued service, in catalog order', async () => {
    const ok = await runRegistryCheck();
    const failed = await checkWithoutLoad();
    expect(failed.status).toBe('failed');
    const coverage = computeServiceCoverage([ok, failed], SERVICE_CATALOG);
    expect(coverage.runs).toBe(2);
    expect(coverage.invalidRuns).toBe(0);
    expect(coverage.services.map((e) => e.service)).toEqual(SERVICE_CATALOG.map((c) => c.name));
    const byName = Object.fromEntries(coverage.services.map((e) => [e.service, e]));
    expect(byName['registry.load']).toMatchObject({ calls: 1, succeeded: 1, failed: 0, cancelled: 0, successRate: 1, runs: 1, workflows: ['registry_check'] });
    expect(byName['registry.check']).toMatchObject({
      calls: 2,
      succeeded: 1,
      failed: 1,
      successRate: 0.5,
      runs: 2,
      workflows: ['check_without_load', 'registry_check'],
    });
    expect(byName['registry.check'].lastCalledAt).toBe([ok.startedAt, failed.startedAt].sort()[1]);
    expect(byName['output.publishDiagnostics']).toMatchObject({ calls: 1, succeeded: 1, successRate: 1 });
    // Every service of the check workflow was called; the catalog's other services were not.
    const checkServices = ['registry.load', 'registry.check', 'output.publishDiagnostics'];
    expect(coverage.neverExercised).toEqual(SERVICE_CATALOG.map((c) => c.name).filter((n) => !checkServices.includes(n)));
    expect(computeServiceCoverage([ok, failed], checkServices.map((name) => ({ name }))).neverExercised).toEqual([]);
    expect(coverage.uncatalogued).toEqual([]);
  });

  test('lists services no run called, and counts nothing for no runs', async () => {
    const failed = await checkWithoutLoad();
    const coverage = computeServiceCoverage([failed], SERVICE_CATALOG);
    expect(coverage.neverExercised).toEqual(SERVICE_CATALOG.map((c) => c.name).filter((n) => n !== 'registry.check'));
    expect(coverage.services.find((e) => e.service === 'registry.check')).toMatchObject({ calls: 1, failed: 1, successRate: 0 });
    expect(coverage.services.find((e) => e.service === 'registry.load')).toEqual({
      service: 'registry.load',
      calls: 0,
      succeeded: 0,
      failed: 0,
      cancelled: 0,
      successRate: null,
      runs: 0,
      workflows: [],
    });

    const none = computeServiceCoverage([], SERVICE_CATALOG);
    expect(none.runs).toBe(0);
    expect(none.neverExercised).toEqual(SERVICE_CATALOG.map((c) => c.name));
  });

  test('services outside the catalog are reported apart; every call of a service counts', async () => {
    const nested = await runFixture('nested');
    const failing = await runFixture('failing');
    const repeated = await runFixture('repeated_task');
    const coverage = computeServiceCoverage([nested, failing, repeated], SERVICE_CATALOG);
    expect(coverage.neverExercised).toEqual(SERVICE_CATALOG.map((c) => c.name));
    expect(coverage.uncatalogued.map((e) => [e.service, e.calls, e.succeeded, e.failed, e.runs])).toEqual([
      ['test.fail', 1, 0, 1, 1],
      // Two tasks of nested.bpmn, one of failing.bpmn, and one task three times in repeated_task.bpmn.
      ['test.record', 6, 6, 0, 3],
    ]);
    expect(coverage.uncatalogued[1].workflows).toEqual(['failing', 'nested', 'repeated_task']);
  });

  test('a cancelled call counts neither as a success nor as a failure', async () => {
    const record = await runFixture('parallel_failure');
    const coverage = computeServiceCoverage([record], []);
    expect(coverage.uncatalogued.find((e) => e.service === 'test.untilAborted')).toMatchObject({ calls: 1, succeeded: 0, failed: 0, cancelled: 1, successRate: null });
  });

  test('runs whose recorded validation failed are counted', async () => {
    const sound = await runFixture('nested');
    const tampered = dropElement(sound, 'Task_inner');
    tampered.validation = await validateRun(tampered);
    expect(tampered.validation.valid).toBe(false);
    expect(computeServiceCoverage([sound, tampered], SERVICE_CATALOG).invalidRuns).toBe(1);
  });
});
