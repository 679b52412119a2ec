import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { createWeaverEngine, findingToDiagnostic, WeaverRunError } from '../../../src/core/engine/weaverEngine';
import { findingsFromJson } from '../../../src/core/weaver/diagnostics';
import type { JsonObject, JsonValue } from '../../../src/core/weaver/json';
import { ensureReplayExecutable, isAlive, makeRecording, REPLAY_BINARY, shared, tempDir, waitFor } from './helpers';

/**
 * The weaver engine end to end through the RegistryEngine contract, with the stand-in that replays
 * recorded weaver output in place of the binary (not weaver: it cannot be installed here). The
 * registries are the real ones weaver's recordings were made on, in ../shared.
 */

const POLICY_CASE = shared('conformance/weaver-policies/naming_conventions/tests/attribute_constant_collision');
const RESOLVER_CASE = shared('conformance/weaver-resolver/registry-test-12-duplicate-group-id');

let work: string;

beforeAll(async () => {
  ensureReplayExecutable();
  work = await tempDir('weaver-engine');
});

describe('createWeaverEngine', () => {
  it('runs `registry check` on the registry and reports policy violations with source weaver', async () => {
    const recording = await makeRecording(work, 'policy', { stdoutFrom: join(POLICY_CASE, 'expected-diagnostic-output.json'), exitCode: 1 });
    const argvFile = join(work, 'policy-argv.json');
    const engine = createWeaverEngine(
      { path: REPLAY_BINARY, source: 'setting' },
      { env: { WEAVER_REPLAY_RECORDING: recording, WEAVER_REPLAY_ARGV_FILE: argvFile } },
    );
    expect(engine.kind).toBe('weaver');
    const registryPath = join(POLICY_CASE, 'current');
    const handle = await engine.load({ registryPath });
    expect(handle.engine).toBe('weaver');
    expect(handle.summary).toMatchObject({ registryPath, files: 1 });

    const result = await engine.check(handle);
    expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual([
      'registry',
      'check',
      '--registry',
      registryPath,
      '--diagnostic-format',
      'json',
      '--diagnostic-stdout',
    ]);
    expect(result.summary).toBe(handle.summary);
    expect(result.diagnostics).toHaveLength(2);
    // A policy finding names no file: it is placed on the attribute it is about, through the native model.
    const lines = readFileSync(join(registryPath, 'model.yaml'), 'utf8').split('\n');
    const placedOn = result.diagnostics.map((d) => lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character));
    expect(placedOn.sort()).toEqual(['namespace.test.attribute', 'namespace.test_attribute']);
    for (const d of result.diagnostics) {
      expect(isRegistryDiagnostic(d)).toBe(true);
      expect(d).toMatchObject({
        source: 'weaver',
        severity: 'error',
        code: 'naming_convention_attribute_constant_collision',
        file: join(registryPath, 'model.yaml'),
      });
      expect(d.message).toMatch(/has the same constant name 'namespace_test_attribute'/);
      expect(d.message).not.toMatch(/could not be placed/);
    }
  });

  it('places resolver errors on the files weaver names', async () => {
    // weaver's resolver test ran from its crate folder and printed paths relative to it; a real run
    // on `-r DIR` prints them under DIR, so the recording gets the registry's path in their place.
    const registryPath = join(RESOLVER_CASE, 'registry');
    const error = JSON.parse(
      readFileSync(join(RESOLVER_CASE, 'expected-errors.json'), 'utf8').replaceAll('data/registry-test-12-duplicate-group-id/registry', registryPath),
    ) as JsonObject;
    // weaver prints a compound error as one diagnostic per nested error.
    const output: JsonValue = (error.CompoundError as JsonValue[]).map((e) => ({ error: e, diagnostic: { message: '', ansi_message: '' } }));
    const recording = await makeRecording(work, 'resolver', { stdout: JSON.stringify(output), exitCode: 1 });
    const engine = createWeaverEngine(REPLAY_BINARY, { env: { WEAVER_REPLAY_RECORDING: recording } });
    const result = await engine.check(await engine.load({ registryPath }));

    // Each one lands on the line of the id it names, in the file it names (the native model finds it).
    const textAt = (d: (typeof result.diagnostics)[number]) =>
      readFileSync(d.file, 'utf8').split('\n')[d.range.start.line]!.slice(d.range.start.character, d.range.end.character);
    expect(result.diagnostics.map((d) => [d.file.slice(registryPath.length + 1), d.code, textAt(d)])).toEqual([
      ['metrics-messaging.yaml', 'duplicate-group-id', 'metric.messaging.attributes'],
      ['registry-messaging.yaml', 'duplicate-group-id', 'registry.messaging_bis'],
      ['registry-messaging.yaml', 'duplicate-attribute-id', 'batch.message_count'],
    ]);
    const attribute = result.diagnostics.find((d) => d.code === 'duplicate-attribute-id')!;
    expect(attribute.message).toContain('batch.message_count');
    const group = result.diagnostics.find((d) => d.file.endsWith('registry-messaging.yaml'))!;
    expect(group.message).toBe('Duplicate group id: group_id registry.messaging_bis; provenances ' + join(registryPath, 'registry-messaging.yaml'));
  });

  it('a clean run: no diagnostics', async () => {
    const recording = await makeRecording(work, 'clean', { exitCode: 0 });
    const engine = createWeaverEngine(REPLAY_BINARY, { env: { WEAVER_REPLAY_RECORDING: recording } });
    const result = await engine.check(await engine.load({ registryPath: join(POLICY_CASE, 'current') }));
    expect(result.diagnostics).toEqual([]);
  });

  it('a baseline registry and --skip-policies reach weaver as its own flags', async () => {
    const recording = await makeRecording(work, 'baseline', { exitCode: 0 });
    const argvFile = join(work, 'baseline-argv.json');
    const engine = createWeaverEngine(REPLAY_BINARY, { env: { WEAVER_REPLAY_RECORDING: recording, WEAVER_REPLAY_ARGV_FILE: argvFile } });
    const registryPath = join(POLICY_CASE, 'current');
    const baseline = join(POLICY_CASE, 'current');
    await engine.check(await engine.load({ registryPath }), undefined, { baselineRegistryPath: baseline, skipPolicies: true });
    const argv = JSON.parse(readFileSync(argvFile, 'utf8')) as string[];
    expect(argv.slice(0, 4)).toEqual(['registry', 'check', '--registry', registryPath]);
    expect(argv[argv.indexOf('--baseline-registry') + 1]).toBe(baseline);
    expect(argv).toContain('--skip-policies');
    expect(argv.slice(-3)).toEqual(['--diagnostic-format', 'json', '--diagnostic-stdout']);
  });

  it('a run that fails throws WeaverRunError with what happened', async () => {
    const missing = createWeaverEngine(join(work, 'no-weaver-here'));
    const handle = await missing.load({ registryPath: join(POLICY_CASE, 'current') });
    await expect(missing.check(handle)).rejects.toThrow(WeaverRunError);
    await expect(missing.check(handle)).rejects.toThrow(/weavergen\.weaver\.path/);

    const crashing = createWeaverEngine(REPLAY_BINARY, { env: { WEAVER_REPLAY_MODE: 'crash', WEAVER_REPLAY_SIGNAL: 'SIGSEGV' } });
    const error = await crashing.check(await crashing.load({ registryPath: join(POLICY_CASE, 'current') })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeaverRunError);
    expect((error as WeaverRunError).result).toMatchObject({ kind: 'failed', reason: 'signal', signal: 'SIGSEGV' });
  });

  it('cancellation rejects with the signal reason and leaves nothing running', async () => {
    const pidFile = join(work, 'engine-sleep.pids');
    const engine = createWeaverEngine(REPLAY_BINARY, { env: { WEAVER_REPLAY_MODE: 'grandchild', WEAVER_REPLAY_PID_FILE: pidFile } });
    const handle = await engine.load({ registryPath: join(POLICY_CASE, 'current') });
    const controller = new AbortController();
    const checking = engine.check(handle, controller.signal);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'weaver stand-in started');
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { child: number; grandchild: number };
    controller.abort(new Error('user cancelled'));
    await expect(checking).rejects.toThrow('user cancelled');
    expect(isAlive(pids.child)).toBe(false);
    expect(isAlive(pids.grandchild)).toBe(false);
  });

  it('refuses a handle another engine made', async () => {
    const engine = createWeaverEngine(REPLAY_BINARY);
    await expect(engine.check({ engine: 'native', summary: { registryPath: '/x', files: 0, groups: 0, attributes: 0 } })).rejects.toThrow(
      /did not load/,
    );
  });
});

