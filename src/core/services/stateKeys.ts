import type { CheckResult, LoadedRegistryHandle } from '../engine/registryEngine';
import type { FileAccessOptions } from '../semconv/fileAccess';
import type { StateKey } from '../workflow/types';

/** Slots of the per-run state bag that the built-in services share. */

/** Set by `registry.load`, read by `registry.check`. */
export const LOADED_REGISTRY: StateKey<LoadedRegistryHandle> = { name: 'loadedRegistry' };

/** Set by `registry.check`, read by `output.publishDiagnostics` and returned as `RunResult.check`. */
export const CHECK_RESULT: StateKey<CheckResult> = { name: 'checkResult' };

/** Set by `registry.load` from its inputs: later services read files under the same links and limits. */
export const FILE_ACCESS: StateKey<FileAccessOptions> = { name: 'fileAccess' };
