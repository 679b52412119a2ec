import { Engine } from 'bpmn-engine';
import { createSafeExpressions, refusingScripts } from './engineGuards';
import { checkWorkflowSafety } from './workflowSafety';

/**
 * The only way the project makes a bpmn-engine Engine: the BPMN text is checked first
 * (workflowSafety.ts: nothing in it may run code) and the engine gets handlers that run no script
 * and call no function named in an expression (engineGuards.ts) in place of its own.
 */

type EngineOptions = NonNullable<ConstructorParameters<typeof Engine>[0]>;

/** The engine's script and expression handlers replaced: for every Engine, even one only parsing. */
export function guardedEngineOptions(): Pick<EngineOptions, 'scripts' | 'expressions'> {
  return {
    // bpmn-engine's types say getScript always returns a script; its code handles none (a condition
    // without a language), which is what refusingScripts gives there.
    scripts: refusingScripts as unknown as EngineOptions['scripts'],
    expressions: createSafeExpressions() as unknown as EngineOptions['expressions'],
  };
}

/** Checks `source` (throws UnsafeWorkflowError naming `file`, line and element) and makes its Engine. */
export function createCheckedEngine(file: string, source: string, options: Omit<EngineOptions, 'source' | 'scripts' | 'expressions'> = {}): Engine {
  checkWorkflowSafety(source, file);
  return new Engine({ ...options, source, ...guardedEngineOptions() });
}
