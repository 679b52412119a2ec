import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { listRegistryFiles } from '../semconv/registryFiles';
import { registryCheckArgv, type RegistryCheckOptions, type WeaverGlobalOptions } from '../weaver/argv';
import { findingCheckCode, type WeaverFinding } from '../weaver/diagnostics';
import type { WeaverBinary } from '../weaver/locate';
import { runWeaver, type WeaverRunResult } from '../weaver/run';
import { compareDiagnostics, type RegistryDiagnostic, type Severity } from './diagnostic';
import { createNativeEngine } from './nativeEngine';
import type { CheckResult, LoadedRegistryHandle, LoadOptions, RegistryEngine, RegistrySummary } from './registryEngine';

/**
 * The `weaver` backend: `weaver registry check -r DIR --diagnostic-format json --diagnostic-stdout`,
 * its findings turned into RegistryDiagnostics with source `weaver`.
 *
 * Weaver reads the registry from disk: unsaved editor buffers (LoadOptions.overlays) are not seen by
 * it. Its JSON names files, groups and attributes but (apart from parse errors) no lines; until the
 * findings are placed on YAML nodes through the native model, each one is shown at the start of the
 * file it names, or on the registry manifest when it names none, and its message says so.
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
  /** Where findings that name no file go: the manifest, else the registry's first YAML file. */
  fallback: { file: string; note: string };
}

export function createWeaverEngine(binary: WeaverBinary | string, options: WeaverEngineOptions = {}): RegistryEngine {
  const binaryPath = typeof binary === 'string' ? binary : binary.path;
  const summaryEngine = options.summaryEngine ?? createNativeEngine();
  // Handles stay opaque: what this engine knows about a registry is reachable only through it.
  const loaded = new WeakMap<LoadedRegistryHandle, WeaverRegistry>();

  return {
    kind: 'weaver',

    async load(load: LoadOptions): Promise<LoadedRegistryHandle> {
      const registryPath = resolve(load.registryPath);
      // The summary describes what weaver will read: the files on disk, without editor overlays.
      const counted = await summaryEngine.load({ registryPath, ...(load.signal ? { signal: load.signal } : {}) });
      const summary: RegistrySummary = { ...counted.summary, registryPath };
      const handle: LoadedRegistryHandle = Object.freeze({ engine: 'weaver' as const, summary });
      loaded.set(handle, { registryPath, fallback: await fallbackPlacement(registryPath, load.signal) });
      return handle;
    },

    async check(registry: LoadedRegistryHandle, signal?: AbortSignal): Promise<CheckResult> {
      const model = loaded.get(registry);
      if (!model) {
        throw new Error(
          `the weaver engine was given a registry it did not load (engine '${registry.engine}', ${registry.summary.registryPath}): load it with the same engine first`,
        );
      }
      const run = await runWeaver({
        binary: binaryPath,
        args: registryCheckArgv({ ...options.check, registry: model.registryPath }, options.globals),
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
      const diagnostics = run.findings.map((f) =>
        findingToDiagnostic(f, { cwd: model.registryPath, fallbackFile: model.fallback.file, fallbackNote: model.fallback.note }),
      );
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

async function fallbackPlacement(registryPath: string, signal: AbortSignal | undefined): Promise<{ file: string; note: string }> {
  const listing = await listRegistryFiles(registryPath, signal);
  if (listing.manifestPath) return { file: listing.manifestPath, note: ' [weaver names no file for this: shown on the registry manifest]' };
  const first = listing.files[0];
  if (first) return { file: first, note: ' [weaver names no file for this: shown on the first file of the registry, which has no manifest]' };
  return { file: registryPath, note: ' [weaver names no file for this: shown on the registry folder]' };
}

const SEVERITY: Record<WeaverFinding['severity'], Severity> = { error: 'error', warning: 'warning', advice: 'information' };

/**
 * A finding as a RegistryDiagnostic, placed with what its anchors give without reading the YAML:
 * a printed position when weaver gave one, else line 0 of the first YAML file it names, else the
 * fallback file. Placing on the group/attribute line needs the native model (a later step).
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
