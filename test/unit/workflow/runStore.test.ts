import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RunStore, RunStoreError } from '../../../src/core/telemetry/runStore';
import { runWorkflow } from '../../../src/core/workflow/runner';
import type { RunRecord } from '../../../src/core/workflow/types';
import { fixtureWorkflows, testHost } from './helpers';
import { createTestServices } from './testServices';

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'weavergen-runs-'));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function realRun(workflow: string): Promise<RunRecord> {
  const result = await runWorkflow({
    workflow,
    inputs: { note: workflow },
    host: testHost(),
    services: createTestServices().registry,
    workflowsDir: fixtureWorkflows,
  });
  return result.record;
}

/** The same record started `minutesLater`: the store orders by start time. */
function later(record: RunRecord, minutesLater: number, id: string): RunRecord {
  const startedAt = new Date(Date.parse(record.startedAt) + minutesLater * 60_000).toISOString();
  return { ...record, id, startedAt };
}

describe('RunStore', () => {
  test('a run record round-trips unchanged through save and get', async () => {
    const record = await realRun('nested');
    const store = new RunStore(join(folder, 'runs'));
    const file = await store.save(record);
    expect(file.startsWith(join(folder, 'runs'))).toBe(true);
    expect(await store.get(record.id)).toEqual(record);
    expect(await store.latest()).toEqual(record);
  });

  test('list gives summaries newest first; latest is the newest', async () => {
    const ok = await realRun('nested');
    const failed = await realRun('failing');
    const store = new RunStore(folder);
    await store.save(ok);
    await store.save(later(failed, 5, 'f'.repeat(32)));
    const runs = await store.list();
    expect(runs.map((r) => [r.id, r.workflow, r.status])).toEqual([
      ['f'.repeat(32), 'failing', 'failed'],
      [ok.id, 'nested', 'succeeded'],
    ]);
    expect(runs[0].error).toBe('planted failure in Task_fail');
    expect((await store.latest())?.id).toBe('f'.repeat(32));
  });

  test('an unknown id gives undefined, a malformed id a clear error, an empty folder nothing', async () => {
    const store = new RunStore(join(folder, 'never-created'));
    expect(await store.list()).toEqual([]);
    expect(await store.latest()).toBeUndefined();
    expect(await store.get('0'.repeat(32))).toBeUndefined();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a run id/);
  });

  test('a corrupt file: get names the file and the problem; list and latest skip it and report it', async () => {
    const record = await realRun('nested');
    const unreadable: RunStoreError[] = [];
    const store = new RunStore(folder, { onUnreadable: (e) => unreadable.push(e) });
    await store.save(record);
    const badId = 'a'.repeat(32);
    const badJson = join(folder, `run-29990101T000000000Z-${badId}.json`);
    await writeFile(badJson, '{\n  "id": "x",\n  oops\n}');
    await expect(store.get(badId)).rejects.toThrow(RunStoreError);
    await expect(store.get(badId)).rejects.toThrow(`${badJson}:3:3: not valid JSON`);

    const wrongShapeId = 'b'.repeat(32);
    const wrongShape = join(folder, `run-29980101T000000000Z-${wrongShapeId}.json`);
    await writeFile(wrongShape, JSON.stringify({ ...record, id: wrongShapeId, status: 'exploded', activities: [{ id: 1 }] }));
    await expect(store.get(wrongShapeId)).rejects.toThrow(/not a valid run record \(\$\.status: expected one of succeeded, failed, cancelled; \$\.activities\[0\]\.id: expected a string/);

    expect((await store.list()).map((r) => r.id)).toEqual([record.id]);
    expect((await store.latest())?.id).toBe(record.id);
    expect(unreadable.map((e) => e.file).sort()).toEqual([badJson, wrongShape, badJson, wrongShape].sort());
  });

  test('save refuses an invalid record and prunes beyond maxRuns, oldest first', async () => {
    const record = await realRun('nested');
    const store = new RunStore(folder, { maxRuns: 2 });
    await expect(store.save({ ...record, durationMs: -1 })).rejects.toThrow(/invalid run record: \$\.durationMs/);
    const ids = ['1', '2', '3'].map((c) => c.repeat(32));
    for (const [i, id] of ids.entries()) await store.save(later(record, i, id));
    expect((await store.list()).map((r) => r.id)).toEqual([ids[2], ids[1]]);
    expect((await readdir(folder)).length).toBe(2);
  });
});
