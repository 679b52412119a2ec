import { Parser, type SaxContext } from 'saxen';
import { WorkflowError } from './locate';
import { ConditionError, parseCondition } from './safeCondition';
import { isServiceImplementation } from './serviceBinding';

/**
 * The check every BPMN file passes before bpmn-engine sees it, built-in or not: a workflow may come
 * from a repository under review, so nothing in it may run code. bpmn-engine would run JavaScript in
 * node:vm for script tasks, script conditions (a `language` on a condition) and conditional events,
 * and would call functions named in any `${...}` expression it resolves (implementations, conditions,
 * timer values, loop cardinalities, message/signal/error names, called elements).
 *
 * So the file is read with saxen (the parser bpmn-moddle itself uses, in namespace mode, so a renamed
 * prefix changes nothing) against an allow-list:
 * - only the BPMN elements listed in ALLOWED_ELEMENTS, plus diagram (DI) elements; any other element,
 *   in BPMN or another namespace (extension listeners, scripts, input/output mappings), is refused;
 * - `${...}` only as `implementation="${environment.services.NAME}"` on a service task and as a
 *   safe condition (safeCondition.ts) in a sequence flow's conditionExpression; documentation and
 *   annotation text is never evaluated, so it may hold anything;
 * - timer values and loop cardinalities are literals;
 * - no cycle without a service task in it: such a loop never waits on a service and so would spin
 *   inside the engine until the stack overflows.
 * The runner also gives the engine script and expression handlers that refuse (engineGuards.ts), so
 * a gap here still runs nothing.
 */

const NAMESPACES: Record<string, string> = {
  'http://www.omg.org/spec/BPMN/20100524/MODEL': 'bpmn',
  'http://www.omg.org/spec/BPMN/20100524/DI': 'bpmndi',
  'http://www.omg.org/spec/DD/20100524/DC': 'dc',
  'http://www.omg.org/spec/DD/20100524/DI': 'di',
  'http://www.w3.org/2001/XMLSchema-instance': 'xsi',
};
/** Diagram layout only: bpmn-engine never reads it. */
const DIAGRAM_PREFIXES = new Set(['bpmndi', 'dc', 'di']);

const ALLOWED_ELEMENTS = new Set([
  'definitions',
  'process',
  'collaboration',
  'participant',
  'laneSet',
  'lane',
  'flowNodeRef',
  'documentation',
  'extensionElements',
  'textAnnotation',
  'text',
  'association',
  'startEvent',
  'endEvent',
  'boundaryEvent',
  'errorEventDefinition',
  'terminateEventDefinition',
  'timerEventDefinition',
  'timeDuration',
  'timeDate',
  'timeCycle',
  'error',
  'task',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'subProcess',
  'multiInstanceLoopCharacteristics',
  'loopCardinality',
  'sequenceFlow',
  'conditionExpression',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'incoming',
  'outgoing',
  'ioSpecification',
  'dataInput',
  'dataOutput',
  'inputSet',
  'outputSet',
  'dataInputRefs',
  'dataOutputRefs',
]);

/** The elements a run steps through: what the size bound (RunLimits.maxElements) counts. */
const FLOW_NODES = new Set([
  'startEvent',
  'endEvent',
  'boundaryEvent',
  'task',
  'serviceTask',
  'sendTask',
  'businessRuleTask',
  'subProcess',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
]);

/** What the check learnt of a file it accepted. */
export interface WorkflowShape {
  /** Events, tasks, sub-processes and gateways, in every process. */
  flowNodes: number;
}

/** Tasks whose work is a registered service, called asynchronously. */
const SERVICE_ELEMENTS = new Set(['serviceTask', 'sendTask', 'businessRuleTask']);
/** Text never evaluated by the engine. */
const FREE_TEXT = new Set(['documentation', 'text']);
/** Text that is the id of another element. */
const REFERENCE_TEXT = new Set(['incoming', 'outgoing', 'flowNodeRef', 'dataInputRefs', 'dataOutputRefs']);
const ELEMENT_ID = /^[A-Za-z_][\w.-]*$/;
/**
 * Most repetitions of a multi-instance task. A parallel one starts all its repetitions at once inside
 * the engine, before the step limit can count them, so the bound is checked here.
 */
