import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RunStore } from '../../../src/core/telemetry/runStore';
import { validateRun } from '../../../src/core/workflow/validation';
import type { OtlpSpan, RunRecord } from '../../../src/core/workflow/types';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { allSpans, attr, fixtureWorkflows, testHost } from '../workflow/helpers';
import { createTestServices } from '../workflow/testServices';
import {
  addNanos,
  codes,
  dropElement,
  dropSubtrees,
  editSpans,
  isActivityOf,
  isServiceOf,
  runFixture,
  runRegistryCheck,
  spanOf,
  tamper,
} from './helpers';

const stepIds = (record: RunRecord) => record.validation?.steps.map((s) => s.elementId);

async function problemsOf(record: RunRecord): Promise<string[]> {
  const validation = await validateRun(record);
  expect(validation.valid).toBe(validation.problems.length === 0);
  return codes(validation.problems);
}

describe('validateRun: sound runs are valid', () => {
  test('a linear run of registry_check on a real registry: every step has its span, every service task its service span', async () => {
    const record = await runRegistryCheck();
    expect(record.status).toBe('succeeded');
    const validation = record.validation;
    expect(validation?.problems).toEqual([]);
    expect(validation?.valid).toBe(true);
    expect(validation?.steps.map((s) => [s.elementId, s.name, s.status])).toEqual([
      ['Start', 'Check requested', 'done'],
      ['Task_load', 'Load registry', 'done'],
      ['Task_check', 'Check registry', 'done'],
      ['Task_publish', 'Publish diagnostics', 'done'],
      ['End', 'Diagnostics published', 'done'],
    ]);
    for (const step of validation?.steps ?? []) {
      // The step points at the activity span of its element.
      expect(step.spanId).toBe(spanOf(record, isActivityOf(step.elementId)).spanId);
      expect(step.spanCount).toBe(1);
      expect(step.durationMs).toBeGreaterThanOrEqual(0);
    }
    // Validating the record again from its recorded BPMN (as a stored run is) gives the same result.
    expect(await validateRun(record)).toEqual(validation);
  });

  test('the validation travels with the record through the run store', async () => {
    const record = await runFixture('nested');
    const folder = await mkdtemp(join(tmpdir(), 'weavergen-validation-'));
    try {
      const store = new RunStore(folder);
      await store.save(record);
      const back = await store.get(record.id);
      expect(back?.validation).toEqual(record.validation);
      expect(back?.validation?.valid).toBe(true);
      expect(back && stepIds(back)).toEqual(['Start', 'Task_outer', 'Sub', 'Sub_start', 'Task_inner', 'Sub_end', 'End']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  test('a run that failed before anything ran requires no step', async () => {
    const record = await runFixture('unknown_service');
    expect(record.status).toBe('failed');
    expect(record.validation).toEqual({ valid: true, problems: [], steps: [] });
  });

  test('a cancelled run requires the steps up to the cancelled one only', async () => {
    const services = createTestServices();
    const controller = new AbortController();
    const running = runWorkflow({ workflow: 'slow_then_record', inputs: {}, host: testHost(), services: services.registry, workflowsDir: fixtureWorkflows, signal: controller.signal });
    await services.slowStarted;
    controller.abort('stop');
    const { record } = await running;
    expect(record.status).toBe('cancelled');
    expect(record.validation?.problems).toEqual([]);
    expect(record.validation?.steps.map((s) => [s.elementId, s.status])).toEqual([
      ['Start', 'done'],
      ['Task_slow', 'cancelled'],
    ]);
  });
});

describe('validateRun: repeated and nested work', () => {
  test('a multi-instance task is one step whose service calls all hang under its activity span', async () => {
    const record = await runFixture('repeated_task');
    expect(record.validation?.problems).toEqual([]);
    expect(stepIds(record)).toEqual(['Start', 'Task_repeat', 'End']);
    const activity = spanOf(record, isActivityOf('Task_repeat'));
    const calls = allSpans(record.spans).filter(isServiceOf('Task_repeat'));
    expect(calls.map((s) => s.parentSpanId)).toEqual([activity.spanId, activity.spanId, activity.spanId]);
    // With every call gone the task has no service span left.
    const noCalls = dropSubtrees(record, new Set(calls.map((s) => s.spanId)));
    expect(await problemsOf(noCalls)).toEqual(['missing-service-span Task_repeat']);
  });
});

describe('validateRun: gateways decide what is required', () => {
  test('parallel gateway: both branches are required', async () => {
    const record = await runFixture('parallel');
    expect(record.validation?.valid).toBe(true);
    expect(stepIds(record)).toEqual(expect.arrayContaining(['Fork', 'Task_left', 'Task_right', 'Join', 'End']));
    for (const branch of ['Task_left', 'Task_right']) {
      const validation = await validateRun(dropElement(record, branch));
      expect(validation.valid).toBe(false);
      expect(codes(validation.problems)).toEqual([`missing-step ${branch}`]);
      expect(validation.problems[0].message).toContain(`"${branch === 'Task_left' ? 'Left' : 'Right'}" (${branch})`);
      expect(validation.steps.find((s) => s.elementId === branch)?.status).toBe('missing');
    }
  });

  test.each([
    [true, 'Task_left', 'End_left', 'Task_right', 'End_right'],
    [false, 'Task_right', 'End_right', 'Task_left', 'End_left'],
  ])('exclusive gateway (goLeft=%s): only the taken branch is required, the other is not reported', async (goLeft, taken, takenEnd, skipped, skippedEnd) => {
    const record = await runFixture('output_gateway', { goLeft });
    expect(record.validation?.problems).toEqual([]);
    expect(stepIds(record)).toEqual(['Start', 'Task_decide', 'Route', taken, takenEnd]);

    // Losing the taken branch's span is reported, by name; the branch not taken still is not.
    const validation = await validateRun(dropElement(record, taken));
    expect(codes(validation.problems)).toEqual([`missing-step ${taken}`]);
    expect(JSON.stringify(validation)).not.toContain(skipped);
    expect(JSON.stringify(validation)).not.toContain(skippedEnd);
  });

  test('exclusive gateway without the taken-flow list: the branch is read from the spans alone', async () => {
    const record = await runFixture('output_gateway', { goLeft: true });
    const spansOnly = structuredClone(record);
    delete spansOnly.takenFlows;
    expect(await problemsOf(spansOnly)).toEqual([]);
    // Neither branch has a span any more: the gateway completed and went nowhere.
    const lost = dropElement(spansOnly, 'Task_left');
    const validation = await validateRun(lost);
    expect(codes(validation.problems)).toEqual(['no-branch-taken Route', 'off-path-span End_left']);
    expect(validation.problems[0].message).toContain('"Left" (Task_left), "Right" (Task_right)');
  });
});

describe('validateRun: tampered spans are caught', () => {
  test("a step's span deleted: invalid, naming the step (inside a sub-process too)", async () => {
    const record = await runFixture('nested');
    for (const [id, name] of [
      ['Task_outer', 'Outer task'],
      ['Task_inner', 'Inner task'],
      ['End', 'End'],
    ]) {
      const validation = await validateRun(dropElement(record, id));
      expect(validation.valid).toBe(false);
      expect(codes(validation.problems)).toEqual([`missing-step ${id}`]);
      expect(validation.problems[0].message).toBe(`Step ${id === name ? id : `"${name}" (${id})`} is on the path the run took but has no activity span.`);
    }
  });

  test('only the activity span deleted: the step is missing and its service span is left without a parent', async () => {
    const record = await runFixture('nested');
    const activity = spanOf(record, isActivityOf('Task_outer'));
    const service = spanOf(record, isServiceOf('Task_outer'));
    const validation = await validateRun(tamper(record, (spans) => spans.filter((s) => s.spanId !== activity.spanId)));
    expect(codes(validation.problems).sort()).toEqual(['missing-step Task_outer', 'orphan-span Task_outer']);
    expect(validation.problems.find((p) => p.code === 'orphan-span')?.spanId).toBe(service.spanId);
  });

  test('a service span deleted: the service task has no service span', async () => {
    const record = await runFixture('nested');
    const service = spanOf(record, isServiceOf('Task_inner'));
    const tampered = tamper(record, (spans) =>
      spans.filter((s) => s.spanId !== service.spanId).map((s) => (s.parentSpanId === service.spanId ? { ...s, parentSpanId: spanOf(record, isActivityOf('Task_inner')).spanId } : s)),
    );
    const validation = await validateRun(tampered);
    expect(codes(validation.problems)).toEqual(['missing-service-span Task_inner']);
  });

  test('an extra error span: invalid, naming the span and its step', async () => {
    const record = await runFixture('nested');
    const service = spanOf(record, isServiceOf('Task_outer'));
    const extra: OtlpSpan = {
      ...service,
      spanId: 'feedfacefeedface',
      parentSpanId: service.spanId,
      name: 'planted failure',
      attributes: [],
      status: { code: 2, message: 'planted' },
    };
    delete extra.events;
    const validation = await validateRun(tamper(record, (spans) => [...spans, extra]));
    expect(validation.valid).toBe(false);
    expect(validation.problems).toEqual([
      expect.objectContaining({ code: 'unexplained-error', elementId: 'Task_outer', spanId: 'feedfacefeedface' }),
    ]);
    expect(validation.problems[0].message).toContain('"Outer task" (Task_outer)');

    // The same for a step span turned into an error.
    const errorEnd = editSpans(record, isActivityOf('End'), (s) => {
      s.status = { code: 2, message: 'planted' };
    });
    expect(await problemsOf(errorEnd)).toEqual(['unexplained-error End']);
  });

  test('a child outside its parent: invalid, naming the child; a shift within the tolerance is not', async () => {
    const record = await runFixture('nested');
    const activity = spanOf(record, isActivityOf('Task_outer'));
    const late = editSpans(record, isServiceOf('Task_outer'), (s) => {
      s.endTimeUnixNano = addNanos(activity.endTimeUnixNano, 50_000_000n);
    });
    const validation = await validateRun(late);
    expect(codes(validation.problems)).toEqual(['outside-parent Task_outer']);
    expect(validation.problems[0].spanId).toBe(spanOf(record, isServiceOf('Task_outer')).spanId);
    expect(validation.problems[0].message).toMatch(/ends 50\.\d{3} ms after its parent span "activity Outer task"/);

    const early = editSpans(record, isActivityOf('Task_outer'), (s) => {
      s.startTimeUnixNano = addNanos(spanOf(record, (p) => p.parentSpanId === undefined).startTimeUnixNano, -10_000_000n);
    });
    expect(await problemsOf(early)).toEqual(['outside-parent Task_outer']);

    const slightly = editSpans(record, isServiceOf('Task_outer'), (s) => {
      s.endTimeUnixNano = addNanos(activity.endTimeUnixNano, 500_000n);
    });
    expect(await problemsOf(slightly)).toEqual([]);
    expect(codes((await validateRun(slightly, { toleranceMs: 0 })).problems)).toContain('outside-parent Task_outer');
  });

  test('a span ending before it starts, or without a status', async () => {
    const record = await runFixture('nested');
    const reversed = editSpans(record, isActivityOf('Start'), (s) => {
      [s.startTimeUnixNano, s.endTimeUnixNano] = [s.endTimeUnixNano, addNanos(s.startTimeUnixNano, -1_000_000n)];
    });
    expect(await problemsOf(reversed)).toContain('end-before-start Start');
    const noStatus = editSpans(record, isActivityOf('Sub_end'), (s) => {
      delete (s as Partial<OtlpSpan>).status;
    });
    expect(await problemsOf(noStatus)).toEqual(['status-missing Sub_end']);
  });

  test('a span for a branch the run did not take, or for an element the workflow lacks', async () => {
    const record = await runFixture('output_gateway', { goLeft: true });
    const left = spanOf(record, isActivityOf('End_left'));
    const relabel = (elementId: string): OtlpSpan => ({
      ...left,
      spanId: elementId === 'End_right' ? 'aaaaaaaaaaaaaaaa' : 'bbbbbbbbbbbbbbbb',
      attributes: left.attributes.map((a) => (a.key === 'weavergen.bpmn.element.id' ? { key: a.key, value: { stringValue: elementId } } : a)),
    });
    const extra = tamper(record, (spans) => [...spans, relabel('End_right'), relabel('Nowhere')]);
    expect((await problemsOf(extra)).sort()).toEqual(['off-path-span End_right', 'unknown-element Nowhere']);
  });

  test('spans from another trace, under an unknown parent, or a second root', async () => {
    const record = await runFixture('nested');
    const foreign = editSpans(record, isActivityOf('Start'), (s) => {
      s.traceId = '0'.repeat(32);
    });
    expect(await problemsOf(foreign)).toEqual(['trace-id Start']);
    const detached = editSpans(record, isActivityOf('End'), (s) => {
      delete s.parentSpanId;
    });
    expect(await problemsOf(detached)).toEqual(['several-root-spans']);
  });

  test('a process span that disagrees with the run status', async () => {
    const record = await runFixture('nested');
    const flipped = editSpans(record, (s) => s.parentSpanId === undefined, (s) => {
      s.status = { code: 2, message: 'planted' };
    });
    expect(await problemsOf(flipped)).toEqual(['run-status-mismatch', 'unexplained-error']);
  });

  test('a recorded BPMN that no longer parses is reported, not thrown', async () => {
    const record = await runFixture('nested');
    const broken = { ...structuredClone(record), bpmnXml: '<definitions><process id="x"' };
    const validation = await validateRun(broken);
    expect(codes(validation.problems)).toEqual(['unreadable-workflow']);
    expect(validation.problems[0].message).toContain(record.id);
  });
});

describe('validateRun: failed runs and caught failures', () => {
  test('a failed run requires the steps up to the failure, not after it', async () => {
    const record = await runFixture('failing');
    expect(record.status).toBe('failed');
    expect(record.validation?.problems).toEqual([]);
    expect(record.validation?.steps.map((s) => [s.elementId, s.status])).toEqual([
      ['Start', 'done'],
      ['Task_first', 'done'],
      ['Task_fail', 'failed'],
    ]);
    // The error spans of the failed task are explained by the failure itself.
    expect(allSpans(record.spans).filter((s) => s.status.code === 2).map((s) => s.name).sort()).toEqual(['activity Breaks', 'service test.fail', 'workflow failing']);

    // Steps before the failure point are still required, and so is the failed step.
    expect(await problemsOf(dropElement(record, 'Task_first'))).toEqual(['missing-step Task_first']);
    expect(await problemsOf(dropElement(record, 'Task_fail'))).toEqual(['missing-step Task_fail']);
    const silent = editSpans(record, (s) => attr(s, 'weavergen.bpmn.element.id') === 'Task_fail', (s) => {
      s.status = { code: 1 };
    });
    expect(await problemsOf(silent)).toEqual(['failure-not-recorded Task_fail']);
  });

  test('a failure in one parallel branch: the other branch is required up to where it was stopped', async () => {
    const record = await runFixture('parallel_failure');
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_fail');
    expect(record.validation?.problems).toEqual([]);
    expect(record.validation?.steps.map((s) => [s.elementId, s.status])).toEqual(
      expect.arrayContaining([
        ['Fork', 'done'],
        ['Task_fail', 'failed'],
        ['Task_slow', 'cancelled'],
      ]),
    );
    expect(stepIds(record)).not.toContain('Task_after');
    expect(stepIds(record)).not.toContain('Join');
    expect(await problemsOf(dropElement(record, 'Task_slow'))).toEqual([]);
    expect(await problemsOf(dropElement(record, 'Fork'))).toEqual(['missing-step Fork']);
  });

  test('a failure a boundary error event caught: its error spans are explained, the recovery path required', async () => {
    const record = await runFixture('boundary_error', { failCode: 'EXPECTED_FAILURE' });
    expect(record.status).toBe('succeeded');
    expect(record.validation?.problems).toEqual([]);
    expect(record.validation?.steps.map((s) => [s.elementId, s.status])).toEqual([
      ['Start', 'done'],
      ['Task_fail', 'failed'],
      ['Catch_expected', 'done'],
      ['Task_recover', 'done'],
      ['End_recovered', 'done'],
    ]);
    // The flow out of the boundary event was taken: the event fired, so its span is required.
    expect(await problemsOf(dropElement(record, 'Catch_expected'))).toEqual(['missing-step Catch_expected']);
    // With no trace of the boundary event at all, nothing explains the failed task's error spans.
    const noCatch = dropElement(record, 'Catch_expected');
    delete noCatch.takenFlows;
    const problems = await problemsOf(noCatch);
    expect(problems).toContain('unexplained-error Task_fail');
    expect(problems).toContain('off-path-span Task_recover');
  });

  test('a boundary error event on a sub-process explains the error of a task inside it', async () => {
    const record = await runFixture('subprocess_boundary', { failCode: 'EXPECTED_FAILURE' });
    expect(record.status).toBe('succeeded');
    expect(record.validation?.problems).toEqual([]);
    expect(stepIds(record)).toEqual(expect.arrayContaining(['Sub', 'Sub_start', 'Task_inner', 'Catch_sub', 'Task_recover', 'End_recovered']));
    for (const notRun of ['Task_inner_after', 'Sub_end', 'End_normal']) expect(stepIds(record)).not.toContain(notRun);

    const uncaught = await runFixture('subprocess_boundary', { failCode: 'OTHER' });
    expect(uncaught.status).toBe('failed');
    expect(uncaught.validation?.problems).toEqual([]);
    expect(stepIds(uncaught)).toEqual(['Start', 'Sub', 'Sub_start', 'Task_inner']);
  });
});
