import { isFolderSync, isInside } from '../folders';
import { resolve } from 'node:path';
import type { FileAccessOptions } from './fileAccess';
import { allParsedPaths, loadRegistry, type LoadedRegistry } from './loadRegistry';
import { ParseCache } from './parseCache';

/**
 * The baseline registry (weaver's --baseline-registry) the language server's idle pass compares the
 * edited registry against. Loading it costs as much as loading the registry itself, so it is loaded
 * once and again only when its path changes or one of its files changes on disk; with its own parse
 * cache, a reload re-parses only the changed file. It is read as YAML, never executed.
 */
export class WorkspaceBaseline {
  private folder: string | undefined;
  private cache = new ParseCache();
  private loaded: LoadedRegistry | undefined;
  /** Bumped by every path change or invalidation: a load that overlapped one is not kept. */
  private generation = 0;
  private files: string[] = [];
  /** The problem last logged, so a bad path is one log line, not one per idle pass. */
  private reported: string | undefined;

  constructor(
    private readonly log?: (message: string) => void,
    private readonly fileAccess?: FileAccessOptions,
  ) {}

  /** Absolute path of the baseline folder, if one is set. */
  get path(): string | undefined {
    return this.folder;
  }

  /**
   * Sets (or, with undefined or an empty string, clears) the baseline folder. Returns whether it
   * changed: an unchanged path keeps the loaded baseline.
   */
  setPath(path: string | undefined): boolean {
    const next = path === undefined || path.trim() === '' ? undefined : resolve(path);
    if (next === this.folder) return false;
    this.folder = next;
    this.cache = new ParseCache();
    this.loaded = undefined;
    this.files = [];
    this.reported = undefined;
    this.generation++;
    return true;
  }

  /** True for a path inside the baseline folder. */
  contains(file: string): boolean {
    if (!this.folder) return false;
    const abs = resolve(file);
    return abs !== this.folder && isInside(this.folder, abs);
  }

  /** A file changed on disk: if it belongs to the baseline, the next `registry()` reloads. */
  invalidate(file: string): boolean {
    if (!this.contains(file)) return false;
    this.loaded = undefined;
    this.generation++;
    return true;
  }

  /**
   * The files of the baseline as last loaded (manifest included). Findings of the
   * backwards-compatibility package about something removed sit in these files.
   */
  get knownFiles(): readonly string[] {
    return this.files;
  }

  /** The loaded baseline; undefined when none is set or it cannot be read (logged once). */
  async registry(signal?: AbortSignal): Promise<LoadedRegistry | undefined> {
    const folder = this.folder;
    if (!folder) return undefined;
    if (this.loaded) return this.loaded;
    if (!isFolderSync(folder)) {
      this.report(
        `baseline registry ${folder} (weavergen.check.baselineRegistry) is not a folder: the backwards-compatibility policies do not run ` +
          'until it names the folder of the registry to compare against (e.g. the previous release)',
      );
      return undefined;
    }
    const generation = this.generation;
    let registry: LoadedRegistry;
    try {
      registry = await loadRegistry(folder, { cache: this.cache, ...(signal ? { signal } : {}), ...(this.fileAccess ? { files: this.fileAccess } : {}) });
    } catch (err) {
      if (signal?.aborted) throw err;
      this.report(`baseline registry ${folder} could not be read (${err instanceof Error ? err.message : String(err)}): the backwards-compatibility policies do not run`);
      return undefined;
    }
    // The path changed or a baseline file changed while this loaded: the next pass loads again.
    if (generation !== this.generation) return registry;
    this.loaded = registry;
    this.reported = undefined;
    const files = registry.manifest ? [registry.manifest, ...registry.files] : registry.files;
    this.files = files.map((f) => f.path);
    this.cache.retainOnly(allParsedPaths(registry));
    return registry;
  }

  private report(message: string): void {
    if (this.reported === message) return;
    this.reported = message;
    this.log?.(message);
  }
}
