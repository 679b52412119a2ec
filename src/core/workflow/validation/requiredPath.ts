import type { RunStatus, StepStatus } from '../types';
import { decidesBranches, startNodesOf, type FlowGraph, type GraphFlow, type GraphNode } from './flowGraph';
import { isErrorSpan, type IndexedSpan, type SpanIndex } from './spanIndex';

/**
 * Which flow nodes a run had to pass through, worked out from the BPMN and what the run shows:
 * - a node that completed passes on along every unconditional outgoing flow (a parallel gateway
 *   along all of them); where the run decided (exclusive, inclusive and event-based gateways,
 *   conditional and default flows) only the flows the run took count: those the record lists as
 *   taken, or those whose target has an activity span;
 * - a boundary event counts when it fired (it has a span, or a flow out of it was taken); a node
 *   it interrupted does not pass on along its own flows;
 * - a sub-process passes control to its start nodes;
 * - a node that failed, was cancelled or interrupted passes nothing on.
 * In a succeeded run every node reached this way is required. In a failed or cancelled run only
 * the steps before the failure point are: nodes with a span, the failed activity, and every node
 * on the way to them. A node with no span is assumed to have completed, so one missing span does
 * not hide the steps after it.
 */

export interface RunFacts {
  status: RunStatus;
  /** The activity the run failed at, when it failed at one. */
  failureId?: string;
  /** Sequence flows the record lists as taken. */
  takenFlows: ReadonlySet<string>;
}

export interface PathNode {
  node: GraphNode;
  /** The node the path reached this one from (undefined for start nodes). */
  from?: string;
  status: StepStatus;
  spans: IndexedSpan[];
}

export interface RequiredPath {
  /** Every node the path reaches, in the order it was reached. */
  reached: Map<string, PathNode>;
  /** The nodes the run must show spans for, in the order they were reached. */
  required: PathNode[];
  /** Gateways that completed in a succeeded run without taking any outgoing flow. */
  stuckGateways: GraphNode[];
  /** Boundary events with an error definition that fired, by the id of the activity they hang on. */
  firedErrorBoundaries: Set<string>;
  /** False when nothing of the workflow ran (the run failed or was cancelled before the start). */
  engineRan: boolean;
}

interface Edge {
  to: string;
  /** The run certainly went along it in a succeeded run (its source completed or is missing). */
  sure: boolean;
}

export function statusOf(spans: readonly IndexedSpan[]): StepStatus {
  if (spans.length === 0) return 'missing';
  if (spans.some((s) => !isErrorSpan(s) && (s.state === undefined || s.state === 'done'))) return 'done';
  if (spans.some((s) => isErrorSpan(s) || s.state === 'failed')) return 'failed';
  if (spans.some((s) => s.state === 'discarded')) return 'discarded';
  return 'cancelled';
}

