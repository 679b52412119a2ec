import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryCheckArgv } from '../../../src/core/weaver/argv';
import { readVersion } from '../../../src/core/weaver/locate';
import { commandName, diagnosticStreamOf, runWeaver, type WeaverRunOptions, type WeaverRunResult } from '../../../src/core/weaver/run';
import { ensureReplayExecutable, isAlive, makeRecording, REPLAY_BINARY, shared, tempDir, waitFor } from './helpers';

/**
 * Process handling of runWeaver, against the stand-in executable that replays recorded weaver output
 * (test/fixtures/weaver-replay, NOT weaver: the binary cannot be installed here). The recordings are
 * made at test time from weaver's own expectations in ../shared.
 */

const POLICY_OUTPUT = shared('conformance/weaver-policies/naming_conventions/tests/attribute_constant_collision/expected-diagnostic-output.json');
const CHECK_ARGS = registryCheckArgv({ registry: '/registry/does/not/matter/to/the/replay' });

let work: string;

beforeAll(async () => {
  ensureReplayExecutable();
  work = await tempDir('weaver-run');
});

async function replay(name: string, recording: Parameters<typeof makeRecording>[2], options: Partial<WeaverRunOptions> = {}): Promise<WeaverRunResult> {
  const dir = await makeRecording(work, name, recording);
  return runWeaver({ binary: REPLAY_BINARY, args: CHECK_ARGS, ...options, env: { WEAVER_REPLAY_RECORDING: dir, ...options.env } });
}

function expectKind<K extends WeaverRunResult['kind']>(result: WeaverRunResult, kind: K): Extract<WeaverRunResult, { kind: K }> {
  expect(result.kind, result.message).toBe(kind);
  return result as Extract<WeaverRunResult, { kind: K }>;
}

async function pidsOf(file: string): Promise<{ child: number; grandchild?: number }> {
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').length > 0, `the replay wrote ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as { child: number; grandchild?: number };
}

