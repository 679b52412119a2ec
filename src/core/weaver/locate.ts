import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter as hostDelimiter, isAbsolute, join, resolve } from 'node:path';
import { weaverVersionArgv } from './argv';
import { runWeaver, type WeaverRunResult } from './run';
import { parseWeaverVersion, type WeaverVersion } from './version';

/**
 * Finding the weaver executable: the `weavergen.weaver.path` setting when it is set, else `PATH`,
 * else `~/.cargo/bin` (where `cargo install weaver` puts it, often not on the PATH of an editor
 * started from a desktop launcher).
 */

export type WeaverBinarySource = 'setting' | 'path' | 'cargo';

export interface WeaverBinary {
  /** Absolute path of the executable. */
  path: string;
  source: WeaverBinarySource;
}

export type LocateResult =
  | ({ found: true } & WeaverBinary)
  | {
      found: false;
      /** `setting-invalid`: the setting names something that is not an executable file; no fallback is tried. */
      reason: 'setting-invalid' | 'not-found';
      /** What to tell the user, including what to do. */
      message: string;
      /** Every path that was tried, in order. */
      searched: string[];
    };

export interface LocateOptions {
  /** The `weavergen.weaver.path` setting; empty or blank means unset. A bare name is looked up on PATH. */
  settingPath?: string;
  /** Folder a relative setting path is relative to (the workspace folder). Default: the current folder. */
  baseDir?: string;
  /** Environment to read PATH (and PATHEXT on Windows) from. Default: this process's. */
  env?: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  platform?: NodeJS.Platform;
}

const WHAT_TO_DO =
  'install weaver (https://github.com/open-telemetry/weaver/releases, or `cargo install weaver`) and put it on the PATH, ' +
  'set weavergen.weaver.path to the executable, or set weavergen.engine to native to use the built-in engine';

export async function locateWeaver(options: LocateOptions = {}): Promise<LocateResult> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.homeDir ?? homedir();
  const names = executableNames('weaver', platform, env);
  const searched: string[] = [];

  const setting = options.settingPath?.trim();
  if (setting) {
    const expanded = expandHome(setting, home);
    const isBareName = !/[\\/]/.test(expanded);
    const candidates = isBareName
      ? pathDirs(env, platform).flatMap((dir) => executableNames(expanded, platform, env).map((n) => join(dir, n)))
      : [resolve(options.baseDir ?? process.cwd(), expanded)];
    for (const candidate of candidates) {
      searched.push(candidate);
      if (await isExecutableFile(candidate, platform)) return { found: true, path: candidate, source: 'setting' };
    }
    const where = isBareName ? `no executable named '${expanded}' is on the PATH` : `'${candidates[0]}' is not an executable file`;
    return {
      found: false,
      reason: 'setting-invalid',
      searched,
      message: `weavergen.weaver.path is set to '${setting}' but ${where}: correct the setting, clear it to search the PATH, or set weavergen.engine to native`,
    };
  }

  // Relative PATH entries are skipped: they would pick up a `weaver` from whatever folder is current.
  for (const dir of pathDirs(env, platform)) {
    for (const name of names) {
      const candidate = join(dir, name);
      searched.push(candidate);
      if (await isExecutableFile(candidate, platform)) return { found: true, path: candidate, source: 'path' };
    }
  }
  const cargoBin = join(env.CARGO_HOME ? resolve(env.CARGO_HOME) : join(home, '.cargo'), 'bin');
  for (const name of names) {
    const candidate = join(cargoBin, name);
    searched.push(candidate);
    if (await isExecutableFile(candidate, platform)) return { found: true, path: candidate, source: 'cargo' };
  }
  return {
    found: false,
    reason: 'not-found',
    searched,
    message: `the weaver executable was not found on the PATH nor in ${cargoBin}: ${WHAT_TO_DO}`,
  };
}

export type ReadVersionResult = { ok: true; version: WeaverVersion } | { ok: false; message: string; run: WeaverRunResult };

/** Runs `weaver --version` and reads the version it prints. */
export async function readVersion(
  binaryPath: string,
  options: { signal?: AbortSignal; timeoutMs?: number; env?: Readonly<Record<string, string>> } = {},
): Promise<ReadVersionResult> {
  const run = await runWeaver({
    binary: binaryPath,
    args: weaverVersionArgv(),
    diagnostics: 'none',
    timeoutMs: options.timeoutMs ?? 15_000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  if (run.kind !== 'ok') return { ok: false, message: run.message, run };
  const version = parseWeaverVersion(run.stdout) ?? parseWeaverVersion(run.stderr);
  if (!version) {
    const printed = run.stdout.trim().split('\n')[0] ?? '';
    return {
      ok: false,
      run,
      message: `'${binaryPath} --version' printed ${printed ? `'${printed}'` : 'nothing'}, not a weaver version: check that weavergen.weaver.path names the weaver executable`,
    };
  }
  return { ok: true, version };
}

function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(home, path.slice(2));
  return path;
}

function pathDirs(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string[] {
  // Windows spells it `Path` as often as `PATH`.
  const raw = env.PATH ?? env.Path ?? '';
  const delimiter = platform === 'win32' ? ';' : platform === process.platform ? hostDelimiter : ':';
  return raw
    .split(delimiter)
    .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
    .filter((d) => d !== '' && isAbsolute(d));
}

function executableNames(name: string, platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string[] {
  if (platform !== 'win32' || /\.[A-Za-z0-9]+$/.test(name)) return [name];
  const exts = (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean);
  return exts.map((ext) => name + ext.toLowerCase());
}

async function isExecutableFile(path: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    if (platform !== 'win32') await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
