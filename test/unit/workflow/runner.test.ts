import { describe, expect, test } from 'vitest';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { WorkflowError } from '../../../src/core/workflow/locate';
import { validateOtlpTraceExport } from '../../../src/core/telemetry/otlpValidation';
import type { ActivityRecord, OtlpSpan, RunResult } from '../../../src/core/workflow/types';
import { activitySpan, allSpans, attr, fixtureWorkflows, serviceSpan, spanNamed, testHost } from './helpers';
import { createTestServices, type TestServices } from './testServices';

async function run(workflow: string, services: TestServices, options: { inputs?: Record<string, unknown>; signal?: AbortSignal } = {}) {
  const host = testHost();
  const result = await runWorkflow({
    workflow,
    inputs: options.inputs ?? {},
    host,
    services: services.registry,
    workflowsDir: fixtureWorkflows,
    signal: options.signal,
  });
  return { result, host };
}

function states(result: RunResult): Record<string, ActivityRecord['state']> {
  return Object.fromEntries(result.record.activities.map((a) => [a.id, a.state]));
}

function nanos(span: OtlpSpan): { start: bigint; end: bigint } {
  return { start: BigInt(span.startTimeUnixNano), end: BigInt(span.endTimeUnixNano) };
}

describe('runWorkflow: spans', () => {
  test('process, activity and service spans form the BPMN tree, sub-process included', async () => {
    const services = createTestServices();
    const { result } = await run('nested', services, { inputs: { registryPath: '/some/registry' } });
    const { record } = result;
    expect(record.status).toBe('succeeded');
    expect(services.calls).toEqual(['Task_outer', 'Task_inner']);

    const spans = allSpans(record.spans);
    expect(validateOtlpTraceExport(record.spans)).toEqual([]);
    const processSpan = spanNamed(spans, 'workflow nested');
    expect(processSpan.parentSpanId).toBeUndefined();
    // The run id is the trace id, and every span belongs to that one trace.
    expect(processSpan.traceId).toBe(record.id);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([record.id]));

    // Nodes of the process hang under the process span; nodes of the sub-process under its span.
    const sub = activitySpan(spans, 'Sub');
    for (const id of ['Start', 'Task_outer', 'Sub', 'End']) expect(activitySpan(spans, id).parentSpanId).toBe(processSpan.spanId);
    for (const id of ['Sub_start', 'Task_inner', 'Sub_end']) expect(activitySpan(spans, id).parentSpanId).toBe(sub.spanId);

    // A service span is the child of its activity span; spans the service makes are its children.
    for (const id of ['Task_outer', 'Task_inner']) {
      const activity = activitySpan(spans, id);
      const service = serviceSpan(spans, id);
      expect(service.name).toBe('service test.record');
      expect(service.parentSpanId).toBe(activity.spanId);
      const inner = spanNamed(spans, `inner work ${id}`);
      expect(inner.parentSpanId).toBe(service.spanId);
      expect(spanNamed(spans, `nested work ${id}`).parentSpanId).toBe(inner.spanId);
    }

    const outer = serviceSpan(spans, 'Task_outer');
    expect(attr(outer, 'weavergen.workflow.name')).toBe('nested');
    expect(attr(outer, 'weavergen.service.name')).toBe('test.record');
    expect(attr(outer, 'weavergen.bpmn.element.id')).toBe('Task_outer');
    expect(attr(outer, 'weavergen.bpmn.element.type')).toBe('bpmn:ServiceTask');
    expect(attr(outer, 'weavergen.engine')).toBe('native');
    expect(attr(outer, 'weavergen.run.id')).toBe(record.id);
    expect(attr(outer, 'weavergen.registry.path')).toBe('/some/registry');
    expect(attr(processSpan, 'weavergen.run.status')).toBe('succeeded');
    expect(processSpan.status.code).toBe(1);
    expect(attr(activitySpan(spans, 'Sub'), 'weavergen.bpmn.element.type')).toBe('bpmn:SubProcess');
  });

  test('the record lists every flow node with its state, the flows taken and the merged outputs', async () => {
    const services = createTestServices();
    const { result } = await run('nested', services, { inputs: { b: 1, a: 'x' } });
    const { record } = result;
    expect(record.activities.map((a) => a.id)).toEqual(['Start', 'Task_outer', 'Sub', 'Sub_start', 'Task_inner', 'Sub_end', 'End']);
    expect(new Set(record.activities.map((a) => a.state))).toEqual(new Set(['done']));
    const outer = record.activities.find((a) => a.id === 'Task_outer');
    expect(outer).toMatchObject({ name: 'Outer task', type: 'bpmn:ServiceTask', service: 'test.record' });
    expect(outer?.durationMs).toBeGreaterThanOrEqual(0);
    expect(record.takenFlows?.sort()).toEqual(['F1', 'F2', 'F3', 'SF1', 'SF2']);
    expect(record.outputs).toEqual({ ran_Task_outer: true, ran_Task_inner: true, seenInputKeys: ['a', 'b'] });
    expect(record.inputs).toEqual({ b: 1, a: 'x' });
    expect(record.workflow).toBe('nested');
    expect(record.workflowFile).toBe(`${fixtureWorkflows}/nested.bpmn`);
    expect(record.bpmnXml).toContain('<subProcess id="Sub"');
    expect(Date.parse(record.startedAt)).not.toBeNaN();
  });
});

