import { isInside } from '../core/folders';

/**
 * Which entries of the shared `weavergen` problems collection the last whole-registry run (Check
 * Registry, or a workflow run in the editor that publishes diagnostics) set, so the next run replaces
 * all of them. The registry folder alone does not bound a run's entries: with
 * `weavergen.check.baselineRegistry` set, findings about removed definitions sit in the baseline's
 * files, outside it, and would otherwise outlive the run that reported them. Entries the language
 * server wrote since are the server's and are left alone. Free of `vscode` (keys are file paths), so
 * the bookkeeping is unit-tested; src/extension/problems.ts applies it to the collection.
 */
export class RegistryRunEntries {
  /** Files whose entry the last run set and no other source has written since. */
  private readonly owned = new Set<string>();

  /**
   * A run published findings for the files `published` (of the registry at `registryRoot`, an
   * absolute path); `existing` are the files the collection holds an entry for now. Returns the
   * entries to delete: every one under the registry folder (the run's result is the whole registry's)
   * or set by the previous run, that this run has no findings for. The run's files are its own now.
   */
  replace(registryRoot: string, existing: Iterable<string>, published: Iterable<string>): string[] {
    const next = new Set(published);
    const stale: string[] = [];
    for (const file of existing) {
      if (!next.has(file) && (isInside(registryRoot, file) || this.owned.has(file))) stale.push(file);
    }
    this.owned.clear();
    for (const file of next) this.owned.add(file);
    return stale;
  }

  /** Another source (the language server) wrote this file's entry: the next run leaves it to that source. */
  released(file: string): void {
    this.owned.delete(file);
  }

  /** The collection was emptied: no entry is any run's any more. */
  clear(): void {
    this.owned.clear();
  }
}
