import type { RunRecord } from '../core/workflow/types';

/**
 * Messages between the run view webview (webview/runView) and its host (src/extension).
 * The webview speaks first (`ready`); the host answers with `init`. Every message is checked by
 * its guard on receipt: anything else is ignored.
 */

export interface RunViewReady {
  type: 'ready';
}

/** Asks the host to open a file at a 0-based line (from the span list). */
export interface RunViewOpenLog {
  type: 'openLog';
}

export type RunViewToHost = RunViewReady | RunViewOpenLog;

export interface RunViewInit {
  type: 'init';
  run: RunRecord;
}

export type HostToRunView = RunViewInit;

export function isRunViewToHost(value: unknown): value is RunViewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const t = (value as { type?: unknown }).type;
  return t === 'ready' || t === 'openLog';
}

export function isHostToRunView(value: unknown): value is HostToRunView {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; run?: unknown };
  return v.type === 'init' && typeof v.run === 'object' && v.run !== null;
}