describe('runWorkflow: failures', () => {
  test('an unknown service fails the run before any task runs, naming the task and the service', async () => {
    const services = createTestServices();
    const { result } = await run('unknown_service', services);
    const { record } = result;
    expect(record.status).toBe('failed');
    expect(services.calls).toEqual([]);
    expect(record.error?.activityId).toBe('Task_typo');
    expect(record.error?.service).toBe('test.recrod');
    expect(record.error?.message).toContain('Task "Misspelled" (Task_typo) calls service "test.recrod", which is not registered');
    expect(record.error?.message).toContain('test.record');
    expect(new Set(record.activities.map((a) => a.state))).toEqual(new Set(['not-reached']));
    const processSpan = spanNamed(allSpans(record.spans), 'workflow unknown_service');
    expect(processSpan.status.code).toBe(2);
    expect(processSpan.events?.map((e) => e.name)).toContain('exception');
  });

  test('a service task without implementation fails the run and says how to write it', async () => {
    const { result } = await run('no_implementation', createTestServices());
    expect(result.record.status).toBe('failed');
    expect(result.record.error?.activityId).toBe('Task_bare');
    expect(result.record.error?.message).toContain('Task "Bare" (Task_bare) names no service: set implementation="${environment.services.NAME}"');
  });

  test('a failing service fails the run with its error, an error span, and later tasks not reached', async () => {
    const services = createTestServices();
    const { result } = await run('failing', services);
    const { record } = result;
    expect(record.status).toBe('failed');
    expect(record.error).toEqual({ message: 'planted failure in Task_fail', activityId: 'Task_fail', service: 'test.fail' });
    expect(services.calls).toEqual(['Task_first', 'Task_fail']);
    expect(states(result)).toEqual({ Start: 'done', Task_first: 'done', Task_fail: 'failed', Task_never: 'not-reached', End: 'not-reached' });
    expect(record.activities.find((a) => a.id === 'Task_fail')?.error).toBe('planted failure in Task_fail');

    const spans = allSpans(record.spans);
    const failed = serviceSpan(spans, 'Task_fail');
    expect(failed.status).toEqual({ code: 2, message: 'planted failure in Task_fail' });
    const exception = failed.events?.find((e) => e.name === 'exception');
    expect(exception && attr(exception, 'exception.message')).toBe('planted failure in Task_fail');
    // OpenTelemetry reports an error's `code` as its type when it has one.
    expect(exception && attr(exception, 'exception.type')).toBe('PLANTED');
    expect(activitySpan(spans, 'Task_fail').status.code).toBe(2);
    expect(spans.some((s) => attr(s, 'weavergen.bpmn.element.id') === 'Task_never')).toBe(false);
    expect(spanNamed(spans, 'workflow failing').status.code).toBe(2);
  });

  test('a failure with a code a boundary event catches is routed, and the run succeeds', async () => {
    const services = createTestServices();
    const { result } = await run('boundary_error', services, { inputs: { failCode: 'EXPECTED_FAILURE' } });
    expect(result.record.status).toBe('succeeded');
    expect(services.calls).toEqual(['Task_fail', 'Task_recover']);
    expect(states(result)).toEqual({
      Start: 'done',
      Task_fail: 'failed',
      Catch_expected: 'done',
      Task_recover: 'done',
      End_normal: 'not-reached',
      End_recovered: 'done',
    });
    expect(activitySpan(allSpans(result.record.spans), 'Catch_expected').parentSpanId).toBeDefined();
  });

  test('a failure with another code is not caught by that boundary event', async () => {
    const { result } = await run('boundary_error', createTestServices(), { inputs: { failCode: 'SOMETHING_ELSE' } });
    expect(result.record.status).toBe('failed');
    expect(states(result).Catch_expected).toBe('not-reached');
    // A boundary event that never fires leaves no span behind.
    expect(allSpans(result.record.spans).some((s) => attr(s, 'weavergen.bpmn.element.id') === 'Catch_expected')).toBe(false);
  });

  test('a workflow that is not found, or not readable BPMN, throws a WorkflowError naming the file', async () => {
    const services = createTestServices();
    await expect(run('no_such_workflow', services)).rejects.toThrow(WorkflowError);
    await expect(run('no_such_workflow', services)).rejects.toThrow(/no_such_workflow\.bpmn in .*test\/fixtures\/workflows.*Available: .*nested/);
    await expect(run('broken', services)).rejects.toThrow(/broken\.bpmn:1:\d+: not a readable BPMN file/);
  });

  test('inputs that cannot be recorded as JSON are refused', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(run('nested', createTestServices(), { inputs: cyclic })).rejects.toThrow(/inputs must be JSON-serialisable/);
  });
});

