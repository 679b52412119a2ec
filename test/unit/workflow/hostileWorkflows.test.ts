import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from 'bpmn-engine';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ServiceRegistry } from '../../../src/core/services/registry';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { WorkflowError } from '../../../src/core/workflow/locate';
import { createSafeExpressions } from '../../../src/core/workflow/engineGuards';
import { guardedEngineOptions } from '../../../src/core/workflow/safeEngine';
import { UnsafeWorkflowError } from '../../../src/core/workflow/workflowSafety';
import type { RunLimits } from '../../../src/core/workflow/runLimits';
import type { ServiceContext } from '../../../src/core/workflow/types';
import { workflowNeeds } from '../../../src/extension/workspaceWorkflows';
import { runCli } from '../cliRun';
import { testHost } from './helpers';

/**
 * Workflows written by an attacker, built here in a temp dir: none of them may run code, read the
 * environment or write a file; loops and hung services end at their limits with a clear message.
 */

let work: string;
let marker: string;
const SECRET_ENV = 'WEAVERGEN_TEST_SECRET';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-hostile-'));
  marker = join(work, 'pwned.txt');
  process.env[SECRET_ENV] = 'the secret';
});

afterAll(async () => {
  delete process.env[SECRET_ENV];
  await rm(work, { recursive: true, force: true });
});

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs" targetNamespace="https://example.com/hostile">
  <process id="hostile" isExecutable="true">`;
const TAIL = `
  </process>
