import { chmodSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');

/** Read-only reference data next to the repository (`../shared`): read in place, never copied into the repo. */
export function shared(...parts: string[]): string {
  return resolve(repoRoot, '..', 'shared', ...parts);
}

/**
 * The stand-in executable for process tests. It replays recorded weaver output and is NOT weaver
 * (the real binary cannot be installed here); see its header.
 */
export const REPLAY_BINARY = resolve(repoRoot, 'test/fixtures/weaver-replay/weaver-replay-recorded-output');

/** A checkout may drop the executable bit; the process tests need it. */
export function ensureReplayExecutable(): void {
  chmodSync(REPLAY_BINARY, 0o755);
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `weavergen-${prefix}-`));
}

export interface Recording {
  /** A file under ../shared whose bytes become the recorded stdout (copied at test time). */
  stdoutFrom?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/** Writes a recording folder for the replay executable in a temp folder. */
export async function makeRecording(root: string, name: string, recording: Recording): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  if (recording.stdoutFrom) await copyFile(recording.stdoutFrom, join(dir, 'stdout'));
  if (recording.stdout !== undefined) await writeFile(join(dir, 'stdout'), recording.stdout);
  if (recording.stderr !== undefined) await writeFile(join(dir, 'stderr'), recording.stderr);
  if (recording.exitCode !== undefined) await writeFile(join(dir, 'exit-code'), String(recording.exitCode));
  return dir;
}

/** True while the process exists and is not a zombie waiting to be reaped (which runs nothing). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Polls until `check` holds; fails with `what` if it never does (a bound, not a timing assertion). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gave up waiting: ${what}`);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function relativeToShared(path: string): string {
  return relative(shared(), path);
}
