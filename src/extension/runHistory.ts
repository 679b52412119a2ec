import * as vscode from 'vscode';
import { RunStore } from '../core/telemetry/runStore';
import type { RunRecord } from '../core/workflow/types';

/**
 * The runs of this workspace, kept in the extension's storage folder (never in the user's
 * folder). Announces each recorded run so open views refresh.
 */
export class RunHistory implements vscode.Disposable {
  private readonly store: RunStore;
  private readonly recorded = new vscode.EventEmitter<RunRecord>();
  readonly onDidRecord = this.recorded.event;

  constructor(
    folder: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store = new RunStore(vscode.Uri.joinPath(folder, 'runs').fsPath, {
      onUnreadable: (err) => this.log.warn(err.message),
    });
  }

  /** Stores the run; a store failure is logged, never allowed to hide the run's own result. */
  async record(run: RunRecord): Promise<void> {
    try {
      const file = await this.store.save(run);
      this.log.debug(`run ${run.id} stored in ${file}`);
    } catch (err) {
      this.log.error(`run ${run.id} could not be stored: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.recorded.fire(run);
  }

  /** Every readable stored run, newest first; unreadable files are logged and skipped. */
  async all(): Promise<RunRecord[]> {
    const records: RunRecord[] = [];
    for (const summary of await this.store.list()) {
      try {
        const record = await this.store.get(summary.id);
        if (record) records.push(record);
      } catch (err) {
        this.log.warn(`run ${summary.id} skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return records;
  }

  async latest(): Promise<RunRecord | undefined> {
    return this.store.latest();
  }

  dispose(): void {
    this.recorded.dispose();
  }
}