</definitions>
`;

/** The one-line node:vm escape: the script reaches the real `process`, reads a secret, writes a file. */
function escapeScript(): string {
  return (
    `const p = next.constructor.constructor('return process')();` +
    ` p.getBuiltinModule('fs').writeFileSync(${JSON.stringify(marker)}, String(p.env.${SECRET_ENV}));` +
    ` next();`
  );
}

const SCRIPT_TASK_BODY = `
    <startEvent id="Start" />
    <sequenceFlow id="F1" sourceRef="Start" targetRef="Script_escape" />
    <scriptTask id="Script_escape" name="Escape" scriptFormat="javascript">
      <script><![CDATA[${'SCRIPT'}]]></script>
    </scriptTask>
    <sequenceFlow id="F2" sourceRef="Script_escape" targetRef="End" />
    <endEvent id="End" />`;

async function writeWorkflow(name: string, body: string, dir = work): Promise<string> {
  const file = join(dir, `${name}.bpmn`);
  await writeFile(file, `${HEAD}${body}${TAIL}`, 'utf8');
  return file;
}

/** The body of a process that runs one service task between its start and end events. */
function oneTask(id: string, name: string, service: string): string {
  return `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="${id}" />
    <serviceTask id="${id}" name="${name}" implementation="\${environment.services.${service}}" />
    <sequenceFlow id="F1" sourceRef="${id}" targetRef="End" />
    <endEvent id="End" />`;
}

function registry(): { services: ServiceRegistry; calls: string[] } {
  const calls: string[] = [];
  const services = new ServiceRegistry()
    .register('test.step', async (ctx: ServiceContext) => {
      calls.push(ctx.activity.id);
      return { outputs: { count: calls.length } };
    })
    .register('test.decide', async (ctx: ServiceContext) => {
      calls.push(ctx.activity.id);
      return { outputs: { ...(ctx.inputs as Record<string, unknown>) } };
    })
    .register('test.hang', (ctx: ServiceContext) => {
      calls.push(ctx.activity.id);
      // Never settles on its own; only its signal ends it.
      return new Promise((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new Error(`aborted: ${String(ctx.signal.reason)}`)));
      });
    })
    .register('test.busy', async (ctx: ServiceContext) => {
      calls.push(ctx.activity.id);
      // Holds the event loop, so no timer can fire until it ends: well past the test's limit.
      const until = performance.now() + 40;
      while (performance.now() < until) {
        /* computing */
      }
      return { outputs: { busy: true } };
    })
    .register('test.fn', () => {
      calls.push('test.fn called');
      return Promise.resolve({});
    });
  return { services, calls };
}

async function run(file: string, options: { inputs?: Record<string, unknown>; limits?: Partial<RunLimits> } = {}) {
  const { services, calls } = registry();
  const host = testHost();
  const result = await runWorkflow({ workflow: file, inputs: options.inputs ?? {}, host, services, limits: options.limits ?? {} });
  return { record: result.record, calls, host };
}

async function refusal(file: string): Promise<UnsafeWorkflowError> {
  const err = await run(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnsafeWorkflowError);
  expect(err).toBeInstanceOf(WorkflowError);
  return err as UnsafeWorkflowError;
}

describe('nothing in a workflow file runs code', () => {
  test('control: with bpmn-engine\'s own script handling the one-line escape does write the file', async () => {
    // Proves the attack the other tests block is real on this engine, so their "not written" means something.
    const source = `${HEAD}${SCRIPT_TASK_BODY.replace('SCRIPT', escapeScript())}${TAIL}`;
    const engine = new Engine({ source });
    await engine.execute();
    expect(existsSync(marker)).toBe(true);
    await rm(marker);
  });

  test('a script task that escapes node:vm is refused before the engine sees it: no file written, no secret read', async () => {
    const file = await writeWorkflow('script_task', SCRIPT_TASK_BODY.replace('SCRIPT', escapeScript()));
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:6: element "Script_escape": a script task runs code from the workflow file. Replace it with a service task`);
    expect(err.message).toContain('The workflow was not run.');
    expect(err.elementId).toBe('Script_escape');
    expect(existsSync(marker)).toBe(false);
  });

  test('defence in depth: an engine with the guarded handlers fails the script task instead of running it', async () => {
    const source = `${HEAD}${SCRIPT_TASK_BODY.replace('SCRIPT', escapeScript())}${TAIL}`;
    const engine = new Engine({ source, ...guardedEngineOptions() });
    const failed = new Promise<Error>((resolve) => engine.once('error', (e: Error) => resolve(e)));
    await engine.execute().catch(() => undefined);
    expect((await failed).message).toMatch(/Script_escape" is a javascript script: WeaverGen runs no scripts/);
    expect(existsSync(marker)).toBe(false);
  });

  test('a script task in another prefix for the BPMN namespace is refused all the same', async () => {
    const file = join(work, 'renamed_prefix.bpmn');
    await writeFile(
      file,
      `<?xml version="1.0"?>\n<x:definitions xmlns:x="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><x:process id="p" isExecutable="true">` +
        `<x:scriptTask id="S" scriptFormat="js"><x:script>${escapeScript().replace(/</g, '&lt;')}</x:script></x:scriptTask></x:process></x:definitions>`,
    );
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:2: element "S": a script task runs code`);
    expect(existsSync(marker)).toBe(false);
  });

  test('a scripted sequence-flow condition is refused, naming the flow and line', async () => {
    const file = await writeWorkflow(
      'script_condition',
      `
    <startEvent id="Start" />
    <exclusiveGateway id="Route" default="F_other" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Route" />
    <sequenceFlow id="F_script" sourceRef="Route" targetRef="End">
      <conditionExpression xsi:type="tFormalExpression" language="javascript">${escapeScript()}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="F_other" sourceRef="Route" targetRef="End" />
    <endEvent id="End" />`,
    );
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:8: element "F_script": a condition with language="javascript" is a script and runs code`);
    expect(existsSync(marker)).toBe(false);
  });

  test('an expression that calls a service, in a condition or a timer, is refused with the position', async () => {
    const condition = await writeWorkflow(
      'call_condition',
      `
    <startEvent id="Start" />
    <exclusiveGateway id="Route" default="F_other" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Route" />
    <sequenceFlow id="F_call" sourceRef="Route" targetRef="End">
      <conditionExpression xsi:type="tFormalExpression">\${environment.services.test.fn()}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="F_other" sourceRef="Route" targetRef="End" />
    <endEvent id="End" />`,
    );
    const err = await refusal(condition);
    expect(err.message).toContain(`${condition}:8: element "F_call": condition "\${environment.services.test.fn()}" at column 31: a condition cannot call anything`);

    const timer = await writeWorkflow(
      'call_timer',
      `
    <startEvent id="Start">
      <timerEventDefinition id="Timer"><timeDuration xsi:type="tFormalExpression">\${environment.services.test.fn()}</timeDuration></timerEventDefinition>
    </startEvent>
    <sequenceFlow id="F0" sourceRef="Start" targetRef="End" />
    <endEvent id="End" />`,
    );
    const timerErr = await refusal(timer);
    expect(timerErr.message).toContain(`${timer}:5: element "Timer": <timeDuration> "\${environment.services.test.fn()}" is not a literal`);
  });

  test('defence in depth: the guarded expression resolver calls nothing, and resolves only the service form', () => {
    let called = 0;
    const fn = () => {
      called++;
      return true;
    };
    const expressions = createSafeExpressions();
    const context = { environment: { services: { test: { fn } }, output: { ok: true }, variables: {} } };
    expect(() => expressions.resolveExpression('${environment.services.test.fn()}', context)).toThrow(/is not evaluated: a condition cannot call anything/);
    expect(() => expressions.resolveExpression('${environment.services.test.fn}', context)).not.toThrow();
    expect(expressions.resolveExpression('${environment.services.test.fn}', context)).toBe(fn);
    expect(expressions.resolveExpression('${environment.services.constructor}', context)).toBeUndefined();
    expect(expressions.resolveExpression('${environment.output.ok && true}', context)).toBe(true);
    expect(() => expressions.resolveExpression('${environment.constructor.constructor("return process")()}', context)).toThrow(/is not evaluated/);
    expect(called).toBe(0);
  });

  test.each([
    ['an implementation that calls', `<serviceTask id="T" implementation="\${environment.services.test.fn()}" />`, /implementation="\$\{environment.services.test.fn\(\)\}" is not of the form/],
    ['an execution listener', `<serviceTask id="T" implementation="\${environment.services.test.step}"><extensionElements><camunda:executionListener event="start"><camunda:script scriptFormat="javascript">x</camunda:script></camunda:executionListener></extensionElements></serviceTask>`, /<camunda:executionListener> \(namespace http:\/\/camunda.org\/schema\/1.0\/bpmn\)|<camunda:executionListener> is not a BPMN element/],
    ['a conditional event', `<intermediateCatchEvent id="T"><conditionalEventDefinition><condition language="js">x</condition></conditionalEventDefinition></intermediateCatchEvent>`, /<bpmn:intermediateCatchEvent> is not supported/],
    ['an expression in a message name', `<serviceTask id="T" name="\${environment.services.test.fn()}" implementation="\${environment.services.test.step}" />`, /attribute name="\$\{environment.services.test.fn\(\)\}" holds an expression/],
    ['a loop cardinality expression', `<serviceTask id="T" implementation="\${environment.services.test.step}"><multiInstanceLoopCharacteristics><loopCardinality>\${environment.services.test.fn()}</loopCardinality></multiInstanceLoopCharacteristics></serviceTask>`, /<loopCardinality> .* is not a whole number up to 1000: write one/],
    ['a loop cardinality past the bound', `<serviceTask id="T" implementation="\${environment.services.test.step}"><multiInstanceLoopCharacteristics><loopCardinality>1000000</loopCardinality></multiInstanceLoopCharacteristics></serviceTask>`, /<loopCardinality> "1000000" is not a whole number up to 1000/],
  ])('%s is refused', async (_what, element, message) => {
    const file = await writeWorkflow(`refused_${Math.random().toString(36).slice(2)}`, `\n    <startEvent id="Start" />\n    ${element}`);
    const err = await refusal(file);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(`${file}:5: element "T"`);
  });

  test('Run Workflow reading a workspace file\'s inputs refuses a scripted one before the engine parses it', async () => {
    const file = await writeWorkflow('needs_script', SCRIPT_TASK_BODY.replace('SCRIPT', escapeScript()));
    await expect(workflowNeeds(file)).rejects.toThrow(UnsafeWorkflowError);
    await expect(workflowNeeds(file)).rejects.toThrow(`${file}:6: element "Script_escape": a script task runs code`);
    expect(existsSync(marker)).toBe(false);
  });

  test('text after a self-closing element is checked as its parent\'s: an expression there is refused', async () => {
    const file = await writeWorkflow(
      'text_after_child',
      `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="End">
      <documentation />\${environment.services.test.fn()}
    </sequenceFlow>
    <endEvent id="End" />`,
    );
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:5: element "F0": <sequenceFlow> holds text ("\${environment.services.test.fn()}")`);
  });

  test('a BPMN element hidden inside the diagram layout is checked like any other', async () => {
    const file = join(work, 'in_diagram.bpmn');
    await writeFile(
      file,
      `${HEAD}<startEvent id="Start" /></process>\n<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="Diagram">` +
        `<bpmndi:BPMNPlane id="Plane" bpmnElement="hostile"><scriptTask id="Hidden" scriptFormat="js"><script>x</script></scriptTask></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>\n</definitions>\n`,
    );
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:4: element "Hidden": a script task runs code`);
  });

  test('a DOCTYPE (entity declarations) is refused', async () => {
    const file = join(work, 'doctype.bpmn');
    await writeFile(file, `<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e "x">]>\n${HEAD.split('\n').slice(1).join('\n')}<startEvent id="S" />${TAIL}`);
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:2: a DOCTYPE declaration is not allowed`);
  });

  test('a loop through gateways only is refused up front: it would never wait on a service', async () => {
    const file = await writeWorkflow(
      'gateway_loop',
      `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="A" />
    <exclusiveGateway id="A" />
    <sequenceFlow id="F1" sourceRef="A" targetRef="B" />
    <exclusiveGateway id="B" />
    <sequenceFlow id="F2" sourceRef="B" targetRef="A" />`,
    );
    const err = await refusal(file);
    expect(err.message).toContain(`${file}:9: element "F2": the loop A -> B -> A passes through no service task`);
  });
});

describe('the CLI never takes workflows from the checked folder on its own', () => {
  let project: string;
  beforeAll(async () => {
    project = join(work, 'pull-request');
    await mkdir(join(project, '.weavergen', 'workflows'), { recursive: true });
    await mkdir(join(project, 'model'));
    await writeFile(
      join(project, 'model', 'attrs.yaml'),
      'groups:\n  - id: registry.demo\n    type: attribute_group\n    brief: Demo.\n    attributes:\n      - id: demo.name\n        type: string\n        brief: A name.\n        stability: stable\n        examples: ["x"]\n',
    );
    await writeWorkflow('registry_check', SCRIPT_TASK_BODY.replace('SCRIPT', escapeScript()), join(project, '.weavergen', 'workflows'));
  });

  test('registry check in a folder holding a scripted .weavergen/workflows/registry_check.bpmn runs the built-in one', async () => {
    const { code, stdout, stderr } = await runCli(['registry', 'check', '-r', 'model', '--engine', 'native'], project);
    expect(stderr).not.toContain('.weavergen');
    expect(stdout).toBe('');
    expect(code).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  test('with --workflows naming that folder, the scripted workflow is refused with exit 2 and nothing runs', async () => {
    const override = join(project, '.weavergen', 'workflows', 'registry_check.bpmn');
    const { code, stdout, stderr } = await runCli(['registry', 'check', '-r', 'model', '--engine', 'native', '--workflows', '.weavergen/workflows'], project);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`weavergen: notice: workflow registry_check taken from --workflows: ${override}\n`);
    expect(stderr).toContain(`weavergen: ${override}:6: element "Script_escape": a script task runs code from the workflow file`);
    expect(existsSync(marker)).toBe(false);
  });

  test('workflow run FILE.bpmn refuses a scripted file the same way', async () => {
    const file = await writeWorkflow('run_me', SCRIPT_TASK_BODY.replace('SCRIPT', escapeScript()));
    const { code, stderr } = await runCli(['workflow', 'run', file, '--engine', 'native'], work);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:6: element "Script_escape": a script task runs code`);
    expect(existsSync(marker)).toBe(false);
  });

  test('limit flags that are not positive numbers are usage errors', async () => {
    const steps = await runCli(['registry', 'check', '-r', 'model', '--max-steps', '0'], project);
    expect(steps.code).toBe(2);
    expect(steps.stderr).toContain("--max-steps takes a whole number from 1 to 10000000, not '0'");
    const timeout = await runCli(['registry', 'check', '-r', 'model', '--timeout', 'soon'], project);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain("--timeout takes a number of seconds from 0.001 to 2147483.647, not 'soon'");
  });
});