describe('exit codes', () => {
  it('exit 0 with nothing printed: ok, no findings', async () => {
    const result = expectKind(await replay('clean', { exitCode: 0 }), 'ok');
    expect(result.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('exit 1 with the recorded diagnostics on stdout: diagnostics, parsed, stderr kept', async () => {
    const result = expectKind(
      await replay('policy-violations', { stdoutFrom: POLICY_OUTPUT, stderr: 'Total execution time: 0.31s\n', exitCode: 1 }),
      'diagnostics',
    );
    const recorded = JSON.parse(readFileSync(POLICY_OUTPUT, 'utf8')) as unknown[];
    expect(result.findings).toHaveLength(recorded.length);
    expect(result.findings.map((f) => f.policy?.id)).toEqual(['naming_convention_attribute_constant_collision', 'naming_convention_attribute_constant_collision']);
    expect(result.stderr).toBe('Total execution time: 0.31s\n');
    expect(result.stdout).toBe(readFileSync(POLICY_OUTPUT, 'utf8'));
    expect(result.message).toBe('weaver registry check reported 2 errors');
  });

  it('exit 0 with warnings printed: ok, and the warnings are findings', async () => {
    const warnings = JSON.stringify([
      { error: { InvalidGroupUsesPrefix: { path_or_url: 'model/a.yaml', group_id: 'registry.a' } }, diagnostic: { message: 'prefix', ansi_message: 'prefix', severity: 'Warning' } },
    ]);
    const result = expectKind(await replay('warnings', { stdout: warnings, exitCode: 0 }), 'ok');
    expect(result.findings.map((f) => [f.kind, f.severity])).toEqual([['InvalidGroupUsesPrefix', 'warning']]);
  });

  it('diagnostics on stderr among log lines, when the arguments send them there', async () => {
    const stderr = `Loading registry\n${readFileSync(POLICY_OUTPUT, 'utf8')}\nTotal execution time: 0.1s\n`;
    const args = registryCheckArgv({ registry: 'r', diagnosticStdout: false });
    expect(diagnosticStreamOf(args)).toBe('stderr');
    const result = expectKind(await replay('stderr-diagnostics', { stderr, exitCode: 1 }, { args }), 'diagnostics');
    expect(result.findings).toHaveLength(2);
  });

  it('exit 1 with nothing to read: failed, with the stderr tail', async () => {
    const result = expectKind(await replay('exit-1-silent', { stderr: 'Failed to render the diagnostic messages.\n', exitCode: 1 }), 'failed');
    expect(result.reason).toBe('exit-code');
    expect(result.exitCode).toBe(1);
    expect(result.stderrTail).toBe('Failed to render the diagnostic messages.');
  });

  it('exit 2 (usage error): failed, saying the arguments were rejected, stderr kept', async () => {
    const usage = "error: unexpected argument '--diagnostic-stdout' found\n\nUsage: weaver registry check [OPTIONS]\n";
    const result = expectKind(await replay('usage-error', { stderr: usage, exitCode: 2 }), 'failed');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(usage);
    expect(result.message).toContain('rejected its arguments (exit 2)');
    expect(result.stderrTail).toContain("unexpected argument '--diagnostic-stdout'");
  });

  it('exit 101 (a Rust panic): failed as a crash', async () => {
    const result = expectKind(await replay('panic', { stderr: "thread 'main' panicked at src/main.rs:1:1\n", exitCode: 101 }), 'failed');
    expect(result.message).toContain('crashed (Rust panic, exit 101)');
    expect(result.stderrTail).toContain('panicked');
  });

  it('text on stdout that is not weaver JSON: unparseable-output with the raw text', async () => {
    const raw = '× The semantic convention registry is not found\n  help: check the path\n';
    const result = expectKind(await replay('ansi-instead-of-json', { stdout: raw, exitCode: 1 }), 'unparseable-output');
    expect(result.raw).toBe(raw);
    expect(result.stream).toBe('stdout');
    expect(result.exitCode).toBe(1);
  });

  it('--version: the version weaver prints is read', async () => {
    const dir = await makeRecording(work, 'version', { stdout: 'weaver 0.25.1\n' });
    const version = await readVersion(REPLAY_BINARY, { env: { WEAVER_REPLAY_RECORDING: dir } });
    expect(version).toMatchObject({ ok: true, version: { major: 0, minor: 25, patch: 1, text: '0.25.1', raw: 'weaver 0.25.1' } });
  });

  it('--version printing something else is reported, not guessed', async () => {
    const dir = await makeRecording(work, 'not-weaver', { stdout: 'Python 3.11.2\n' });
    const version = await readVersion(REPLAY_BINARY, { env: { WEAVER_REPLAY_RECORDING: dir } });
    expect(version.ok).toBe(false);
    if (!version.ok) expect(version.message).toContain("printed 'Python 3.11.2', not a weaver version");
  });
});

describe('arguments', () => {
  it('reach the executable exactly as built: no shell, no splitting, no expansion', async () => {
    const argvFile = join(work, 'argv.json');
    const args = registryCheckArgv({ registry: "/tmp/my registry/it's $(here) `and` *", policies: ['a b', '; rm -rf /'] });
    await replay('argv', { exitCode: 0 }, { args, env: { WEAVER_REPLAY_ARGV_FILE: argvFile } });
    expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual(args);
  });

  it('names the command in messages', () => {
    expect(commandName(CHECK_ARGS)).toBe('registry check');
    expect(commandName(['--future', 'registry', 'generate', '--', 'markdown'])).toBe('registry generate');
    expect(commandName(['completion', '--', 'bash'])).toBe('completion');
    expect(commandName(['--version'])).toBe('--version');
  });
});

describe('ending runs: nothing is left running', () => {
  it('cancellation ends the child and the grandchild it started', async () => {
    const pidFile = join(work, 'grandchild.pids');
    const controller = new AbortController();
    const running = runWeaver({
      binary: REPLAY_BINARY,
      args: CHECK_ARGS,
      signal: controller.signal,
      env: { WEAVER_REPLAY_MODE: 'grandchild', WEAVER_REPLAY_PID_FILE: pidFile },
    });
    const pids = await pidsOf(pidFile);
    expect(isAlive(pids.child)).toBe(true);
    expect(isAlive(pids.grandchild!)).toBe(true);
    controller.abort();
    const result = expectKind(await running, 'cancelled');
    expect(result.stderr).toContain(`started grandchild ${pids.grandchild}`);
    expect(isAlive(pids.child)).toBe(false);
    expect(isAlive(pids.grandchild!)).toBe(false);
  });

  it('a tree that ignores SIGTERM is killed after forceKillAfterMs', async () => {
    const pidFile = join(work, 'stubborn.pids');
    const controller = new AbortController();
    const running = runWeaver({
      binary: REPLAY_BINARY,
      args: CHECK_ARGS,
      signal: controller.signal,
      forceKillAfterMs: 300,
      env: { WEAVER_REPLAY_MODE: 'grandchild', WEAVER_REPLAY_PID_FILE: pidFile, WEAVER_REPLAY_IGNORE_SIGTERM: '1' },
    });
    const pids = await pidsOf(pidFile);
    controller.abort();
    expectKind(await running, 'cancelled');
    expect(isAlive(pids.child)).toBe(false);
    expect(isAlive(pids.grandchild!)).toBe(false);
  });

  it('a timeout ends the tree and says so, with the output so far', async () => {
    const pidFile = join(work, 'timeout.pids');
    const result = expectKind(
      await runWeaver({
        binary: REPLAY_BINARY,
        args: CHECK_ARGS,
        timeoutMs: 400,
        env: { WEAVER_REPLAY_MODE: 'grandchild', WEAVER_REPLAY_PID_FILE: pidFile },
      }),
      'timeout',
    );
    expect(result.timeoutMs).toBe(400);
    const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as { child: number; grandchild: number };
    expect(result.stderrTail).toContain(`started grandchild ${pids.grandchild}`);
    expect(isAlive(pids.child)).toBe(false);
    expect(isAlive(pids.grandchild)).toBe(false);
  });

  it('a signal already given does not start weaver at all', async () => {
    const argvFile = join(work, 'never.json');
    const controller = new AbortController();
    controller.abort();
    const result = await runWeaver({ binary: REPLAY_BINARY, args: CHECK_ARGS, signal: controller.signal, env: { WEAVER_REPLAY_ARGV_FILE: argvFile } });
    expect(result.kind).toBe('cancelled');
    expect(existsSync(argvFile)).toBe(false);
  });

  it('output beyond maxBufferBytes ends the run as failed (max-buffer), and the process with it', async () => {
    const pidFile = join(work, 'flood.pids');
    const result = expectKind(
      await runWeaver({
        binary: REPLAY_BINARY,
        args: CHECK_ARGS,
        maxBufferBytes: 64 * 1024,
        env: { WEAVER_REPLAY_MODE: 'flood', WEAVER_REPLAY_BYTES: String(4 * 1024 * 1024), WEAVER_REPLAY_PID_FILE: pidFile },
      }),
      'failed',
    );
    expect(result.reason).toBe('max-buffer');
    expect(result.message).toContain('-o');
    const { child } = JSON.parse(readFileSync(pidFile, 'utf8')) as { child: number };
    expect(isAlive(child)).toBe(false);
  });
});

describe('crashes and missing executables', () => {
  it('a crash by signal: failed, with the signal and the stderr tail', async () => {
    const result = expectKind(await replay('crash', {}, { env: { WEAVER_REPLAY_MODE: 'crash', WEAVER_REPLAY_SIGNAL: 'SIGKILL' } }), 'failed');
    expect(result.reason).toBe('signal');
    expect(result.signal).toBe('SIGKILL');
    expect(result.stderrTail).toBe('replay: about to die by SIGKILL');
  });

  it('SIGSEGV is reported the same way', async () => {
    const result = expectKind(await replay('segv', {}, { env: { WEAVER_REPLAY_MODE: 'crash', WEAVER_REPLAY_SIGNAL: 'SIGSEGV' } }), 'failed');
    expect(result.signal).toBe('SIGSEGV');
  });

  it('a binary that does not exist: not-found, saying what to do', async () => {
    const result = expectKind(await runWeaver({ binary: join(work, 'no-such-weaver'), args: CHECK_ARGS }), 'not-found');
    expect(result.message).toContain('weavergen.weaver.path');
    expect(result.message).toContain('weavergen.engine');
  });

  it('a file that is not executable: failed (spawn-error), saying how to fix it', async () => {
    const notExecutable = join(work, 'weaver-not-executable');
    await writeFile(notExecutable, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const result = expectKind(await runWeaver({ binary: notExecutable, args: CHECK_ARGS }), 'failed');
    expect(result.reason).toBe('spawn-error');
    expect(result.message).toContain('EACCES');
  });
});