describe('runWorkflow: cancellation', () => {
  test('aborting stops the engine, the running service sees the signal, the run is cancelled', async () => {
    const services = createTestServices();
    const controller = new AbortController();
    const running = run('slow_then_record', services, { signal: controller.signal });
    await services.slowStarted;
    controller.abort('user pressed cancel');
    const { result } = await running;
    const { record } = result;
    expect(record.status).toBe('cancelled');
    expect(record.error).toBeUndefined();
    expect(services.signals.get('Task_slow')?.aborted).toBe(true);
    expect(services.slowAbortReason()).toBe('user pressed cancel');
    expect(services.calls).toEqual(['Task_slow']);
    expect(states(result)).toEqual({ Start: 'done', Task_slow: 'cancelled', Task_after: 'not-reached', End: 'not-reached' });

    const spans = allSpans(record.spans);
    expect(attr(activitySpan(spans, 'Task_slow'), 'weavergen.activity.state')).toBe('cancelled');
    expect(serviceSpan(spans, 'Task_slow').status.code).not.toBe(2);
    expect(attr(spanNamed(spans, 'workflow slow_then_record'), 'weavergen.run.status')).toBe('cancelled');
    expect(validateOtlpTraceExport(record.spans)).toEqual([]);
  });

  test('a signal aborted before the start runs nothing', async () => {
    const services = createTestServices();
    const { result } = await run('nested', services, { signal: AbortSignal.abort() });
    expect(result.record.status).toBe('cancelled');
    expect(services.calls).toEqual([]);
    expect(new Set(result.record.activities.map((a) => a.state))).toEqual(new Set(['not-reached']));
  });
});

describe('runWorkflow: control flow', () => {
  test('parallel gateway branches run concurrently: their service spans overlap', async () => {
    const services = createTestServices();
    const { result } = await run('parallel', services);
    expect(result.record.status).toBe('succeeded');
    const spans = allSpans(result.record.spans);
    const left = nanos(serviceSpan(spans, 'Task_left'));
    const right = nanos(serviceSpan(spans, 'Task_right'));
    expect(left.start < right.end && right.start < left.end).toBe(true);
    expect(states(result)).toEqual({ Start: 'done', Fork: 'done', Task_left: 'done', Task_right: 'done', Join: 'done', End: 'done' });
  });

  test.each([
    [true, 'Task_left', 'Task_right'],
    [false, 'Task_right', 'Task_left'],
  ])('an exclusive gateway routes on a previous task output (goLeft=%s)', async (goLeft, taken, skipped) => {
    const { result } = await run('output_gateway', createTestServices(), { inputs: { goLeft } });
    expect(result.record.status).toBe('succeeded');
    expect(result.record.outputs.goLeft).toBe(goLeft);
    expect(states(result)[taken]).toBe('done');
    expect(states(result)[skipped]).toBe('not-reached');
  });
});