export const MAX_LOOP_CARDINALITY = 1000;
/** Text that must be a literal. */
const LITERAL_TEXT = new Set(['timeDuration', 'timeDate', 'timeCycle', 'loopCardinality']);

const WHAT_TO_DO =
  'Workflows run only registered services: use <serviceTask implementation="${environment.services.NAME}"> and conditions as described in docs/security.md';

export class UnsafeWorkflowError extends WorkflowError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly elementId: string | undefined,
    problem: string,
  ) {
    super(`${file}:${line}: ${elementId ? `element "${elementId}": ` : ''}${problem}. The workflow was not run. ${WHAT_TO_DO}.`);
    this.name = 'UnsafeWorkflowError';
  }
}

/**
 * Where a problem is: the n-th start tag of the file, and for text inside it, the line breaks before
 * the problem. Turned into a line only for a refusal: saxen finds a line by scanning from the start
 * of the file, so asking at every tag would make the check quadratic in the file's size.
 */
interface Where {
  tag: number;
  /** Line breaks in the element's text before the problem; set for problems in text. */
  textLines?: number;
}

interface OpenElement {
  prefix: string;
  local: string;
  id: string | undefined;
  tag: number;
  text: string;
  /** False for diagram layout, which the engine never reads. */
  checked: boolean;
}

interface FlowEdge {
  id: string;
  source: string;
  target: string;
  tag: number;
}

/** 1-based line of `where`: a second pass that stops at its tag. */
function lineOf(xml: string, where: Where): number {
  const parser = new Parser();
  let count = 0;
  let found: SaxContext | undefined;
  const stop = new Error('found');
  parser.on('openTag', (_name, _attrs, _decode, _selfClosing, getContext) => {
    if (++count !== where.tag) return;
    found = getContext();
    throw stop;
  });
  try {
    parser.parse(xml);
  } catch (err) {
    if (err !== stop) throw err;
  }
  if (!found) return 1;
  const inTag = where.textLines === undefined ? 0 : (found.data.match(/\n/g)?.length ?? 0) + where.textLines;
  return found.line + 1 + inTag;
}

