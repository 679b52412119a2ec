import { resolve } from 'node:path';
import { compareDiagnostics, type RegistryDiagnostic } from '../core/engine/diagnostic';
import { ParseCache } from '../core/semconv/parseCache';
import { registryCheckArgv } from '../core/weaver/argv';
import { findingDocUrl } from '../core/weaver/findingLinks';
import { readVersion, type ReadVersionResult } from '../core/weaver/locate';
import { loadPlacementContext, placeFindings } from '../core/weaver/placement/index';
import { runWeaver, type WeaverRunResult } from '../core/weaver/run';
import { olderThanTargetNote } from '../core/weaver/version';
import type { ServerWeaverOptions } from '../protocol/server';

/**
 * `weaver registry check` on save, and the merge of its findings with the native engine's. The
 * language server's native checks run on every edit; weaver reads the disk and takes seconds, so it
 * runs when a registry file is saved, one run at a time (a later save cancels the running one and
 * waits for its process tree to be gone). Its findings are placed on lines through the native model
 * and kept until the next weaver run replaces them; every publication of a file (native re-check or
 * weaver run) sends the native findings plus the weaver findings the native engine does not also
 * report. Free of any LSP connection: the server passes in where to publish and whom to tell.
 *
 * The extension only locates the binary; before its first run here the binary must answer
 * `--version` as weaver does (`readVersion`, the probe the engine choice uses), so an executable
 * that is something else is never handed weaver's arguments.
 */

export interface WeaverOnSaveLogger {
  info(message: string): void;
  error(message: string): void;
}

/** Sends one file's complete list to the editor (an empty list clears it). */
export type PublishMerged = (file: string, diagnostics: readonly RegistryDiagnostic[], version: number | undefined) => void;

export interface WeaverOnSaveOptions {
  /** Absolute path of the registry folder: weaver's `-r` and working folder. */
  registryRoot: string;
  /** From the client; absent means an older client, and then weaver never runs. */
  settings?: ServerWeaverOptions;
  publish: PublishMerged;
  /** The version of the open document, for a publication the weaver run causes. */
  versionOf?(file: string): number | undefined;
  log: WeaverOnSaveLogger;
  /** Tells the user (window/showMessage); called at most once until the settings change. */
  notify(message: string): void;
  /** Default 2 minutes: a local registry checks in seconds, remote dependencies take longer. */
  timeoutMs?: number;
  /** Milliseconds between SIGTERM and SIGKILL when a run is ended. */
  forceKillAfterMs?: number;
  /** Added to weaver's environment. */
  env?: Readonly<Record<string, string>>;
  /** The baseline registry folder of the moment (`weavergen.check.baselineRegistry`), passed as weaver's --baseline-registry. */
  baselineRegistry?: () => string | undefined;
}

/** A weaver finding on a line, with what the merge needs to recognise the native engine's version of it. */
export interface WeaverLineFinding {
  diagnostic: RegistryDiagnostic;
  /** For a policy violation: the rule's own message, which the native engine's message starts with. */
  policyMessage?: string;
}

export type WeaverSaveOutcome =
  /** Weaver is not in use (engine setting, no binary, untrusted workspace): nothing ran. */
  | { kind: 'skipped'; reason: string }
  /** A later save (or a settings change) cancelled this run; its findings were not used. */
  | { kind: 'superseded' }
  | { kind: 'checked'; findings: number; files: string[]; durationMs: number }
  /**
   * Weaver did not do its job; the native findings are unaffected. `not-weaver`: the executable
   * answered `--version` with something other than a weaver version, so the check was not started.
   */
  | { kind: 'failed'; run: FailedStep; message: string };

type FailedStep = WeaverRunResult['kind'] | 'placement' | 'not-weaver';

export const DEFAULT_ON_SAVE_TIMEOUT_MS = 120_000;

