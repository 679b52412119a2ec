import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createNativeEngine } from '../core/engine/nativeEngine';
import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import { WorkflowError } from '../core/workflow/locate';
import { runWorkflow } from '../core/workflow/runner';
import type { RunRecord, RunResult } from '../core/workflow/types';
import { countSeverities, formatDiagnostics, type DiagnosticOutputFormat } from './format';
import { EXIT_CANCELLED, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, stderrLogger, type CliIo } from './io';
import { formatValidationWarning } from './runValidation';
import { reportRoot } from '../core/report/reportRoot';
import { textField } from '../core/report/safeText';
import { announceOverride, overrideDirsOf } from './workflowOptions';

/**
 * `weavergen diagnostics locate`: reads what `weaver registry check --diagnostic-format json` wrote
 * (in CI, where weaver runs) and places each finding on its line through the native model of the
 * registry, then prints it for people (text), tools (json), code scanning (sarif) or GitHub Actions
 * annotations (github). Exit 1 when a finding is an error, as weaver itself does.
 *
 * The work is the diagnostics_locate workflow (weaver.parseDiagnostics -> weaver.placeDiagnostics ->
 * output.publishDiagnostics); this command checks its arguments, starts it and prints what it published.
 */

export type LocateFormat = DiagnosticOutputFormat;

export const LOCATE_WORKFLOW = 'diagnostics_locate';

export interface DiagnosticsLocateOptions {
  registry: string;
  /** The file weaver's JSON diagnostics were saved to. */
  weaverJson: string;
  format: LocateFormat;
  /** The folder weaver ran in (its relative paths are relative to it); default: the working directory. */
  weaverCwd?: string;
  /** `--sarif-root DIR`: SARIF and github paths relative to it instead of the git repository root. */
  sarifRoot?: string;
  verbose?: boolean;
}

/** The services whose failures are about the user's arguments: their message is printed as is. */
const ARGUMENT_SERVICES: ReadonlySet<string> = new Set(['weaver.parseDiagnostics', 'weaver.placeDiagnostics']);

export async function diagnosticsLocateCommand(io: CliIo, options: DiagnosticsLocateOptions): Promise<number> {
  const registryPath = resolve(io.cwd, options.registry);
  const registryKind = await stat(registryPath).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing',
  );
  if (registryKind !== 'folder') {
    const what = registryKind === 'missing' ? 'registry folder not found' : 'the registry must be a folder, not a file';
    return usage(io, `${what}: ${registryPath}. Pass --registry with the folder weaver checked.`);
  }

  const badOverride = announceOverride(io, LOCATE_WORKFLOW);
  if (badOverride) return usage(io, badOverride);

  let published: readonly RegistryDiagnostic[] | undefined;
  let result: RunResult;
  try {
    result = await runWorkflow({
      workflow: LOCATE_WORKFLOW,
      inputs: {
        registryPath,
        weaverJsonPath: resolve(io.cwd, options.weaverJson),
        weaverCwd: resolve(io.cwd, options.weaverCwd ?? '.'),
      },
      host: {
        // Placement reads the registry with the native loader whatever the engine: weaver is not needed here.
        engine: createNativeEngine(),
        log: stderrLogger(io, options.verbose === true),
        publishDiagnostics: (diagnostics) => {
          published = diagnostics;
        },
      },
      signal: io.signal,
      workflowsDir: io.workflowsDir,
      // Only the folder named by --workflows: the working directory may be a pull request under check.
      overrideDirs: overrideDirsOf(io),
      limits: io.workflow?.limits ?? {},
    });
  } catch (err) {
    if (err instanceof WorkflowError) return usage(io, err.message);
    throw err;
  }

  const { record } = result;
  const warning = formatValidationWarning(record);
  if (warning) io.stderr(warning);
  if (record.status === 'cancelled') {
    io.stderr(`weavergen: ${textField(record.workflow)} cancelled\n`);
    return EXIT_CANCELLED;
  }
  if (record.status === 'failed') return usage(io, failureMessage(record));
  if (!published) {
    return usage(io, `the ${LOCATE_WORKFLOW} workflow (${record.workflowFile}) published no diagnostics: it needs an output.publishDiagnostics task after weaver.placeDiagnostics`);
  }

  const root = reportRoot(registryPath, io.cwd, options.sarifRoot);
  io.stdout(formatDiagnostics(options.format, published, { cwd: io.cwd, reportRoot: root }));
  io.stderr(placementSummary(placementCounts(record)));
  if ((options.format === 'sarif' || options.format === 'github') && root.kind === 'cwd') {
    io.stderr(`diagnostics locate: ${textField(registryPath)} is not in a git repository: paths are relative to the working directory; pass --sarif-root to choose\n`);
  }
  return countSeverities(published).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** How many findings weaver.placeDiagnostics put on their line, at a file's top, or nowhere. */
export interface PlacementCounts {
  exact: number;
  file: number;
  unplaced: number;
}

/** The `placed` output of the run's weaver.placeDiagnostics (zeros when a custom workflow lacks it). */
export function placementCounts(record: RunRecord): PlacementCounts {
  const placed = record.outputs.placed;
  const count = (kind: keyof PlacementCounts): number => {
    const value = typeof placed === 'object' && placed !== null ? (placed as Record<string, unknown>)[kind] : undefined;
    return typeof value === 'number' ? value : 0;
  };
  return { exact: count('exact'), file: count('file'), unplaced: count('unplaced') };
}

/** The closing line on stderr: how many findings landed on a line, at a file's top, or nowhere. */
export function placementSummary(counts: PlacementCounts): string {
  const total = counts.exact + counts.file + counts.unplaced;
  return (
    `diagnostics locate: ${total} weaver finding${total === 1 ? '' : 's'}: ` +
    `${counts.exact} placed on their line, ${counts.file} at the top of the file weaver names, ${counts.unplaced} could not be placed\n`
  );
}

function failureMessage(record: RunRecord): string {
  const error = record.error;
  if (error?.service && ARGUMENT_SERVICES.has(error.service)) return error.message;
  const activity = error?.activityId ? record.activities.find((a) => a.id === error.activityId) : undefined;
  const where = activity ? ` at "${activity.name}"${error?.service ? ` (${error.service})` : ''}` : '';
  return `${record.workflow} failed${where}: ${error?.message ?? 'no reason was recorded'}`;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`weavergen: ${textField(message)}\n`);
  return EXIT_USAGE;
}
