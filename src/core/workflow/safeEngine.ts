import { Engine } from 'bpmn-engine';
import { createSafeExpressions, refusingScripts } from './engineGuards';
import { WorkflowError } from './locate';
import { DEFAULT_RUN_LIMITS } from './runLimits';
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

/**
 * Checks `source` (throws UnsafeWorkflowError naming `file`, line and element) and makes its Engine.
 * A file with more than `maxElements` flow nodes is refused too (a WorkflowError): bpmn-engine's cost
 * per step grows with the size of the process, so a huge one would run for very long.
 */
export function createCheckedEngine(
  file: string,
  source: string,
  options: Omit<EngineOptions, 'source' | 'scripts' | 'expressions'> = {},
  maxElements: number = DEFAULT_RUN_LIMITS.maxElements,
): Engine {
  const { flowNodes } = checkWorkflowSafety(source, file);
  if (flowNodes > maxElements) {
    throw new WorkflowError(
      `${file}: the workflow has ${flowNodes} flow elements (events, tasks, gateways) and at most ${maxElements} are run: ` +
        "the workflow engine's cost per step grows with the size of a process. Do the work in fewer, larger services, " +
        'or raise the limit (--max-elements, or the weavergen.workflow.maxElements setting).',
    );
  }
  return new Engine({ ...options, source, ...guardedEngineOptions() });
}