/** Throws UnsafeWorkflowError for the first element that could run code; returns when none can. */
export function checkWorkflowSafety(xml: string, file: string): WorkflowShape {
  const parser = new Parser();
  parser.ns(NAMESPACES);
  const stack: OpenElement[] = [];
  const flows: FlowEdge[] = [];
  const elements = new Map<string, { local: string }>();
  let tags = 0;
  let flowNodes = 0;
  let failure: Error | undefined;

  const refuse = (where: Where, elementId: string | undefined, problem: string): never => {
    throw new UnsafeWorkflowError(file, lineOf(xml, where), elementId, problem);
  };
  const nearestId = (): string | undefined => [...stack].reverse().find((e) => e.id)?.id;

  // saxen calls back synchronously; a throw from a callback is caught here and parsing stops.
  const guarded =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (failure) return;
      try {
        fn(...args);
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
    };

  parser.on(
    'openTag',
    guarded((name, getAttrs, decode, selfClosing) => {
      const line: Where = { tag: ++tags };
      const colon = name.indexOf(':');
      const prefix = colon >= 0 ? name.slice(0, colon) : '';
      const local = colon >= 0 ? name.slice(colon + 1) : name;
      const raw = getAttrs();
      const attrs: Record<string, string> = {};
      for (const [key, value] of Object.entries(raw)) attrs[key] = decode(value);
      const id = typeof attrs.id === 'string' ? attrs.id : undefined;
      const parent = stack[stack.length - 1];
      // Diagram layout is never read by the engine; a BPMN element is checked wherever it stands.
      const inDiagram = DIAGRAM_PREFIXES.has(prefix) || (prefix !== 'bpmn' && stack.some((e) => DIAGRAM_PREFIXES.has(e.prefix)));

      if (!inDiagram) {
        if (prefix !== 'bpmn') {
          const uri = attrs[`xmlns:${prefix}`] ?? attrs.xmlns;
          refuse(
            line,
            id ?? nearestId(),
            `<${name}>${uri ? ` (namespace ${uri})` : ''} is not a BPMN element WeaverGen runs: extension elements (listeners, scripts, input/output mappings) can run code. Remove it`,
          );
        }
        if (local === 'scriptTask' || local === 'script') {
          refuse(line, id ?? nearestId(), 'a script task runs code from the workflow file. Replace it with a service task');
        }
        if (!ALLOWED_ELEMENTS.has(local)) {
          refuse(line, id ?? nearestId(), `<bpmn:${local}> is not supported in WeaverGen workflows (allowed: ${[...ALLOWED_ELEMENTS].join(', ')})`);
        }
        checkAttributes(local, attrs, line, id ?? nearestId(), refuse);
        if (id) elements.set(id, { local });
        if (FLOW_NODES.has(local)) flowNodes++;
        if (local === 'sequenceFlow' && attrs.sourceRef && attrs.targetRef) {
          flows.push({ id: id ?? '(no id)', source: attrs.sourceRef, target: attrs.targetRef, tag: line.tag });
        }
        if (local === 'conditionExpression' && parent?.local !== 'sequenceFlow') {
          refuse(line, nearestId(), '<conditionExpression> is allowed only on a sequence flow');
        }
      }
      if (!selfClosing) stack.push({ prefix, local, id, tag: line.tag, text: '', checked: !inDiagram });
      else if (!inDiagram) checkText({ prefix, local, id, tag: line.tag, text: '', checked: true }, stack, refuse);
    }),
  );
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on(
    'text',
    guarded((text, decode) => addText(decode(text))),
  );
  parser.on(
    'cdata',
    guarded((text) => addText(text)),
  );
  parser.on(
    'closeTag',
    guarded((_name, _decode, selfClosing) => {
      // saxen reports a self-closing tag's close too; it was never pushed (checked at its open).
      if (selfClosing) return;
      const element = stack.pop();
      if (!element?.checked) return;
      checkText(element, stack, refuse);
    }),
  );
  parser.on(
    'attention',
    guarded((text, _decode, getContext) => {
      // A DOCTYPE can declare entities; a workflow has no use for one.
      if (/^<!DOCTYPE/i.test(text)) {
        throw new UnsafeWorkflowError(file, getContext().line + 1, undefined, 'a DOCTYPE declaration is not allowed in a workflow. Remove it');
      }
    }),
  );
  // Not well-formed XML wins over a refusal found before it: the engine could not read the file at all.
  parser.on('error', (err, getContext) => {
    if (failure && !(failure instanceof UnsafeWorkflowError)) return;
    const ctx = getContext();
    failure = new WorkflowError(
      `${file}:${ctx.line + 1}:${ctx.column + 1}: not a readable BPMN file: ${err.message}. Fix the XML (open it in a BPMN editor to check).`,
    );
  });

  parser.parse(xml);
  if (failure) throw failure;
  checkCycles(xml, file, flows, elements);
  return { flowNodes };
}

type Refuse = (where: Where, elementId: string | undefined, problem: string) => never;

function checkAttributes(local: string, attrs: Record<string, string>, line: Where, elementId: string | undefined, refuse: Refuse): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    if (local === 'conditionExpression' && name === 'language') {
      refuse(line, elementId, `a condition with language="${value}" is a script and runs code. Write it as a safe condition \${...} without a language`);
    }
    if (name === 'scriptFormat') refuse(line, elementId, 'scriptFormat names a script language: scripts are not run. Remove it');
    if (!value.includes('${') && !value.includes('#{')) continue;
    if (name === 'implementation' && SERVICE_ELEMENTS.has(local) && isServiceImplementation(value)) continue;
    if (name === 'implementation' && SERVICE_ELEMENTS.has(local)) {
      refuse(line, elementId, `implementation="${value}" is not of the form \${environment.services.NAME}: only a registered service is resolved, nothing is called`);
    }
    refuse(line, elementId, `attribute ${name}="${value}" holds an expression, which the engine would evaluate (and could call functions). Use a literal value`);
  }
}