export class WeaverOnSave {
  private settings: ServerWeaverOptions | undefined;
  private readonly root: string;
  /** Weaver findings of the last successful run, per file. */
  private findings = new Map<string, WeaverLineFinding[]>();
  /** The native findings last published per file (every native publication passes through here). */
  private readonly native = new Map<string, readonly RegistryDiagnostic[]>();
  /** Per file, the weaver findings its last publication kept, to republish only what changes. */
  private readonly sentWeaver = new Map<string, string>();
  private running: { controller: AbortController; done: Promise<WeaverSaveOutcome> } | undefined;
  private notified = false;
  /** The last failure logged; the same failure again is not logged again. */
  private lastFailure: string | undefined;
  // Placement re-reads the registry after each run: the cache makes that a re-parse of changed files.
  private readonly cache = new ParseCache();
  private disposed = false;
  /**
   * What the binary answered to `--version`, for one path: a settings change naming another binary
   * probes again. Only an answer is kept; a probe that got none (not found, killed, timed out,
   * cancelled) is repeated on the next save.
   */
  private probe: { binary: string; result: ReadVersionResult } | undefined;

  constructor(private readonly options: WeaverOnSaveOptions) {
    this.root = resolve(options.registryRoot);
    this.settings = options.settings;
  }

  /** Why weaver does not run on save, or undefined when it does. */
  get disabledReason(): string | undefined {
    const s = this.settings;
    if (!s) return 'the client sent no weaver options';
    if (!s.trusted) return 'the workspace is not trusted, so the weaver executable its settings name is never started';
    if (s.engine === 'native') return "the engine setting is 'native'";
    if (!s.binaryPath) return s.missingReason ?? 'the weaver executable was not found';
    return undefined;
  }

  get enabled(): boolean {
    return this.disabledReason === undefined;
  }

  /** New options from the client: a different binary or engine starts over (no findings, no notice given yet). */
  updateSettings(settings: ServerWeaverOptions | undefined): void {
    const before = JSON.stringify(this.settings ?? null);
    this.settings = settings;
    if (JSON.stringify(settings ?? null) === before) return;
    this.running?.controller.abort();
    this.notified = false;
    this.lastFailure = undefined;
    this.replaceFindings(new Map());
  }

  /** The weaver findings placed on a file by the last run (before the merge). */
  weaverFindings(file: string): readonly RegistryDiagnostic[] {
    return (this.findings.get(resolve(file)) ?? []).map((f) => f.diagnostic);
  }

  /** The scheduler's publish sink: native findings of a file, sent with the weaver findings merged in. */
  publishNative(file: string, native: readonly RegistryDiagnostic[], version: number | undefined): void {
    const path = resolve(file);
    if (native.length > 0) this.native.set(path, native);
    else this.native.delete(path);
    this.send(path, version, false);
    // A native finding in one file can be the twin of a weaver finding in another: a duplicate id
    // names both definitions, and each engine may mark a different one.
    for (const other of this.findings.keys()) if (other !== path) this.send(other, this.options.versionOf?.(other), true);
  }

  private send(file: string, version: number | undefined, onlyIfChanged: boolean): void {
    const native = this.native.get(file) ?? [];
    const weaver = this.findings.get(file) ?? [];
    // Most publications are of files weaver found nothing in: no need to gather every native finding.
    const kept = weaver.length === 0 ? [] : keptWeaverFindings(native, weaver, [...this.native.values()].flat());
    const signature = JSON.stringify(kept);
    if (onlyIfChanged && (this.sentWeaver.get(file) ?? '[]') === signature) return;
    if (kept.length > 0) this.sentWeaver.set(file, signature);
    else this.sentWeaver.delete(file);
    this.options.publish(file, [...native, ...kept].sort(compareDiagnostics), version);
  }

  /**
   * A registry file was saved. Resolves when this save's run is over: checked, failed, skipped, or
   * superseded by a later save.
   */
  saved(_file: string): Promise<WeaverSaveOutcome> {
    const disabled = this.disabledReason;
    if (disabled !== undefined || this.disposed) {
      const s = this.settings;
      // Only an explicit `weaver` choice makes a missing binary news; `auto` quietly means native.
      if (s?.trusted && s.engine === 'weaver' && !s.binaryPath) this.fail(`weaver registry check on save did not run: ${disabled}`);
      return Promise.resolve({ kind: 'skipped', reason: disabled ?? 'the language server is shutting down' });
    }
    const previous = this.running;
    previous?.controller.abort();
    const controller = new AbortController();
    const done = (async (): Promise<WeaverSaveOutcome> => {
      // One weaver at a time: the cancelled run resolves only once its whole process tree is gone.
      if (previous) await previous.done;
      if (controller.signal.aborted) return { kind: 'superseded' };
      return this.run(controller.signal);
    })();
    this.running = { controller, done };
    void done.finally(() => {
      if (this.running?.controller === controller) this.running = undefined;
    });
    return done;
  }

