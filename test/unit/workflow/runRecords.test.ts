import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createNativeEngine } from '../../../src/core/engine/nativeEngine';
import { RunStore } from '../../../src/core/telemetry/runStore';
import { RUN_RECORDS_ENV, runWorkflow } from '../../../src/core/workflow/runner';
import { repoRoot, testHost } from './helpers';

/**
 * WEAVERGEN_RUN_RECORDS=DIR: every run of the process is saved into DIR, which is how the test
 * suite measures which services its tests called. Runs the real registry_check on the example registry.
 */

const exampleRegistry = resolve(repoRoot, 'examples', 'registry');

describe(`${RUN_RECORDS_ENV}`, () => {
  let scratch: string;
  let previous: string | undefined;

  beforeEach(async () => {
    previous = process.env[RUN_RECORDS_ENV];
    scratch = await mkdtemp(join(tmpdir(), 'weavergen-run-records-'));
  });

  afterEach(async () => {
    if (previous === undefined) delete process.env[RUN_RECORDS_ENV];
    else process.env[RUN_RECORDS_ENV] = previous;
    await rm(scratch, { recursive: true, force: true });
  });

  test('saves each run record, readable by the run store under its run id', async () => {
    const folder = join(scratch, 'runs');
    process.env[RUN_RECORDS_ENV] = folder;
    const first = await runWorkflow({ workflow: 'registry_check', inputs: { registryPath: exampleRegistry }, host: testHost(createNativeEngine()) });
    const second = await runWorkflow({ workflow: 'registry_check', inputs: { registryPath: exampleRegistry }, host: testHost(createNativeEngine()) });
    expect(first.record.status).toBe('succeeded');
    const store = new RunStore(folder);
    const saved = await store.get(first.record.id);
    expect(saved?.workflow).toBe('registry_check');
    expect(saved?.inputs).toEqual({ registryPath: exampleRegistry });
    expect(saved?.activities.filter((a) => a.service).map((a) => a.service)).toEqual(['registry.load', 'registry.check', 'output.publishDiagnostics']);
    expect((await store.list()).map((s) => s.id).sort()).toEqual([first.record.id, second.record.id].sort());
  });

  test('a folder that cannot be written is logged and leaves the run as it was', async () => {
    // A file where the folder should be: mkdir fails.
    const blocked = join(scratch, 'not-a-folder');
    await writeFile(blocked, 'x');
    process.env[RUN_RECORDS_ENV] = blocked;
    const host = testHost(createNativeEngine());
    const { record } = await runWorkflow({ workflow: 'registry_check', inputs: { registryPath: exampleRegistry }, host });
    expect(record.status).toBe('succeeded');
    expect(host.log.lines.filter((l) => l.startsWith('warn: '))).toEqual([expect.stringContaining(`${RUN_RECORDS_ENV}: run ${record.id} could not be saved into ${blocked}`)]);
  });
});
