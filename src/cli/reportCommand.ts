import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { EngineChoice } from '../core/engine/registryEngine';
import { isFolder } from '../core/folders';
import { safeJson, safeYaml, textField } from '../core/report/safeText';
import type { RunReport } from '../core/workflow/types';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { fail, runForCli } from './runForCli';
import { fileAccessInputs, type FileAccessFlags } from './fileFlags';

/**
 * What the reporting commands (registry stats, search, diff, json-schema, completion) share: run
 * the workflow, take the report it hands to `output.report`, and print it or write it to a file.
 */

export interface RunOptions extends FileAccessFlags {
  trace?: string;
  runs?: string;
  engine: EngineChoice;
  verbose: boolean;
}

/** `-r DIR` as an absolute folder, or a usage error naming it. */
export async function registryFolder(io: CliIo, path: string, flag = '-r'): Promise<string | undefined> {
  const folder = resolve(io.cwd, path);
  if (!(await isFolder(folder))) {
    fail(io, `registry folder not found: ${folder}. Pass ${flag} with the folder that holds the registry's YAML files.`);
    return undefined;
  }
  return folder;
}

/** Runs `workflow` and returns the report it published, or an exit code when there is none. */
export async function runReport(io: CliIo, workflow: string, inputs: Record<string, unknown>, options: RunOptions): Promise<RunReport | number> {
  let report: RunReport | undefined;
  const outcome = await runForCli(io, {
    workflow,
    inputs: { ...inputs, ...fileAccessInputs(options) },
    engine: options.engine,
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.runs ? { runs: options.runs } : {}),
    verbose: options.verbose,
    onReport: (r) => {
      report = r;
    },
  });
  if (outcome.kind === 'exit') return outcome.code;
  if (!report) {
    fail(io, `the ${workflow} workflow (${outcome.result.record.workflowFile}) reported nothing: it needs an output.report task after its last step`);
    return EXIT_USAGE;
  }
  return report;
}

export type DataFormat = 'json' | 'yaml';

/**
 * The report's data as JSON (two-space indent, as weaver prints) or YAML, both parsing back to the
 * registry's strings, with what would fool a terminal or a CI log escaped (safeJson, safeYaml).
 */
export function renderData(report: RunReport, format: DataFormat): string {
  if (format === 'yaml') return safeYaml(report.data ?? null);
  return safeJson(report.content);
}

/** Prints `text`, or writes it to `output` (relative to the working directory) and says where on stderr. */
export async function emit(io: CliIo, text: string, output?: string): Promise<number> {
  if (!output) {
    io.stdout(text);
    return EXIT_OK;
  }
  const file = resolve(io.cwd, output);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, 'utf8');
  } catch (err) {
    fail(io, `cannot write ${file}: ${err instanceof Error ? err.message : String(err)}. Pick a writable path for -o.`);
    return EXIT_USAGE;
  }
  io.stderr(`weavergen: wrote ${textField(file)}\n`);
  return EXIT_OK;
}
