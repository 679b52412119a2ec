import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryDiagnostic, Severity } from '../core/engine/diagnostic';

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

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class ProblemsCollection implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('weavergen');
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any write, so the status bar can recount. */
  readonly onDidChange = this.changed.event;

  /**
   * Replaces every entry under `registryRoot` with a whole-registry result: files that no longer
   * have findings are cleared, files outside the registry are left alone.
   */
  replaceRegistry(registryRoot: string, diagnostics: readonly RegistryDiagnostic[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const d of diagnostics) {
      const list = byFile.get(d.file) ?? [];
      list.push(toVsDiagnostic(d));
      byFile.set(d.file, list);
    }
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (uri.scheme === 'file' && isInside(registryRoot, uri.fsPath) && !byFile.has(uri.fsPath)) stale.push(uri);
    });
    for (const uri of stale) this.collection.delete(uri);
    this.collection.set([...byFile].map(([file, list]) => [vscode.Uri.file(file), list] as [vscode.Uri, vscode.Diagnostic[]]));
    this.changed.fire();
  }

  /** One file's findings from the language server (already converted by the client). */
  setFile(uri: vscode.Uri, diagnostics: readonly vscode.Diagnostic[]): void {
    if (diagnostics.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, diagnostics);
    this.changed.fire();
  }

  clear(): void {
    this.collection.clear();
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
