import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RunRecord } from '../core/workflow/types';
import { type HostToRunView, isRunViewToHost } from '../protocol/runView';

/**
 * Hosts the run view: one WebviewPanel drawing a run's BPMN with each activity's state, and the
 * run's spans. The webview asks for its content with `ready` (again after every reload), so the
 * host only keeps the run to show, never assumes the webview has it.
 */

export const NO_RUN_MESSAGE = 'No run recorded yet. Run "WeaverGen: Check Registry" to record one.';

export class RunViewPanel implements vscode.Disposable {
  static readonly viewType = 'weavergen.runView';
  private static current: RunViewPanel | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private disposed = false;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly webviewRoot: vscode.Uri,
    private run: RunRecord | undefined,
    private readonly onOpenLog: () => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    );
  }

  /** Opens the panel (or brings it forward) showing `run`; undefined shows the no-run message. */
  static show(
    extensionUri: vscode.Uri,
    run: RunRecord | undefined,
    onOpenLog: () => void,
    log: vscode.LogOutputChannel,
  ): RunViewPanel {
    const existing = RunViewPanel.current;
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn);
      existing.update(run);
      return existing;
    }
    const webviewRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(RunViewPanel.viewType, 'WeaverGen: Last Run', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [webviewRoot],
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'weavergen.png');
    RunViewPanel.current = new RunViewPanel(panel, webviewRoot, run, onOpenLog, log);
    return RunViewPanel.current;
  }

  /** Refreshes the open panel, if any, with a newer run. */
  static refresh(run: RunRecord): void {
    RunViewPanel.current?.update(run);
  }

  private update(run: RunRecord | undefined): void {
    this.run = run;
    if (this.ready) void this.post();
  }

  private receive(message: unknown): void {
    if (!isRunViewToHost(message)) {
      this.log.warn('run view: ignored a message of unknown shape from the webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.post();
        break;
      case 'openLog':
        this.onOpenLog();
        break;
    }
  }

  private async post(): Promise<void> {
    const message: HostToRunView = this.run ? { type: 'init', run: this.run } : { type: 'empty', message: NO_RUN_MESSAGE };
    this.panel.title = this.run ? `WeaverGen: ${this.run.workflow} (${this.run.status})` : 'WeaverGen: Last Run';
    await this.panel.webview.postMessage(message);
  }

  private html(): string {
    const webview = this.panel.webview;
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'runView.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot, 'runView.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      // bpmn-js sets inline styles on the SVG it draws.
      `style-src ${webview.cspSource} 'unsafe-inline'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>WeaverGen run</title>
</head>
<body>
<main id="wg-root" data-state="loading"><p class="wg-message" id="wg-loading">Loading run…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (RunViewPanel.current === this) RunViewPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
