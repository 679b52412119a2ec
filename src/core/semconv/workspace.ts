import { resolve } from 'node:path';
import { isInside } from '../folders';
import type { RegistryDiagnostic } from '../engine/diagnostic';
import type { RegistrySummary } from '../engine/registryEngine';
import { checkRegistry } from './checkRegistry';
import { allParsedPaths, loadRegistry, type LoadedRegistry, type RegistryTextSource } from './loadRegistry';
import { ParseCache } from './parseCache';
import type { ParsedFile } from './parsedFile';
import { loadPublishedDependencies, type PublishedRegistry } from './resolve/published';
import { fileAccessPolicy, readRegistryFile, type FileAccessOptions, type FileAccessPolicy, type FileRead } from './fileAccess';
import { listRegistryFiles, type RegistryFileListing } from './registryFiles';
import { WorkspaceBaseline } from './workspaceBaseline';

export interface RegistryWorkspaceOptions {
  /** One line per problem with the baseline registry (a path that is not a folder), logged once. */
  log?: (message: string) => void;
  /** Links and limits for every read (fileAccess.ts): `weavergen.files.*` settings. */
  files?: FileAccessOptions;
}

export interface WorkspaceCheckResult {
  /**
   * Findings per file, with an empty list for every checked file that is clean. With a baseline,
   * every file of the loaded baseline is listed too (on the keystroke pass always empty), so the
   * editor can tell "clean" from "no longer part of the check" for the baseline's files as well.
   */
  byFile: Map<string, RegistryDiagnostic[]>;
  /** The same findings in one sorted list. */
  diagnostics: RegistryDiagnostic[];
  summary: RegistrySummary;
}

/**
 * The registry as the language server sees it: disk contents, overridden by open editor buffers,
 * kept in memory between checks. Only what changed is read or parsed again: an overlay edit re-parses
 * that one file, a disk change (`invalidate`) re-reads that one file, and the folder is walked again
 * only when a file may have appeared or disappeared.
 */
export class RegistryWorkspace {
  readonly root: string;
  private readonly overlays = new Map<string, string>();
  private readonly diskTexts = new Map<string, FileRead>();
  private readonly policy: FileAccessPolicy;
  private readonly fileOptions: FileAccessOptions | undefined;
  private readonly listings = new Map<string, RegistryFileListing>();
  private readonly cache = new ParseCache();
  private readonly source: RegistryTextSource;
  /** Published dependencies read for the last resolving check; dropped when anything changes on disk. */
  private published: Map<string, PublishedRegistry> | undefined;
  private readonly baseline: WorkspaceBaseline;
  /** Counts every change (edit, close, change on disk), so readers can tell what happened since they loaded. */
  private changeCount = 0;
  /** The last change that was not an overlay edit (a closed buffer, a change on disk). */
  private lastOtherChange = 0;
  /** The last change of each overlay. */
  private readonly overlayChanges = new Map<string, number>();
  /** The last registry loaded, the revision it reflects, and where each of its files sits in `files`. */
  private lastLoad: { revision: number; registry: LoadedRegistry; positions: ReadonlyMap<string, number> } | undefined;

  constructor(root: string, options: RegistryWorkspaceOptions = {}) {
    this.root = resolve(root);
    this.fileOptions = options.files;
    this.policy = fileAccessPolicy(options.files);
    this.baseline = new WorkspaceBaseline(options.log, options.files);
    this.source = {
      list: async (dir, signal) => {
        let listing = this.listings.get(dir);
        if (!listing) {
          listing = await listRegistryFiles(dir, signal, this.policy);
          this.listings.set(dir, listing);
        }
        return listing;
      },
      read: async (path, root) => {
        let read = this.diskTexts.get(path);
        if (read === undefined) {
          // Synchronous: hundreds of small files read faster than through the thread pool one by one.
          read = readRegistryFile(path, root, this.policy);
          // A file that could not be read is read again next time (it may have been fixed).
          if (read.text !== null) this.diskTexts.set(path, read);
        }
        return read;
      },
    };
  }

  /** Files actually parsed so far (cache misses); lets tests prove a re-check reused the rest. */
  get parseCount(): number {
    return this.cache.parseCount;
  }

  /** An open editor buffer: its text wins over the disk until `deleteOverlay`. */
  setOverlay(path: string, text: string): void {
    const abs = resolve(path);
    this.overlays.set(abs, text);
    this.overlayChanges.set(abs, ++this.changeCount);
  }

  /** The buffer was closed: the file reads from disk again. */
  deleteOverlay(path: string): void {
    const abs = resolve(path);
    this.overlays.delete(abs);
    this.overlayChanges.delete(abs);
    this.lastOtherChange = ++this.changeCount;
  }

