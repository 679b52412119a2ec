import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { RegistryWorkspace } from '../../../src/core/engine/index';
import { findingsFromJson } from '../../../src/core/weaver/diagnostics';
import { findingDocUrl } from '../../../src/core/weaver/findingLinks';
import type { JsonValue } from '../../../src/core/weaver/json';
import { loadPlacementContext, placeFindings } from '../../../src/core/weaver/placement';
import type { ServerWeaverOptions } from '../../../src/protocol/server';
import { isServerInitOptions, isServerSettings } from '../../../src/protocol/server';
import { DiagnosticsScheduler } from '../../../src/server/diagnosticsScheduler';
import { toLspDiagnostic } from '../../../src/server/lspDiagnostics';
import { mergeFindings, WeaverOnSave, type WeaverLineFinding } from '../../../src/server/weaverOnSave';
import { ensureReplayExecutable, isAlive, makeRecording, REPLAY_BINARY, readJson, shared, tempDir, waitFor } from '../weaver/helpers';

/**
 * `weaver registry check` on save in the language server (src/server/weaverOnSave.ts), driven with
 * the real DiagnosticsScheduler and RegistryWorkspace. The weaver binary cannot be installed here:
 * its place is taken by the stand-in that replays recorded weaver output (weaver-replay-recorded-output,
 * NOT weaver), replaying the output weaver recorded for policy cases of ../shared/conformance against
 * the registry of the same case (read in place, never written).
 */

const policies = shared('conformance', 'weaver-policies');
const collisionCase = join(policies, 'naming_conventions', 'tests', 'attribute_constant_collision');
const renamedCase = join(policies, 'stability', 'tests', 'enum_member_renamed_to_invalid');
const NAMING_URL = 'https://github.com/open-telemetry/opentelemetry-weaver-packages/tree/main/policies/check/naming_conventions';

interface Violation {
  id: string;
  message: string;
  context: Record<string, unknown>;
}

function violations(caseDir: string): Violation[] {
  return readJson<Array<{ error: { violation: Violation } }>>(join(caseDir, 'expected-diagnostic-output.json')).map((e) => e.error.violation);
}

/** The text a diagnostic's range covers in the file on disk. */
function textAt(d: RegistryDiagnostic): string {
  const lines = readFileSync(d.file, 'utf8').split('\n');
  const { start, end } = d.range;
  if (start.line === end.line) return lines[start.line]!.slice(start.character, end.character);
  return [lines[start.line]!.slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line]!.slice(0, end.character)].join('\n');
}

interface Publication {
  file: string;
  diagnostics: readonly RegistryDiagnostic[];
}

let scratch: string;
const harnesses: Array<{ dispose(): void }> = [];

beforeAll(async () => {
  ensureReplayExecutable();
  scratch = await tempDir('weaver-on-save');
});

afterEach(() => {
  for (const h of harnesses.splice(0)) h.dispose();
});

/** The server's wiring, minus the connection: scheduler publications go through the weaver merge. */
async function harness(caseDir: string, settings: ServerWeaverOptions | undefined, policyDelayMs: number, baselineRegistry?: string) {
  const root = join(caseDir, 'current');
  const model = join(root, 'model.yaml');
  const published: Publication[] = [];
  const errors: string[] = [];
  const infos: string[] = [];
  const notices: string[] = [];
  // Read by each run as it starts: a test switches what the replay stand-in does between saves. The
  // stand-in answers the `--version` probe that precedes the first run as weaver 0.25.1 would.
  const env: Record<string, string> = { WEAVER_REPLAY_VERSION: 'weaver 0.25.1' };
  const onSave = new WeaverOnSave({
    registryRoot: root,
    ...(settings ? { settings } : {}),
    publish: (file, diagnostics) => published.push({ file, diagnostics }),
    log: { info: (m) => infos.push(m), error: (m) => errors.push(m) },
    notify: (m) => notices.push(m),
    env,
    timeoutMs: 30_000,
    forceKillAfterMs: 500,
    ...(baselineRegistry ? { baselineRegistry: () => baselineRegistry } : {}),
  });
  const s = new DiagnosticsScheduler({
    checker: new RegistryWorkspace(root),
    debounceMs: 0,
    policyDelayMs,
    publish: (file, diagnostics, version) => onSave.publishNative(file, diagnostics, version),
  });
  harnesses.push({ dispose: () => (s.dispose(), onSave.dispose()) });
  // The user opens the file: the first native check runs.
  s.update(model, 1, readFileSync(model, 'utf8'));
  await s.flush();
  const last = (file: string) => [...published].reverse().find((p) => p.file === file)?.diagnostics;
  return { root, model, published, errors, infos, notices, env, scheduler: s, onSave, last };
}

