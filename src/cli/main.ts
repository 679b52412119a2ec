import { Command, CommanderError, Option } from 'commander';
import packageJson from '../../package.json';
import type { EngineChoice } from '../core/engine/registryEngine';
import type { DiagnosticFormat } from './format';
import { EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';
import { registryCheckCommand } from './registryCheck';
import { DEFAULT_RUNS_DIR, spansCoverageCommand, type CoverageFormat } from './spansCoverage';
import { workflowRunCommand } from './workflowRun';

/**
 * `weavergen`: runs the extension's workflows headless, so CI and the editor agree.
 * Exit codes: 0 clean, 1 error diagnostics (for `spans coverage --require-all`: a service never
 * called), 2 bad usage or a run that failed, 130 interrupted.
 */

const ENGINES: EngineChoice[] = ['auto', 'native', 'weaver'];
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

/** Runs the CLI on `argv` (the arguments after the program name) and returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('weavergen')
    .description('Check and work with OpenTelemetry semantic-convention registries through WeaverGen workflows.')
    .version(packageJson.version, '-V, --version')
    .option('-v, --verbose', 'log the run to stderr')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(weavergen --help lists the commands)');
  const verbose = () => program.opts<{ verbose?: boolean }>().verbose === true;

  const registry = program.command('registry').description('commands on a registry folder');
  registry
    .command('check')
    .description('check a registry (runs the registry_check workflow); exit 1 when it has an error')
    .requiredOption('-r, --registry <dir>', 'the registry folder')
    .addOption(formatOption())
    .option('--trace <file>', 'write the run as OTLP JSON spans to this file')
    .addOption(runsOption())
    .addOption(engineOption())
    .action(async (opts: { registry: string; diagnosticFormat: DiagnosticFormat; trace?: string; runs?: string; engine: EngineChoice }) => {
      exitCode = await registryCheckCommand(io, { ...opts, verbose: verbose() });
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

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // --help and --version end through here with exit code 0; parse errors are already printed.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    io.stderr(`weavergen: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}
