import type { RegistryDiagnostic } from '../engine/diagnostic';
import type { CheckResult, EngineKind, RegistryEngine, RegistrySummary } from '../engine/registryEngine';

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
}

export interface WorkflowRunRequest {
  /** A workflow name (`registry_check` -> workflows/registry_check.bpmn) or an absolute .bpmn path. */
  workflow: string;
  /** Process inputs, e.g. `{ registryPath: '/abs/registry' }`. Must be JSON-serialisable: they are recorded. */
  inputs: Record<string, unknown>;
  host: ServiceHost;
  signal?: AbortSignal;
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
  value: { stringValue?: string; intValue?: string; doubleValue?: number; boolValue?: boolean };
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
  spans: OtlpTraceExport;
}

export interface RunResult {
  record: RunRecord;
  /** Present for workflows that check: the full, non-serialised result. */
  check?: CheckResult;
}
