import { createNativeEngine } from './nativeEngine';
import type { EngineChoice, RegistryEngine } from './registryEngine';

export { createNativeEngine } from './nativeEngine';
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

/** The engine for the user's `weavergen.engine` / `--engine` choice. */
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
