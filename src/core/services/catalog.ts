import { ERR_INPUT_MISSING, ERR_NO_CHECK_RESULT, ERR_NO_REGISTRY_LOADED, ERR_REGISTRY_NOT_FOUND } from './serviceError';

/**
 * The services a BPMN workflow can call, by name. These names, their inputs and outputs are the
 * public API for `.weavergen/workflows/*.bpmn` files: a service task calls one with
 * `implementation="${environment.services.<name>}"`. Renaming one breaks users' workflows.
 *
 * - inputs: the run inputs the service reads (`WorkflowRunRequest.inputs`, `--input k=v`).
 * - outputs: what it adds to the run's outputs (the record, `environment.output` for conditions).
 * - errors: codes a boundary error event (`<errorEventDefinition errorRef=...>` whose error has
 *   `errorCode="CODE"`) can catch.
 */

export interface ServiceFieldDoc {
  name: string;
  /** TypeScript-style type of the value. */
  type: string;
  required?: boolean;
  description: string;
}

export interface ServiceDoc {
  name: string;
  description: string;
  inputs: readonly ServiceFieldDoc[];
  outputs: readonly ServiceFieldDoc[];
  errors: readonly { code: string; when: string }[];
}

const SUMMARY = '{ registryPath: string; files: number; groups: number; attributes: number }';

export const SERVICE_CATALOG = [
  {
    name: 'registry.load',
    description:
      'Loads the registry folder with the run\'s engine (native or weaver); unsaved editor buffers the host holds take precedence over the disk. Later registry.* services use what it loaded.',
    inputs: [{ name: 'registryPath', type: 'string', required: true, description: 'Path of the registry folder (absolute, or relative to the working directory).' }],
    outputs: [{ name: 'summary', type: SUMMARY, description: 'Size of the loaded registry.' }],
    errors: [
      { code: ERR_INPUT_MISSING, when: 'registryPath is missing or not a string' },
      { code: ERR_REGISTRY_NOT_FOUND, when: 'registryPath is not an existing folder' },
    ],
  },
  {
    name: 'registry.check',
    description: 'Checks the loaded registry (syntax, schema, references, built-in policies) and keeps the diagnostics for output.* services.',
    inputs: [],
    outputs: [
      { name: 'summary', type: SUMMARY, description: 'Size of the checked registry.' },
      { name: 'diagnosticCount', type: 'number', description: 'All diagnostics.' },
      { name: 'errorCount', type: 'number', description: 'Diagnostics of severity error.' },
      { name: 'warningCount', type: 'number', description: 'Diagnostics of severity warning.' },
      { name: 'hasErrors', type: 'boolean', description: 'errorCount > 0, for gateway conditions: ${environment.output.hasErrors}.' },
    ],
    errors: [{ code: ERR_NO_REGISTRY_LOADED, when: 'no registry.load ran before it in the run' }],
  },
  {
    name: 'output.publishDiagnostics',
    description:
      'Hands the diagnostics of the last registry.check to the host: the Problems panel in the editor, stdout in the CLI.',
    inputs: [],
    outputs: [{ name: 'publishedCount', type: 'number', description: 'How many diagnostics were published.' }],
    errors: [{ code: ERR_NO_CHECK_RESULT, when: 'no registry.check ran before it in the run' }],
  },
] as const satisfies readonly ServiceDoc[];

export type ServiceName = (typeof SERVICE_CATALOG)[number]['name'];
