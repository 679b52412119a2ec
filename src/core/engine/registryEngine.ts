import type { FileAccessOptions } from '../semconv/fileAccess';
import type { RegistryDiagnostic } from './diagnostic';

/**
 * The contract both backends implement: `native` (src/core/semconv, in process) and `weaver`
 * (the real binary through src/core/weaver). Services only ever talk to this interface.
 */
export type EngineKind = 'native' | 'weaver';

/** The user's choice (`weavergen.engine`, `--engine`): `auto` picks weaver when the binary is found. */
export type EngineChoice = 'auto' | EngineKind;

export interface LoadOptions {
  /** Absolute path of the registry folder the user chose. */
  registryPath: string;
  /**
   * Unsaved editor buffers, keyed by absolute file path: they take precedence over the disk so
   * checks match what the user sees.
   */
  overlays?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
  /** Links and limits for reading the registry's files (`--follow-symlinks`, `--max-files`...). */
  files?: FileAccessOptions;
}

export interface RegistrySummary {
  registryPath: string;
  files: number;
  groups: number;
  attributes: number;
}

/** An opaque handle to a loaded registry: only the engine that made it can read it. */
export interface LoadedRegistryHandle {
  readonly engine: EngineKind;
  readonly summary: RegistrySummary;
}

export interface CheckResult {
  diagnostics: RegistryDiagnostic[];
  summary: RegistrySummary;
}

/** What `weaver registry check` takes beyond the registry itself. */
export interface CheckOptions {
  /** Absolute path of a baseline registry: the backwards-compatibility policies compare against it. */
  baselineRegistryPath?: string;
  /** Skip the policy packages (`--skip-policies`), even those named by `policies`. */
  skipPolicies?: boolean;
  /**
   * Absolute policy paths (`-p/--policy`). As with weaver, no policy runs unless one is named; the
   * native engine runs the check packages' rules when any is named (the caller has checked that the
   * paths hold only those packages: policies/policyPaths.ts).
   */
  policies?: readonly string[];
  /** `--v2`: weaver gives policies the v2 resolved shape; the native rules read the v1 shape (docs/conformance.md). */
  v2?: boolean;
}

export interface RegistryEngine {
  readonly kind: EngineKind;
  load(options: LoadOptions): Promise<LoadedRegistryHandle>;
  check(registry: LoadedRegistryHandle, signal?: AbortSignal, options?: CheckOptions): Promise<CheckResult>;
}
