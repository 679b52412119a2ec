import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import { compareDiagnostics } from '../core/engine/diagnostic';
import type { RegistrySummary } from '../core/engine/registryEngine';
import type { IdleCollector } from './idleCollector';
import { OversizedDocuments, type OversizedDocument } from './oversizedDocuments';

/**
 * The language server's logic, free of any connection: it feeds open buffers to an incremental
 * registry check, debounces edits, drops stale results, and publishes only the files whose
 * findings changed since the last publication.
 */

/** The part of the core's RegistryWorkspace the scheduler drives. */
export interface IncrementalChecker {
  setOverlay(path: string, text: string): void;
  deleteOverlay(path: string): void;
  invalidate(path: string): void;
  /**
   * `policies: false` skips the policy packages; `resolve` asks for weaver's resolution (and its
   * errors) too. Both default to `policies`: `{ policies: false }` alone is the fast checks (syntax,
   * schema, duplicates, references).
   */
  check(signal?: AbortSignal, options?: { policies?: boolean; resolve?: boolean }): Promise<{ byFile: Map<string, RegistryDiagnostic[]>; summary: RegistrySummary }>;
}

/** Receives one file's full list of findings (an empty list clears the file). */
export type PublishDiagnostics = (file: string, diagnostics: readonly RegistryDiagnostic[], version: number | undefined) => void;

export interface SchedulerLogger {
  info(message: string): void;
  error(message: string): void;
}

export interface SchedulerOptions {
  checker: IncrementalChecker;
  publish: PublishDiagnostics;
  debounceMs: number;
  /**
   * Idle time after the last fast check before the policy packages run (they rebuild the whole
   * registry, too slow for every keystroke). Default 750 ms; 0 runs them with every check.
   */
  policyDelayMs?: number;
  /**
   * Whether the idle pass runs the policy packages (`weavergen.check.policies` names them) or only
   * resolves the registry, as weaver runs no policy unless asked. Default true.
   */
  policyPackages?: boolean;
  log?: SchedulerLogger;
  /**
   * Collections in the quiet between keystrokes (see IdleCollector): edits and finished checks count
   * as activity, and no collection starts while a check runs.
   */
  idle?: IdleCollector;
  /** `weavergen.server.maxDocumentSize` (see OversizedDocuments); default DEFAULT_MAX_DOCUMENT_SIZE. */
  maxDocumentSize?: number;
  /** Above this many characters an open document is not parsed at all (the loader's per-file limit). */
  maxParseSize?: number;
  /** Told the open documents checked for syntax only, whenever that list changes. */
  onSyntaxOnly?: (documents: OversizedDocument[]) => void;
}

export interface CheckOutcome {
  /** Files published by this check (changed findings, including cleared ones). */
  published: string[];
  summary: RegistrySummary;
}

function findingKey(d: RegistryDiagnostic): string {
  return `${d.code}\u0000${d.range.start.line}:${d.range.start.character}\u0000${d.message}`;
}

/** Same findings in the same order: nothing to publish. */
function sameFindings(a: readonly RegistryDiagnostic[], b: readonly RegistryDiagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.code !== y.code ||
      x.message !== y.message ||
      x.severity !== y.severity ||
      x.source !== y.source ||
      x.range.start.line !== y.range.start.line ||
      x.range.start.character !== y.range.start.character ||
      x.range.end.line !== y.range.end.line ||
      x.range.end.character !== y.range.end.character
    ) {
      return false;
    }
  }
  return true;
}

export class DiagnosticsScheduler {
  private readonly checker: IncrementalChecker;
  private readonly publishFile: PublishDiagnostics;
  private readonly log: SchedulerLogger | undefined;
  private debounceMs: number;

  /** Open documents: path -> version of the text last handed to the checker. */
  private readonly versions = new Map<string, number>();
  /** What the editor currently shows per file (the last publication). */
  private readonly published = new Map<string, RegistryDiagnostic[]>();
  /** Bumped on every change; a check is only published if nothing changed while it ran. */
  private generation = 0;
  /** The generation the published results reflect; equal to `generation` means up to date. */
  private checkedGeneration = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: { controller: AbortController; done: Promise<CheckOutcome | undefined> } | undefined;
  private disposed = false;
  private readonly policyDelayMs: number;
  private readonly policyPackages: boolean;
  private policyTimer: ReturnType<typeof setTimeout> | undefined;
  /** Findings of the last complete (policy) pass, per file, minus those the fast checks also give. */
  private policyFindings = new Map<string, RegistryDiagnostic[]>();
  /** Files edited since the last policy pass: their old policy findings may sit on moved lines. */
  private readonly editedSincePolicies = new Set<string>();
  private readonly idle: IdleCollector | undefined;
  /** Open documents too large for more than syntax checks: kept out of the checker, checked here. */
  private readonly oversized: OversizedDocuments;
  private readonly onSyntaxOnly: ((documents: OversizedDocument[]) => void) | undefined;