async function replayOf(caseDir: string, name: string): Promise<string> {
  return makeRecording(scratch, name, { stdoutFrom: join(caseDir, 'expected-diagnostic-output.json'), exitCode: 1 });
}

const weaverSettings: ServerWeaverOptions = { engine: 'auto', binaryPath: REPLAY_BINARY, trusted: true };

/**
 * An executable that is not weaver: a shell script that answers `--version` as another tool does and
 * prints an empty JSON list for anything else. Every call's arguments go to the returned calls file.
 */
async function otherTool(name: string): Promise<{ binary: string; calls: () => string[] }> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  const binary = join(dir, 'other-tool');
  const callsFile = join(dir, 'calls.txt');
  await writeFile(
    binary,
    `#!/bin/sh\necho "$*" >> '${callsFile}'\nif [ "$1" = "--version" ]; then echo "other-tool 1.2.3"; exit 0; fi\necho '[]'\n`,
    { mode: 0o755 },
  );
  return { binary, calls: () => (existsSync(callsFile) ? readFileSync(callsFile, 'utf8').split('\n').filter(Boolean) : []) };
}

describe('weaver registry check on save', () => {
  test('runs `weaver registry check` with the builder argv and places each finding on the attribute it names', async () => {
    const h = await harness(collisionCase, weaverSettings, 60_000);
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, 'collision');
    h.env.WEAVER_REPLAY_ARGV_FILE = join(scratch, 'collision-argv.json');

    const outcome = await h.onSave.saved(h.model);
    expect(outcome).toMatchObject({ kind: 'checked', findings: 2, files: [h.model] });
    expect(readJson<string[]>(h.env.WEAVER_REPLAY_ARGV_FILE)).toEqual([
      'registry',
      'check',
      '--registry',
      h.root,
      '--diagnostic-format',
      'json',
      '--diagnostic-stdout',
    ]);

    const placed = h.onSave.weaverFindings(h.model);
    const expected = violations(collisionCase);
    expect(placed).toHaveLength(expected.length);
    for (const v of expected) {
      const d = placed.find((p) => p.message.startsWith(v.message));
      expect(d, v.message).toBeDefined();
      // The range covers the key of the attribute the rule is about, in the file that defines it.
      expect(textAt(d!)).toBe(v.context.attribute_key);
    }
    expect(h.infos.some((m) => /^weaver registry check on save: 2 findings in 1 file/.test(m))).toBe(true);
  });

  test('with a baseline registry set, weaver is asked to compare against it too', async () => {
    const baseline = join(collisionCase, 'current');
    const h = await harness(collisionCase, weaverSettings, 60_000, baseline);
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, 'collision-baseline');
    h.env.WEAVER_REPLAY_ARGV_FILE = join(scratch, 'collision-baseline-argv.json');
    expect(await h.onSave.saved(h.model)).toMatchObject({ kind: 'checked' });
    expect(readJson<string[]>(h.env.WEAVER_REPLAY_ARGV_FILE)).toEqual([
      'registry',
      'check',
      '--registry',
      h.root,
      '--baseline-registry',
      baseline,
      '--diagnostic-format',
      'json',
      '--diagnostic-stdout',
    ]);
  });

  test('weaver findings carry source, code and a link to the rule, and survive native re-checks while typing', async () => {
    // Policies held back (as while typing): the native engine has not reported the collisions yet.
    const h = await harness(collisionCase, weaverSettings, 60_000);
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, 'collision-merge');
    expect(h.scheduler.current(h.model)).toEqual([]);

    await h.onSave.saved(h.model);
    const merged = h.last(h.model)!;
    expect(merged).toHaveLength(2);
    for (const d of merged) {
      expect(d.source).toBe('weaver');
      expect(d.code).toBe('naming_convention_attribute_constant_collision');
      const lsp = toLspDiagnostic(d);
      expect(lsp.source).toBe('weaver');
      expect(lsp.code).toBe('naming_convention_attribute_constant_collision');
      expect(lsp.codeDescription).toEqual({ href: NAMING_URL });
    }

    // Typing: an unknown key appended at the end gives a native schema finding; the publication of
    // that native re-check still holds weaver's findings.
    const text = readFileSync(h.model, 'utf8');
    h.scheduler.update(h.model, 2, `${text.endsWith('\n') ? text : `${text}\n`}not_a_semconv_key: 1\n`);
    await h.scheduler.flush();
    const afterTyping = h.last(h.model)!;
    const native = afterTyping.filter((d) => d.source === 'weavergen');
    expect(native.length).toBeGreaterThan(0);
    expect(afterTyping.filter((d) => d.source === 'weaver')).toEqual(merged);
  });

  test('a weaver finding the native engine also reports at the same line is dropped: native wins', async () => {
    const h = await harness(collisionCase, weaverSettings, 0);
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, 'collision-dedup');
    const native = [...h.scheduler.current(h.model)];
    expect(native.map((d) => d.code)).toEqual(['naming_convention_attribute_constant_collision', 'naming_convention_attribute_constant_collision']);

    await h.onSave.saved(h.model);
    const weaver = h.onSave.weaverFindings(h.model);
    expect(weaver).toHaveLength(2);
    // Each weaver finding sits on the line of a native finding of the same rule...
    for (const w of weaver) expect(native.some((n) => n.code === w.code && n.range.start.line === w.range.start.line)).toBe(true);
    // ...so what the editor shows is the native list alone.
    expect(h.last(h.model)).toEqual(native);
  });

  test('a policy finding the native engine places on a more precise line is still one finding', async () => {
    const h = await harness(renamedCase, weaverSettings, 0);
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(renamedCase, 'renamed');
    const native = [...h.scheduler.current(h.model)];
    const [rule] = violations(renamedCase);
    const nativeRule = native.filter((d) => d.code === rule!.id);
    expect(nativeRule).toHaveLength(1);

    await h.onSave.saved(h.model);
    const [weaver] = h.onSave.weaverFindings(h.model);
    // Weaver names the member; the native engine points at its `renamed_to`.
    expect(textAt(weaver!)).toBe(rule!.context.member_id);
    expect(weaver!.range.start.line).not.toBe(nativeRule[0]!.range.start.line);
    expect(h.last(h.model)).toEqual(native);
  });

  test('a second save cancels the running check, ending its whole process tree', async () => {
    const h = await harness(collisionCase, weaverSettings, 60_000);
    const pidFile = join(scratch, 'cancel-pids.json');
    h.env.WEAVER_REPLAY_MODE = 'grandchild';
    h.env.WEAVER_REPLAY_PID_FILE = pidFile;
    const first = h.onSave.saved(h.model);
    await waitFor(() => existsSync(pidFile), 'the first run to start its grandchild');
    const pids = readJson<{ child: number; grandchild: number }>(pidFile);
    expect(isAlive(pids.child) && isAlive(pids.grandchild)).toBe(true);

    h.env.WEAVER_REPLAY_MODE = 'replay';
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, 'collision-second');
    const second = h.onSave.saved(h.model);
    expect(await first).toEqual({ kind: 'superseded' });
    // The second run starts only once the first one's tree is gone.
    expect(isAlive(pids.child)).toBe(false);
    expect(isAlive(pids.grandchild)).toBe(false);
    expect(await second).toMatchObject({ kind: 'checked', findings: 2 });
    expect(h.last(h.model)!.filter((d) => d.source === 'weaver')).toHaveLength(2);
    expect(h.errors).toEqual([]);
    expect(h.notices).toEqual([]);
  }, 30_000);

  test('a missing binary: one clear log line, one message, native diagnostics untouched', async () => {
    const missing = join(scratch, 'no-such-dir', 'weaver');
    const h = await harness(collisionCase, { engine: 'auto', binaryPath: missing, trusted: true }, 0);
    const native = [...h.scheduler.current(h.model)];
    const before = h.published.length;

    const outcome = await h.onSave.saved(h.model);
    expect(outcome).toMatchObject({ kind: 'failed', run: 'not-found' });
    await h.onSave.saved(h.model);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatch(new RegExp(`^weaver registry check on save failed: the weaver executable '${missing}' was not found: install weaver`));
    expect(h.notices).toHaveLength(1);
    expect(h.notices[0]).toContain('weavergen.weaver.path');
    // Nothing was republished: the native findings stand as they were.
    expect(h.published.length).toBe(before);
    expect(h.scheduler.current(h.model)).toEqual(native);
    expect(h.last(h.model)).toEqual(native);
  });

  test('an executable that does not answer --version as weaver is never run as weaver: one log line, one message, native findings stand', async () => {
    const other = await otherTool('not-weaver');
    const h = await harness(collisionCase, { engine: 'weaver', binaryPath: other.binary, trusted: true }, 0);
    const native = [...h.scheduler.current(h.model)];
    expect(native).toHaveLength(2);
    const before = h.published.length;

    const line = `weaver registry check on save did not run: '${other.binary} --version' printed 'other-tool 1.2.3', not a weaver version: check that weavergen.weaver.path names the weaver executable`;
    const first = await h.onSave.saved(h.model);
    expect(first).toEqual({ kind: 'failed', run: 'not-weaver', message: line });
    expect(await h.onSave.saved(h.model)).toEqual(first);
    // Asked once (the answer is kept for this path), never handed `registry check`.
    expect(other.calls()).toEqual(['--version']);
    expect(h.errors).toEqual([`${line} (the native engine's findings are unaffected)`]);
    expect(h.notices).toHaveLength(1);
    expect(h.notices[0]).toMatch(/^WeaverGen: weaver registry check on save did not run: .*not a weaver version: check that weavergen\.weaver\.path/);
    expect(h.published.length).toBe(before);
    expect(h.last(h.model)).toEqual(native);
  });

  test('the --version answer is kept per binary path: a different path is probed again', async () => {
    const other = await otherTool('probe-per-path');
    const h = await harness(collisionCase, weaverSettings, 60_000);
    h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, 'probe-per-path');
    expect(await h.onSave.saved(h.model)).toMatchObject({ kind: 'checked', findings: 2 });
    expect(h.infos).toContain(`weaver registry check on save uses weaver 0.25.1 at ${REPLAY_BINARY}`);

    // The path now names another tool: it is asked, refused, and weaver's findings are gone.
    h.onSave.updateSettings({ ...weaverSettings, binaryPath: other.binary });
    expect(await h.onSave.saved(h.model)).toMatchObject({ kind: 'failed', run: 'not-weaver' });
    expect(h.onSave.weaverFindings(h.model)).toEqual([]);
    expect(other.calls()).toEqual(['--version']);

    // Back to the stand-in, which now answers as an older weaver: asked again (the old answer is not
    // reused), run, and the log says it is older than the release WeaverGen follows.
    h.env.WEAVER_REPLAY_VERSION = 'weaver 0.17.0';
    h.onSave.updateSettings(weaverSettings);
    expect(await h.onSave.saved(h.model)).toMatchObject({ kind: 'checked', findings: 2 });
    expect(h.infos).toContain(
      `weaver registry check on save uses weaver 0.17.0 at ${REPLAY_BINARY}: older than weaver 0.25.1, whose flags and findings WeaverGen follows: update it if a command fails`,
    );
    // A save with the same path reuses the answer: another version line would not be read.
    h.env.WEAVER_REPLAY_VERSION = 'not weaver at all';
    expect(await h.onSave.saved(h.model)).toMatchObject({ kind: 'checked', findings: 2 });
    expect(other.calls()).toEqual(['--version']);
  });

  test("engine 'weaver' without a binary says why once; 'auto' without one stays quiet", async () => {
    const reason = 'the weaver executable was not found on the PATH nor in /home/u/.cargo/bin: install weaver';
    const explicit = await harness(collisionCase, { engine: 'weaver', binaryPath: null, trusted: true, missingReason: reason }, 60_000);
    expect(await explicit.onSave.saved(explicit.model)).toEqual({ kind: 'skipped', reason });
    await explicit.onSave.saved(explicit.model);
    expect(explicit.notices).toEqual([`WeaverGen: weaver registry check on save did not run: ${reason}`]);
    expect(explicit.errors).toHaveLength(1);

    const auto = await harness(collisionCase, { engine: 'auto', binaryPath: null, trusted: true }, 60_000);
    expect((await auto.onSave.saved(auto.model)).kind).toBe('skipped');
    expect(auto.notices).toEqual([]);
    expect(auto.errors).toEqual([]);
  });

  test('an untrusted workspace never starts weaver, whatever the settings name', async () => {
    for (const engine of ['auto', 'weaver'] as const) {
      const h = await harness(collisionCase, { engine, binaryPath: REPLAY_BINARY, trusted: false }, 60_000);
      const argvFile = join(scratch, `untrusted-${engine}-argv.json`);
      h.env.WEAVER_REPLAY_ARGV_FILE = argvFile;
      h.env.WEAVER_REPLAY_RECORDING = await replayOf(collisionCase, `untrusted-${engine}`);
      const outcome = await h.onSave.saved(h.model);
      expect(outcome.kind).toBe('skipped');
      expect(outcome).toMatchObject({ reason: expect.stringMatching(/not trusted/) });
      expect(existsSync(argvFile)).toBe(false);
      expect(h.onSave.weaverFindings(h.model)).toEqual([]);
      expect(h.notices).toEqual([]);
    }
    // The native engine choice and an older client that sends no weaver options do not run it either.
    const native = await harness(collisionCase, { engine: 'native', binaryPath: REPLAY_BINARY, trusted: true }, 60_000);
    expect((await native.onSave.saved(native.model)).kind).toBe('skipped');
    const older = await harness(collisionCase, undefined, 60_000);
    expect((await older.onSave.saved(older.model)).kind).toBe('skipped');
  });
});

