import type { RegistryDiagnostic } from '../engine/diagnostic';
import type { CheckResult, EngineKind, RegistryEngine, RegistrySummary } from '../engine/registryEngine';
import type { Tracer } from '@opentelemetry/api';
import type { RunLimits } from './runLimits';

/**
 * The contract between whoever starts an operation (extension command, CLI, tests) and the BPMN
 * runner. Starting a workflow is the only way to run an operation: no command calls a service directly.
 */

export type RunStatus = 'succeeded' | 'failed' | 'cancelled';

/** Logging sink the host provides (the extension's LogOutputChannel, the CLI's stderr). Never given secrets. */
export interface RunLogger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * What the host lends to services for one run. The host decides where results go: the extension
 * puts diagnostics in the Problems panel, the CLI prints them.
 */
export interface ServiceHost {
  /** The engine chosen by `weavergen.engine` / `--engine`. */
  engine: RegistryEngine;
  /** Called by the `output.publishDiagnostics` service. */
  publishDiagnostics(diagnostics: readonly RegistryDiagnostic[], summary: RegistrySummary): void | Promise<void>;
  log: RunLogger;
  /**
   * Unsaved editor buffers keyed by absolute path, passed to `engine.load` by `registry.load`.
   * They live on the host, not in the inputs, because inputs are recorded and buffers can be large.
   */
  overlays?: ReadonlyMap<string, string>;
  /**
   * Called by the `output.report` service with what a reporting workflow produced (registry stats,
   * search results, a diff, a JSON schema, a completion script): the CLI prints it, the editor opens
   * it in a document. Hosts without it get the report only as run outputs.
   */
  publishReport?(report: RunReport): void | Promise<void>;
}

/** A document a reporting workflow hands to its host through `output.report`. */
export interface RunReport {
  /** What it is, e.g. `registry stats`, `registry diff`: the editor's document title. */
  title: string;
  /** `json` reports carry their value in `data` too; `content` is always the text to show or print. */
  format: 'json' | 'markdown' | 'text';
  content: string;
  /** The JSON value of a `json` report. */
  data?: unknown;
  /** A second rendering when there is one, e.g. the markdown of a diff next to its JSON. */
  alternate?: { format: 'markdown' | 'text'; content: string };
}

export interface WorkflowRunRequest {
  /** A workflow name (`registry_check` -> workflows/registry_check.bpmn) or an absolute .bpmn path. */
  workflow: string;
  /** Process inputs, e.g. `{ registryPath: '/abs/registry' }`. Must be JSON-serialisable: they are recorded. */
  inputs: Record<string, unknown>;
  host: ServiceHost;
  signal?: AbortSignal;
  /** The services the workflow's tasks may name. Defaults to the built-in registry (src/core/services). */
  services?: ServiceResolver;
  /**
   * Folder of the built-in workflows. Defaults to a `workflows` folder found next to the running
   * bundle (dist/workflows) or above the sources (the repository's workflows/).
   */
  workflowsDir?: string;
  /**
   * Folders searched before `workflowsDir`, e.g. `<workspace>/.weavergen/workflows`. Every file is
   * refused if it could run code (workflowSafety.ts); even so, the editor passes a workspace folder
   * here only when the workspace is trusted, and the CLI only the folder named by `--workflows`.
   */
  overrideDirs?: readonly string[];
  /** Step and time limits of the run (runLimits.ts); unset ones take DEFAULT_RUN_LIMITS. */
  limits?: Partial<RunLimits>;
}

/**
 * A typed slot in the per-run state bag. The key object is the identity, the name is for messages.
 * Services share non-serialisable values (a loaded registry handle) through it.
 */
export interface StateKey<T> {
  readonly name: string;
  /** Phantom field so `StateKey<A>` and `StateKey<B>` are not interchangeable. */
  readonly __type?: T;
}

export interface RunState {
  get<T>(key: StateKey<T>): T | undefined;
  set<T>(key: StateKey<T>, value: T): void;
  has(key: StateKey<unknown>): boolean;
}

/** The BPMN element a service call runs for. */
export interface ServiceActivity {
  /** BPMN element id, e.g. `Task_check`. */
  id: string;
  /** The element's name, or its id when unnamed. */
  name: string;
  /** BPMN type, e.g. `bpmn:ServiceTask`. */
  type: string;
}

/** What a service receives for one call. */
export interface ServiceContext {
  /** The run's inputs, as given in `WorkflowRunRequest.inputs`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Outputs of the services that ran before this one in the same run. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Per-run bag shared by every service of the run. */
  readonly state: RunState;
  readonly host: ServiceHost;
  /** Aborted when the run is cancelled: long work must watch it. */
  readonly signal: AbortSignal;
  readonly log: RunLogger;
  /** Spans started with it while the service runs are children of the service span. */
  readonly tracer: Tracer;
  readonly activity: ServiceActivity;
  readonly runId: string;
}

export interface ServiceResult {
  /**
   * JSON-serialisable values merged into the run's outputs (and the record). They are also the
   * task's BPMN output and `environment.output`, so gateway conditions can read them.
   */
  outputs?: Record<string, unknown>;
}

export type ServiceFn = (ctx: ServiceContext) => Promise<ServiceResult>;

/** Resolves a service name from a BPMN task to its implementation. */
export interface ServiceResolver {
  get(name: string): ServiceFn | undefined;
  /** Every registered name, for error messages that list what exists. */
  names(): string[];
}