  constructor(options: SchedulerOptions) {
    this.oversized = new OversizedDocuments(options.maxDocumentSize, options.maxParseSize);
    this.onSyntaxOnly = options.onSyntaxOnly;
    this.checker = options.checker;
    this.publishFile = options.publish;
    this.log = options.log;
    this.debounceMs = options.debounceMs;
    this.policyDelayMs = options.policyDelayMs ?? 750;
    this.policyPackages = options.policyPackages ?? true;
    this.idle = options.idle;
    this.idle?.addBusyCheck(() => this.inFlight !== undefined);
  }

  setDebounce(ms: number): void {
    this.debounceMs = ms;
  }

  /**
   * A document was opened or edited: its buffer takes precedence over the disk. A buffer longer than
   * the document size limit is checked for syntax only and the registry keeps the file as on disk.
   */
  update(path: string, version: number, text: string): void {
    if (this.versions.get(path) === version) return; // already checked at this version
    const wasOpen = this.versions.has(path);
    this.versions.set(path, version);
    if (this.oversized.isTooLarge(text)) {
      const already = this.oversized.has(path);
      this.oversized.set(path, version, text);
      // An overlay handed over while the buffer was smaller goes: the disk is what the checks read.
      if (!already && wasOpen) this.checker.deleteOverlay(path);
      if (!already) this.syntaxOnlyChanged();
    } else {
      if (this.oversized.delete(path)) this.syntaxOnlyChanged();
      this.checker.setOverlay(path, text);
    }
    this.editedSincePolicies.add(path);
    this.changed();
  }

  /** A document was closed: the disk is the truth again for that file. */
  close(path: string): void {
    if (!this.versions.delete(path)) return;
    if (this.oversized.delete(path)) this.syntaxOnlyChanged();
    else this.checker.deleteOverlay(path);
    this.changed();
  }

  /** Whether an open document is checked for syntax only (too large); editing features skip it. */
  isSyntaxOnly(path: string): boolean {
    return this.oversized.has(path);
  }

  /** The buffer of an open document checked for syntax only; undefined for any other file. */
  syntaxOnlyText(path: string): string | undefined {
    return this.oversized.text(path);
  }

  /** The open documents checked for syntax only, with their sizes. */
  syntaxOnlyDocuments(): OversizedDocument[] {
    return this.oversized.list();
  }

  get maxDocumentSize(): number {
    return this.oversized.maxDocumentSize;
  }

  /** `weavergen.server.maxDocumentSize` changed: applies to documents opened or edited from now on. */
  setMaxDocumentSize(limit: number): void {
    this.oversized.setLimit(limit);
  }

  private syntaxOnlyChanged(): void {
    this.onSyntaxOnly?.(this.oversized.list());
  }

  /** A file changed on disk (watched-file event): re-read it unless an open buffer shadows it. */
  fileChanged(path: string): void {
    this.checker.invalidate(path);
    this.editedSincePolicies.add(path);
    this.changed();
  }

  /**
   * Something every file's findings may depend on changed, though no file did (the baseline
   * registry setting): check again, the idle policy pass included. Policy findings already shown
   * stay until that pass replaces them, rather than flicker away for its delay.
   */
  recheck(): void {
    this.changed();
  }

  /** The findings currently shown for a file (what the last publication said). */
  current(path: string): readonly RegistryDiagnostic[] {
    return this.published.get(path) ?? [];
  }

  /**
   * Runs the pending check now instead of waiting for the debounce, and resolves once the
   * results are published (or skipped because nothing changed). Used at startup and by tests.
   */
  async flush(): Promise<CheckOutcome | undefined> {
    this.clearTimer();
    if (this.inFlight) {
      const outcome = await this.inFlight.done;
      if (outcome && this.checkedGeneration === this.generation) return outcome;
    }
    if (this.checkedGeneration === this.generation || this.disposed) return undefined;
    return this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    if (this.policyTimer) clearTimeout(this.policyTimer);
    this.inFlight?.controller.abort();
  }

  private changed(): void {
    this.generation++;
    if (this.policyTimer) clearTimeout(this.policyTimer);
    this.policyTimer = undefined;
    // Whatever runs now is already stale: stop it early rather than publish then republish.
    this.inFlight?.controller.abort();
    this.clearTimer();
    if (this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, this.debounceMs);
    this.idle?.activity();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): Promise<CheckOutcome | undefined> {
    const controller = new AbortController();
    const generation = this.generation;
    const done = this.check(generation, controller.signal).finally(() => {
      if (this.inFlight?.controller === controller) this.inFlight = undefined;
      this.idle?.activity();
    });
    this.inFlight = { controller, done };
    return done;
  }