function checkText(element: OpenElement, stack: readonly OpenElement[], refuse: Refuse): void {
  const elementId = element.id ?? [...stack].reverse().find((e) => e.id)?.id;
  const text = element.text;
  if (FREE_TEXT.has(element.local)) return;
  if (element.local === 'conditionExpression') {
    try {
      parseCondition(text);
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      const before = text.slice(0, err.offset);
      const column = before.length - before.lastIndexOf('\n');
      refuse({ tag: element.tag, textLines: before.match(/\n/g)?.length ?? 0 }, elementId, `condition ${JSON.stringify(text.trim().slice(0, 120))} at column ${column}: ${err.message}`);
    }
    return;
  }
  if (REFERENCE_TEXT.has(element.local) && ELEMENT_ID.test(text.trim())) return;
  if (LITERAL_TEXT.has(element.local)) {
    const literal = text.trim();
    const ok =
      element.local === 'loopCardinality'
        ? /^\d{1,9}$/.test(literal) && Number(literal) <= MAX_LOOP_CARDINALITY
        : /^[A-Za-z0-9:.+\-/]*$/.test(literal);
    if (!ok) {
      refuse(
        { tag: element.tag, textLines: 0 },
        elementId,
        element.local === 'loopCardinality'
          ? `<loopCardinality> "${literal.slice(0, 120)}" is not a whole number up to ${MAX_LOOP_CARDINALITY}: write one (expressions are not evaluated)`
          : `<${element.local}> "${literal.slice(0, 120)}" is not a literal: write an ISO 8601 date, duration or cycle (expressions are not evaluated)`,
      );
    }
    return;
  }
  if (text.trim() !== '') {
    refuse({ tag: element.tag, textLines: 0 }, elementId, `<${element.local}> holds text ("${text.trim().slice(0, 60)}") the engine could evaluate. Remove it`);
  }
}

/**
 * A cycle through gateways, events and plain tasks only: nothing in it waits on a service, so the
 * engine would follow it synchronously forever (its conditions read outputs that only services change).
 */
function checkCycles(xml: string, file: string, flows: readonly FlowEdge[], elements: ReadonlyMap<string, { local: string }>): void {
  const next = new Map<string, FlowEdge[]>();
  for (const flow of flows) {
    const source = elements.get(flow.source);
    if (source && SERVICE_ELEMENTS.has(source.local)) continue;
    if (source?.local === 'subProcess') continue;
    const list = next.get(flow.source) ?? [];
    list.push(flow);
    next.set(flow.source, list);
  }
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const color = new Map<string, number>();
  for (const start of next.keys()) {
    if ((color.get(start) ?? WHITE) !== WHITE) continue;
    // Iterative depth-first search: a long chain must not overflow the stack here either.
    const path: { node: string; edges: FlowEdge[]; index: number }[] = [{ node: start, edges: next.get(start) ?? [], index: 0 }];
    color.set(start, GREY);
    while (path.length > 0) {
      const top = path[path.length - 1];
      if (top.index >= top.edges.length) {
        color.set(top.node, BLACK);
        path.pop();
        continue;
      }
      const edge = top.edges[top.index++];
      const target = elements.get(edge.target);
      if (target && (SERVICE_ELEMENTS.has(target.local) || target.local === 'subProcess')) continue;
      const state = color.get(edge.target) ?? WHITE;
      if (state === GREY) {
        const from = path.findIndex((p) => p.node === edge.target);
        const loop = [...path.slice(from).map((p) => p.node), edge.target];
        throw new UnsafeWorkflowError(
          file,
          lineOf(xml, { tag: edge.tag }),
          edge.id,
          `the loop ${loop.join(' -> ')} passes through no service task, so nothing in it can change and the engine would follow it forever. Put a service task in the loop or remove it`,
        );
      }
      if (state === WHITE) {
        color.set(edge.target, GREY);
        path.push({ node: edge.target, edges: next.get(edge.target) ?? [], index: 0 });
      }
    }
  }
}
