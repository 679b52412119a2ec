import { pathToFileURL } from 'node:url';
import { type Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { DiagnosticTagName, RegistryDiagnostic, Severity } from '../core/engine/diagnostic';

/** Converts the core's findings to LSP diagnostics; positions are already 0-based UTF-16. */

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG: Record<DiagnosticTagName, DiagnosticTag> = {
  deprecated: DiagnosticTag.Deprecated,
  unnecessary: DiagnosticTag.Unnecessary,
};

/** Weaver's findings carry a documentation link; the native ones may not. */
type LinkedDiagnostic = RegistryDiagnostic & { url?: unknown };

export function toLspDiagnostic(d: RegistryDiagnostic): Diagnostic {
  const out: Diagnostic = {
    range: { start: { ...d.range.start }, end: { ...d.range.end } },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: d.source,
    message: d.message,
  };
  const url = (d as LinkedDiagnostic).url;
  if (typeof url === 'string' && /^https?:\/\//.test(url)) out.codeDescription = { href: url };
  if (d.tags?.length) out.tags = d.tags.map((t) => TAG[t]);
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({
      location: { uri: pathToFileURL(r.file).href, range: { start: { ...r.range.start }, end: { ...r.range.end } } },
      message: r.message,
    }));
  }
  return out;
}
