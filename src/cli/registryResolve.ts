import { resolve } from 'node:path';
import { isFolder } from '../core/folders';
import type { EngineChoice } from '../core/engine/registryEngine';
import type { RunReport } from '../core/workflow/types';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { fail, runForCli } from './runForCli';
import { fileAccessInputs, type FileAccessFlags } from './fileFlags';

export type ResolvedFormat = 'json' | 'yaml';

export interface RegistryResolveOptions extends FileAccessFlags {
  registry: string;
  format: ResolvedFormat;
  /** `--v2`: weaver's resolved/2.0 form. */
  v2?: boolean;
  /** `-o FILE`: relative to the working directory, which is the folder it must stay inside. */
  output?: string;
  trace?: string;
  runs?: string;
  engine: EngineChoice;
  verbose: boolean;
}

/**
 * `weavergen registry resolve`: runs the registry_resolve workflow. The resolved registry goes to
 * stdout, or with `-o` to a file inside the working directory (the folder the user chose).
 */
export async function registryResolveCommand(io: CliIo, options: RegistryResolveOptions): Promise<number> {
  const registryPath = resolve(io.cwd, options.registry);
  if (!(await isFolder(registryPath))) {
    fail(io, `registry folder not found: ${registryPath}. Pass -r with the folder that holds the registry's YAML files.`);
    return EXIT_USAGE;
  }
  const inputs: Record<string, unknown> = { registryPath, format: options.format, ...fileAccessInputs(options) };
  if (options.v2) inputs.v2 = true;
  if (options.output) {
    inputs.outputPath = options.output;
    inputs.outputRoot = io.cwd;
  }
  let report: RunReport | undefined;
  const outcome = await runForCli(io, {
    workflow: 'registry_resolve',
    inputs,
    engine: options.engine,
    trace: options.trace,
    runs: options.runs,
    verbose: options.verbose,
    onReport: (r) => {
      report = r;
    },
  });
  if (outcome.kind === 'exit') return outcome.code;
  if (!options.output) {
    if (!report) {
      fail(io, `the registry_resolve workflow (${outcome.result.record.workflowFile}) wrote nothing: it needs an output.write task after registry.resolve`);
      return EXIT_USAGE;
    }
    io.stdout(report.content);
  }
  return EXIT_OK;
}
