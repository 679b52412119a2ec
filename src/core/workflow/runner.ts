import { context, ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { Engine } from 'bpmn-engine';
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
 * Runs one workflow: finds its .bpmn, checks every service task names a registered service, walks
 * it with bpmn-engine, and records the run as spans plus a RunRecord. Service failures, unknown
 * services and cancellation all end in a record (status failed / cancelled); only a workflow that
 * cannot be found or parsed, or inputs that cannot be recorded, throw a WorkflowError.
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
  const inputs = snapshotInputs(request.inputs);
  const services = request.services ?? createDefaultServiceRegistry();
  const { host } = request;

  const engine = new Engine({
    name: located.name,
    source: bpmnXml,
    // A task whose service is missing must fail, not pass as a no-op.
    settings: { enableDummyService: false },
  });
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

    const handlers = new Map<string, (scope: EngineScope, next: EngineNext) => void>();
    for (const service of new Set(bindings.serviceOf.values())) {
      const fn = services.get(service) as ServiceFn;
      handlers.set(service, (scope, next) => {
        void callService(service, fn, scope, next);
      });
    }

    async function callService(service: string, fn: ServiceFn, scope: EngineScope, next: EngineNext): Promise<void> {
      if (controller.signal.aborted) return;
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
      const ctx: ServiceContext = {
        inputs,
        outputs: { ...outputs },
        state,
        host,
        signal: controller.signal,
        log: host.log,
        tracer: tracing.tracer,
        activity,
        runId,
      };
      try {
        // The engine calls back in its own async context; spans the service makes must hang
        // under the service span, so it runs inside that span's context.
        const result = await context.with(trace.setSpan(parent, span), () => fn(ctx));
        const produced = serialisableOutputs(result?.outputs, service);
        span.setStatus({ code: SpanStatusCode.OK });
        span.end(nowMs());
        if (settled || controller.signal.aborted) return;
        Object.assign(outputs, produced);
        Object.assign(scope.environment.output, produced);
        next(null, produced);
      } catch (thrown) {
        const err = thrown instanceof Error ? thrown : new Error(String(thrown));
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
        if (!settled) next(err);
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
          if (api && typeof api === 'object') tracker.handle(eventName, api as ElementEvent);
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
    // Aborted while the engine was still loading, before stop() had an execution to stop.
    if (cancelled && engine.state === 'running') onAbort();

    const result = await outcome;
    settled = true;
    request.signal?.removeEventListener('abort', onAbort);
    controller.abort();

    switch (result.kind) {
      case 'end':
        return { status: 'succeeded' };
      case 'stop':
        return { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? undefined : { message: 'the workflow engine stopped before the end of the process' } };
      case 'error': {
        const inner = innerError(result.error);
        const known = failures.get(inner);
        if (known) return { status: 'failed', error: known };
        const activityId = (result.error as { source?: { content?: { id?: unknown } } })?.source?.content?.id;
        const err: RunError = { message: inner.message };
        if (typeof activityId === 'string') err.activityId = activityId;
        return { status: 'failed', error: err };
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