/** State of one BPMN activity after the run, as drawn by the run view. */
export type ActivityState = 'done' | 'failed' | 'not-reached' | 'cancelled';

export interface ActivityRecord {
  /** BPMN element id, e.g. `Task_check`. */
  id: string;
  name: string;
  /** BPMN type, e.g. `bpmn:ServiceTask`. */
  type: string;
  state: ActivityState;
  /** Service name for service tasks, e.g. `registry.check`. */
  service?: string;
  startTimeMs?: number;
  durationMs?: number;
  error?: string;
}

/** OTLP/JSON `ExportTraceServiceRequest` (the shape `--trace` writes and the run store keeps). */
export interface OtlpTraceExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: Array<{
      scope: { name: string; version?: string };
      spans: OtlpSpan[];
    }>;
  }>;
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpAnyValue {
  stringValue?: string;
  /** 64-bit integers are strings in OTLP/JSON. */
  intValue?: string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpAnyValue[] };
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  status: { code: number; message?: string };
  events?: Array<{ name: string; timeUnixNano: string; attributes: OtlpKeyValue[] }>;
}

export interface RunRecord {
  /** Unique run id (also the trace id). */
  id: string;
  workflow: string;
  /** Absolute path of the .bpmn file that ran. */
  workflowFile: string;
  /** The BPMN XML that ran, kept so the run view draws exactly what executed. */
  bpmnXml: string;
  engine: EngineKind;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  inputs: Record<string, unknown>;
  /** JSON-serialisable outputs, e.g. `{ summary, diagnosticCount, errorCount }`. */
  outputs: Record<string, unknown>;
  error?: { message: string; activityId?: string; service?: string };
  activities: ActivityRecord[];
  /** Ids of the sequence flows taken at least once, so the run view can mark the path. */
  takenFlows?: string[];
  spans: OtlpTraceExport;
  /**
   * The run's spans checked against its BPMN (src/core/workflow/validation): set by the runner
   * after every run; absent on records stored before validation existed. `valid: false` means the
   * trace does not show what the run claims (a step without a span, an unexplained error span...):
   * hosts report it (the CLI prints a warning line on stderr).
   */
  validation?: RunValidation;
}

/**
 * Why a run's spans do not match its workflow. Codes are stable (tests and hosts switch on them):
 * - `unreadable-workflow`: the recorded BPMN cannot be parsed, so no path could be computed.
 * - `no-process-span`, `several-root-spans`, `trace-id`, `duplicate-span-id`, `orphan-span`: the
 *   span tree itself is broken.
 * - `status-missing`, `end-before-start`, `outside-parent`: one span is malformed or sticks out
 *   of its parent's interval (beyond the tolerance).
 * - `run-status-mismatch`: the process span disagrees with the record's status.
 * - `missing-step`: a flow node on the path the run took has no activity span.
 * - `missing-service-span`, `service-mismatch`: a service task's activity span has no service
 *   span under it, or one naming another service than the BPMN does.
 * - `wrong-parent`: an activity span is not under its process or sub-process span.
 * - `unknown-element`, `off-path-span`: an activity span for an element the BPMN does not have,
 *   or one the path the run took never reaches.
 * - `no-branch-taken`: a gateway completed but none of its outgoing flows was taken.
 * - `unexplained-error`: an error span that neither the run's failure nor a boundary error event
 *   accounts for.
 * - `failure-not-recorded`: the run failed at an activity whose spans show no error.
 * - `validator-error`: validation itself broke; the message says how.
 */
export type ValidationProblemCode =
  | 'unreadable-workflow'
  | 'no-process-span'
  | 'several-root-spans'
  | 'trace-id'
  | 'duplicate-span-id'
  | 'orphan-span'
  | 'status-missing'
  | 'end-before-start'
  | 'outside-parent'
  | 'run-status-mismatch'
  | 'missing-step'
  | 'missing-service-span'
  | 'service-mismatch'
  | 'wrong-parent'
  | 'unknown-element'
  | 'off-path-span'
  | 'no-branch-taken'
  | 'unexplained-error'
  | 'failure-not-recorded'
  | 'validator-error';

export interface ValidationProblem {
  code: ValidationProblemCode;
  /** One sentence naming the step (name and id) or span and what is wrong. */
  message: string;
  /** BPMN element the problem is about, when there is one. */
  elementId?: string;
  /** Span the problem is about, when there is one. */
  spanId?: string;
}

/**
 * How a required step shows in the spans: `done`, `failed` (an error span; a boundary event may
 * have caught it), `cancelled`, `discarded` (interrupted), or `missing` (no activity span).
 */
export type StepStatus = 'done' | 'failed' | 'cancelled' | 'discarded' | 'missing';

/** One flow node the run had to pass through, as its spans show it. */
export interface ValidationStep {
  elementId: string;
  name: string;
  /** BPMN type, e.g. `bpmn:ServiceTask`. */
  type: string;
  /** The first activity span of the element; absent when the step is missing. */
  spanId?: string;
  status: StepStatus;
  /** Summed over every activity span of the element (loops run a node more than once); 0 when missing. */
  durationMs: number;
  /** How many activity spans the element has (more than one in loops). */
  spanCount: number;
}

export interface RunValidation {
  /** True when `problems` is empty. */
  valid: boolean;
  problems: ValidationProblem[];
  /** The steps the run had to pass through, in the order they ran (missing ones after their predecessor). */
  steps: ValidationStep[];
}

export interface RunResult {
  record: RunRecord;
  /** Present for workflows that check: the full, non-serialised result. */
  check?: CheckResult;
}
