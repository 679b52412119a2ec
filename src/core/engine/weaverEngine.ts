import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ParseCache } from '../semconv/parseCache';
import { registryCheckArgv, type RegistryCheckOptions, type WeaverGlobalOptions } from '../weaver/argv';
import { findingCheckCode, type WeaverFinding } from '../weaver/diagnostics';
import type { WeaverBinary } from '../weaver/locate';
import { loadPlacementContext, placeFindings } from '../weaver/placement/index';
import { runWeaver, type WeaverRunResult } from '../weaver/run';
import { compareDiagnostics, type RegistryDiagnostic, type Severity } from './diagnostic';
import { createNativeEngine } from './nativeEngine';
import type { CheckOptions, CheckResult, LoadedRegistryHandle, LoadOptions, RegistryEngine, RegistrySummary } from './registryEngine';

/**
 * The `weaver` backend: `weaver registry check -r DIR --diagnostic-format json --diagnostic-stdout`,
 * its findings turned into RegistryDiagnostics with source `weaver`.
 *
 * Weaver reads the registry from disk: unsaved editor buffers (LoadOptions.overlays) are not seen by
 * it. Its JSON names files, groups and attributes but (apart from parse errors) no lines: the findings
 * are placed on the YAML nodes they name through the native model of the same files on disk
 * (src/core/weaver/placement); one that names nothing found there goes on the registry manifest, and
 * its message says it could not be placed.
 */

export interface WeaverEngineOptions {
  /** More `registry check` options (policies, baseline, ...); the registry and the diagnostic format are set by the engine. */
  check?: Omit<RegistryCheckOptions, 'registry' | 'diagnosticFormat' | 'diagnosticStdout' | 'diagnosticTemplate'>;
  globals?: WeaverGlobalOptions;
  timeoutMs?: number;
  /** Added to weaver's environment. */
  env?: Readonly<Record<string, string>>;
  /** Counts files, groups and attributes for the summary (weaver's check prints none). Default: a native engine. */
  summaryEngine?: RegistryEngine;
}

/** A weaver run that produced no findings to show: not found, crashed, timed out, unreadable output. */
export class WeaverRunError extends Error {
  constructor(readonly result: Exclude<WeaverRunResult, { kind: 'ok' | 'diagnostics' }>) {
    super(result.message);
    this.name = 'WeaverRunError';
  }
}

interface WeaverRegistry {
  registryPath: string;
}

export function createWeaverEngine(binary: WeaverBinary | string, options: WeaverEngineOptions = {}): RegistryEngine {
  const binaryPath = typeof binary === 'string' ? binary : binary.path;
  const summaryEngine = options.summaryEngine ?? createNativeEngine();
  // Placement re-reads the registry after each run (weaver saw the disk, not the editor): the cache
  // makes that a re-parse of changed files only.
  const placementCache = new ParseCache();
  // Handles stay opaque: what this engine knows about a registry is reachable only through it.
  const loaded = new WeakMap<LoadedRegistryHandle, WeaverRegistry>();

  return {
    kind: 'weaver',

    async load(load: LoadOptions): Promise<LoadedRegistryHandle> {
      const registryPath = resolve(load.registryPath);
      // The summary describes what weaver will read: the files on disk, without editor overlays.
      const counted = await summaryEngine.load({ registryPath, ...(load.signal ? { signal: load.signal } : {}), ...(load.files ? { files: load.files } : {}) });
      const summary: RegistrySummary = { ...counted.summary, registryPath };
      const handle: LoadedRegistryHandle = Object.freeze({ engine: 'weaver' as const, summary });
      loaded.set(handle, { registryPath });
      return handle;
    },

    async check(registry: LoadedRegistryHandle, signal?: AbortSignal, checkOptions: CheckOptions = {}): Promise<CheckResult> {
      const model = loaded.get(registry);
      if (!model) {
        throw new Error(
          `the weaver engine was given a registry it did not load (engine '${registry.engine}', ${registry.summary.registryPath}): load it with the same engine first`,
        );
      }
      const run = await runWeaver({
        binary: binaryPath,
        args: registryCheckArgv(
          {
            ...options.check,
            registry: model.registryPath,
            ...(checkOptions.baselineRegistryPath ? { baselineRegistry: checkOptions.baselineRegistryPath } : {}),
            ...(checkOptions.skipPolicies ? { skipPolicies: true } : {}),
            ...(checkOptions.policies?.length ? { policies: checkOptions.policies } : {}),
            ...(checkOptions.v2 ? { v2: true } : {}),
          },
          options.globals,
        ),
        // Relative paths in weaver's findings are relative to its working folder.
        cwd: model.registryPath,
        ...(signal ? { signal } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.env ? { env: options.env } : {}),
      });
      if (run.kind === 'cancelled') {
        signal?.throwIfAborted();
        throw new WeaverRunError(run);
      }
      if (run.kind !== 'ok' && run.kind !== 'diagnostics') throw new WeaverRunError(run);
      if (run.findings.length === 0) return { diagnostics: [], summary: registry.summary };
      const placement = await loadPlacementContext(model.registryPath, {
        cwd: model.registryPath,
        cache: placementCache,
        ...(signal ? { signal } : {}),
      });
      const diagnostics = placeFindings(run.findings, placement).map((p) => p.diagnostic);
      return { diagnostics: diagnostics.sort(compareDiagnostics), summary: registry.summary };
    },
  };
}