describe('merging weaver findings with native ones', () => {
  test("weaver's duplicate-definition errors are dropped where the native check reports them, on the same or the other definition", async () => {
    const merged = async (name: string) => {
      const dir = shared('conformance', 'weaver-resolver', name);
      const registry = join(dir, 'registry');
      const findings = findingsFromJson(readJson<JsonValue>(join(dir, 'expected-errors.json')));
      const weaver: WeaverLineFinding[] = placeFindings(findings, await loadPlacementContext(registry)).map((p) => ({ diagnostic: p.diagnostic }));
      const native = await new RegistryWorkspace(registry).check();
      const files = new Set([...native.byFile.keys(), ...weaver.map((w) => w.diagnostic.file)]);
      const shown = [...files].flatMap((file) =>
        mergeFindings(native.byFile.get(file) ?? [], weaver.filter((w) => w.diagnostic.file === file), native.diagnostics),
      );
      return { weaver: weaver.map((w) => w.diagnostic), native: native.diagnostics, shown };
    };

    // registry-test-12: weaver marks the first definition of `registry.messaging_bis` and
    // `metric.messaging.attributes`, the native engine the second, naming the first as related.
    const groups = await merged('registry-test-12-duplicate-group-id');
    expect(groups.weaver.map((d) => d.code).sort()).toEqual(['duplicate-attribute-id', 'duplicate-group-id', 'duplicate-group-id']);
    expect(groups.shown).toEqual(groups.native);

    // registry-test-13: the duplicate group ids are the native engine's too; its duplicate metric
    // names come from resolution, which the native check skips once a file has errors: weaver's stay.
    const metrics = await merged('registry-test-13-duplicate-metric-name');
    const kept = metrics.shown.filter((d) => d.source === 'weaver');
    expect(kept.map((d) => d.code)).toEqual(['duplicate-metric-name', 'duplicate-metric-name', 'duplicate-metric-name']);
    expect(metrics.native.some((d) => d.code === 'duplicate-metric-name')).toBe(false);
    expect(metrics.shown.filter((d) => d.source === 'weavergen')).toEqual(metrics.native);
  });

  test("weaver's own repeats count once, and findings of other meanings are kept", () => {
    const at = (line: number, code: string, source: 'weaver' | 'weavergen', message = code): RegistryDiagnostic => ({
      file: '/r/a.yaml',
      range: { start: { line, character: 4 }, end: { line, character: 9 } },
      severity: 'error',
      code,
      message,
      source,
    });
    const native = [at(3, 'unresolved-extends-ref', 'weavergen'), at(7, 'schema', 'weavergen')];
    const weaver = [at(3, 'unresolved-group-ref', 'weaver'), at(7, 'invalid-sem-conv-spec', 'weaver'), at(9, 'duplicate-group-id', 'weaver'), at(9, 'duplicate-group-id', 'weaver')];
    const merged = mergeFindings(native, weaver.map((diagnostic) => ({ diagnostic })));
    expect(merged).toEqual([...native, at(9, 'duplicate-group-id', 'weaver')]);
  });

  test('links: the policy package of a rule, the source defining a known weaver error, none for the unknown', () => {
    const [collision] = findingsFromJson(readJson<JsonValue>(join(collisionCase, 'expected-diagnostic-output.json')));
    expect(findingDocUrl(collision!)).toBe(NAMING_URL);
    const [renamed] = findingsFromJson(readJson<JsonValue>(join(renamedCase, 'expected-diagnostic-output.json')));
    expect(findingDocUrl(renamed!)).toBe('https://github.com/open-telemetry/opentelemetry-weaver-packages/tree/main/policies/check/stability');
    const resolver = findingsFromJson(readJson<JsonValue>(shared('conformance', 'weaver-resolver', 'registry-test-12-duplicate-group-id', 'expected-errors.json')));
    expect(resolver.map((f) => f.kind)).toContain('DuplicateGroupId');
    for (const f of resolver.filter((f) => f.kind === 'DuplicateGroupId')) {
      expect(findingDocUrl(f)).toBe('https://github.com/open-telemetry/weaver/blob/main/crates/weaver_resolver/src/error.rs');
    }
    expect(findingDocUrl(findingsFromJson({ SomethingNew: { x: 1 } })[0]!)).toBeUndefined();
  });
});

describe('weaver options in the server protocol', () => {
  test('init options and settings carry the weaver options, checked', () => {
    const root = '/work/registry';
    expect(isServerInitOptions({ registryRoot: root, debounceMs: 200, weaver: weaverSettings })).toBe(true);
    expect(isServerInitOptions({ registryRoot: root, debounceMs: 200, weaver: { engine: 'weaver', binaryPath: null, trusted: false } })).toBe(true);
    expect(isServerInitOptions({ registryRoot: root, debounceMs: 200, weaver: { engine: 'fast', binaryPath: null, trusted: true } })).toBe(false);
    expect(isServerInitOptions({ registryRoot: root, debounceMs: 200, weaver: { engine: 'auto', binaryPath: 'weaver', trusted: true } })).toBe(false);
    expect(isServerInitOptions({ registryRoot: root, debounceMs: 200, weaver: { engine: 'auto', binaryPath: null } })).toBe(false);
    expect(isServerSettings({ debounceMs: 0, weaver: weaverSettings })).toBe(true);
    expect(isServerSettings({ debounceMs: 0, weaver: { engine: 'auto' } })).toBe(false);
  });
});
