/**
 * The bounds every workflow run has, whoever starts it: a step limit (a loop through a service task
 * would otherwise never end), a time limit for the whole run and one for each service call (a hung
 * service is cancelled through its AbortSignal), and a size bound checked before a run (a process of
 * many thousand elements runs slowly in bpmn-engine: its cost per step grows with the process). The
 * CLI sets them with --max-steps, --max-elements, --timeout and --service-timeout; the editor with
 * weavergen.workflow.maxSteps, .maxElements, .timeoutSeconds and .serviceTimeoutSeconds. A step is one service call or one other activity entered (event, gateway,
 * plain task), so a multi-instance task counts each of its calls.
 */

export interface RunLimits {
  /** Most steps one run may take before it is stopped as failed. */
  maxSteps: number;
  /** Most flow nodes (events, tasks, gateways) a workflow file may have; a larger one is refused before it runs. */
  maxElements: number;
  /** Longest a whole run may take, in milliseconds. */
  timeoutMs: number;
  /** Longest one service call may take, in milliseconds. */
  serviceTimeoutMs: number;
}

/**
 * Room for workflows far larger than the built-in ones (the step limit is several times the element
 * limit, for gateways' loops and multi-instance tasks) while a runaway loop still stops well within a
 * CI job: bpmn-engine's cost per step is not small. Ten thousand sequential tasks are refused up
 * front by maxElements (see docs/security.md, workflows).
 */
export const DEFAULT_RUN_LIMITS: Readonly<RunLimits> = {
  maxSteps: 10_000,
  maxElements: 2_000,
  timeoutMs: 10 * 60_000,
  serviceTimeoutMs: 5 * 60_000,
};

/** Node's timers hold at most a signed 32-bit millisecond count; longer values fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
export const MAX_STEPS_LIMIT = 10_000_000;

/** The defaults with whatever the caller set; refuses values that are not positive whole numbers. */
export function resolveRunLimits(partial: Partial<RunLimits> | undefined): RunLimits {
  const limits = { ...DEFAULT_RUN_LIMITS, ...definedOnly(partial ?? {}) };
  check('maxSteps', limits.maxSteps, MAX_STEPS_LIMIT);
  check('maxElements', limits.maxElements, MAX_STEPS_LIMIT);
  check('timeoutMs', limits.timeoutMs, MAX_TIMEOUT_MS);
  check('serviceTimeoutMs', limits.serviceTimeoutMs, MAX_TIMEOUT_MS);
  return limits;
}

function definedOnly(partial: Partial<RunLimits>): Partial<RunLimits> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<RunLimits>;
}

function check(name: keyof RunLimits, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`workflow limit ${name} must be a whole number from 1 to ${max}, not ${String(value)}`);
  }
}

/** `--timeout 30` / `timeoutSeconds: 30` -> milliseconds; undefined stays undefined. */
export function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}
