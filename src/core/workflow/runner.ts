import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { readFile } from 'node:fs/promises';
import { CHECK_RESULT } from '../services/stateKeys';
import { createDefaultServiceRegistry } from '../services';
import {
  ATTR_ACTIVITY_STATE,
  ATTR_BPMN_ELEMENT_ID,
  ATTR_BPMN_ELEMENT_NAME,
  ATTR_BPMN_ELEMENT_TYPE,
  ATTR_ENGINE,
  ATTR_REGISTRY_PATH,
  ATTR_RUN_ID,
  ATTR_RUN_STATUS,
  ATTR_SERVICE_NAME,
  ATTR_WORKFLOW_FILE,
  ATTR_WORKFLOW_NAME,
  processSpanName,
  serviceSpanName,
} from '../telemetry/attributes';
import { toOtlpTraceExport } from '../telemetry/otlpJson';
import { RunStore } from '../telemetry/runStore';
import { getRunTracing } from '../telemetry/tracing';
import { inspectWorkflow, type FlowNode } from './bpmnModel';
import { engineFailureMessage } from './engineErrors';
import { resolveRunLimits, type RunLimits } from './runLimits';
import { createCheckedEngine } from './safeEngine';
import { locateWorkflow, WorkflowError } from './locate';
import { innerError, nowMs, RunTracker, type ElementEvent } from './runTracker';
import { bindServices, buildServiceTree } from './serviceBinding';
import { flowGraphFromEngine, type FlowGraph } from './validation/flowGraph';
import { validateRun } from './validation/validateRun';
import type {
  RunLogger,
  RunRecord,
  RunResult,
  RunState,
  RunStatus,
  ServiceContext,
  ServiceFn,
  StateKey,
  WorkflowRunRequest,
} from './types';

/**
 * Runs one workflow: finds its .bpmn, refuses it when anything in it could run code
 * (workflowSafety.ts), checks every service task names a registered service, walks it with
 * bpmn-engine (given script and expression handlers that run nothing, engineGuards.ts), and records
 * the run as spans plus a RunRecord. Service failures, unknown services, the step and time limits
 * (runLimits.ts) and cancellation all end in a record (status failed / cancelled); only a workflow
 * that cannot be found, parsed or trusted, bad limits, or inputs that cannot be recorded, throw a
 * WorkflowError.
 */

type RunError = NonNullable<RunRecord['error']>;
type Outcome = { kind: 'end' } | { kind: 'stop' } | { kind: 'error'; error: unknown };

/** What bpmn-engine passes a service: the slice of its ExecutionScope the runner reads. */
interface EngineScope {
  id: string;
  type: string;
  content: { executionId?: string };
  environment: { output: Record<string, unknown> };
}
type EngineNext = (err: Error | null, result?: unknown) => void;

class MapRunState implements RunState {
  private readonly values = new Map<StateKey<unknown>, unknown>();
  get<T>(key: StateKey<T>): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  set<T>(key: StateKey<T>, value: T): void {
    this.values.set(key, value);
  }
  has(key: StateKey<unknown>): boolean {
    return this.values.has(key);
  }
}

