import { pathToFileURL } from 'node:url';
import type { Disposable, FileSystemWatcher } from 'vscode-languageserver/node';

/** Registers file watchers with the client (LSP dynamic registration of workspace/didChangeWatchedFiles). */
export type RegisterWatchers = (watchers: FileSystemWatcher[]) => Promise<Disposable>;

/**
 * The client watches only the registry folder (its `synchronize.fileEvents`, fixed when it starts),
 * and the baseline registry may live anywhere and change with a setting. So the server registers a
 * watcher for the baseline folder itself, and replaces it when the setting names another folder:
 * edits to the baseline on disk then reach `RegistryWorkspace.invalidate` like registry edits do.
 */
export class BaselineWatcher {
  private folder: string | undefined;
  private registration: Promise<Disposable | undefined> | undefined;

  constructor(
    private readonly register: RegisterWatchers,
    private readonly log: { error(message: string): void },
  ) {}

  /** Watches the YAML files under `folder` (undefined: none), dropping the previous watcher. */
  watch(folder: string | undefined): void {
    if (folder === this.folder) return;
    this.folder = folder;
    this.release();
    if (!folder) return;
    this.registration = this.register([{ globPattern: { baseUri: pathToFileURL(folder).href, pattern: '**/*.{yaml,yml}' } }]).catch((err: unknown) => {
      this.log.error(`baseline registry ${folder}: changes on disk are not seen until the setting changes (${err instanceof Error ? err.message : String(err)})`);
      return undefined;
    });
  }

  dispose(): void {
    this.folder = undefined;
    this.release();
  }

  private release(): void {
    const previous = this.registration;
    this.registration = undefined;
    void previous?.then((d) => d?.dispose());
  }
}
