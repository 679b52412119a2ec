import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { SERVICE_CATALOG } from '../core/services/catalog';
import { RunStore, RunStoreError } from '../core/telemetry/runStore';
import type { RunRecord } from '../core/workflow/types';
import { computeServiceCoverage, type ServiceCoverage, type ServiceCoverageEntry } from '../core/workflow/validation/serviceCoverage';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { fail } from './runForCli';
import { safeJson, textField, textLine } from '../core/report/safeText';

/**
 * `weavergen spans coverage`: reads every run record in a run store folder (the one `--runs DIR`
 * fills) and reports, for each catalogued service, how often the runs called it and how often it
 * succeeded, from the runs' service spans.
 */

export type CoverageFormat = 'text' | 'json';

/** Where `spans coverage` looks when --runs is not given. */
export const DEFAULT_RUNS_DIR = '.weavergen/runs';

export interface SpansCoverageOptions {
  runs: string;
  format: CoverageFormat;
  /** Exit 1 when a catalogued service was never called. */
  requireAll: boolean;
}

export async function spansCoverageCommand(io: CliIo, options: SpansCoverageOptions): Promise<number> {
  const folder = resolve(io.cwd, options.runs);
  const kind = await stat(folder).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing',
  );
  if (kind !== 'folder') {
    const what = kind === 'missing' ? 'run folder not found' : 'the run folder must be a folder, not a file';
    fail(io, `${what}: ${folder}. Record runs into it first, e.g. weavergen registry check -r REGISTRY --runs ${options.runs}`);
    return EXIT_USAGE;
  }

  const records = await readRecords(io, folder);
  const coverage = computeServiceCoverage(records, SERVICE_CATALOG);
  if (options.format === 'json') {
    io.stdout(`${safeJson(JSON.stringify({ folder, ...coverage }, null, 2))}\n`);
  } else {
    io.stdout(formatCoverageText(coverage, relative(io.cwd, folder) || '.'));
  }
  if (options.requireAll && coverage.neverExercised.length > 0) {
    io.stderr(`weavergen: ${coverage.neverExercised.length} catalogued service${coverage.neverExercised.length === 1 ? ' was' : 's were'} never called: ${textField(coverage.neverExercised.join(', '))}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** Every readable record of the folder; unreadable files are named on stderr and skipped. */
async function readRecords(io: CliIo, folder: string): Promise<RunRecord[]> {
  const warn = (err: RunStoreError) => io.stderr(`weavergen warning: skipped ${textField(err.message)}\n`);
  const store = new RunStore(folder, { onUnreadable: warn });
  const records: RunRecord[] = [];
  for (const summary of await store.list()) {
    try {
      const record = await store.get(summary.id);
      if (record) records.push(record);
    } catch (err) {
      if (err instanceof RunStoreError) warn(err);
      else throw err;
    }
  }
  return records;
}

const HEADER = ['service', 'calls', 'ok', 'failed', 'cancelled', 'success', 'runs', 'workflows'];

/** The table; service and workflow names come from run records (a project's own workflows): spelled out. */
export function formatCoverageText(coverage: ServiceCoverage, folderLabel: string): string {
  const rows = [...coverage.services, ...coverage.uncatalogued].map((e) => row(e, !coverage.services.includes(e)).map(textField));
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `${textLine(
      cells
        .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )}\n`;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const exercised = coverage.services.length - coverage.neverExercised.length;
  let out = `service coverage of ${plural(coverage.runs, 'run')} in ${textField(folderLabel)}\n`;
  out += line(HEADER);
  for (const r of rows) out += line(r);
  out += `${exercised} of ${plural(coverage.services.length, 'catalogued service')} called`;
  out += coverage.neverExercised.length > 0 ? `; never called: ${textField(coverage.neverExercised.join(', '))}\n` : '\n';
  if (coverage.invalidRuns > 0) {
    out += `${plural(coverage.invalidRuns, 'run')} recorded spans that do not match the workflow (see each record's validation)\n`;
  }
  return out;
}

function row(e: ServiceCoverageEntry, uncatalogued: boolean): string[] {
  const called = e.calls > 0;
  const rate = e.successRate === null ? '-' : `${(e.successRate * 100).toFixed(e.successRate === 1 || e.successRate === 0 ? 0 : 1)}%`;
  const workflows = called ? e.workflows.join(', ') : 'never called';
  return [
    uncatalogued ? `${e.service} (not in the catalog)` : e.service,
    String(e.calls),
    called ? String(e.succeeded) : '-',
    called ? String(e.failed) : '-',
    called ? String(e.cancelled) : '-',
    rate,
    String(e.runs),
    workflows,
  ];
}