export async function runWorkflow(request: WorkflowRunRequest): Promise<RunResult> {
  const located = locateWorkflow(request.workflow, request);
  let bpmnXml: string;
  try {
    bpmnXml = await readFile(located.file, 'utf8');
  } catch (err) {
    throw new WorkflowError(`Cannot read workflow file ${located.file}: ${(err as Error).message}`);
  }
  let limits: RunLimits;
  try {
    limits = resolveRunLimits(request.limits);
  } catch (err) {
    throw new WorkflowError((err as Error).message);
  }
  const inputs = snapshotInputs(request.inputs);
  const services = request.services ?? createDefaultServiceRegistry();
  const { host } = request;

  // Checked before the engine parses anything: nothing in the file may run code.
  const engine = createCheckedEngine(
    located.file,
    bpmnXml,
    // A task whose service is missing must fail, not pass as a no-op.
    { name: located.name, settings: { enableDummyService: false } },
    limits.maxElements,
  );
  const model = await inspectWorkflow(engine, located.file);
  const bindings = bindServices(model.nodes, services);
  // Parsed before the run for the span validation after it; validateRun re-parses the XML if this fails.
  const graph: FlowGraph | undefined = await flowGraphFromEngine(engine).catch(() => undefined);

  const tracing = getRunTracing();
  const startedAt = new Date();
  const startMs = nowMs();
  const common: Attributes = { [ATTR_WORKFLOW_NAME]: located.name, [ATTR_ENGINE]: host.engine.kind };
  if (typeof inputs.registryPath === 'string') common[ATTR_REGISTRY_PATH] = inputs.registryPath;
  const processSpan = tracing.tracer.startSpan(
    processSpanName(located.name),
    { root: true, startTime: startMs, attributes: { ...common, [ATTR_WORKFLOW_FILE]: located.file } },
    ROOT_CONTEXT,
  );
  // The run id is the trace id: a run and its trace are found by the same key.
  const runId = processSpan.spanContext().traceId;
  const collected = tracing.collect(runId);
  common[ATTR_RUN_ID] = runId;
  processSpan.setAttribute(ATTR_RUN_ID, runId);
  const processContext = trace.setSpan(ROOT_CONTEXT, processSpan);
  const tracker = new RunTracker(tracing.tracer, processContext, model.nodes, bindings.serviceOf, common);
  const state = new MapRunState();
  const outputs: Record<string, unknown> = {};
  host.log.info(`workflow ${located.name}: run ${runId} started (${located.file})`);

  let status: RunStatus;
  let error: RunError | undefined;
  if (bindings.problems.length > 0) {
    const first = bindings.problems[0];
    const others = bindings.problems.slice(1).map((p) => p.activityId);
    const more = others.length > 0 ? ` Other tasks with a service problem: ${others.join(', ')}.` : '';
    status = 'failed';
    error = { message: `${located.file}: ${first.message}${more}`, activityId: first.activityId };
    if (first.service) error.service = first.service;
  } else if (!model.executable) {
    status = 'failed';
    error = { message: `${located.file}: no process is marked isExecutable="true", so nothing would run. Set it on the process to run.` };
  } else if (request.signal?.aborted) {
    status = 'cancelled';
  } else {
    ({ status, error } = await execute());
  }

  tracker.finish();
  if (status === 'failed' && error) {
    processSpan.recordException(Object.assign(new Error(error.message), { name: 'WorkflowRunError' }));
    processSpan.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else if (status === 'succeeded') {
    processSpan.setStatus({ code: SpanStatusCode.OK });
  }
  processSpan.setAttribute(ATTR_RUN_STATUS, status);
  const endMs = nowMs();
  processSpan.end(endMs);
  const spans = collected();

  const record: RunRecord = {
    id: runId,
    workflow: located.name,
    workflowFile: located.file,
    bpmnXml,
    engine: host.engine.kind,
    status,
    startedAt: startedAt.toISOString(),
    durationMs: Math.max(0, endMs - startMs),
    inputs,
    outputs,
    activities: tracker.records(),
    takenFlows: [...tracker.takenFlows],
    spans: toOtlpTraceExport(spans),
  };
  if (error) record.error = error;
  record.validation = await validateRun(record, graph ? { graph } : {});
  if (!record.validation.valid) {
    host.log.debug(`workflow ${located.name}: run ${runId} spans do not match the workflow: ${record.validation.problems.map((p) => p.message).join(' ')}`);
  }
  const log = status === 'failed' ? host.log.error.bind(host.log) : host.log.info.bind(host.log);
  log(`workflow ${located.name}: run ${runId} ${status} in ${record.durationMs.toFixed(0)} ms${error ? `: ${error.message}` : ''}`);
  await recordForCoverage(record, host.log);
  const result: RunResult = { record };
  const check = state.get(CHECK_RESULT);
  if (check) result.check = check;
  return result;

  async function execute(): Promise<{ status: RunStatus; error?: RunError }> {
    // Aborted on cancel (services watch it) and when the run ends, so work left in a parallel
    // branch after another branch failed stops too.
    const controller = new AbortController();
    const failures = new Map<Error, RunError>();
    const nodes = new Map(model.nodes.map((n) => [n.id, n]));
    let settled = false;
    /** Service spans of calls still running: ended as cancelled when the run ends without them. */
    const openServiceSpans = new Set<Span>();
    let steps = 0;
    let lastActivityId: string | undefined;
    /** Set when a step or time limit stopped the run: the run's error. */
    let limitError: RunError | undefined;
    const describe = (id: string) => `"${nodes.get(id)?.name ?? id}" (${id})`;

    const stopAtLimit = (err: RunError) => {
      if (limitError || settled) return;
      limitError = err;
      if (err.activityId) tracker.markFailed(err.activityId, err.message);
      controller.abort(new Error(err.message));
      // Outside the engine's call chain: stop() re-entered from a listener or a service misbehaves.
      setImmediate(() => {
        void Promise.resolve(engine.stop()).catch((e: unknown) => host.log.warn(`stopping the engine: ${String(e)}`));
      });
    };
    /** One step per service call and per other activity entered; past the limit the run stops. */
    const countStep = (activityId: string) => {
      lastActivityId = activityId;
      steps++;
      if (steps <= limits.maxSteps) return;
      stopAtLimit({
        message:
          `${located.file}: the run reached its limit of ${limits.maxSteps} steps at element ${describe(activityId)} and was stopped: ` +
          'most likely a loop that never ends. A step is a service call or another activity entered; if the workflow really needs more, ' +
          'raise the limit (--max-steps, or the weavergen.workflow.maxSteps setting).',
        activityId,
      });
    };
    const runTimer = setTimeout(() => {
      stopAtLimit({
        message:
          `${located.file}: the run took longer than its time limit of ${seconds(limits.timeoutMs)}` +
          `${lastActivityId ? ` (last element started: ${describe(lastActivityId)})` : ''} and was stopped. ` +
          'If it really needs longer, raise the limit (--timeout, or the weavergen.workflow.timeoutSeconds setting).',
        ...(lastActivityId ? { activityId: lastActivityId } : {}),
      });
    }, limits.timeoutMs);

    const handlers = new Map<string, (scope: EngineScope, next: EngineNext) => void>();
    for (const service of new Set(bindings.serviceOf.values())) {
      const fn = services.get(service) as ServiceFn;
      handlers.set(service, (scope, next) => {
        void callService(service, fn, scope, next);
      });
    }

    async function callService(service: string, fn: ServiceFn, scope: EngineScope, next: EngineNext): Promise<void> {
      if (controller.signal.aborted) return;
      countStep(scope.id);
      const node: FlowNode | undefined = nodes.get(scope.id);
      const activity = { id: scope.id, name: node?.name ?? scope.id, type: scope.type };
      const parent: Context = tracker.contextFor(scope.content.executionId, scope.id) ?? processContext;
      const span: Span = tracing.tracer.startSpan(
        serviceSpanName(service),
        {
          startTime: nowMs(),
          attributes: {
            ...common,
            [ATTR_SERVICE_NAME]: service,
            [ATTR_BPMN_ELEMENT_ID]: activity.id,
            [ATTR_BPMN_ELEMENT_TYPE]: activity.type,
            [ATTR_BPMN_ELEMENT_NAME]: activity.name,
          },
        },
        parent,
      );
      if (limitError) {
        // This call passed the step limit: it is recorded, failed, and never run.
        span.setStatus({ code: SpanStatusCode.ERROR, message: limitError.message });
        span.end(nowMs());
        return;
      }
      openServiceSpans.add(span);
      // The call's own signal: aborted with the run, or alone when the call passes its time limit.
      const call = new AbortController();
      const ctx: ServiceContext = {
        inputs,
        outputs: { ...outputs },
        state,
        host,
        signal: AbortSignal.any([controller.signal, call.signal]),
        log: host.log,
        tracer: tracing.tracer,
        activity,
        runId,
      };
      try {
        // The engine calls back in its own async context; spans the service makes must hang
        // under the service span, so it runs inside that span's context.
        const result = await withTimeout(
          () => Promise.resolve(context.with(trace.setSpan(parent, span), () => fn(ctx))),
          limits.serviceTimeoutMs,
          () =>
            new Error(
              `service ${service} at element ${describe(activity.id)} did not finish within its time limit of ${seconds(limits.serviceTimeoutMs)} and was cancelled. ` +
                'If it really needs longer, raise the limit (--service-timeout, or the weavergen.workflow.serviceTimeoutSeconds setting).',
            ),
          (err) => call.abort(err),
        );
        const produced = serialisableOutputs(result?.outputs, service);
        // Already ended as cancelled: the run finished while this call was still running.
        if (!openServiceSpans.delete(span)) return;
        span.setStatus({ code: SpanStatusCode.OK });
        span.end(nowMs());
        if (settled || controller.signal.aborted) return;
        Object.assign(outputs, produced);
        Object.assign(scope.environment.output, produced);
        // On a later turn of the event loop: completing in the engine's call chain grows the stack
        // with every sequential task, and the run's timers must get a chance to fire between tasks.
        setImmediate(next, null, produced);
      } catch (thrown) {
        const err = thrown instanceof Error ? thrown : new Error(String(thrown));
        if (!openServiceSpans.delete(span)) return;
        if (controller.signal.aborted) {
          span.setAttribute(ATTR_ACTIVITY_STATE, 'cancelled');
          span.end(nowMs());
          return;
        }
        span.recordException(err);
        span.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
        span.end(nowMs());
        tracker.markFailed(activity.id, err.message);
        failures.set(err, { message: err.message, activityId: activity.id, service });
        if (!settled) setImmediate(next, err);
      }
    }

    let resolveOutcome!: (outcome: Outcome) => void;
    const outcome = new Promise<Outcome>((resolve) => {
      resolveOutcome = resolve;
    });
    // Registered before execute(): an engine that finishes at once must still be heard.
    engine.once('end', () => resolveOutcome({ kind: 'end' }));
    engine.once('stop', () => resolveOutcome({ kind: 'stop' }));
    engine.once('error', (err: unknown) => resolveOutcome({ kind: 'error', error: err }));

    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      controller.abort(request.signal?.reason);
      host.log.info(`workflow ${located.name}: run ${runId} cancelled`);
      void Promise.resolve(engine.stop()).catch((err: unknown) => host.log.warn(`stopping the engine: ${String(err)}`));
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });

    const listener = {
      emit(eventName: string, api: unknown): boolean {
        // A throw here would crash the process from inside the engine: log it instead.
        try {
          if (api && typeof api === 'object') {
            const event = api as ElementEvent;
            tracker.handle(eventName, event);
            // Service tasks count per call (callService), so each call of a multi-instance task counts.
            if (eventName === 'activity.enter' && typeof event.id === 'string' && !bindings.serviceOf.has(event.id)) countStep(event.id);
          }
        } catch (err) {
          host.log.warn(`workflow ${located.name}: recording ${eventName} failed: ${err instanceof Error ? err.message : String(err)}`);
        }
        return true;
      },
    };

    try {
      // Dotted names are nested objects that the engine walks as a property path.
      const serviceTree = buildServiceTree(handlers) as Record<string, CallableFunction>;
      await engine.execute({ listener, services: serviceTree, variables: { ...inputs } });
    } catch (err) {
      resolveOutcome({ kind: 'error', error: err });
    }
    // Aborted (or past a limit) while the engine was still loading, before stop() had an execution to stop.
    if (cancelled && engine.state === 'running') onAbort();
    if (limitError && engine.state === 'running') void Promise.resolve(engine.stop()).catch((e: unknown) => host.log.warn(`stopping the engine: ${String(e)}`));

    const result = await outcome;
    clearTimeout(runTimer);
    settled = true;
    request.signal?.removeEventListener('abort', onAbort);
    controller.abort();
    // A call still running (cancelled, or hung past a limit) is not waited for: its span ends here.
    for (const span of openServiceSpans) {
      span.setAttribute(ATTR_ACTIVITY_STATE, 'cancelled');
      span.end(nowMs());
    }
    openServiceSpans.clear();

    if (limitError) return { status: 'failed', error: limitError };
    switch (result.kind) {
      case 'end':
        return { status: 'succeeded' };
      case 'stop':
        if (cancelled) return { status: 'cancelled' };
        return { status: 'failed', error: { message: `${located.file}: the workflow engine stopped before the end of the process` } };
      case 'error': {
        const known = failures.get(innerError(result.error));
        if (known) return { status: 'failed', error: known };
        return { status: 'failed', error: engineFailureMessage(located.file, result.error, (id) => nodes.get(id)?.name) };
      }
    }
  }
}

