import { SERVICE_CATALOG } from '../../../src/core/services/catalog';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cliRun';
import { formatValidationWarning } from '../../../src/cli/runValidation';
import { RunStore } from '../../../src/core/telemetry/runStore';
import { validateRun } from '../../../src/core/workflow/validation';
import type { ServiceCoverage } from '../../../src/core/workflow/validation';
import { fixtureWorkflows } from '../workflow/helpers';
import { dropElement, mixedRegistry, runFixture } from './helpers';

/** Runs the CLI in process, as a user would from `cwd`, and keeps what it printed. */
const cli = runCli;

let work: string;
const checkWithoutLoad = resolve(fixtureWorkflows, 'check_without_load.bpmn');
/** What the CLI printed for the two runs recorded into `<work>/runs`, which the coverage tests read. */
let recorded: { check: Awaited<ReturnType<typeof cli>>; failed: Awaited<ReturnType<typeof cli>> };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-coverage-'));
  const check = await cli(['registry', 'check', '-r', mixedRegistry, '--engine', 'native', '--runs', 'runs'], work);
  const failed = await cli(['workflow', 'run', checkWithoutLoad, '--engine', 'native', '--runs', 'runs'], work);
  recorded = { check, failed };
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('--runs DIR', () => {
  test('registry check and workflow run save their records, failed runs included, each with its validation', async () => {
    const { check, failed } = recorded;
    expect(check.code).not.toBe(2);
    // A sound run prints no validation warning.
    expect(check.stderr).not.toContain('do not match the workflow');
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('check_without_load failed at "Check too early" (registry.check)');

    const runs = await new RunStore(join(work, 'runs')).list();
    expect(runs.map((r) => [r.workflow, r.status])).toEqual([
      ['check_without_load', 'failed'],
      ['registry_check', 'succeeded'],
    ]);
    for (const summary of runs) {
      const record = await new RunStore(join(work, 'runs')).get(summary.id);
      expect(record?.validation?.valid).toBe(true);
    }
  });

  test('a folder that cannot be written exits 2 naming it', async () => {
    await writeFile(join(work, 'a-file'), 'not a folder');
    const { code, stderr } = await cli(['registry', 'check', '-r', mixedRegistry, '--engine', 'native', '--runs', 'a-file'], work);
    expect(code).toBe(2);
    expect(stderr).toContain(`cannot save the run into ${join(work, 'a-file')}`);
  });
});

