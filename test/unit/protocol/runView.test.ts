import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNativeEngine } from '../../../src/core/engine/index';
import { runWorkflow } from '../../../src/core/workflow/index';
import type { RunLogger, RunRecord } from '../../../src/core/workflow/types';
import { isHostToRunView, isRunRecordLike, isRunViewToHost } from '../../../src/protocol/runView';
import { activityBadge, formatDuration, runHeadline, spanRows } from '../../../src/protocol/runViewModel';
import { isServerInitOptions, isServerSettings } from '../../../src/protocol/server';

/**
 * The host <-> webview messages and the run view's model, on run records made by really running
 * the registry_check workflow with the native engine (what "Show Last Run" draws).
 */

const repoRoot = resolve(__dirname, '../../..');
const example = join(repoRoot, 'examples', 'registry');
const quiet: RunLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

async function checkRun(registryPath: string): Promise<RunRecord> {
  const result = await runWorkflow({
    workflow: 'registry_check',
    inputs: { registryPath },
    host: { engine: createNativeEngine(), log: quiet, publishDiagnostics: () => {} },
  });
  return result.record;
}

let clean: RunRecord;
let broken: RunRecord;
let scratch: string;

beforeAll(async () => {
  clean = await checkRun(example);
  // A registry folder that is gone: the load step fails, the later steps never run.
  scratch = await mkdtemp(join(tmpdir(), 'weavergen-runview-'));
  broken = await checkRun(join(scratch, 'no-such-registry'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('run view messages', () => {
  test('an init carrying a real run passes the guard, also after the postMessage JSON copy', () => {
    expect(isRunRecordLike(clean)).toBe(true);
    expect(isHostToRunView({ type: 'init', run: clean })).toBe(true);
    expect(isHostToRunView(JSON.parse(JSON.stringify({ type: 'init', run: clean })))).toBe(true);
    expect(isHostToRunView({ type: 'init', run: broken })).toBe(true);
  });

  test('a run stored by an older or foreign tool is refused, field by field', () => {
    const without = (key: keyof RunRecord) => {
      const copy: Record<string, unknown> = structuredClone(clean) as unknown as Record<string, unknown>;
      delete copy[key];
      return copy;
    };
    for (const key of ['id', 'workflow', 'bpmnXml', 'engine', 'status', 'startedAt', 'durationMs', 'activities', 'spans'] as const) {
      expect(isHostToRunView({ type: 'init', run: without(key) }), key).toBe(false);
    }
    expect(isRunRecordLike({ ...clean, status: 'ok' })).toBe(false);
    expect(isRunRecordLike({ ...clean, activities: [{ ...clean.activities[0], state: 'skipped' }] })).toBe(false);
    expect(isRunRecordLike({ ...clean, spans: { resourceSpans: 'none' } })).toBe(false);
    expect(isHostToRunView({ type: 'init' })).toBe(false);
  });

  test('empty carries its message; unknown types and non-objects are ignored', () => {
    expect(isHostToRunView({ type: 'empty', message: 'No run recorded yet.' })).toBe(true);
    expect(isHostToRunView({ type: 'empty' })).toBe(false);
    expect(isHostToRunView({ type: 'update', run: clean })).toBe(false);
    expect(isHostToRunView(null)).toBe(false);
    expect(isHostToRunView('init')).toBe(false);
  });

  test('the webview may only say ready or openLog', () => {
    expect(isRunViewToHost({ type: 'ready' })).toBe(true);
    expect(isRunViewToHost({ type: 'openLog' })).toBe(true);
    expect(isRunViewToHost({ type: 'openFile', path: '/etc/passwd' })).toBe(false);
    expect(isRunViewToHost(undefined)).toBe(false);
    expect(isRunViewToHost([{ type: 'ready' }])).toBe(false);
  });
});

describe('run view model', () => {
  test('every service task of a clean check is badged "done" with its duration', async () => {
    const xml = await readFile(join(repoRoot, 'workflows', 'registry_check.bpmn'), 'utf8');
    const taskIds = [...xml.matchAll(/<bpmn:serviceTask\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(taskIds.length).toBeGreaterThan(0);
    for (const id of taskIds) {
      const activity = clean.activities.find((a) => a.id === id);
      expect(activity, id).toBeDefined();
      expect(activityBadge(activity!)).toMatch(/^done · \d+(\.\d+)? m?s$/);
    }
  });

  test('a failed step is badged failed, and the steps after it not reached', () => {
    expect(broken.status).toBe('failed');
    const states = new Map(broken.activities.map((a) => [a.id, a.state]));
    const failed = broken.activities.filter((a) => a.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) expect(activityBadge(a)).toMatch(/^failed( · .+)?$/);
    const notReached = broken.activities.filter((a) => a.state === 'not-reached');
    expect(notReached.length).toBeGreaterThan(0);
    for (const a of notReached) expect(activityBadge(a)).toBe('not reached');
    expect(states.get('Task_load')).toBe('failed');
    expect(states.get('End')).toBe('not-reached');
    expect(broken.error?.message).toContain('Registry folder not found');
  });

  test('span rows list every span once, each below its parent, named after it', () => {
    const total = clean.spans.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length;
    const rows = spanRows(clean.spans);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.spanId)).size).toBe(total);
    expect(rows[0]!.depth).toBe(0);
    expect(rows[0]!.parentName).toBeUndefined();
    const index = new Map(rows.map((r, i) => [r.spanId, i]));
    for (const [i, row] of rows.entries()) {
      expect(row.durationMs).toBeGreaterThanOrEqual(0);
      if (!row.parentSpanId) continue;
      const parent = rows[index.get(row.parentSpanId)!]!;
      expect(index.get(row.parentSpanId)!).toBeLessThan(i);
      expect(row.parentName).toBe(parent.name);
      expect(row.depth).toBe(parent.depth + 1);
    }
    // The process span is the root and the run's own status.
    expect(rows[0]!.status).toBe('ok');
    expect(spanRows(broken.spans)[0]!.status).toBe('error');
  });

  test('durations read in the unit a person expects', () => {
    expect(formatDuration(0.4217)).toBe('0.42 ms');
    expect(formatDuration(7.46)).toBe('7.5 ms');
    expect(formatDuration(0.999)).toBe('1.0 ms');
    expect(formatDuration(9.98)).toBe('10 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(999.7)).toBe('1.00 s');
    expect(formatDuration(1250)).toBe('1.25 s');
    expect(formatDuration(-1)).toBe('?');
    expect(runHeadline(clean)).toMatch(/^registry_check · succeeded · engine native · \d/);
  });
});

describe('language server options', () => {
  test('init options need an absolute registry root and a sane debounce', () => {
    expect(isServerInitOptions({ registryRoot: example, debounceMs: 200 })).toBe(true);
    expect(isServerInitOptions({ registryRoot: 'C:\\work\\registry', debounceMs: 200 })).toBe(true);
    expect(isServerInitOptions({ registryRoot: '', debounceMs: 200 })).toBe(false);
    expect(isServerInitOptions({ registryRoot: 'examples/registry', debounceMs: 200 })).toBe(false);
    expect(isServerInitOptions({ registryRoot: example, debounceMs: -1 })).toBe(false);
    expect(isServerInitOptions({ registryRoot: example, debounceMs: Number.NaN })).toBe(false);
    expect(isServerInitOptions({ registryRoot: example, debounceMs: 60_000 })).toBe(false);
    expect(isServerInitOptions({ registryRoot: example })).toBe(false);
    expect(isServerSettings({ debounceMs: 0 })).toBe(true);
    expect(isServerSettings({ weavergen: { debounceMs: 0 } })).toBe(false);
  });

  test('file access options: followSymlinks a boolean, limits known and positive', () => {
    const base = { registryRoot: example, debounceMs: 200 };
    expect(isServerInitOptions({ ...base, files: { followSymlinks: false, limits: { maxFiles: 10, maxFileBytes: 1024 } } })).toBe(true);
    expect(isServerInitOptions({ ...base, files: {} })).toBe(true);
    expect(isServerInitOptions({ ...base, files: { followSymlinks: 'yes' } })).toBe(false);
    expect(isServerInitOptions({ ...base, files: { limits: { maxFiles: 0 } } })).toBe(false);
    expect(isServerInitOptions({ ...base, files: { limits: { maxBananas: 3 } } })).toBe(false);
    expect(isServerInitOptions({ ...base, files: null })).toBe(false);
  });
});
