import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { SERVICE_CATALOG, type ServiceDoc, type ServiceFieldDoc } from '../core/services/catalog';
import { inspectWorkflow } from '../core/workflow/bpmnModel';
import { listWorkflows } from '../core/workflow/locate';
import { createCheckedEngine } from '../core/workflow/safeEngine';
import { MAX_STEPS_LIMIT } from '../core/workflow/runLimits';

/**
 * The parts of "WeaverGen: Run Workflow..." that need no editor, so they are unit-tested: which
 * workflows a workspace offers (built-in, its own `.weavergen/workflows/*.bpmn`, and which of those
 * trust blocks), which inputs a workflow needs (its service tasks looked up in the service catalog,
 * and the inputs its process declares), and how a typed answer becomes an input value.
 */

/** Where a workspace keeps its own workflows, relative to the workspace folder. */
export const WORKSPACE_WORKFLOWS_DIR = path.join('.weavergen', 'workflows');

export function workspaceWorkflowsDir(folder: string): string {
  return path.join(folder, WORKSPACE_WORKFLOWS_DIR);
}

/** The workspace file that would replace the built-in `workflow`, when it exists. */
export function workspaceWorkflowFile(folder: string, workflow: string): string | undefined {
  const file = path.join(workspaceWorkflowsDir(folder), `${workflow}.bpmn`);
  return existsSync(file) ? file : undefined;
}

export interface WorkflowChoice {
  /** Workflow name: the file name without `.bpmn`. */
  name: string;
  /** Absolute path of the .bpmn file. */
  file: string;
  origin: 'builtin' | 'workspace';
  /** A workspace workflow that takes the place of the built-in one of the same name. */
  replacesBuiltin: boolean;
  /** A workspace workflow of an untrusted workspace: listed, never run. */
  blocked: boolean;
}

/**
 * Every workflow the palette offers. In a trusted workspace a workspace file replaces the built-in
 * of the same name, as it does for every run; in an untrusted one the workspace files are listed as
 * blocked next to the built-ins, which still run.
 */
export function listWorkflowChoices(options: { builtinDir: string; workspaceFolder: string | undefined; trusted: boolean }): WorkflowChoice[] {
  const builtin = listWorkflows({ workflowsDir: options.builtinDir });
  const workspace = options.workspaceFolder ? listWorkflows({ workflowsDir: workspaceWorkflowsDir(options.workspaceFolder) }) : [];
  const builtinNames = new Set(builtin.map((w) => w.name));
  const workspaceNames = new Set(workspace.map((w) => w.name));
  const choices: WorkflowChoice[] = [];
  for (const w of workspace) {
    choices.push({ name: w.name, file: w.file, origin: 'workspace', replacesBuiltin: builtinNames.has(w.name), blocked: !options.trusted });
  }
  for (const w of builtin) {
    if (options.trusted && workspaceNames.has(w.name)) continue;
    choices.push({ name: w.name, file: w.file, origin: 'builtin', replacesBuiltin: false, blocked: false });
  }
  // By name; a blocked workspace file right before the built-in it would have replaced.
  return choices.sort((a, b) => a.name.localeCompare(b.name) || (a.origin === b.origin ? 0 : a.origin === 'workspace' ? -1 : 1));
}

export type InputKind = 'text' | 'number' | 'boolean' | 'choice' | 'json';

/** One input the user is asked for before a run. */
export interface InputPrompt {
  name: string;
  kind: InputKind;
  /** The type as the catalog writes it. */
  type: string;
  required: boolean;
  description: string;
  /** The values of a `'a' | 'b'` type. */
  choices?: string[];
  /** The services of the workflow that read it. */
  services: string[];
}

/** What a workflow file says it needs: the services its tasks call, the inputs its process declares. */
export interface WorkflowNeeds {
  /** Service names, in the order the file lists the tasks. */
  services: string[];
  /** Names of the `bpmn:dataInput`s in the process's `bpmn:ioSpecification`. */
  declaredInputs: string[];
}

interface ProcessBehaviour {
  ioSpecification?: { behaviour?: { dataInputs?: Array<{ id?: unknown; name?: unknown }> } };
}