  private async check(generation: number, signal: AbortSignal): Promise<CheckOutcome | undefined> {
    let result: Awaited<ReturnType<IncrementalChecker['check']>>;
    const withPolicies = this.policyDelayMs === 0;
    try {
      result = await this.checker.check(signal, { policies: withPolicies && this.policyPackages, resolve: withPolicies });
    } catch (err) {
      if (signal.aborted) return undefined;
      this.log?.error(`registry check failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    // A newer edit arrived while this ran: its own check will publish.
    if (signal.aborted || generation !== this.generation || this.disposed) return undefined;
    this.checkedGeneration = generation;
    if (withPolicies) return { published: this.publishChanges(result.byFile), summary: result.summary };
    const outcome = { published: this.publishChanges(this.withKnownPolicyFindings(result.byFile)), summary: result.summary };
    this.schedulePolicies(generation);
    return outcome;
  }

  /** Adds the last policy pass's findings of files not edited since, so they do not flicker away. */
  private withKnownPolicyFindings(byFile: Map<string, RegistryDiagnostic[]>): Map<string, RegistryDiagnostic[]> {
    const merged = new Map(byFile);
    for (const [file, findings] of this.policyFindings) {
      if (this.editedSincePolicies.has(file) || !merged.has(file)) continue;
      merged.set(file, [...merged.get(file)!, ...findings]);
    }
    return merged;
  }

  private schedulePolicies(generation: number): void {
    if (this.policyTimer) clearTimeout(this.policyTimer);
    this.policyTimer = setTimeout(() => {
      this.policyTimer = undefined;
      void this.runPolicies(generation);
    }, this.policyDelayMs);
  }

  /** The idle-time pass: the complete check, policies included, published if nothing changed meanwhile. */
  private async runPolicies(generation: number): Promise<void> {
    if (this.disposed || generation !== this.generation) return;
    const controller = new AbortController();
    const done = (async (): Promise<CheckOutcome | undefined> => {
      let fast: Awaited<ReturnType<IncrementalChecker['check']>>;
      let full: Awaited<ReturnType<IncrementalChecker['check']>>;
      try {
        full = await this.checker.check(controller.signal, { policies: this.policyPackages, resolve: true });
        fast = await this.checker.check(controller.signal, { policies: false });
      } catch (err) {
        if (!controller.signal.aborted) this.log?.error(`registry policy check failed: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
      if (controller.signal.aborted || generation !== this.generation || this.disposed) return undefined;
      // What the complete pass adds to the fast checks is the resolver's and the policy findings.
      const policy = new Map<string, RegistryDiagnostic[]>();
      for (const [file, list] of full.byFile) {
        const fastKeys = new Set((fast.byFile.get(file) ?? []).map(findingKey));
        const extra = list.filter((d) => !fastKeys.has(findingKey(d)));
        if (extra.length > 0) policy.set(file, extra);
      }
      this.policyFindings = policy;
      this.editedSincePolicies.clear();
      return { published: this.publishChanges(full.byFile), summary: full.summary };
    })().finally(() => {
      if (this.inFlight?.controller === controller) this.inFlight = undefined;
      this.idle?.activity();
    });
    this.inFlight = { controller, done };
    await done;
  }

  private publishChanges(checked: Map<string, RegistryDiagnostic[]>): string[] {
    // A document checked for syntax only shows its buffer's syntax findings, whatever the registry
    // (which reads the file from disk) found in it.
    let byFile = checked;
    for (const path of this.oversized.paths()) {
      if (byFile === checked) byFile = new Map(checked);
      byFile.set(path, this.oversized.findings(path));
    }
    const changed: string[] = [];
    for (const [file, list] of byFile) {
      const sorted = [...list].sort(compareDiagnostics);
      const before = this.published.get(file) ?? [];
      if (sameFindings(before, sorted)) continue;
      if (sorted.length === 0) this.published.delete(file);
      else this.published.set(file, sorted);
      changed.push(file);
    }
    // Files that had findings and are absent from this result are clean now.
    for (const file of [...this.published.keys()]) {
      if (!byFile.has(file)) {
        this.published.delete(file);
        changed.push(file);
      }
    }
    changed.sort();
    for (const file of changed) this.publishFile(file, this.published.get(file) ?? [], this.versions.get(file));
    return changed;
  }
}