describe('findingToDiagnostic', () => {
  const fallback = { fallbackFile: '/registry/registry_manifest.yaml', fallbackNote: ' [on the manifest]' };

  it('a position weaver printed is used as is (1-based to 0-based)', async () => {
    const file = join(work, 'positions.yaml');
    await writeFile(file, 'groups:\n  - id: a\n    type: strin\n');
    const [finding] = findingsFromJson({ InvalidSemConvSpec: { path_or_url: file, line: 3, column: 11, error: 'unknown variant' } });
    expect(findingToDiagnostic(finding!, { cwd: work, ...fallback })).toMatchObject({
      file,
      range: { start: { line: 2, character: 10 }, end: { line: 2, character: 10 } },
      code: 'invalid-sem-conv-spec',
    });
  });

  it('a byte label becomes a line and a UTF-16 column; a printed position wins over it', async () => {
    const file = join(work, 'labels.yaml');
    await writeFile(file, 'groups:\n  - id: ünïcode\n    brief: "😀 x"\n');
    const offset = Buffer.byteLength('groups:\n  - id: ünïcode\n    brief: "😀 ');
    const entry = (ansi: string) => [
      { error: { SchemaError: { path: file } }, diagnostic: { message: 'bad', ansi_message: ansi, labels: [{ label: 'x', span: { offset, length: 1 }, primary: true }] } },
    ];
    const [fromLabel] = findingsFromJson(entry(''));
    expect(fromLabel!.anchors.map((a) => a.kind)).toEqual(['byte-span', 'file']);
    expect(findingToDiagnostic(fromLabel!, { cwd: work, ...fallback }).range.start).toEqual({ line: 2, character: '    brief: "😀 '.length });
    const [printed] = findingsFromJson(entry(`  ╭─[${file}:3:4]`));
    expect(findingToDiagnostic(printed!, { cwd: work, ...fallback }).range.start).toEqual({ line: 2, character: 3 });
  });

  it('a file that does not exist or is not YAML falls back, and says so', () => {
    const [finding] = findingsFromJson({ RegistryNotFound: { path_or_url: '/nowhere/registry', error: 'No such file' } });
    const d = findingToDiagnostic(finding!, { cwd: work, ...fallback });
    expect(d.file).toBe('/registry/registry_manifest.yaml');
    expect(d.message).toBe('Registry not found: path_or_url /nowhere/registry; error No such file [on the manifest]');
  });

  it('advice is information', () => {
    const [finding] = findingsFromJson([{ error: 'HomeDirNotFound', diagnostic: { message: 'Home directory not found', ansi_message: '', severity: 'Advice' } }]);
    expect(findingToDiagnostic(finding!, { cwd: work, ...fallback }).severity).toBe('information');
  });
});