export function computeRequiredPath(graph: FlowGraph, index: SpanIndex, facts: RunFacts): RequiredPath {
  const spansOf = (id: string) => index.activitiesOf.get(id) ?? [];
  const hasSpan = (id: string) => spansOf(id).length > 0;
  const engineRan = index.activitiesOf.size > 0 || facts.takenFlows.size > 0;

  const reached = new Map<string, PathNode>();
  const edges = new Map<string, Edge[]>();
  const seeds: string[] = [];
  const stuckGateways: GraphNode[] = [];
  const firedErrorBoundaries = new Set<string>();
  const queue: Array<{ id: string; from?: string; sure: boolean }> = [];

  const enqueue = (id: string, from: string | undefined, sure: boolean) => {
    if (!graph.nodes.has(id)) return;
    if (from !== undefined) {
      const list = edges.get(from) ?? [];
      list.push({ to: id, sure });
      edges.set(from, list);
    }
    queue.push(from === undefined ? { id, sure } : { id, from, sure });
  };

  for (const processId of graph.executableProcesses) {
    for (const start of startNodesOf(graph, processId)) {
      seeds.push(start.id);
      enqueue(start.id, undefined, true);
    }
  }
  // Nodes that wait for an event (event sub-processes, message or timer starts) count once they ran.
  for (const node of graph.nodes.values()) {
    const waits = node.eventSubProcess || (node.type === 'bpmn:StartEvent' && node.hasEventDefinitions);
    if (waits && hasSpan(node.id)) enqueue(node.id, graph.nodes.has(node.parentId) ? node.parentId : undefined, false);
  }

  const wasTaken = (flow: GraphFlow) => facts.takenFlows.has(flow.id) || hasSpan(flow.targetId);

  while (queue.length > 0) {
    const { id, from } = queue.shift() as { id: string; from?: string };
    if (reached.has(id)) continue;
    const node = graph.nodes.get(id) as GraphNode;
    const spans = spansOf(id);
    const status = statusOf(spans);
    reached.set(id, from === undefined ? { node, status, spans } : { node, from, status, spans });
    const completed = status === 'done' || status === 'missing';

    if (node.container) {
      const inner = node.eventSubProcess ? [...graph.nodes.values()].filter((n) => n.parentId === id && n.type === 'bpmn:StartEvent' && hasSpan(n.id)) : startNodesOf(graph, id);
      for (const start of inner) enqueue(start.id, id, completed);
    }

    let interrupted = false;
    for (const boundary of graph.boundaryOf.get(id) ?? []) {
      const fired = hasSpan(boundary.id) || boundary.outgoing.some((f) => facts.takenFlows.has(f.id));
      if (!fired) continue;
      if (boundary.catchesErrors) firedErrorBoundaries.add(id);
      if (boundary.interrupting) interrupted = true;
      enqueue(boundary.id, id, true);
    }

    if (!completed || (status === 'missing' && interrupted)) continue;
    const decides = decidesBranches(node);
    let tookAny = false;
    for (const flow of node.outgoing) {
      const chosen = decides || flow.conditional || flow.isDefault;
      if (chosen && !wasTaken(flow)) continue;
      tookAny = true;
      enqueue(flow.targetId, id, true);
    }
    if (decides && !tookAny && node.outgoing.length > 0 && status === 'done' && facts.status === 'succeeded') stuckGateways.push(node);
  }

  // Evidence that the run got somewhere: a span, or the activity it failed at.
  const evidence = new Set<string>();
  for (const [id, p] of reached) if (p.spans.length > 0) evidence.add(id);
  if (facts.status === 'failed' && facts.failureId !== undefined && engineRan && reached.has(facts.failureId)) evidence.add(facts.failureId);

  const needed = ancestorsOf(evidence, edges);
  if (facts.status === 'succeeded') for (const id of sureClosure(seeds, edges)) needed.add(id);

  const required = [...reached.values()].filter((p) => needed.has(p.node.id));
  return { reached, required, stuckGateways, firedErrorBoundaries, engineRan };
}

/** The nodes in `targets` and every node with a path to one of them. */
function ancestorsOf(targets: ReadonlySet<string>, edges: ReadonlyMap<string, Edge[]>): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const [from, list] of edges) {
    for (const edge of list) {
      const sources = reverse.get(edge.to) ?? [];
      sources.push(from);
      reverse.set(edge.to, sources);
    }
  }
  const found = new Set<string>(targets);
  const stack = [...targets];
  while (stack.length > 0) {
    for (const source of reverse.get(stack.pop() as string) ?? []) {
      if (found.has(source)) continue;
      found.add(source);
      stack.push(source);
    }
  }
  return found;
}

/** Every node reachable from the seeds along edges the run certainly took. */
function sureClosure(seeds: readonly string[], edges: ReadonlyMap<string, Edge[]>): Set<string> {
  const found = new Set<string>(seeds);
  const stack = [...seeds];
  while (stack.length > 0) {
    for (const edge of edges.get(stack.pop() as string) ?? []) {
      if (!edge.sure || found.has(edge.to)) continue;
      found.add(edge.to);
      stack.push(edge.to);
    }
  }
  return found;
}
