import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineKind } from '../engine/registryEngine';
import type { RunRecord, RunStatus } from '../workflow/types';
import { validateRunRecord } from './runRecordValidation';

/**
 * Keeps run records as one JSON file per run in a folder the host chooses (the extension's
 * storage folder; the CLI only when asked). File names start with the start time so a plain
 * name sort is a time sort, and pruning never has to parse a file.
 */

const RUN_ID = /^[0-9a-f]{32}$/;
const FILE = /^run-(\d{8}T\d{9}Z)-([0-9a-f]{32})\.json$/;
const DEFAULT_MAX_RUNS = 100;

export interface RunSummary {
  id: string;
  workflow: string;
  status: RunStatus;
  engine: EngineKind;
  startedAt: string;
  durationMs: number;
  error?: string;
}

export interface RunStoreOptions {
  /** Oldest runs beyond this many are deleted on save. */
  maxRuns?: number;
  /** Told about files `list()` and `latest()` skip because they are not valid run records. */
  onUnreadable?: (error: RunStoreError) => void;
}

export class RunStoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'RunStoreError';
  }
}

export class RunStore {
  private readonly maxRuns: number;

  constructor(
    readonly folder: string,
    private readonly options: RunStoreOptions = {},
  ) {
    this.maxRuns = Math.max(1, options.maxRuns ?? DEFAULT_MAX_RUNS);
  }

  async save(record: RunRecord): Promise<string> {
    const problems = validateRunRecord(record);
    if (problems.length > 0) throw new Error(`Refusing to store an invalid run record: ${problems.slice(0, 3).join('; ')}`);
    await mkdir(this.folder, { recursive: true });
    const file = join(this.folder, fileName(record));
    // Write then rename, so a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(record), 'utf8');
    await rename(tmp, file);
    await this.prune();
    return file;
  }

  /** Summaries of the stored runs, newest first. Files that are not valid records are skipped. */
  async list(): Promise<RunSummary[]> {
    const summaries: RunSummary[] = [];
    for (const name of await this.fileNames()) {
      const record = await this.readOrReport(join(this.folder, name));
      if (record) summaries.push(summarize(record));
    }
    return summaries;
  }

  /** The run with this id, or undefined when none is stored. Throws RunStoreError when its file is corrupt. */
  async get(id: string): Promise<RunRecord | undefined> {
    if (!RUN_ID.test(id)) throw new Error(`"${id}" is not a run id (expected 32 lowercase hex digits, the run's trace id)`);
    const name = (await this.fileNames()).find((n) => n.endsWith(`-${id}.json`));
    return name ? readRecord(join(this.folder, name)) : undefined;
  }

  /** The newest valid run, or undefined when none is stored. */
  async latest(): Promise<RunRecord | undefined> {
    for (const name of await this.fileNames()) {
      const record = await this.readOrReport(join(this.folder, name));
      if (record) return record;
    }
    return undefined;
  }

  /** Run files, newest first. */
  private async fileNames(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names.filter((n) => FILE.test(n)).sort().reverse();
  }

  private async readOrReport(file: string): Promise<RunRecord | undefined> {
    try {
      return await readRecord(file);
    } catch (err) {
      if (err instanceof RunStoreError) {
        this.options.onUnreadable?.(err);
        return undefined;
      }
      throw err;
    }
  }

  private async prune(): Promise<void> {
    const names = await this.fileNames();
    await Promise.all(names.slice(this.maxRuns).map((n) => rm(join(this.folder, n), { force: true })));
  }
}

async function readRecord(file: string): Promise<RunRecord> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RunStoreError(`${file}${jsonErrorLocation(text, err)}: not valid JSON (${(err as Error).message}). Delete the file to drop this run.`, file);
  }
  const problems = validateRunRecord(value);
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` and ${problems.length - 3} more` : '';
    throw new RunStoreError(
      `${file}: not a valid run record (${problems.slice(0, 3).join('; ')}${more}). Delete the file to drop this run.`,
      file,
    );
  }
  return value as RunRecord;
}

/** `:line:col` of a JSON.parse error, from the position Node puts in its message. */
function jsonErrorLocation(text: string, err: unknown): string {
  const m = /position (\d+)/.exec((err as Error).message);
  if (!m) return '';
  const offset = Number(m[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `:${line}:${col}`;
}

function fileName(record: RunRecord): string {
  const stamp = new Date(record.startedAt).toISOString().replace(/[-:.]/g, '');
  return `run-${stamp}-${record.id}.json`;
}

function summarize(record: RunRecord): RunSummary {
  const summary: RunSummary = {
    id: record.id,
    workflow: record.workflow,
    status: record.status,
    engine: record.engine,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
  };
  if (record.error) summary.error = record.error.message;
  return summary;
}