export async function workflowNeeds(file: string): Promise<WorkflowNeeds> {
  const source = await readFile(file, 'utf8');
  // Refused here already when it could run code: the palette says why before asking for inputs.
  // Only read here; the run applies the size limit.
  const engine = createCheckedEngine(file, source, { name: path.basename(file, '.bpmn') }, MAX_STEPS_LIMIT);
  const model = await inspectWorkflow(engine, file);
  const services: string[] = [];
  for (const node of model.nodes) {
    const match = /^\$\{\s*environment\.services\.([\w$.]+)\s*\}$/.exec(node.implementation ?? '');
    if (match && !services.includes(match[1])) services.push(match[1]);
  }
  const declaredInputs: string[] = [];
  for (const definition of await engine.getDefinitions()) {
    for (const process of definition.getProcesses()) {
      const inputs = (process.behaviour as ProcessBehaviour).ioSpecification?.behaviour?.dataInputs ?? [];
      for (const input of inputs) {
        // An unnamed dataInput is known by its id, which is what the process reads then.
        const name = typeof input.name === 'string' && input.name !== '' ? input.name : input.id;
        if (typeof name === 'string' && !declaredInputs.includes(name)) declaredInputs.push(name);
      }
    }
  }
  return { services, declaredInputs };
}

function kindOf(type: string): Pick<InputPrompt, 'kind' | 'choices'> {
  if (type === 'string') return { kind: 'text' };
  if (type === 'number') return { kind: 'number' };
  if (type === 'boolean') return { kind: 'boolean' };
  const literals = type.split('|').map((part) => /^\s*'([^']*)'\s*$/.exec(part)?.[1]);
  if (literals.every((l): l is string => l !== undefined)) return { kind: 'choice', choices: literals };
  return { kind: 'json' };
}

/**
 * The inputs to ask for: those the catalog says the workflow's services read, and those its BPMN
 * process declares (`bpmn:dataInput`), required ones first. An input several services read is asked
 * once, and is required when any of them requires it or the BPMN declares it. Services the catalog
 * does not know ask for nothing: the run reports them by name.
 */
export function inputPrompts(needs: WorkflowNeeds, catalog: readonly ServiceDoc[] = SERVICE_CATALOG): InputPrompt[] {
  const byName = new Map<string, InputPrompt>();
  for (const service of needs.services) {
    const doc = catalog.find((d) => d.name === service);
    for (const field of (doc?.inputs ?? []) as readonly ServiceFieldDoc[]) {
      const known = byName.get(field.name);
      if (known) {
        known.required ||= field.required === true;
        known.services.push(service);
        continue;
      }
      byName.set(field.name, { name: field.name, type: field.type, required: field.required === true, description: field.description, services: [service], ...kindOf(field.type) });
    }
  }
  for (const name of needs.declaredInputs) {
    const known = byName.get(name);
    if (known) known.required = true;
    else byName.set(name, { name, type: 'string', kind: 'text', required: true, description: `declared by the workflow (bpmn:dataInput ${name})`, services: [] });
  }
  const prompts = [...byName.values()];
  return [...prompts.filter((p) => p.required), ...prompts.filter((p) => !p.required)];
}

export type ParsedInput = { kind: 'value'; value: unknown } | { kind: 'unset' } | { kind: 'invalid'; message: string };

/** A typed answer as the value the run gets; an empty answer leaves an optional input unset. */
export function parseInput(prompt: InputPrompt, text: string): ParsedInput {
  const answer = text.trim();
  if (answer === '') {
    return prompt.required ? { kind: 'invalid', message: `${prompt.name} is required: ${prompt.description}` } : { kind: 'unset' };
  }
  switch (prompt.kind) {
    case 'text':
      return { kind: 'value', value: answer };
    case 'number': {
      const value = Number(answer);
      return Number.isFinite(value) ? { kind: 'value', value } : { kind: 'invalid', message: `${prompt.name} must be a number, e.g. 20` };
    }
    case 'boolean':
      if (answer === 'true' || answer === 'false') return { kind: 'value', value: answer === 'true' };
      return { kind: 'invalid', message: `${prompt.name} must be true or false` };
    case 'choice':
      return prompt.choices?.includes(answer)
        ? { kind: 'value', value: answer }
        : { kind: 'invalid', message: `${prompt.name} must be one of: ${(prompt.choices ?? []).join(', ')}` };
    case 'json':
      try {
        return { kind: 'value', value: JSON.parse(answer) as unknown };
      } catch (err) {
        return { kind: 'invalid', message: `${prompt.name} must be JSON of type ${prompt.type}: ${(err as Error).message}` };
      }
  }
}
