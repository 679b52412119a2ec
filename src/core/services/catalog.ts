import { ERR_NOTHING_TO_WRITE, ERR_OUTPUT_REFUSED } from './outputWrite';
import { ERR_RESOLUTION_FAILED } from './registryResolve';
import { ERR_INPUT_MISSING, ERR_NO_CHECK_RESULT, ERR_NO_REGISTRY_LOADED, ERR_REGISTRY_NOT_FOUND } from './serviceError';
import { ERR_INPUT_INVALID, ERR_NO_REPORT, ERR_SCHEMA_NOT_BUNDLED, ERR_WEAVER_FAILED, ERR_WEAVER_NOT_FOUND } from './reportErrors';
import { ERR_NO_WEAVER_FINDINGS, ERR_WEAVER_OUTPUT_INVALID, ERR_WEAVER_OUTPUT_UNREADABLE } from './weaverFindings';

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
    inputs: [
      { name: 'registryPath', type: 'string', required: true, description: 'Path of the registry folder (absolute, or relative to the working directory).' },
      {
        name: 'files',
        type: '{ followSymlinks?; maxFiles?; maxFileSize?; maxTotalSize?; maxDepth? }',
        description:
          'How the files are read: followSymlinks follows links leaving the registry folder (default false: each is a symlink-skipped finding); limits per load: maxFiles (20000), maxFileSize and maxTotalSize in bytes (8 MiB, 32 MiB), maxDepth (32 folder levels).',
      },
    ],
    outputs: [{ name: 'summary', type: SUMMARY, description: 'Size of the loaded registry.' }],
    errors: [
      { code: ERR_INPUT_MISSING, when: 'registryPath is missing or not a string' },
      { code: ERR_INPUT_INVALID, when: 'files is not of its shape (an unknown field, a limit that is not a positive whole number)' },
      { code: ERR_REGISTRY_NOT_FOUND, when: 'registryPath is not an existing folder' },
    ],
  },
  {
    name: 'registry.check',
    description: 'Checks the loaded registry (syntax, schema, references, built-in policies) and keeps the diagnostics for output.* services.',
    inputs: [
      {
        name: 'baselineRegistryPath',
        type: 'string',
        description: "Folder of a baseline registry (weaver's --baseline-registry): the backwards-compatibility policies compare against it.",
      },
      { name: 'skipPolicies', type: 'boolean', description: "Skip the policy packages (weaver's --skip-policies)." },
      { name: 'policies', type: 'string[]', description: "Policy paths (weaver's -p/--policy). No policy runs unless one is named, as with weaver." },
      { name: 'v2', type: 'boolean', description: "weaver's --v2: policies get the v2 resolved shape (the weaver engine; the native rules read v1)." },
    ],
    outputs: [
      { name: 'summary', type: SUMMARY, description: 'Size of the checked registry.' },
      { name: 'diagnosticCount', type: 'number', description: 'All diagnostics.' },
      { name: 'errorCount', type: 'number', description: 'Diagnostics of severity error.' },
      { name: 'warningCount', type: 'number', description: 'Diagnostics of severity warning.' },
      { name: 'hasErrors', type: 'boolean', description: 'errorCount > 0, for gateway conditions: ${environment.output.hasErrors}.' },
    ],
    errors: [
      { code: ERR_NO_REGISTRY_LOADED, when: 'no registry.load ran before it in the run' },
      { code: ERR_REGISTRY_NOT_FOUND, when: 'baselineRegistryPath is not an existing folder' },
    ],
  },
  {
    name: 'output.publishDiagnostics',
    description:
      'Hands the diagnostics of the last registry.check to the host: the Problems panel in the editor, stdout in the CLI.',
    inputs: [],
    outputs: [{ name: 'publishedCount', type: 'number', description: 'How many diagnostics were published.' }],
    errors: [{ code: ERR_NO_CHECK_RESULT, when: 'no registry.check ran before it in the run' }],
  },
  {
    name: 'registry.resolve',
    description:
      'Resolves the loaded registry natively as `weaver registry resolve` does (refs with overrides, extends, includes, dependencies, lineage) and keeps it for output.write. Fails with every resolution error, each placed at its file and line.',
    inputs: [{ name: 'v2', type: 'boolean', description: 'Resolve for the resolved/2.0 form (references to published attributes resolve to their definitions).' }],
    outputs: [
      { name: 'resolvedGroups', type: 'number', description: 'Groups in the resolved registry.' },
      { name: 'resolvedAttributes', type: 'number', description: 'Distinct attribute names in the resolved registry.' },
    ],
    errors: [
      { code: ERR_NO_REGISTRY_LOADED, when: 'no registry.load ran before it in the run' },
      { code: ERR_RESOLUTION_FAILED, when: 'unresolved references or extends, duplicate group/attribute ids or metric names' },
    ],
  },
  {
    name: 'output.write',
    description:
      'Writes the resolved registry (weaver\'s resolved form: registry + attribute catalog) as JSON or YAML to outputPath inside outputRoot, or hands it to the host (stdout in the CLI) when outputPath is absent. Never writes outside outputRoot.',
    inputs: [
      { name: 'format', type: "'json' | 'yaml'", description: 'Document format; yaml when absent.' },
      { name: 'v2', type: 'boolean', description: "Write weaver's resolved/2.0 form instead of the resolved registry + attribute catalog." },
      { name: 'outputPath', type: 'string', description: 'File to write, relative to outputRoot (or absolute inside it); absent: the host gets the document.' },
      { name: 'outputRoot', type: 'string', description: 'The folder the user chose; required with outputPath.' },
    ],
    outputs: [
      { name: 'written', type: 'string', description: "Absolute path written, or 'host'." },
      { name: 'bytes', type: 'number', description: 'Size of the document.' },
    ],
    errors: [
      { code: ERR_NOTHING_TO_WRITE, when: 'no registry.resolve ran before it in the run' },
      { code: ERR_OUTPUT_REFUSED, when: 'outputPath leads outside outputRoot, or format is neither json nor yaml' },
      { code: ERR_INPUT_MISSING, when: 'outputPath without outputRoot, or no outputPath and a host that takes no report' },
    ],
  },
  {
    name: 'registry.stats',
    description:
      'Counts what the loaded registry holds, as `weaver registry stats --format json` does (groups per type, attributes by type, stability, requirement level, deprecation, metrics by instrument and unit), on the native model. The JSON goes to output.report.',
    inputs: [{ name: 'v2', type: 'boolean', description: 'true: weaver\'s v2 statistics shape (`--v2`); default: the v1 shape.' }],
    outputs: [
      { name: 'fileCount', type: 'number', description: 'Definition files read.' },
      { name: 'groupCount', type: 'number', description: 'Groups (v2 signals counted as the groups weaver makes of them).' },
      { name: 'attributeCount', type: 'number', description: 'Registry attributes.' },
      { name: 'groupsByType', type: 'Record<string, number>', description: 'Groups per type (span, metric, attribute_group...).' },
    ],
    errors: [{ code: ERR_NO_REGISTRY_LOADED, when: 'no registry.load ran before it in the run' }],
  },
  {
    name: 'registry.search',
    description:
      'Searches the loaded registry\'s attributes, metrics, spans, events and entities with weaver\'s relevance scores (exact id > id prefix > id contains > id tokens > brief > note; deprecated items a tenth). The results go to output.report.',
    inputs: [
      { name: 'query', type: 'string', description: 'What to look for; empty lists everything (score 0).' },
      { name: 'searchType', type: "'all' | 'attribute' | 'metric' | 'span' | 'event' | 'entity'", description: 'Only items of this kind (default all).' },
      { name: 'stability', type: 'string', description: 'Only items of this stability (stable, development...).' },
      { name: 'limit', type: 'number', description: 'Most results to return (default 20).' },
    ],
    outputs: [
      { name: 'query', type: 'string', description: 'The query as searched.' },
      { name: 'total', type: 'number', description: 'Matches before the limit.' },
      { name: 'resultCount', type: 'number', description: 'Results returned.' },
      { name: 'topResult', type: 'number', description: 'Score of the best result (0 when none).' },
    ],
    errors: [
      { code: ERR_NO_REGISTRY_LOADED, when: 'no registry.load ran before it in the run' },
      { code: ERR_INPUT_INVALID, when: 'searchType, limit or stability has the wrong type or value' },
    ],
  },
  {
    name: 'registry.diff',
    description:
      'Compares the loaded registry (head) with a baseline registry folder as weaver\'s schema changes (added, renamed, obsoleted, uncategorized, removed per attributes, metrics, events, spans, entities). The JSON (and a markdown rendering) goes to output.report.',
    inputs: [
      { name: 'baselineRegistryPath', type: 'string', required: true, description: 'Folder of the older registry (`--baseline-registry`).' },
      { name: 'v2', type: 'boolean', description: 'true: weaver\'s v2 diff shape (schemas/semconv.diff.v2.json); default: the v1 shape.' },
    ],
    outputs: [
      { name: 'changes', type: 'Record<\'added\' | \'renamed\' | \'obsoleted\' | \'uncategorized\' | \'removed\', number>', description: 'How many changes of each type.' },
      { name: 'headVersion', type: 'string', description: 'v1 shape: the head registry\'s version.' },
      { name: 'baselineVersion', type: 'string', description: 'v1 shape: the baseline registry\'s version.' },
    ],
    errors: [
      { code: ERR_NO_REGISTRY_LOADED, when: 'no registry.load ran before it in the run' },
      { code: ERR_INPUT_MISSING, when: 'baselineRegistryPath is missing' },
      { code: ERR_REGISTRY_NOT_FOUND, when: 'baselineRegistryPath is not an existing folder' },
    ],
  },
  {
    name: 'registry.jsonSchema',
    description:
      'Writes a JSON Schema under weaver\'s name for it (`weaver registry json-schema -j`): semconv-group, semconv-definition-v2, definition-manifest-v2 and publication-manifest-v2 come from the native engine\'s own schemas; the schemas of weaver\'s outputs fail with SCHEMA_NOT_BUNDLED. The schema goes to output.report.',
    inputs: [{ name: 'jsonSchema', type: 'string', description: 'Weaver\'s schema name (default semconv-definition-v2).' }],
    outputs: [
      { name: 'jsonSchema', type: 'string', description: 'The schema written.' },
      { name: 'bytes', type: 'number', description: 'Size of the JSON text.' },
    ],
    errors: [
      { code: ERR_INPUT_INVALID, when: 'jsonSchema is not a string' },
      { code: ERR_SCHEMA_NOT_BUNDLED, when: 'the name is unknown or names a weaver output schema the native engine does not carry' },
    ],
  },
  {
    name: 'diagnostic.init',
    description:
      'Writes weaver\'s default diagnostic templates into a folder (`weaver diagnostic init -t DIR`). The templates are built into the weaver binary: without it the service fails with WEAVER_NOT_FOUND.',
    inputs: [
      { name: 'diagnosticTemplatesDir', type: 'string', description: 'Folder to create (default diagnostic_templates in the working directory).' },
      { name: 'target', type: 'string', description: 'Only this diagnostic format (ansi, json, gh_workflow_command).' },
      { name: 'weaverPath', type: 'string', description: 'The weaver executable (weavergen.weaver.path); default: found on the PATH.' },
    ],
    outputs: [
      { name: 'diagnosticTemplatesDir', type: 'string', description: 'The folder written.' },
      { name: 'weaver', type: 'string', description: 'The weaver binary that wrote it.' },
    ],
    errors: [
      { code: ERR_INPUT_INVALID, when: 'diagnosticTemplatesDir or target has the wrong type' },
      { code: ERR_WEAVER_NOT_FOUND, when: 'the weaver binary cannot be found' },
      { code: ERR_WEAVER_FAILED, when: 'weaver ran but did not finish cleanly' },
    ],
  },
  {
    name: 'cli.completion',
    description: 'Makes a shell completion script (bash, zsh, fish) for a command line described as a tree; `weavergen completion` passes its own commands. The script goes to output.report.',
    inputs: [
      { name: 'shell', type: "'bash' | 'zsh' | 'fish'", required: true, description: 'The shell to complete in.' },
      { name: 'commandTree', type: '{ name; description; options: { flags; takesValue; choices?; description }[]; commands: [...] }', required: true, description: 'The commands and options to complete.' },
    ],
    outputs: [
      { name: 'shell', type: 'string', description: 'The shell.' },
      { name: 'program', type: 'string', description: 'The completed program name.' },
      { name: 'lines', type: 'number', description: 'Lines in the script.' },
    ],
    errors: [
      { code: ERR_INPUT_MISSING, when: 'commandTree is missing' },
      { code: ERR_INPUT_INVALID, when: 'shell is not bash, zsh or fish, or commandTree has the wrong shape' },
    ],
  },
  {
    name: 'output.report',
    description:
      'Hands what the last reporting service made (stats, search results, diff, JSON schema, completion script) to the host: the CLI prints it, the editor opens it in a document.',
    inputs: [],
    outputs: [
      { name: 'reportPublished', type: 'boolean', description: 'False when the host takes no reports (it stays in the run outputs).' },
      { name: 'reportTitle', type: 'string', description: 'What the report is.' },
      { name: 'reportFormat', type: "'json' | 'markdown' | 'text'", description: 'Its format, when published.' },
    ],
    errors: [{ code: ERR_NO_REPORT, when: 'no reporting service ran before it in the run' }],
  },
  {
    name: 'weaver.parseDiagnostics',
    description:
      'Reads what `weaver registry check --diagnostic-format json` wrote (saved in CI, where weaver runs) into findings for weaver.placeDiagnostics. An empty file is zero findings.',
    inputs: [{ name: 'weaverJsonPath', type: 'string', required: true, description: 'The file weaver\'s JSON diagnostics were saved to (absolute, or relative to the working directory).' }],
    outputs: [
      { name: 'findingCount', type: 'number', description: 'Findings read (a compound weaver error counts once per finding it holds).' },
      { name: 'findingsBySeverity', type: "Record<'error' | 'warning' | 'advice', number>", description: 'Findings per weaver severity.' },
    ],
    errors: [
      { code: ERR_INPUT_MISSING, when: 'weaverJsonPath is missing or not a string' },
      { code: ERR_WEAVER_OUTPUT_UNREADABLE, when: 'the file cannot be read' },
      { code: ERR_WEAVER_OUTPUT_INVALID, when: 'the file holds no JSON document' },
    ],
  },
  {
    name: 'weaver.placeDiagnostics',
    description:
      'Places the findings of the last weaver.parseDiagnostics on the lines of the registry\'s YAML through the native model (whatever the run\'s engine), and keeps them as the run\'s check result so output.publishDiagnostics hands them to the host. A finding that names nothing found is shown on the manifest (or first file), saying so.',
    inputs: [
      { name: 'registryPath', type: 'string', required: true, description: 'The registry folder weaver checked.' },
      { name: 'weaverCwd', type: 'string', description: 'The folder weaver ran in (relative paths in its findings start there); default: the registry folder.' },
    ],
    outputs: [
      { name: 'summary', type: SUMMARY, description: 'Size of the registry the findings were placed in.' },
      { name: 'placed', type: "Record<'exact' | 'file' | 'unplaced', number>", description: 'Findings placed on their line, at the top of the file weaver names, or nowhere (on the fallback file).' },
      { name: 'diagnosticCount', type: 'number', description: 'All placed diagnostics.' },
      { name: 'errorCount', type: 'number', description: 'Diagnostics of severity error.' },
      { name: 'warningCount', type: 'number', description: 'Diagnostics of severity warning.' },
      { name: 'hasErrors', type: 'boolean', description: 'errorCount > 0, for gateway conditions: ${environment.output.hasErrors}.' },
    ],
    errors: [
      { code: ERR_NO_WEAVER_FINDINGS, when: 'no weaver.parseDiagnostics ran before it in the run' },
      { code: ERR_INPUT_MISSING, when: 'registryPath is missing or not a string' },
      { code: ERR_REGISTRY_NOT_FOUND, when: 'registryPath is not an existing folder' },
    ],
  },
] as const satisfies readonly ServiceDoc[];

export type ServiceName = (typeof SERVICE_CATALOG)[number]['name'];