describe('runs are bounded', () => {
  test('a loop through a service task stops at the step limit, failed, naming the element', async () => {
    const file = await writeWorkflow(
      'service_loop',
      `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Task_again" />
    <serviceTask id="Task_again" name="Again" implementation="\${environment.services.test.step}" />
    <sequenceFlow id="F1" sourceRef="Task_again" targetRef="Task_again" />`,
    );
    const { record, calls } = await run(file, { limits: { maxSteps: 50 } });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_again');
    expect(record.error?.message).toBe(
      `${file}: the run reached its limit of 50 steps at element "Again" (Task_again) and was stopped: most likely a loop that never ends. ` +
        'A step is a service call or another activity entered; if the workflow really needs more, raise the limit (--max-steps, or the weavergen.workflow.maxSteps setting).',
    );
    // The start event is step 1; the service ran for every other step up to the limit, not once more.
    expect(calls.length).toBe(49);
    expect(record.validation?.valid).toBe(true);
  });

  test('the CLI reports a loop at --max-steps with exit 2 and the element', async () => {
    const file = await writeWorkflow(
      'cli_loop',
      `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Task_again" />
    <serviceTask id="Task_again" name="Again" implementation="\${environment.services.registry.jsonSchema}" />
    <sequenceFlow id="F1" sourceRef="Task_again" targetRef="Task_again" />`,
    );
    const { code, stderr } = await runCli(['workflow', 'run', file, '--engine', 'native', '--max-steps', '5', '--input', 'jsonSchema=semconv-definition-v2'], work);
    expect(code).toBe(2);
    expect(stderr).toContain(`weavergen: cli_loop failed at "Again": ${file}: the run reached its limit of 5 steps at element "Again" (Task_again)`);
    // The stopped element's span carries the failure, so the run's spans still match its record.
    expect(stderr).not.toContain('do not match the workflow');
  });

  test('a hung service is cancelled at the service time limit and the run fails naming it', async () => {
    const file = await writeWorkflow(
      'hung_service',
      oneTask('Task_hang', 'Hang', 'test.hang'),
    );
    const { record } = await run(file, { limits: { serviceTimeoutMs: 20 } });
    expect(record.status).toBe('failed');
    expect(record.error).toEqual({
      activityId: 'Task_hang',
      service: 'test.hang',
      message:
        'service test.hang at element "Hang" (Task_hang) did not finish within its time limit of 0.02 s and was cancelled. ' +
        'If it really needs longer, raise the limit (--service-timeout, or the weavergen.workflow.serviceTimeoutSeconds setting).',
    });
    expect(record.activities.find((a) => a.id === 'End')?.state).toBe('not-reached');
    expect(record.validation?.problems).toEqual([]);
  });

  test('a service that holds the event loop past its time limit fails the run when it ends, its outputs unused', async () => {
    const file = await writeWorkflow(
      'busy_service',
      oneTask('Task_busy', 'Busy', 'test.busy'),
    );
    const { record, calls } = await run(file, { limits: { serviceTimeoutMs: 5 } });
    expect(calls).toEqual(['Task_busy']);
    expect(record.status).toBe('failed');
    expect(record.error?.message).toMatch(/^service test.busy at element "Busy" \(Task_busy\) did not finish within its time limit of 0.005 s/);
    expect(record.outputs.busy).toBeUndefined();
  });

  test('a run past its time limit is stopped as failed, naming the element it was in', async () => {
    const file = await writeWorkflow(
      'hung_run',
      oneTask('Task_hang', 'Hang', 'test.hang'),
    );
    const { record } = await run(file, { limits: { timeoutMs: 20 } });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_hang');
    expect(record.error?.message).toBe(
      `${file}: the run took longer than its time limit of 0.02 s (last element started: "Hang" (Task_hang)) and was stopped. ` +
        'If it really needs longer, raise the limit (--timeout, or the weavergen.workflow.timeoutSeconds setting).',
    );
    expect(record.validation?.problems).toEqual([]);
  });

  test('limits that are not positive whole numbers are refused before anything runs', async () => {
    const file = await writeWorkflow('any', `\n    <startEvent id="Start" />`);
    await expect(run(file, { limits: { maxSteps: 0 } })).rejects.toThrow(/maxSteps must be a whole number from 1 to 10000000, not 0/);
  });

  /** Start, `n` service tasks one after the other, end. */
  async function sequentialWorkflow(name: string, n: number): Promise<string> {
    const parts: string[] = ['\n    <startEvent id="Start" />'];
    let previous = 'Start';
    for (let i = 0; i < n; i++) {
      parts.push(`<serviceTask id="T${i}" implementation="\${environment.services.test.step}" /><sequenceFlow id="F${i}" sourceRef="${previous}" targetRef="T${i}" />`);
      previous = `T${i}`;
    }
    parts.push(`<endEvent id="End" /><sequenceFlow id="F_end" sourceRef="${previous}" targetRef="End" />`);
    return writeWorkflow(name, parts.join('\n    '));
  }

  test('10,000 sequential service tasks are refused up front by the element limit, saying how to raise it', async () => {
    const file = await sequentialWorkflow('ten_thousand', 10_000);
    const { services, calls } = registry();
    await expect(runWorkflow({ workflow: file, inputs: {}, host: testHost(), services })).rejects.toThrow(
      `${file}: the workflow has 10002 flow elements (events, tasks, gateways) and at most 2000 are run: ` +
        "the workflow engine's cost per step grows with the size of a process. Do the work in fewer, larger services, " +
        'or raise the limit (--max-elements, or the weavergen.workflow.maxElements setting).',
    );
    expect(calls).toEqual([]);
  });

  test('a thousand sequential tasks run to the end: each completes on a later turn, so the stack never grows', async () => {
    // Beyond the few hundred sequential tasks that overflow the stack when services complete synchronously.
    const file = await sequentialWorkflow('many_tasks', 1_000);
    const { record, calls } = await run(file);
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('succeeded');
    expect(calls.length).toBe(1_000);
    expect(record.outputs.count).toBe(1_000);
  }, 120_000);
});

