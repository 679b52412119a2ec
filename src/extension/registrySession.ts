import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileAccessOptions } from '../core/semconv/fileAccess';
import type { ServerWeaverOptions } from '../protocol/server';
import type { WeaverGenConfig } from './config';
import { RegistryLanguageClient } from './languageClient';
import type { ProblemsCollection } from './problems';
import { StatusBar } from './statusBar';

/**
 * Everything that exists only while the workspace has a registry: the status bar item and the
 * language server. Re-created when the registry root or the engine setting changes.
 */
export class RegistrySession implements vscode.Disposable {
  readonly status: StatusBar;
  readonly client: RegistryLanguageClient;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly root: string,
    serverModule: string,
    config: WeaverGenConfig,
    engineLabel: string,
    weaver: ServerWeaverOptions,
    /** Absolute path of the baseline registry the server's idle pass compares against; null: none. */
    baselineRegistry: string | null,
    problems: ProblemsCollection,
    private readonly log: vscode.LogOutputChannel,
    /** How registry files are read (`weavergen.files.*`, trust applied). */
    files?: FileAccessOptions,
  ) {
    this.status = new StatusBar();
    this.status.setEngine(engineLabel);
    // A session replaced after a settings change keeps showing what the Problems panel holds.
    const counts = problems.counts();
    if (counts.files > 0) this.status.setCounts(counts);
    this.client = new RegistryLanguageClient(serverModule, root, problems, log, config.debounceMs, weaver, baselineRegistry, files, config.maxDocumentSize, config.policies.length > 0, (params) =>
      this.status.setSyntaxOnly(
        params.documents.map((d) => ({ path: vscode.Uri.parse(d.uri).fsPath, size: d.size })),
        params.maxDocumentSize,
      ),
    );
    this.disposables.push(
      this.status,
      this.client,
      problems.onDidChange(() => this.status.setCounts(problems.counts())),
      // The server starts with the first registry YAML the user opens, not at activation.
      vscode.workspace.onDidOpenTextDocument((doc) => this.startIfRelevant(doc)),
    );
    for (const doc of vscode.workspace.textDocuments) this.startIfRelevant(doc);
  }

  /** True for a YAML file inside the registry folder. */
  contains(file: string): boolean {
    const rel = path.relative(this.root, file);
    return !rel.startsWith('..') && !path.isAbsolute(rel) && /\.ya?ml$/i.test(file);
  }

  private startIfRelevant(doc: vscode.TextDocument): void {
    if (this.client.isRunning || doc.uri.scheme !== 'file' || !this.contains(doc.uri.fsPath)) return;
    this.client.start().catch(() => {
      // Already logged by the client; the command path keeps working without the server.
    });
  }

  /** Unsaved buffers of registry files: the check sees what the user sees. */
  dirtyOverlays(): Map<string, string> {
    const overlays = new Map<string, string>();
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.isDirty && doc.uri.scheme === 'file' && this.contains(doc.uri.fsPath)) overlays.set(doc.uri.fsPath, doc.getText());
    }
    return overlays;
  }

  dispose(): void {
    this.log.debug(`registry session for ${this.root} closed`);
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
