import { Engine } from 'bpmn-engine';
import { guardedEngineOptions } from '../safeEngine';
import { isServiceType } from '../bpmnModel';

/**
 * The parts of a BPMN file that decide which flow nodes a run must pass through: nodes, the
 * sequence flows between them, which nodes branch, and which boundary events hang on which task.
 * Built from the BPMN XML kept in the run record, so a stored run can be checked long after the
 * file that ran has changed.
 */

export interface GraphFlow {
  id: string;
  sourceId: string;
  targetId: string;
  /** Has a `conditionExpression`: taken only when it held, so the spans must show it. */
  conditional: boolean;
  /** The `default` flow of its source: taken only when no condition held. */
  isDefault: boolean;
}

export interface GraphNode {
  id: string;
  /** The element's name, or its id when unnamed. */
  name: string;
  /** BPMN type, e.g. `bpmn:ServiceTask`. */
  type: string;
  /** Id of the process or sub-process that holds the node. */
  parentId: string;
  /** The `implementation` attribute as written, for tasks that call a service. */
  implementation?: string;
  /** A task type the runner calls a service for. */
  serviceTask: boolean;
  /** For boundary events: the activity they are attached to. */
  attachedTo?: string;
  /** A boundary event with an error event definition: it catches failures of what it is attached to. */
  catchesErrors: boolean;
  /** A boundary event that cancels what it is attached to when it fires (`cancelActivity`, true unless set false). */
  interrupting: boolean;
  /** An event sub-process (`triggeredByEvent`): it only runs when its event happens. */
  eventSubProcess: boolean;
  /** Start events with a definition (timer, message...) wait for something; plain ones start at once. */
  hasEventDefinitions: boolean;
  /** Compensation handlers only run when compensation is thrown. */
  forCompensation: boolean;
  /** Holds other flow nodes (sub-process, transaction). */
  container: boolean;
  incoming: GraphFlow[];
  outgoing: GraphFlow[];
}

export interface FlowGraph {
  nodes: Map<string, GraphNode>;
  /** Ids of the processes the engine starts (`isExecutable="true"`). */
  executableProcesses: Set<string>;
  /** Boundary events by the id of the activity they are attached to. */
  boundaryOf: Map<string, GraphNode[]>;
}

/** Gateways whose outgoing flows are chosen at run time: which one was taken comes from the run. */
const DECIDING_GATEWAYS = new Set(['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:EventBasedGateway', 'bpmn:ComplexGateway']);

export function decidesBranches(node: GraphNode): boolean {
  return DECIDING_GATEWAYS.has(node.type);
}

interface RawBehaviour {
  implementation?: unknown;
  attachedTo?: { id?: unknown };
  eventDefinitions?: Array<{ type?: unknown }>;
  triggeredByEvent?: unknown;
  cancelActivity?: unknown;
  isForCompensation?: unknown;
  flowElements?: unknown;
  conditionExpression?: unknown;
}

/** Parses BPMN XML (without running it). Throws with bpmn-moddle's message when it is not BPMN. */
export async function flowGraphFromXml(xml: string): Promise<FlowGraph> {
  // Only parsed, never run; still without the engine's own script and expression handlers.
  return flowGraphFromEngine(new Engine({ source: xml, ...guardedEngineOptions() }));
}

/** The graph of the source an engine holds; the runner passes the engine it already parsed. */
export async function flowGraphFromEngine(engine: Engine): Promise<FlowGraph> {
  const definitions = await engine.getDefinitions();
  const nodes = new Map<string, GraphNode>();
  const executableProcesses = new Set<string>();
  const flows: GraphFlow[] = [];

  for (const definition of definitions) {
    for (const process of definition.getExecutableProcesses()) executableProcesses.add(process.id);
    for (const activity of definition.context.getActivities()) {
      // The list also holds root elements (bpmn:Error, bpmn:Message...), whose parent is the definitions.
      const parentId = activity.parent?.id;
      if (!activity.behaviour || !parentId || activity.parent.type === 'bpmn:Definitions') continue;
      const behaviour = activity.behaviour as RawBehaviour;
      const eventDefinitions = Array.isArray(behaviour.eventDefinitions) ? behaviour.eventDefinitions : [];
      const node: GraphNode = {
        id: activity.id,
        name: activity.name || activity.id,
        type: activity.type,
        parentId,
        serviceTask: isServiceType(activity.type),
        catchesErrors: activity.type === 'bpmn:BoundaryEvent' && eventDefinitions.some((d) => d.type === 'bpmn:ErrorEventDefinition'),
        interrupting: behaviour.cancelActivity !== false,
        eventSubProcess: behaviour.triggeredByEvent === true,
        hasEventDefinitions: eventDefinitions.length > 0,
        forCompensation: behaviour.isForCompensation === true,
        container: Array.isArray(behaviour.flowElements),
        incoming: [],
        outgoing: [],
      };
      if (typeof behaviour.implementation === 'string') node.implementation = behaviour.implementation;
      if (typeof behaviour.attachedTo?.id === 'string') node.attachedTo = behaviour.attachedTo.id;
      nodes.set(node.id, node);
    }
    for (const flow of definition.context.getSequenceFlows()) {
      const behaviour = flow.behaviour as RawBehaviour;
      flows.push({
        id: flow.id,
        sourceId: flow.sourceId,
        targetId: flow.targetId,
        conditional: behaviour.conditionExpression !== undefined && behaviour.conditionExpression !== null,
        isDefault: flow.isDefault === true,
      });
    }
  }

  for (const flow of flows) {
    nodes.get(flow.sourceId)?.outgoing.push(flow);
    nodes.get(flow.targetId)?.incoming.push(flow);
  }
  const boundaryOf = new Map<string, GraphNode[]>();
  for (const node of nodes.values()) {
    if (!node.attachedTo) continue;
    const list = boundaryOf.get(node.attachedTo) ?? [];
    list.push(node);
    boundaryOf.set(node.attachedTo, list);
  }
  return { nodes, executableProcesses, boundaryOf };
}

/**
 * The nodes a container (process or sub-process) starts with: plain start events, and activities
 * without incoming flows, which BPMN starts together with their container. Boundary events,
 * event sub-processes and compensation handlers wait for something and are not among them.
 */
export function startNodesOf(graph: FlowGraph, containerId: string): GraphNode[] {
  const starts: GraphNode[] = [];
  for (const node of graph.nodes.values()) {
    if (node.parentId !== containerId || node.incoming.length > 0) continue;
    if (node.attachedTo || node.eventSubProcess || node.forCompensation) continue;
    if (node.type === 'bpmn:StartEvent' && node.hasEventDefinitions) continue;
    starts.push(node);
  }
  return starts;
}

/** The sub-processes holding a node, innermost first. */
export function containersOf(graph: FlowGraph, elementId: string): GraphNode[] {
  const chain: GraphNode[] = [];
  let parent = graph.nodes.get(elementId)?.parentId;
  while (parent) {
    const node = graph.nodes.get(parent);
    if (!node) break;
    chain.push(node);
    parent = node.parentId;
  }
  return chain;
}
