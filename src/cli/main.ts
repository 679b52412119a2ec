import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../../package.json';
import type { EngineChoice } from '../core/engine/registryEngine';
import { DIAGNOSTIC_OUTPUT_FORMATS, type DiagnosticFormat, type DiagnosticOutputFormat } from './format';
import { diagnosticsLocateCommand } from './diagnosticsLocate';
import { addFileAccessFlags, type FileAccessFlags } from './fileFlags';
import { EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';
import { registryCheckCommand } from './registryCheck';
import { addUnsupportedCheckFlags, outputFormat, unsupportedCheckFlagError, WEAVER_FORMAT_ALIASES } from './weaverCheckFlags';
import { completionCommand } from './completion';
import { diagnosticInitCommand } from './diagnosticInit';
import { diffCommand, type DiffFormat } from './diff';
import { jsonSchemaCommand } from './jsonSchema';
import { searchCommand, type SearchFormat } from './search';
import { statsCommand } from './stats';
import { SEARCH_TYPES } from '../core/semconv/search/searchRegistry';
import { AVAILABLE_SCHEMA_KINDS, WEAVER_SCHEMA_KINDS } from '../core/semconv/jsonSchema/schemaExport';
import { COMPLETION_SHELLS } from '../core/services/completionScript';
import { registryResolveCommand, type ResolvedFormat } from './registryResolve';
import { DEFAULT_RUNS_DIR, spansCoverageCommand, type CoverageFormat } from './spansCoverage';
import { workflowRunCommand } from './workflowRun';
import { textBlock } from '../core/report/safeText';
import { withWorkflowOptions, workflowSettingsFrom } from './workflowOptions';

/**
 * `weavergen`: runs the extension's workflows headless, so CI and the editor agree.
 * Exit codes: 0 clean, 1 error diagnostics (for `spans coverage --require-all`: a service never
 * called), 2 bad usage or a run that failed, 3 (`registry check`) the check could not cover all it was
 * asked to (a file or dependency not read, a limit reached), 130 interrupted.
 */

const ENGINES: EngineChoice[] = ['auto', 'native', 'weaver'];
const WORKFLOW_COMMANDS: readonly (readonly string[])[] = [
  ['registry', 'check'],
  ['registry', 'resolve'],
  ['registry', 'stats'],
  ['registry', 'search'],
  ['registry', 'diff'],
  ['registry', 'json-schema'],
  ['diagnostics', 'locate'],
  ['diagnostic', 'init'],
  ['completion'],
  ['workflow', 'run'],
];
const FORMATS: DiagnosticFormat[] = ['text', 'json'];
const COVERAGE_FORMATS: CoverageFormat[] = ['text', 'json'];

function engineOption(): Option {
  return new Option('--engine <engine>', 'registry engine: weaver when found (auto), the built-in one (native), or the weaver binary').choices(ENGINES).default('auto');
}

function runsOption(): Option {
  return new Option('--runs <dir>', 'save the run record (OTLP spans and all) into this folder, for `weavergen spans coverage`; the newest 100 are kept');
}

function formatOption(): Option {
  return new Option('--diagnostic-format <format>', 'text: file:line:col lines; json: one array on stdout').choices(FORMATS).default('text');
}

/**
 * The value parser of weaver's boolean flags that take a value (`--skip-policies`, `--v2`, ...): a bare
 * flag means true (commander passes no value then), `=true` / `=false` set it explicitly.
 */
function weaverBool(flag: string): (value: string) => boolean {
  return (value) => {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new InvalidArgumentError(`${flag} takes true or false (or nothing, for true), not '${value}'`);
  };
}

/** Runs the CLI on `argv` (the arguments after the program name) and returns the exit code. */
export async function main(argv: string[], callerIo: CliIo = processIo()): Promise<number> {
  // A copy: the workflow flags of the command being run are set on it just before its action.
  const io: CliIo = { ...callerIo };
  let exitCode = EXIT_OK;
  const program = new Command('weavergen')
    .description('Check and work with OpenTelemetry semantic-convention registries through WeaverGen workflows.')
    .version(packageJson.version, '-V, --version')
    .option('-v, --verbose', 'log the run to stderr')
    .exitOverride()
    // Commander's errors quote the arguments (a path, a search string): spelled out line by line.
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(textBlock(s)) })
    .showHelpAfterError('(weavergen --help lists the commands)');
  const verbose = () => program.opts<{ verbose?: boolean }>().verbose === true;
  program.hook('preAction', (_program, action) => {
    if (workflowCommands.has(action)) io.workflow = workflowSettingsFrom(action.opts(), io.cwd);
  });
  /** Commands that run a workflow: they take --workflows and the limit flags (workflowOptions.ts). */
  const workflowCommands = new Set<Command>();
  const runsWorkflow = (command: Command): Command => {
    workflowCommands.add(command);
    return withWorkflowOptions(command);
  };

  const registry = program.command('registry').description('commands on a registry folder');
  const checkCommand = registry
    .command('check')
    .description('check a registry (runs the registry_check workflow); exit 1 when it has an error, 3 when some file or dependency could not be checked. docs/cli.md compares the flags with weaver\'s')
    .requiredOption('-r, --registry <dir>', 'the registry folder (a local folder: Git and archive URLs are not fetched)')
    .addOption(
      new Option('--diagnostic-format <format>', "text: file:line:col lines; json: one array on stdout; sarif: SARIF 2.1.0; github: workflow command annotations; weaver's ansi and gh_workflow_command mean text and github")
        .choices([...DIAGNOSTIC_OUTPUT_FORMATS, ...Object.keys(WEAVER_FORMAT_ALIASES)])
        .default('text'),
    )
    .option('--sarif-root <dir>', 'SARIF and github paths are relative to this folder (default: the git repository root of the registry, else the working directory)')
    .addOption(new Option('--diagnostic-stdout [bool]', "weaver's: findings on stdout; they always are here").argParser(weaverBool('--diagnostic-stdout')))
    .option('--baseline-registry <dir>', 'a baseline registry folder: the backwards-compatibility policies compare the registry against it')
    .addOption(
      new Option('--skip-policies [bool]', 'skip the policy packages; a bare --skip-policies means true, --skip-policies=false overrides')
        .argParser(weaverBool('--skip-policies'))
        .default(false),
    )
    .option(
      '-p, --policy <path>',
      'a Rego policy file or folder (repeatable). As with weaver, no policy runs unless named; the native engine runs the opentelemetry-weaver-packages check packages, other Rego needs --engine weaver',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option('--v2 [bool]', "weaver's --v2: policies get the v2 resolved registry (the weaver engine; the native rules read the v1 shape)")
        .argParser(weaverBool('--v2'))
        .default(false),
    )
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption());
  addUnsupportedCheckFlags(checkCommand)
    .action(
      async (opts: FileAccessFlags & {
        registry: string;
        diagnosticFormat: string;
        sarifRoot?: string;
        baselineRegistry?: string;
        policy: string[];
        v2: boolean | string;
        skipPolicies: boolean | string;
        trace?: string;
        runs?: string;
        engine: EngineChoice;
      }) => {
        const refused = unsupportedCheckFlagError(opts);
        if (refused) {
          io.stderr(`weavergen: ${textBlock(refused)}\n`);
          exitCode = EXIT_USAGE;
          return;
        }
        // A bare `--skip-policies` gives commander's `true`; `--skip-policies=x` goes through the parser.
        exitCode = await registryCheckCommand(io, {
          ...opts,
          diagnosticFormat: outputFormat(opts.diagnosticFormat),
          policies: opts.policy,
          v2: opts.v2 === true,
          skipPolicies: opts.skipPolicies === true,
          verbose: verbose(),
        });
      },
    );

  registry
    .command('resolve')
    .description('resolve a registry as weaver does (runs the registry_resolve workflow) and print it, or write it with -o')
    .requiredOption('-r, --registry <dir>', 'the registry folder')
    .addOption(new Option('--format <format>', 'document format').choices(['json', 'yaml']).default('yaml'))
    .option('-o, --output <file>', 'write to this file (inside the working directory) instead of stdout')
    .option('--v2', "write weaver's resolved/2.0 form")
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption())
    .action(async (opts: { registry: string; format: ResolvedFormat; output?: string; v2?: boolean; trace?: string; runs?: string; engine: EngineChoice }) => {
      exitCode = await registryResolveCommand(io, { ...opts, verbose: verbose() });
    });

  const diagnostics = program.command('diagnostics').description("commands on weaver's diagnostics");
  diagnostics
    .command('locate')
    .description('place the findings of `weaver registry check --diagnostic-format json` on their lines; exit 1 when one is an error')
    .requiredOption('-r, --registry <dir>', 'the registry folder weaver checked')
    .requiredOption('--weaver-json <file>', "the file weaver's JSON diagnostics were saved to")
    .option('--weaver-cwd <dir>', "the folder weaver ran in (its relative paths start there); default: the current folder")
    .addOption(new Option('--format <format>', 'text: file:line:col lines; json: RegistryDiagnostic[]; sarif: SARIF 2.1.0; github: workflow command annotations').choices(DIAGNOSTIC_OUTPUT_FORMATS).default('text'))
    .option('--sarif-root <dir>', 'SARIF and github paths are relative to this folder (default: the git repository root of the registry, else the working directory)')
    .action(async (opts: { registry: string; weaverJson: string; weaverCwd?: string; format: DiagnosticOutputFormat; sarifRoot?: string }) => {
      exitCode = await diagnosticsLocateCommand(io, { ...opts, verbose: verbose() });
    });

  registry
    .command('stats')
    .description("registry statistics as weaver's `registry stats --format json` (runs the registry_stats workflow)")
    .requiredOption('-r, --registry <dir>', 'the registry folder')
    .option('--v2', "weaver's v2 statistics shape")
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .option('-o, --output <dir>', 'write stats.<format> into this folder instead of stdout')
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption())
    .action(async (opts: { registry: string; v2?: boolean; format: 'json' | 'yaml'; output?: string; trace?: string; runs?: string; engine: EngineChoice }) => {
      exitCode = await statsCommand(io, { ...opts, v2: opts.v2 === true, verbose: verbose() });
    });

  registry
    .command('search')
    .description("search attributes, metrics, spans, events and entities with weaver's ranking (runs the registry_search workflow)")
    .argument('[search_string]', 'what to look for; empty lists everything')
    .requiredOption('-r, --registry <dir>', 'the registry folder')
    .addOption(new Option('--type <type>', 'only this kind of item').choices([...SEARCH_TYPES]).default('all'))
    .option('--stability <stability>', 'only items of this stability (stable, development, ...)')
    .option('--limit <n>', 'most results to show', (v: string) => Number.parseInt(v, 10), 20)
    .addOption(new Option('--format <format>', 'text: one line per result; json: weaver search results').choices(['text', 'json']).default('text'))
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption())
    .action(async (query: string | undefined, opts: { registry: string; type: string; stability?: string; limit: number; format: SearchFormat; trace?: string; runs?: string; engine: EngineChoice }) => {
      exitCode = await searchCommand(io, query, { ...opts, verbose: verbose() });
    });

  registry
    .command('diff')
    .description("changes from a baseline registry as weaver's schema changes (runs the registry_diff workflow)")
    .requiredOption('-r, --registry <dir>', 'the registry folder (head)')
    .requiredOption('--baseline-registry <dir>', 'the older registry folder to compare against')
    .option('--v2', "weaver's v2 diff shape (schemas/semconv.diff.v2.json)")
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml', 'markdown']).default('json'))
    .option('-o, --output <dir>', 'write diff.<format> into this folder instead of stdout')
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption())
    .action(async (opts: { registry: string; baselineRegistry: string; v2?: boolean; format: DiffFormat; output?: string; trace?: string; runs?: string; engine: EngineChoice }) => {
      exitCode = await diffCommand(io, { ...opts, v2: opts.v2 === true, verbose: verbose() });
    });

  registry
    .command('json-schema')
    .description(`a JSON Schema under weaver's name for it (runs the registry_json_schema workflow); bundled: ${AVAILABLE_SCHEMA_KINDS.join(', ')}`)
    .addOption(new Option('-j, --json-schema <kind>', 'the schema').choices([...WEAVER_SCHEMA_KINDS]).default('semconv-definition-v2'))
    .option('-o, --output <file>', 'write the schema to this file instead of stdout')
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .action(async (opts: { jsonSchema: string; output?: string; trace?: string; runs?: string }) => {
      exitCode = await jsonSchemaCommand(io, { ...opts, verbose: verbose() });
    });

  const diagnostic = program.command('diagnostic').description('diagnostic templates');
  diagnostic
    .command('init')
    .description("write weaver's default diagnostic templates into a folder (runs the diagnostic_init workflow; needs the weaver binary)")
    .argument('[target]', 'only this diagnostic format (ansi, json, gh_workflow_command)')
    .option('-t, --diagnostic-templates-dir <dir>', 'the folder to create', 'diagnostic_templates')
    .option('--weaver-path <path>', 'the weaver executable (default: found on the PATH)')
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .action(async (target: string | undefined, opts: { diagnosticTemplatesDir: string; weaverPath?: string; trace?: string; runs?: string }) => {
      exitCode = await diagnosticInitCommand(io, target, { ...opts, verbose: verbose() });
    });

  program
    .command('completion')
    .description('print a shell completion script for weavergen (runs the completion workflow)')
    .addArgument(new Argument('<shell>', 'the shell').choices([...COMPLETION_SHELLS]))
    .action(async (shell: string) => {
      exitCode = await completionCommand(io, shell, program, verbose());
    });

  const workflow = program.command('workflow').description('run workflows');
  workflow
    .command('run')
    .description('run a workflow by name (registry_check) or a .bpmn file with the built-in services')
    .argument('<workflow>', 'workflow name or path of a .bpmn file')
    .option('--input <key=value>', 'a run input, repeatable; JSON values are parsed (true, 3)', (v: string, all: string[]) => [...all, v], [] as string[])
    .addOption(formatOption())
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption())
    .action(async (name: string, opts: { input: string[]; diagnosticFormat: DiagnosticFormat; trace?: string; runs?: string; engine: EngineChoice }) => {
      exitCode = await workflowRunCommand(io, name, { ...opts, verbose: verbose() });
    });

  const spans = program.command('spans').description('commands on recorded runs (saved with --runs)');
  spans
    .command('coverage')
    .description('how often each catalogued service was called in the recorded runs, its success rate, and which were never called')
    .option('--runs <dir>', 'the folder of run records', DEFAULT_RUNS_DIR)
    .addOption(new Option('--format <format>', 'text: a table; json: one object on stdout').choices(COVERAGE_FORMATS).default('text'))
    .option('--require-all', 'exit 1 when a catalogued service was never called')
    .action(async (opts: { runs: string; format: CoverageFormat; requireAll?: boolean }) => {
      exitCode = await spansCoverageCommand(io, { runs: opts.runs, format: opts.format, requireAll: opts.requireAll === true });
    });

  // How the registry's files are read (links, limits): the same flags on every command that loads one.
  for (const name of ['check', 'resolve', 'stats', 'search', 'diff']) {
    const command = registry.commands.find((c) => c.name() === name);
    if (command) addFileAccessFlags(command);
  }
  // Every command that runs a workflow takes the workflow flags (spans coverage only reads records).
  for (const path of WORKFLOW_COMMANDS) {
    const command = path.reduce<Command | undefined>((parent, name) => parent?.commands.find((c) => c.name() === name), program);
    if (!command) throw new Error(`weavergen: no command ${path.join(' ')} to give the workflow flags`);
    runsWorkflow(command);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // --help and --version end through here with exit code 0; parse errors are already printed.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    io.stderr(`weavergen: ${textBlock(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}
