import { SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  activitySpanName,
  ATTR_ACTIVITY_STATE,
  ATTR_BPMN_ELEMENT_ID,
  ATTR_BPMN_ELEMENT_NAME,
  ATTR_BPMN_ELEMENT_TYPE,
  ATTR_SERVICE_NAME,
} from '../telemetry/attributes';
import type { FlowNode } from './bpmnModel';
import type { ActivityRecord, ActivityState } from './types';

/**
 * Turns bpmn-engine listener events into activity spans and activity records. Spans are parented
 * by BPMN structure (`content.parent.executionId`: the process, or the sub-process holding the
 * node), never by the async context the engine happens to call back in.
 */

/** The slice of a bpmn-engine element API the tracker reads. */
export interface ElementEvent {
  id: string;
  type: string;
  name?: string;
  executionId?: string;
  content: {
    executionId?: string;
    parent?: { id?: string; executionId?: string; path?: Array<{ id?: string; executionId?: string }> };
    error?: unknown;
  };
}

interface OpenActivity {
  elementId: string;
  span: Span;
  context: Context;
}

interface ActivityProgress {
  state?: ActivityState;
  startMs?: number;
  endMs?: number;
  error?: string;
}

/**
 * Wall-clock milliseconds with sub-millisecond resolution: the one clock every span of a run is timed with (start and end alike). The SDK would otherwise end
 * spans on Date.now(), whose millisecond steps and drift after a suspend would nest children outside
 * their parents.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export class RunTracker {
  private readonly open = new Map<string, OpenActivity>();
  /** Span context of every activity execution seen, open or ended: children of a sub-process look theirs up here. */
  private readonly contexts = new Map<string, Context>();
  private readonly processExecutions = new Set<string>();
  private readonly progress = new Map<string, ActivityProgress>();
  /** Boundary events wait beside every task they are attached to; they only get a span when they fire. */
  private readonly pendingBoundary = new Map<string, { event: ElementEvent; startMs: number }>();
  private readonly nodes: Map<string, FlowNode>;
  readonly takenFlows = new Set<string>();

  constructor(
    private readonly tracer: Tracer,
    private readonly processContext: Context,
    nodes: readonly FlowNode[],
    private readonly serviceOf: ReadonlyMap<string, string>,
    private readonly common: Attributes,
  ) {
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
  }

  /** Dispatches one listener event. */
  handle(eventName: string, api: ElementEvent): void {
    switch (eventName) {
      case 'process.enter':
      case 'process.start':
        if (api.executionId) this.processExecutions.add(api.executionId);
        return;
      case 'flow.take':
        this.takenFlows.add(api.id);
        return;
      case 'activity.enter':
        return this.onEnter(api);
      case 'activity.end':
        return this.onEnd(api, 'done');
      case 'activity.error':
        return this.onEnd(api, 'failed');
      case 'activity.discard':
        return this.onDiscard(api);
      case 'activity.stop':
        return this.onStop(api);
      case 'activity.leave':
        // An activity that errored and was caught by a boundary event leaves without an end.
        return this.closeOpen(executionIdOf(api), 'done');
    }
  }

  /** The context of the activity span a service call runs under. */
  contextFor(executionId: string | undefined, elementId: string): Context | undefined {
    if (executionId) {
      const ctx = this.contexts.get(executionId);
      if (ctx) return ctx;
    }
    // Loop iterations run with their own execution id: fall back to the open run of the element.
    for (const run of this.open.values()) if (run.elementId === elementId) return run.context;
    return undefined;
  }

  /** Records a service failure on its activity, including failures a boundary event then catches. */
  markFailed(elementId: string, message: string): void {
    const p = this.progressOf(elementId);
    p.state = 'failed';
    p.error = message;
  }

  /** Ends every span still open: the run stopped, failed elsewhere, or was cancelled. */
  finish(): void {
    for (const [executionId, run] of this.open) {
      const p = this.progressOf(run.elementId);
      if (!p.state) p.state = 'cancelled';
      p.endMs ??= nowMs();
      run.span.setAttribute(ATTR_ACTIVITY_STATE, p.state === 'failed' ? 'failed' : 'cancelled');
      // Failed while still open: stopped at a step or time limit.
      if (p.state === 'failed') run.span.setStatus({ code: SpanStatusCode.ERROR, message: p.error ?? 'failed' });
      run.span.end(p.endMs);
      this.open.delete(executionId);
    }
  }

  /** One record per flow node of the BPMN, in document order; nodes that never ran are `not-reached`. */
  records(): ActivityRecord[] {
    return [...this.nodes.values()].map((node) => {
      const p = this.progress.get(node.id);
      const record: ActivityRecord = { id: node.id, name: node.name, type: node.type, state: p?.state ?? 'not-reached' };
      const service = this.serviceOf.get(node.id);
      if (service) record.service = service;
      if (p?.startMs !== undefined && p.state) {
        record.startTimeMs = p.startMs;
        if (p.endMs !== undefined) record.durationMs = Math.max(0, p.endMs - p.startMs);
      }
      if (p?.error) record.error = p.error;
      return record;
    });
  }

  private onEnter(api: ElementEvent): void {
    const executionId = executionIdOf(api);
    if (!executionId) return;
    if (api.type === 'bpmn:BoundaryEvent') {
      this.pendingBoundary.set(executionId, { event: api, startMs: nowMs() });
      return;
    }
    this.startSpan(api, executionId, nowMs());
  }

  private startSpan(api: ElementEvent, executionId: string, startMs: number): OpenActivity {
    const node = this.nodes.get(api.id);
    const name = node?.name ?? api.name ?? api.id;
    const attributes: Attributes = {
      ...this.common,
      [ATTR_BPMN_ELEMENT_ID]: api.id,
      [ATTR_BPMN_ELEMENT_TYPE]: api.type,
      [ATTR_BPMN_ELEMENT_NAME]: name,
    };
    const service = this.serviceOf.get(api.id);
    if (service) attributes[ATTR_SERVICE_NAME] = service;
    const span = this.tracer.startSpan(activitySpanName(name), { attributes, startTime: startMs }, this.parentContext(api));
    const run: OpenActivity = { elementId: api.id, span, context: trace.setSpan(this.processContext, span) };
    this.open.set(executionId, run);
    this.contexts.set(executionId, run.context);
    const p = this.progressOf(api.id);
    if (p.startMs === undefined) p.startMs = startMs;
    return run;
  }

  private onEnd(api: ElementEvent, state: 'done' | 'failed'): void {
    const executionId = executionIdOf(api);
    if (!executionId) return;
    let run = this.open.get(executionId);
    const boundary = this.pendingBoundary.get(executionId);
    if (!run && boundary) {
      // The boundary event fired: now it is part of the run.
      this.pendingBoundary.delete(executionId);
      run = this.startSpan(boundary.event, executionId, boundary.startMs);
    }
    const p = this.progressOf(api.id);
    if (state === 'failed') {
      p.state = 'failed';
      const error = api.content.error;
      if (error !== undefined && !p.error) p.error = messageOf(error);
      if (run) {
        const inner = innerError(error);
        run.span.recordException(inner);
        run.span.setStatus({ code: SpanStatusCode.ERROR, message: messageOf(error) });
      }
    } else if (p.state !== 'failed') {
      p.state = 'done';
    }
    p.endMs = nowMs();
    if (run) {
      run.span.setAttribute(ATTR_ACTIVITY_STATE, state);
      run.span.end(p.endMs);
      this.open.delete(executionId);
    }
  }

  private onDiscard(api: ElementEvent): void {
    const executionId = executionIdOf(api);
    if (!executionId) return;
    this.pendingBoundary.delete(executionId);
    const run = this.open.get(executionId);
    if (run) {
      run.span.setAttribute(ATTR_ACTIVITY_STATE, 'discarded');
      run.span.end(nowMs());
      this.open.delete(executionId);
    }
  }

  private onStop(api: ElementEvent): void {
    // Stop events carry no execution id: close whatever runs for the element.
    for (const [executionId, run] of this.open) {
      if (run.elementId !== api.id) continue;
      const p = this.progressOf(api.id);
      if (!p.state) p.state = 'cancelled';
      p.endMs = nowMs();
      run.span.setAttribute(ATTR_ACTIVITY_STATE, p.state === 'failed' ? 'failed' : 'cancelled');
      // Stopped because the run passed a step or time limit at this element (markFailed).
      if (p.state === 'failed') run.span.setStatus({ code: SpanStatusCode.ERROR, message: p.error ?? 'failed' });
      run.span.end(p.endMs);
      this.open.delete(executionId);
    }
  }

  private closeOpen(executionId: string | undefined, state: 'done'): void {
    if (!executionId) return;
    const run = this.open.get(executionId);
    if (!run) return;
    const p = this.progressOf(run.elementId);
    if (!p.state) p.state = state;
    p.endMs ??= nowMs();
    run.span.setAttribute(ATTR_ACTIVITY_STATE, p.state);
    run.span.end(p.endMs);
    this.open.delete(executionId);
  }

  private parentContext(api: ElementEvent): Context {
    const parent = api.content.parent;
    const chain = [parent, ...(parent?.path ?? [])];
    for (const p of chain) {
      const id = p?.executionId;
      if (!id) continue;
      if (this.processExecutions.has(id)) return this.processContext;
      const ctx = this.contexts.get(id);
      if (ctx) return ctx;
    }
    return this.processContext;
  }

  private progressOf(elementId: string): ActivityProgress {
    let p = this.progress.get(elementId);
    if (!p) {
      p = {};
      this.progress.set(elementId, p);
    }
    return p;
  }
}

function executionIdOf(api: ElementEvent): string | undefined {
  return api.content?.executionId ?? api.executionId;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

/** bpmn-engine wraps a service's error in an ActivityError that keeps the original as `inner`. */
export function innerError(error: unknown): Error {
  const inner = (error as { inner?: unknown } | undefined)?.inner;
  if (inner instanceof Error) return inner;
  if (error instanceof Error) return error;
  return new Error(messageOf(error));
}
