import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { resolveEngine } from '../core/engine/index';
import { RunStore } from '../core/telemetry/runStore';
import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import type { EngineChoice, RegistryEngine, RegistrySummary } from '../core/engine/registryEngine';
import { runWorkflow } from '../core/workflow/runner';
import { WorkflowError } from '../core/workflow/locate';
import type { RunReport, RunResult } from '../core/workflow/types';
import { EXIT_CANCELLED, EXIT_USAGE, stderrLogger, type CliIo } from './io';
import { formatValidationWarning } from './runValidation';
import { textBlock, textField } from '../core/report/safeText';
import { announceOverride, overrideDirsOf } from './workflowOptions';

/**
 * The part every CLI command shares: pick the engine, run the workflow with a host that collects
 * what the workflow publishes, write the trace, and turn a run that did not finish into a message
 * and an exit code. Commands print the results.
 */

export interface CliRunRequest {
  workflow: string;
  inputs: Record<string, unknown>;
  engine: EngineChoice;
  /** `--trace FILE`, relative to the working directory. */
  trace?: string;
  /** `--runs DIR`: a run store folder (relative to the working directory) the record is saved into. */
  runs?: string;
  verbose: boolean;
  /** Receives what the workflow hands to its host as a report (`host.publishReport`). */
  onReport?: (report: RunReport) => void;
}

export interface Published {
  diagnostics: readonly RegistryDiagnostic[];
  summary: RegistrySummary;
}

export type CliRunOutcome = { kind: 'finished'; result: RunResult; published?: Published } | { kind: 'exit'; code: number };

/**
 * Prints `weavergen: message` on stderr and gives the usage/failure exit code. The message may
 * quote paths and ids: it stays one line (textField spells out line breaks, ESC, bidi).
 */
export function fail(io: CliIo, message: string, code = EXIT_USAGE): CliRunOutcome {
  io.stderr(`weavergen: ${textField(message)}\n`);
  return { kind: 'exit', code };
}

/**
 * As fail, for a failed run's message, which a service may lay out on several lines (a list of
 * errors, one per line, each made one line by the service): the lines are kept, each made safe
 * (textBlock: controls spelled out, no line starting a workflow command).
 */
function failLines(io: CliIo, message: string, code = EXIT_USAGE): CliRunOutcome {
  io.stderr(`weavergen: ${textBlock(message)}\n`);
  return { kind: 'exit', code };
}

export async function runForCli(io: CliIo, request: CliRunRequest): Promise<CliRunOutcome> {
  let engine: RegistryEngine;
  try {
    if (io.createEngine) {
      engine = await io.createEngine(request.engine);
    } else {
      // `auto` looks for weaver (PATH, ~/.cargo/bin): CI with weaver installed checks with it.
      const resolved = await resolveEngine(request.engine, { baseDir: io.cwd });
      engine = resolved.engine;
      stderrLogger(io, request.verbose).info(resolved.reason);
    }
  } catch (err) {
    return fail(io, `cannot use the ${request.engine} engine: ${messageOf(err)}`);
  }

  const badOverride = announceOverride(io, request.workflow);
  if (badOverride) return fail(io, badOverride);

  let published: Published | undefined;
  let result: RunResult;
  try {
    result = await runWorkflow({
      workflow: request.workflow,
      inputs: request.inputs,
      host: {
        engine,
        log: stderrLogger(io, request.verbose),
        publishDiagnostics: (diagnostics, summary) => {
          published = { diagnostics, summary };
        },
        ...(request.onReport ? { publishReport: request.onReport } : {}),
      },
      signal: io.signal,
      workflowsDir: io.workflowsDir,
      // Only the folder named by --workflows: the working directory may be a pull request under check.
      overrideDirs: overrideDirsOf(io),
      limits: io.workflow?.limits ?? {},
    });
  } catch (err) {
    if (err instanceof WorkflowError) return fail(io, err.message);
    throw err;
  }

  const { record } = result;
  if (request.trace) {
    const file = resolve(io.cwd, request.trace);
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(record.spans, null, 2)}\n`, 'utf8');
    } catch (err) {
      return fail(io, `cannot write the trace to ${file}: ${messageOf(err)}. Pick a writable path for --trace.`);
    }
  }

  if (request.runs) {
    const folder = resolve(io.cwd, request.runs);
    try {
      await new RunStore(folder).save(record);
    } catch (err) {
      return fail(io, `cannot save the run into ${folder}: ${messageOf(err)}. Pick a writable folder for --runs.`);
    }
  }
  const warning = formatValidationWarning(record);
  if (warning) io.stderr(warning);

  if (record.status === 'cancelled') return fail(io, `${record.workflow} cancelled`, EXIT_CANCELLED);
  if (record.status === 'failed') {
    const error = record.error;
    const activity = error?.activityId ? record.activities.find((a) => a.id === error.activityId) : undefined;
    // The activity's name comes from the BPMN, which may be a project's own: kept on its line.
    const where = activity ? ` at "${textField(activity.name)}"${error?.service ? ` (${textField(error.service)})` : ''}` : '';
    return failLines(io, `${textField(record.workflow)} failed${where}: ${error?.message ?? 'no reason was recorded'}`);
  }
  return published ? { kind: 'finished', result, published } : { kind: 'finished', result };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
