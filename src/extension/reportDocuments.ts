import * as vscode from 'vscode';
import type { WeaverGenContext } from './context';
import type { ReportDocument } from './commands/reportPlan';
import { forgottenReportText, REPORT_SCHEME, reportFileName, ReportStore } from './commands/reportStore';

/**
 * Reports (stats, search results, a diff, a JSON schema) open as read-only virtual documents on the
 * `weavergen-report:` scheme instead of untitled ones: an untitled document is a pending edit, so VS
 * Code asked to save every report when it was closed. The text is kept in memory per run id
 * (ReportStore); "File: Save As..." still writes a report to a file.
 */
export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly store = new ReportStore();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.store.get(uri.path)?.content ?? forgottenReportText(uri.path);
  }

  /**
   * Keeps `document` as the report `title` of run `runId` and shows it in a (non-preview) editor.
   * `registryPath` names the registry in the tab title.
   */
  async open(runId: string, title: string, document: ReportDocument, registryPath?: string): Promise<vscode.TextDocument> {
    const stored = this.store.put(runId, reportFileName(title, document.language, registryPath), document);
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: stored.path });
    // A document already open under this URI (the same report of the same run) shows the new text.
    this.changed.fire(uri);
    let opened = await vscode.workspace.openTextDocument(uri);
    // The file extension gives the language; a user's files.associations may map it elsewhere.
    if (opened.languageId !== document.language) opened = await vscode.languages.setTextDocumentLanguage(opened, document.language);
    await vscode.window.showTextDocument(opened, { preview: false });
    return opened;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

const perContext = new WeakMap<WeaverGenContext, ReportDocuments>();

/** The report documents of this extension instance, registered (and owned by `ctx`) on first use. */
export function reportDocumentsFor(ctx: WeaverGenContext): ReportDocuments {
  let documents = perContext.get(ctx);
  if (!documents) {
    documents = ctx.own(new ReportDocuments());
    perContext.set(ctx, documents);
  }
  return documents;
}
