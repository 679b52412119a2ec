import type { ActivityState, RunRecord, RunStatus } from '../core/workflow/types';

/**
 * Messages between the run view webview (webview/runView) and its host (src/extension).
 * The webview speaks first (`ready`); the host answers with `init` (a run to draw) or `empty`
 * (nothing recorded yet). The host sends `init` again whenever a newer run is recorded.
 * Every message is checked by its guard on receipt: anything else is ignored.
 */

export interface RunViewReady {
  type: 'ready';
}

/** Asks the host to reveal the WeaverGen log (the header's "Open log" link). */
export interface RunViewOpenLog {
  type: 'openLog';
}

export type RunViewToHost = RunViewReady | RunViewOpenLog;

export interface RunViewInit {
  type: 'init';
  run: RunRecord;
}

/** No run has been recorded yet: the webview shows `message` instead of a diagram. */
export interface RunViewEmpty {
  type: 'empty';
  message: string;
}

export type HostToRunView = RunViewInit | RunViewEmpty;

const RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const ACTIVITY_STATES: readonly ActivityState[] = ['done', 'failed', 'not-reached', 'cancelled'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isRunViewToHost(value: unknown): value is RunViewToHost {
  if (!isObject(value)) return false;
  return value.type === 'ready' || value.type === 'openLog';
}

function isActivityLike(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    typeof value.type === 'string' &&
    ACTIVITY_STATES.includes(value.state as ActivityState) &&
    (value.durationMs === undefined || typeof value.durationMs === 'number')
  );
}

/**
 * Checks the fields the run view reads. A record from an older or foreign run store that lacks
 * them is refused here rather than half-drawn.
 */
export function isRunRecordLike(value: unknown): value is RunRecord {
  if (!isObject(value)) return false;
  const spans = value.spans;
  return (
    typeof value.id === 'string' &&
    typeof value.workflow === 'string' &&
    typeof value.bpmnXml === 'string' &&
    typeof value.engine === 'string' &&
    RUN_STATUSES.includes(value.status as RunStatus) &&
    typeof value.startedAt === 'string' &&
    typeof value.durationMs === 'number' &&
    Array.isArray(value.activities) &&
    value.activities.every(isActivityLike) &&
    isObject(spans) &&
    Array.isArray(spans.resourceSpans)
  );
}

export function isHostToRunView(value: unknown): value is HostToRunView {
  if (!isObject(value)) return false;
  if (value.type === 'init') return isRunRecordLike(value.run);
  if (value.type === 'empty') return typeof value.message === 'string';
  return false;
}
