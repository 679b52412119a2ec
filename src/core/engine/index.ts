import { locateWeaver, readVersion, type LocateOptions } from '../weaver/locate';
import { olderThanTargetNote } from '../weaver/version';
import { createNativeEngine } from './nativeEngine';
import type { EngineChoice, RegistryEngine } from './registryEngine';
import { createWeaverEngine, type WeaverEngineOptions } from './weaverEngine';

export { createNativeEngine } from './nativeEngine';
export { createWeaverEngine, WeaverRunError } from './weaverEngine';
export type { WeaverEngineOptions } from './weaverEngine';
export { RegistryWorkspace } from '../semconv/workspace';
export type { WorkspaceCheckResult } from '../semconv/workspace';
export { findRegistryRoot, isRegistryFolder } from '../semconv/registryRoot';
export type * from './registryEngine';
export type * from './diagnostic';

export interface CreateEngineOptions {
  /**
   * Path of the weaver binary (`weavergen.weaverPath`). Unused until the weaver adapter exists: `auto`
   * picks native, `weaver` fails with a message saying what to do.
   */
  weaverPath?: string;
}

export interface ResolveEngineOptions {
  /** The `weavergen.weaver.path` setting (empty: search the PATH, then ~/.cargo/bin). */
  weaverPath?: string;
  /** Folder a relative `weaverPath` is relative to (the workspace folder). */
  baseDir?: string;
  /**
   * False in an untrusted workspace: its settings may name any executable, so nothing is started
   * and the native engine runs whatever the choice. Default: true (the CLI runs where the user points it).
   */
  trusted?: boolean;
  /** Environment the search reads PATH from. Default: this process's. */
  env?: LocateOptions['env'];
  /** Options for the weaver engine when it is chosen. */
  weaver?: WeaverEngineOptions;
}

export interface ResolvedEngine {
  engine: RegistryEngine;
  /** Which engine was chosen and why, for the log and the status bar's tooltip. */
  reason: string;
}

/**
 * The engine for the user's `weavergen.engine` / `--engine` choice, looking for the weaver binary:
 * `native` is native; `auto` is weaver when it is found, else native; `weaver` is weaver, or an Error
 * saying what to do; an untrusted workspace always gets native.
 */
export async function resolveEngine(choice: EngineChoice, options: ResolveEngineOptions = {}): Promise<ResolvedEngine> {
  if (options.trusted === false) {
    return {
      engine: createNativeEngine(),
      reason: `native engine: the workspace is not trusted, so the weaver executable its settings name is never started (engine setting '${choice}')`,
    };
  }
  if (choice === 'native') return { engine: createNativeEngine(), reason: 'native engine: chosen by the engine setting' };
  if (choice !== 'auto' && choice !== 'weaver') {
    const unknown: never = choice;
    throw new Error(`unknown engine '${String(unknown)}': use auto, native or weaver`);
  }
  const located = await locateWeaver({
    ...(options.weaverPath !== undefined ? { settingPath: options.weaverPath } : {}),
    ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  if (located.found) {
    const from = located.source === 'setting' ? 'weavergen.weaver.path' : located.source === 'path' ? 'the PATH' : '~/.cargo/bin';
    // An executable that does not answer `--version` as weaver does is not trusted to be weaver: `auto`
    // checks natively (and says why), `weaver` is an error naming the setting.
    const version = await readVersion(located.path, options.weaver?.env ? { env: options.weaver.env } : {});
    if (!version.ok) {
      if (choice === 'weaver') throw new Error(version.message);
      return { engine: createNativeEngine(), reason: `native engine: engine setting 'auto' and ${version.message}` };
    }
    const v = version.version;
    const note = olderThanTargetNote(v);
    const older = note ? `; ${note}` : '';
    return {
      engine: createWeaverEngine({ path: located.path, source: located.source }, options.weaver),
      reason: `weaver engine: weaver ${v.major}.${v.minor}.${v.patch} at ${located.path} (found through ${from}; engine setting '${choice}')${older}`,
    };
  }
  if (choice === 'weaver') throw new Error(located.message);
  const why =
    located.reason === 'setting-invalid'
      ? located.message.replace(/: correct the setting.*$/, '')
      : `weaver was not found on the PATH nor in ~/.cargo/bin (${located.searched.length} places searched)`;
  return {
    engine: createNativeEngine(),
    reason: `native engine: engine setting 'auto' and ${why}; install weaver or set weavergen.weaver.path to check with weaver`,
  };
}

/**
 * The engine for a choice without looking for the binary (synchronous): `auto` is native here.
 * Prefer `resolveEngine`, which finds weaver.
 */
export function createEngine(choice: EngineChoice, options: CreateEngineOptions = {}): RegistryEngine {
  switch (choice) {
    case 'native':
    case 'auto':
      return createNativeEngine();
    case 'weaver': {
      const where = options.weaverPath ? ` at '${options.weaverPath}'` : ' on the PATH';
      throw new Error(
        `the weaver binary was not found${where}: set weavergen.engine (or --engine) to native, ` +
          'or install weaver (https://github.com/open-telemetry/weaver/releases) and put it on the PATH',
      );
    }
    default: {
      const unknown: never = choice;
      throw new Error(`unknown engine '${String(unknown)}': use auto, native or weaver`);
    }
  }
}