describe('weavergen spans coverage', () => {
  test('json: calls, outcomes and never-called services of the catalog over the saved runs', async () => {
    const { code, stdout, stderr } = await cli(['spans', 'coverage', '--runs', 'runs', '--format', 'json'], work);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ServiceCoverage & { folder: string };
    expect(report.folder).toBe(join(work, 'runs'));
    expect(report.runs).toBe(2);
    const called = report.services.filter((e) => e.calls > 0);
    expect(called.map((e) => [e.service, e.calls, e.succeeded, e.failed])).toEqual([
      ['registry.load', 1, 1, 0],
      ['registry.check', 2, 1, 1],
      ['output.publishDiagnostics', 1, 1, 0],
    ]);
    expect(report.services.map((e) => e.service)).toEqual(SERVICE_CATALOG.map((c) => c.name));
    expect(report.neverExercised).toEqual(report.services.filter((e) => e.calls === 0).map((e) => e.service));
  });

  test('text: one row per catalogued service, the called ones with their outcomes', async () => {
    const { code, stdout } = await cli(['spans', 'coverage', '--runs', 'runs'], work);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('service coverage of 2 runs in runs');
    expect(lines[1].split(/\s+/)).toEqual(['service', 'calls', 'ok', 'failed', 'cancelled', 'success', 'runs', 'workflows']);
    expect(lines[2].split(/\s+/)).toEqual(['registry.load', '1', '1', '0', '0', '100%', '1', 'registry_check']);
    expect(lines[3].split(/\s+/)).toEqual(['registry.check', '2', '1', '1', '0', '50.0%', '2', 'check_without_load,', 'registry_check']);
    expect(lines[4].split(/\s+/)[0]).toBe('output.publishDiagnostics');
    const total = SERVICE_CATALOG.length;
    expect(stdout).toContain(`3 of ${total} catalogued services called; never called: `);
    // Every catalogued service has its row, called or not.
    for (const entry of SERVICE_CATALOG) expect(stdout).toMatch(new RegExp(`^${entry.name.replace('.', '\\.')} `, 'm'));
  });

  test('--require-all exits 1 and names the services never called', async () => {
    const only = await cli(['workflow', 'run', checkWithoutLoad, '--engine', 'native', '--runs', 'partial'], work);
    expect(only.code).toBe(2);
    const { code, stdout, stderr } = await cli(['spans', 'coverage', '--runs', 'partial', '--require-all'], work);
    expect(code).toBe(1);
    const never = SERVICE_CATALOG.map((c) => c.name).filter((n) => n !== 'registry.check');
    expect(stderr).toBe(`weavergen: ${never.length} catalogued services were never called: ${never.join(', ')}\n`);
    expect(stdout).toMatch(/^registry\.load +0 +- +- +- +- +0 +never called$/m);
    expect(stdout).toContain(`1 of ${SERVICE_CATALOG.length} catalogued services called; never called: ${never.join(', ')}`);
    // Without --require-all the same report is not a failure.
    expect((await cli(['spans', 'coverage', '--runs', 'partial'], work)).code).toBe(0);
  });

  test('the default folder is .weavergen/runs; a missing folder exits 2 saying how to fill it', async () => {
    const missing = await cli(['spans', 'coverage'], work);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `weavergen: run folder not found: ${join(work, '.weavergen', 'runs')}. Record runs into it first, e.g. weavergen registry check -r REGISTRY --runs .weavergen/runs\n`,
    );
    const record = await runFixture('nested');
    await new RunStore(join(work, '.weavergen', 'runs')).save(record);
    const found = await cli(['spans', 'coverage', '--format', 'json'], work);
    expect(found.code).toBe(0);
    const report = JSON.parse(found.stdout) as ServiceCoverage;
    expect(report.uncatalogued.map((e) => [e.service, e.calls])).toEqual([['test.record', 2]]);
    expect((await cli(['spans', 'coverage', '--format', 'text'], work)).stdout).toContain('test.record (not in the catalog)');
  });

  test('an unreadable file in the folder is named on stderr and skipped', async () => {
    const folder = join(work, 'with-junk');
    await mkdir(folder);
    const record = await runFixture('nested');
    await new RunStore(folder).save(record);
    const junk = join(folder, `run-20000101T000000000Z-${'c'.repeat(32)}.json`);
    await writeFile(junk, '{\n  "id": "x",\n  oops\n}');
    expect((await readdir(folder)).length).toBe(2);
    const { code, stdout, stderr } = await cli(['spans', 'coverage', '--runs', 'with-junk', '--format', 'json'], work);
    expect(code).toBe(0);
    expect(stderr).toContain(`weavergen warning: skipped ${junk}:3:3: not valid JSON`);
    expect((JSON.parse(stdout) as ServiceCoverage).runs).toBe(1);
  });
});

describe('the validation warning', () => {
  test('one stderr line naming the run, the problem codes and the step; nothing for a valid run', async () => {
    const record = await runFixture('nested');
    expect(formatValidationWarning(record)).toBeUndefined();
    const tampered = dropElement(record, 'Task_outer');
    tampered.validation = await validateRun(tampered);
    const line = formatValidationWarning(tampered);
    expect(line).toBe(
      `weavergen warning: the spans of run ${record.id} (nested) do not match the workflow, 1 problem: ` +
        '[missing-step] Step "Outer task" (Task_outer) is on the path the run took but has no activity span.\n',
    );
  });

  test('many problems: the first three, and how many more', async () => {
    const record = await runFixture('nested');
    let tampered = record;
    for (const id of ['Start', 'Task_outer', 'Sub_end', 'End']) tampered = dropElement(tampered, id);
    tampered.validation = await validateRun(tampered);
    const line = formatValidationWarning(tampered) ?? '';
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('4 problems: [missing-step]');
    expect(line).toContain('(and 1 more; --verbose lists them)');
  });
});