  /** The open buffer of a file, if any. */
  overlay(path: string): string | undefined {
    return this.overlays.get(resolve(path));
  }

  /** A mark to pass to `overlaysEditedSince` later: take it before a `load`. */
  get revision(): number {
    return this.changeCount;
  }

  /**
   * The buffers edited since `revision`, when buffer edits are all that happened since (no buffer
   * closed, nothing changed on disk); undefined otherwise.
   */
  overlaysEditedSince(revision: number): string[] | undefined {
    if (this.lastOtherChange > revision) return undefined;
    const edited: string[] = [];
    for (const [path, at] of this.overlayChanges) if (at > revision) edited.push(path);
    return edited;
  }

  /**
   * The baseline registry the backwards-compatibility package compares against when policies run
   * (absolute, or relative to the process's folder); undefined or empty: none. Returns whether it
   * changed.
   */
  setBaselineRegistry(path: string | undefined): boolean {
    return this.baseline.setPath(path);
  }

  /** The baseline folder currently set, if any. */
  get baselineRegistry(): string | undefined {
    return this.baseline.path;
  }

  /** True for a file under the baseline folder: its changes on disk matter to the check too. */
  inBaseline(path: string): boolean {
    return this.baseline.contains(path);
  }

  /** The file changed, appeared or disappeared on disk (in the registry or in the baseline). */
  invalidate(path: string): void {
    const abs = resolve(path);
    if (this.baseline.invalidate(abs) && !isInside(this.root, abs)) return;
    this.lastOtherChange = ++this.changeCount;
    this.diskTexts.delete(abs);
    this.published = undefined;
    // A created or deleted file changes the listing of its registry; walking again is cheap (no reads).
    this.listings.clear();
  }

  async load(signal?: AbortSignal): Promise<LoadedRegistry> {
    const revision = this.changeCount;
    const quick = this.reloadEditedBuffers(revision);
    if (quick) return quick;
    const registry = await loadRegistry(this.root, { overlays: this.overlays, cache: this.cache, source: this.source, signal, ...(this.fileOptions ? { files: this.fileOptions } : {}) });
    this.cache.retainOnly(allParsedPaths(registry));
    this.lastLoad = { revision, registry, positions: new Map(registry.files.map((f, i) => [f.path, i])) };
    return registry;
  }

  /**
   * The last load with the buffers edited since put in, when that is all that changed and every edited
   * buffer is a file of the registry itself (not its manifest, not a dependency's, not a new file): the
   * same registry a full load gives, without walking ~250 files through the loader on every keystroke.
   */
  private reloadEditedBuffers(revision: number): LoadedRegistry | undefined {
    const last = this.lastLoad;
    if (!last) return undefined;
    if (last.revision === revision) return last.registry;
    const edited = this.overlaysEditedSince(last.revision);
    if (!edited) return undefined;
    let files: ParsedFile[] | undefined;
    for (const path of edited) {
      const at = last.positions.get(path);
      if (at === undefined) return undefined;
      files ??= [...last.registry.files];
      files[at] = this.cache.get(path, this.overlays.get(path)!, false);
    }
    const registry = files ? { ...last.registry, files } : last.registry;
    this.lastLoad = { revision, registry, positions: last.positions };
    return registry;
  }

  /**
   * Checks the registry as it is now (overlays included). `policies: false` skips the policy packages:
   * they need the whole registry rebuilt (~100-300 ms on semconv-main), too slow for every keystroke,
   * so the language server runs them in a second, idle-time pass. Resolution (also a few hundred ms)
   * follows `policies` unless `resolve` says otherwise: the keystroke pass never resolves. The
   * baseline registry, if set, is loaded (once) and compared against only when policies run.
   */
  async check(signal?: AbortSignal, options: { policies?: boolean; resolve?: boolean } = {}): Promise<WorkspaceCheckResult> {
    const registry = await this.load(signal);
    const policies = options.policies ?? true;
    const resolve = options.resolve ?? policies;
    // The resolver needs a published dependency's resolved file to see its signals; without it every
    // reference into that dependency is a guess and goes unchecked.
    if (resolve && !this.published) this.published = await loadPublishedDependencies(registry);
    const published = resolve ? this.published : undefined;
    const baseline = policies ? await this.baseline.registry(signal) : undefined;
    const result = checkRegistry(registry, signal, { policies, resolve, ...(published ? { published } : {}), ...(baseline ? { baseline } : {}) });
    for (const file of this.baseline.knownFiles) if (!result.byFile.has(file)) result.byFile.set(file, []);
    return { byFile: result.byFile, diagnostics: result.diagnostics, summary: result.summary };
  }
}
