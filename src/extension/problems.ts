import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryDiagnostic, Severity } from '../core/engine/diagnostic';
import { RegistryRunEntries } from './registryRunEntries';

/**
 * The one "weavergen" DiagnosticCollection. Both the Check Registry command (through the
 * workflow's `output.publishDiagnostics`) and the language server (through the client's
 * `handleDiagnostics` middleware) write here, keyed by file, so a finding never shows twice:
 * whichever reported last for a file owns that file's entry.
 */

/** Weaver's diagnostics carry a documentation link; the native ones may not. */
type LinkedDiagnostic = RegistryDiagnostic & { url?: unknown };

export interface ProblemCounts {
  errors: number;
  warnings: number;
  others: number;
  files: number;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toVsDiagnostic(d: RegistryDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const out = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  out.source = d.source;
  const url = (d as LinkedDiagnostic).url;
  out.code = typeof url === 'string' && /^https?:\/\//.test(url) ? { value: d.code, target: vscode.Uri.parse(url) } : d.code;
  if (d.tags?.length) out.tags = d.tags.map((t) => (t === 'deprecated' ? vscode.DiagnosticTag.Deprecated : vscode.DiagnosticTag.Unnecessary));
  if (d.related?.length) {
    out.relatedInformation = d.related.map(
      (r) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(vscode.Uri.file(r.file), new vscode.Range(r.range.start.line, r.range.start.character, r.range.end.line, r.range.end.character)),
          r.message,
        ),
    );
  }
  return out;
}

export class ProblemsCollection implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('weavergen');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any write, so the status bar can recount. */
  readonly onDidChange = this.changed.event;
  /** The entries the last whole-registry run set (baseline files included), keyed by fsPath. */
  private readonly runEntries = new RegistryRunEntries();

  /**
   * Replaces the entries of the previous whole-registry run, and every entry under `registryRoot`,
   * with a whole-registry result: files that no longer have findings are cleared; entries of other
   * sources outside the registry (the language server's) are left alone.
   */
  replaceRegistry(registryRoot: string, diagnostics: readonly RegistryDiagnostic[]): void {
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const d of diagnostics) {
      // Keyed as the collection's URIs read back (fsPath), so a file's entry is found again.
      const uri = vscode.Uri.file(d.file);
      const entry = byFile.get(uri.fsPath) ?? { uri, list: [] };
      entry.list.push(toVsDiagnostic(d));
      byFile.set(uri.fsPath, entry);
    }
    const existing = new Map<string, vscode.Uri>();
    this.collection.forEach((uri) => {
      if (uri.scheme === 'file') existing.set(uri.fsPath, uri);
    });
    const stale = this.runEntries.replace(path.resolve(registryRoot), existing.keys(), byFile.keys());
    for (const file of stale) this.collection.delete(existing.get(file)!);
    this.collection.set([...byFile.values()].map(({ uri, list }) => [uri, list] as [vscode.Uri, vscode.Diagnostic[]]));
    this.changed.fire();
  }

  /** One file's findings from the language server (already converted by the client): the entry is the server's now. */
  setFile(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): void {
    if (uri.scheme === 'file') this.runEntries.released(uri.fsPath);
    if (diagnostics.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, diagnostics);
    this.changed.fire();
  }

  clear(): void {
    this.collection.clear();
    this.runEntries.clear();
    this.changed.fire();
  }

  counts(): ProblemCounts {
    const counts: ProblemCounts = { errors: 0, warnings: 0, others: 0, files: 0 };
    this.collection.forEach((_uri, list) => {
      if (list.length > 0) counts.files++;
      for (const d of list) {
        if (d.severity === vscode.DiagnosticSeverity.Error) counts.errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warnings++;
        else counts.others++;
      }
    });
    return counts;
  }

  dispose(): void {
    this.collection.dispose();
    this.changed.dispose();
  }
}