/**
 * `WEAVERGEN_RUN_RECORDS=DIR` saves every run of this process into DIR (a RunStore folder), whoever
 * started it: the test suite sets it for the unit tests, the CLI and the editor's extension host,
 * then `weavergen spans coverage --runs DIR --require-all` proves every service was called. No
 * pruning: the coverage must see every run of the suite. A store failure is logged, never allowed to
 * change the run's own result.
 */
export const RUN_RECORDS_ENV = 'WEAVERGEN_RUN_RECORDS';

async function recordForCoverage(record: RunRecord, log: RunLogger): Promise<void> {
  const folder = process.env[RUN_RECORDS_ENV]?.trim();
  if (!folder) return;
  try {
    await new RunStore(folder, { maxRuns: Number.POSITIVE_INFINITY }).save(record);
  } catch (err) {
    log.warn(`${RUN_RECORDS_ENV}: run ${record.id} could not be saved into ${folder}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/**
 * `work`, or the error `timeoutError` makes once `ms` have passed first. `cancel` runs after that
 * error is the outcome, so whatever the work throws when cancelled cannot take its place. Work that
 * holds the event loop past the limit cannot be interrupted (the timer cannot fire), so it is judged
 * when it ends: the outcome is the same whether the service waited or computed too long.
 */
async function withTimeout<T>(start: () => Promise<T>, ms: number, timeoutError: () => Error, cancel: (err: Error) => void): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const started = performance.now();
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const err = timeoutError();
      reject(err);
      cancel(err);
    }, ms);
  });
  // Never left unhandled: when the work settles first, this rejection has no other listener.
  expired.catch(() => undefined);
  try {
    // Started after the clock, so work done before its first await counts too.
    const result = await Promise.race([start(), expired]);
    if (performance.now() - started > ms) {
      const err = timeoutError();
      cancel(err);
      throw err;
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** A deep copy of the inputs, which also proves they can be recorded as JSON. */
function snapshotInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(inputs ?? {}));
  } catch (err) {
    throw new WorkflowError(`Workflow inputs must be JSON-serialisable (they are recorded with the run): ${(err as Error).message}`);
  }
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    throw new WorkflowError('Workflow inputs must be an object of name -> value');
  }
  return copy as Record<string, unknown>;
}

function serialisableOutputs(value: unknown, service: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Service ${service} returned outputs that are not an object of name -> value`);
  }
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`Service ${service} returned outputs that cannot be recorded as JSON: ${(err as Error).message}`);
  }
}
