import type { ActivityState, RunRecord, RunStatus } from '../workflow/types';
import { validateOtlpTraceExport } from './otlpValidation';

/**
 * Checks a value read back from disk against the RunRecord shape. Returns the problems, each
 * naming the field, so a corrupt or foreign file is reported precisely instead of half-drawn.
 */

const RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const ACTIVITY_STATES: readonly ActivityState[] = ['done', 'failed', 'not-reached', 'cancelled'];

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateRunRecord(value: unknown): string[] {
  if (!isObj(value)) return ['$: expected a JSON object'];
  const problems: string[] = [];
  const str = (key: string) => {
    if (typeof value[key] !== 'string') problems.push(`$.${key}: expected a string`);
  };
  ['id', 'workflow', 'workflowFile', 'bpmnXml', 'engine', 'startedAt'].forEach(str);
  if (typeof value.startedAt === 'string' && Number.isNaN(Date.parse(value.startedAt))) problems.push('$.startedAt: expected an ISO date');
  if (typeof value.id === 'string' && !/^[0-9a-f]{32}$/.test(value.id)) problems.push('$.id: expected 32 lowercase hex digits (the trace id)');
  if (!RUN_STATUSES.includes(value.status as RunStatus)) problems.push(`$.status: expected one of ${RUN_STATUSES.join(', ')}`);
  if (typeof value.durationMs !== 'number' || !(value.durationMs >= 0)) problems.push('$.durationMs: expected a number >= 0');
  if (!isObj(value.inputs)) problems.push('$.inputs: expected an object');
  if (!isObj(value.outputs)) problems.push('$.outputs: expected an object');
  if (value.error !== undefined && (!isObj(value.error) || typeof value.error.message !== 'string')) {
    problems.push('$.error: expected { message: string }');
  }
  if (value.takenFlows !== undefined && (!Array.isArray(value.takenFlows) || !value.takenFlows.every((f) => typeof f === 'string'))) {
    problems.push('$.takenFlows: expected an array of strings');
  }
  if (!Array.isArray(value.activities)) {
    problems.push('$.activities: expected an array');
  } else {
    value.activities.forEach((a, i) => {
      const p = `$.activities[${i}]`;
      if (!isObj(a)) return problems.push(`${p}: expected an object`);
      for (const key of ['id', 'name', 'type']) if (typeof a[key] !== 'string') problems.push(`${p}.${key}: expected a string`);
      if (!ACTIVITY_STATES.includes(a.state as ActivityState)) problems.push(`${p}.state: expected one of ${ACTIVITY_STATES.join(', ')}`);
      for (const key of ['startTimeMs', 'durationMs']) {
        if (a[key] !== undefined && typeof a[key] !== 'number') problems.push(`${p}.${key}: expected a number`);
      }
      for (const key of ['service', 'error']) {
        if (a[key] !== undefined && typeof a[key] !== 'string') problems.push(`${p}.${key}: expected a string`);
      }
    });
  }
  problems.push(...validateOtlpTraceExport(value.spans, '$.spans'));
  return problems;
}

export function isRunRecord(value: unknown): value is RunRecord {
  return validateRunRecord(value).length === 0;
}