describe('safe gateway conditions', () => {
  const gateway = (condition: string) => `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Task_decide" />
    <serviceTask id="Task_decide" name="Decide" implementation="\${environment.services.test.decide}" />
    <sequenceFlow id="F1" sourceRef="Task_decide" targetRef="Route" />
    <exclusiveGateway id="Route" default="F_no" />
    <sequenceFlow id="F_yes" sourceRef="Route" targetRef="Task_yes">
      <conditionExpression xsi:type="tFormalExpression">${condition}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="F_no" sourceRef="Route" targetRef="Task_no" />
    <serviceTask id="Task_yes" implementation="\${environment.services.test.step}" />
    <serviceTask id="Task_no" implementation="\${environment.services.test.step}" />
    <sequenceFlow id="F2" sourceRef="Task_yes" targetRef="End_yes" />
    <sequenceFlow id="F3" sourceRef="Task_no" targetRef="End_no" />
    <endEvent id="End_yes" />
    <endEvent id="End_no" />`;

  test.each([
    ['${environment.output.level >= 3 &amp;&amp; environment.output.kind == "http"}', { level: 3, kind: 'http' }, 'Task_yes'],
    ['${environment.output.level >= 3 &amp;&amp; environment.output.kind == "http"}', { level: 2, kind: 'http' }, 'Task_no'],
    ['${!(environment.output.skip == true) || environment.variables.force}', { skip: true }, 'Task_no'],
    ['${!(environment.output.skip == true) || environment.variables.force}', { skip: false }, 'Task_yes'],
    ["${environment.output.name != 'x' &amp;&amp; environment.output.missing == null}", { name: 'y' }, 'Task_no'],
    ['${environment.output.flag}', { flag: true }, 'Task_yes'],
  ])('%s with outputs %j takes %s', async (condition, outputs, taken) => {
    const file = await writeWorkflow(`cond_${Math.random().toString(36).slice(2)}`, gateway(condition));
    const { record, calls } = await run(file, { inputs: outputs });
    expect(record.status).toBe('succeeded');
    expect(calls).toEqual(['Task_decide', taken]);
    expect(record.takenFlows).toContain(taken === 'Task_yes' ? 'F_yes' : 'F_no');
  });

  test('an engine failure (no flow out of a gateway) names the file and the element, not only the engine\'s words', async () => {
    const file = await writeWorkflow(
      'no_way_out',
      `
    <startEvent id="Start" />
    <sequenceFlow id="F0" sourceRef="Start" targetRef="Task_decide" />
    <serviceTask id="Task_decide" name="Decide" implementation="\${environment.services.test.decide}" />
    <sequenceFlow id="F1" sourceRef="Task_decide" targetRef="Route" />
    <exclusiveGateway id="Route" name="Which way" />
    <sequenceFlow id="F_yes" sourceRef="Route" targetRef="End">
      <conditionExpression xsi:type="tFormalExpression">\${environment.output.flag}</conditionExpression>
    </sequenceFlow>
    <endEvent id="End" />`,
    );
    const { record } = await run(file, { inputs: { flag: false } });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Route');
    expect(record.error?.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at element "Which way" \\(Route\\): the workflow engine could not go on: .+\\. Check the element in a BPMN editor\\.$`));
  });

  test('a variable read in a condition comes from the run inputs', async () => {
    const file = await writeWorkflow('cond_variable', gateway('${environment.variables.force == true}'));
    const { calls } = await run(file, { inputs: { force: true } });
    expect(calls).toEqual(['Task_decide', 'Task_yes']);
  });

  test('a condition outside the grammar is refused with its element, line and column', async () => {
    const file = await writeWorkflow('cond_bad', gateway('${process.env.HOME == "x"}'));
    const err = await refusal(file);
    expect(err.message).toContain(
      `${file}:10: element "F_yes": condition "\${process.env.HOME == \\"x\\"}" at column 3: "process.env.HOME" is not readable here: write environment.output.NAME or environment.variables.NAME`,
    );
  });
});
