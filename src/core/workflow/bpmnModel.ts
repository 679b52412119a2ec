import type { Engine } from 'bpmn-engine';
import { WorkflowError } from './locate';

/**
 * What the runner needs to know about a BPMN file before it runs: every flow node (so nodes that
 * never run still appear in the record as `not-reached`) and which service each task calls.
 */

export interface FlowNode {
  id: string;
  /** The element's name, or its id when unnamed. */
  name: string;
  /** BPMN type, e.g. `bpmn:ServiceTask`. */
  type: string;
  /** Id of the process or sub-process that holds the node. */
  parentId: string;
  /** The `implementation` attribute as written, for tasks that call a service. */
  implementation?: string;
}

export interface WorkflowModel {
  nodes: FlowNode[];
  /** False when no process is marked `isExecutable="true"`: the engine would run nothing. */
  executable: boolean;
}

/** Task types bpmn-engine runs through a service implementation. */
const SERVICE_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

export function isServiceType(type: string): boolean {
  return SERVICE_TYPES.has(type);
}

/** Parses the source given to `engine` (without running it) and lists its flow nodes. */
export async function inspectWorkflow(engine: Engine, file: string): Promise<WorkflowModel> {
  let definitions;
  try {
    definitions = await engine.getDefinitions();
  } catch (err) {
    throw new WorkflowError(`${file}${xmlErrorLocation(err)}: not a readable BPMN file: ${firstLine(err)}. Fix the XML (open it in a BPMN editor to check).`);
  }
  const nodes: FlowNode[] = [];
  let executable = false;
  for (const definition of definitions) {
    if (definition.getExecutableProcesses().length > 0) executable = true;
    for (const activity of definition.context.getActivities()) {
      // The list also holds root elements (bpmn:Error, bpmn:Message...): they have no parent scope.
      if (!activity.behaviour || !activity.parent?.id) continue;
      const implementation = (activity.behaviour as { implementation?: unknown }).implementation;
      const node: FlowNode = {
        id: activity.id,
        name: activity.name || activity.id,
        type: activity.type,
        parentId: activity.parent.id,
      };
      if (typeof implementation === 'string') node.implementation = implementation;
      nodes.push(node);
    }
  }
  return { nodes, executable };
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}

/** bpmn-moddle reports 0-based `line:`/`column:`; turn them into the usual 1-based `:line:col`. */
function xmlErrorLocation(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const line = /\bline: (\d+)/.exec(message);
  const column = /\bcolumn: (\d+)/.exec(message);
  if (!line) return '';
  return `:${Number(line[1]) + 1}:${column ? Number(column[1]) + 1 : 1}`;
}