export interface PlacementContext {
  /** Weaver's working folder, against which relative paths in findings are resolved. */
  cwd: string;
  /** Where a finding that names no file goes (the registry manifest when there is one). */
  fallbackFile: string;
  /** Appended to the message of a finding placed on `fallbackFile`. */
  fallbackNote: string;
}

const SEVERITY: Record<WeaverFinding['severity'], Severity> = { error: 'error', warning: 'warning', advice: 'information' };

/**
 * A finding as a RegistryDiagnostic, placed with what its anchors give without reading the YAML:
 * a printed position when weaver gave one, else line 0 of the first YAML file it names, else the
 * fallback file. The engine places findings through the native model instead
 * (src/core/weaver/placement); this is for a caller that has no registry model at hand.
 */
export function findingToDiagnostic(finding: WeaverFinding, ctx: PlacementContext): RegistryDiagnostic {
  let file: string | undefined;
  let line = 0;
  let character = 0;
  let exact = false;
  // Anchors come most precise first: a printed position wins over a named file.
  for (const anchor of finding.anchors) {
    const path = anchor.kind === 'position' || anchor.kind === 'file' ? anchor.path : anchor.kind === 'byte-span' ? anchor.path : undefined;
    if (!path) continue;
    const absolute = isAbsolute(path) ? path : resolve(ctx.cwd, path);
    if (!isYamlFile(absolute)) continue;
    file = absolute;
    if (anchor.kind === 'position') {
      line = Math.max(0, anchor.line - 1);
      character = Math.max(0, anchor.column - 1);
      exact = true;
    } else if (anchor.kind === 'byte-span') {
      const at = byteOffsetToPosition(absolute, anchor.offset);
      if (at) {
        ({ line, character } = at);
        exact = true;
      }
    }
    break;
  }
  let note = '';
  if (!file) {
    file = ctx.fallbackFile;
    note = ctx.fallbackNote;
  } else if (!exact) {
    note = ' [weaver gives no line for this: shown at the top of the file it names]';
  }
  return {
    file,
    range: { start: { line, character }, end: { line, character } },
    severity: SEVERITY[finding.severity],
    code: findingCheckCode(finding),
    message: `${finding.message}${note}`,
    source: 'weaver',
  };
}

function isYamlFile(path: string): boolean {
  if (!/\.ya?ml$/i.test(path) || !existsSync(path)) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** miette labels count UTF-8 bytes; the editor counts lines and UTF-16 units. */
function byteOffsetToPosition(path: string, offset: number): { line: number; character: number } | undefined {
  try {
    const bytes = readFileSync(path);
    if (offset > bytes.length) return undefined;
    const before = bytes.subarray(0, offset).toString('utf8');
    const lines = before.split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1]!.replace(/\r$/, '').length };
  } catch {
    return undefined;
  }
}
