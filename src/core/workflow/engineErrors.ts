import { RefusedByEngineGuard } from './engineGuards';
import { innerError } from './runTracker';

/**
 * Turns an error bpmn-engine reported into the run's error: the workflow file and the element it
 * came from, in words, never the engine's bare message alone.
 */

export interface EngineFailure {
  message: string;
  activityId?: string;
}

function elementIdOf(error: unknown): string | undefined {
  for (const candidate of [error, (error as { inner?: unknown } | undefined)?.inner]) {
    const source = (candidate as { source?: { content?: { id?: unknown }; id?: unknown } } | undefined)?.source;
    const id = source?.content?.id ?? source?.id;
    if (typeof id === 'string') return id;
    const ownId = (candidate as { id?: unknown } | undefined)?.id;
    if (typeof ownId === 'string') return ownId;
  }
  return undefined;
}

export function engineFailureMessage(file: string, error: unknown, nameOf: (id: string) => string | undefined): EngineFailure {
  const inner = innerError(error);
  const id = elementIdOf(error);
  const where = id ? ` at element "${nameOf(id) ?? id}" (${id})` : '';
  const reason = inner.message.split('\n')[0];
  let message: string;
  if (inner instanceof RefusedByEngineGuard) {
    message = `${file}${where}: ${reason}. Use a service task or a safe condition (see docs/security.md).`;
  } else if (inner instanceof RangeError && /call stack/i.test(reason)) {
    message = `${file}${where}: the workflow engine ran out of stack: the workflow chains too many elements without waiting on a service. Split it or put service tasks between the elements.`;
  } else {
    message = `${file}${where}: the workflow engine could not go on: ${reason}. Check the element in a BPMN editor.`;
  }
  const failure: EngineFailure = { message };
  if (id) failure.activityId = id;
  return failure;
}