  dispose(): void {
    this.disposed = true;
    this.running?.controller.abort();
  }

  private async run(signal: AbortSignal): Promise<WeaverSaveOutcome> {
    const binary = this.settings!.binaryPath!;
    const version = await this.probeVersion(binary, signal);
    if (signal.aborted) return { kind: 'superseded' };
    if (!version.ok) {
      if (version.run.kind === 'cancelled') return { kind: 'superseded' };
      // It ran and printed something that is not weaver's version line: not weaver, so it is not run as weaver.
      if (version.run.kind === 'ok') return this.failRun('not-weaver', version.message, 'did not run');
      return this.failRun(version.run.kind, version.message);
    }
    const run = await runWeaver({
      binary,
      args: registryCheckArgv({ registry: this.root, ...baselineArg(this.options.baselineRegistry?.()), diagnosticFormat: 'json', diagnosticStdout: true }),
      // Relative paths in weaver's findings are relative to its working folder.
      cwd: this.root,
      signal,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_ON_SAVE_TIMEOUT_MS,
      ...(this.options.forceKillAfterMs !== undefined ? { forceKillAfterMs: this.options.forceKillAfterMs } : {}),
      ...(this.options.env ? { env: this.options.env } : {}),
    });
    if (signal.aborted || run.kind === 'cancelled') return { kind: 'superseded' };
    if (run.kind !== 'ok' && run.kind !== 'diagnostics') return this.failRun(run.kind, run.message);

    let placed: WeaverLineFinding[] = [];
    if (run.findings.length > 0) {
      try {
        const ctx = await loadPlacementContext(this.root, { cwd: this.root, cache: this.cache, signal });
        placed = placeFindings(run.findings, ctx).map(({ diagnostic, finding }) => {
          const url = findingDocUrl(finding);
          return {
            diagnostic: { ...diagnostic, source: 'weaver' as const, ...(url ? { url } : {}) },
            ...(finding.policy?.message ? { policyMessage: finding.policy.message } : {}),
          };
        });
      } catch (err) {
        if (signal.aborted) return { kind: 'superseded' };
        return this.failRun('placement', `weaver's findings could not be placed on lines: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (signal.aborted) return { kind: 'superseded' };

    const byFile = new Map<string, WeaverLineFinding[]>();
    for (const p of placed) {
      const list = byFile.get(p.diagnostic.file);
      if (list) list.push(p);
      else byFile.set(p.diagnostic.file, [p]);
    }
    this.lastFailure = undefined;
    this.replaceFindings(byFile);
    const files = [...byFile.keys()].sort();
    this.options.log.info(
      `weaver registry check on save: ${placed.length} finding${placed.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'} (${run.durationMs} ms)`,
    );
    return { kind: 'checked', findings: placed.length, files, durationMs: run.durationMs };
  }

  /** `weaver --version` through the engine choice's probe, once per binary path (see `probe`). */
  private async probeVersion(binary: string, signal: AbortSignal): Promise<ReadVersionResult> {
    if (this.probe?.binary === binary) return this.probe.result;
    const result = await readVersion(binary, { signal, ...(this.options.env ? { env: this.options.env } : {}) });
    const answered = result.ok || result.run.kind === 'ok' || (result.run.kind === 'failed' && result.run.reason === 'exit-code');
    if (answered) this.probe = { binary, result };
    if (result.ok) {
      const older = olderThanTargetNote(result.version);
      this.options.log.info(`weaver registry check on save uses weaver ${result.version.text} at ${binary}${older ? `: ${older}` : ''}`);
    }
    return result;
  }

  private failRun(run: FailedStep, message: string, what: 'failed' | 'did not run' = 'failed'): WeaverSaveOutcome {
    // The stderr tail after the first line is for a terminal, not a one-line log.
    const line = `weaver registry check on save ${what}: ${message.split('\n')[0]}`;
    this.fail(`${line} (the native engine's findings are unaffected)`);
    // Findings of an older run describe files as they were then: a failed run leaves none.
    this.replaceFindings(new Map());
    return { kind: 'failed', run, message: line };
  }

  private fail(message: string): void {
    if (this.lastFailure !== message) this.options.log.error(message);
    this.lastFailure = message;
    if (!this.notified) {
      this.notified = true;
      this.options.notify(`WeaverGen: ${message}`);
    }
  }

  /** Swaps in a run's findings and republishes every file whose weaver findings were or are now there. */
  private replaceFindings(next: Map<string, WeaverLineFinding[]>): void {
    const previous = this.findings;
    this.findings = next;
    const files = new Set([...previous.keys(), ...next.keys()]);
    for (const file of [...files].sort()) {
      if ((previous.get(file)?.length ?? 0) === 0 && (next.get(file)?.length ?? 0) === 0) continue;
      this.send(file, this.options.versionOf?.(file), false);
    }
  }
}

/**
 * What a code means, so both engines saying the same thing under different names count once (the
 * resolver's `extends`/`include` errors are the native engine's unresolved group reference; weaver's
 * invalid spec covers the native YAML syntax and schema checks).
 */
function meaningOf(code: string): string {
  switch (code) {
    case 'unresolved-extends-ref':
    case 'unresolved-include-ref':
      return 'unresolved-group-ref';
    case 'yaml-syntax':
    case 'schema':
    case 'invalid-sem-conv-spec':
      return 'invalid-spec';
    default:
      return code;
  }
}

/** Codes of a definition made more than once: each engine may mark a different one of the definitions. */
const DUPLICATE_CODES = new Set(['duplicate-group-id', 'duplicate-attribute-id', 'duplicate-metric-name']);

/**
 * One file's native findings plus the weaver findings the native engine does not also report, sorted.
 * `allNative` (default: `native`) is every native finding of the registry, for the twins of duplicates.
 */
export function mergeFindings(
  native: readonly RegistryDiagnostic[],
  weaver: readonly WeaverLineFinding[],
  allNative: readonly RegistryDiagnostic[] = native,
): RegistryDiagnostic[] {
  return [...native, ...keptWeaverFindings(native, weaver, allNative)].sort(compareDiagnostics);
}

/**
 * A weaver finding is dropped when the native engine reports the same thing (native wins, its range
 * is the precise one): a native finding of the same meaning at the same line; for a policy violation,
 * a native finding of the same rule with the same rule message (the native engine puts some rules on
 * a more precise line, the `renamed_to` or the member, than weaver's anchors name); for a duplicate
 * definition, a native finding of the same meaning, in any file, whose related locations include
 * this line (weaver marks the first definition, the native engine the later ones). Weaver's own
 * repeats count once.
 */
function keptWeaverFindings(
  native: readonly RegistryDiagnostic[],
  weaver: readonly WeaverLineFinding[],
  allNative: readonly RegistryDiagnostic[],
): RegistryDiagnostic[] {
  if (weaver.length === 0) return [];
  const atLine = new Set(native.map((d) => `${d.range.start.line}\u0000${meaningOf(d.code)}`));
  const otherDefinitions = new Set<string>();
  for (const d of allNative) {
    if (!DUPLICATE_CODES.has(d.code)) continue;
    for (const r of d.related ?? []) otherDefinitions.add(`${r.file}\u0000${r.range.start.line}\u0000${d.code}`);
  }
  const seen = new Set<string>();
  const kept: RegistryDiagnostic[] = [];
  for (const w of weaver) {
    const d = w.diagnostic;
    if (atLine.has(`${d.range.start.line}\u0000${meaningOf(d.code)}`)) continue;
    const rule = w.policyMessage?.replace(/[.\s]+$/, '');
    if (rule && native.some((n) => n.code === d.code && n.message.startsWith(rule))) continue;
    if (otherDefinitions.has(`${d.file}\u0000${d.range.start.line}\u0000${d.code}`)) continue;
    const own = `${d.range.start.line}:${d.range.start.character}\u0000${d.code}\u0000${d.message}`;
    if (seen.has(own)) continue;
    seen.add(own);
    kept.push(d);
  }
  return kept;
}

/** Weaver compares against the same baseline the native idle pass uses. */
function baselineArg(folder: string | undefined): { baselineRegistry?: string } {
  return folder ? { baselineRegistry: folder } : {};
}
