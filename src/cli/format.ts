import { relative } from 'node:path';
import { compareDiagnostics, type DiagnosticSource, type RegistryDiagnostic } from '../core/engine/diagnostic';
import type { RegistrySummary } from '../core/engine/registryEngine';
import { formatGithubAnnotations } from '../core/report/githubAnnotations';
import { describeReportRoot, type ReportRoot } from '../core/report/reportRoot';
import { formatSarif } from '../core/report/sarif';
import { safeJson, textField, textLine } from '../core/report/safeText';

/** The output formats of `workflow run --diagnostic-format`. */
export type DiagnosticFormat = 'text' | 'json';

/**
 * The formats of commands that print diagnostics for CI too (`registry check --diagnostic-format`,
 * `diagnostics locate --format`): text and json, a SARIF 2.1.0 log for code scanning, GitHub
 * Actions workflow commands that annotate the pull request.
 */
export type DiagnosticOutputFormat = DiagnosticFormat | 'sarif' | 'github';
export const DIAGNOSTIC_OUTPUT_FORMATS: readonly DiagnosticOutputFormat[] = ['text', 'json', 'sarif', 'github'];

export interface DiagnosticOutputOptions {
  /** Text paths are relative to it (the working directory). */
  cwd: string;
  /** SARIF artifact URIs and GitHub annotation paths are relative to it (the repository root). */
  reportRoot: ReportRoot;
  /** The tool a SARIF log without diagnostics names (default weaver). */
  emptyRunSource?: DiagnosticSource;
}

/** The diagnostics in one of the output formats, as printed on stdout. */
export function formatDiagnostics(format: DiagnosticOutputFormat, diagnostics: readonly RegistryDiagnostic[], options: DiagnosticOutputOptions): string {
  switch (format) {
    case 'text':
      return formatDiagnosticsText(diagnostics, options.cwd);
    case 'json':
      return formatDiagnosticsJson(diagnostics);
    case 'sarif':
      return formatSarif(diagnostics, {
        root: options.reportRoot.path,
        rootDescription: describeReportRoot(options.reportRoot),
        ...(options.emptyRunSource ? { emptyRunSource: options.emptyRunSource } : {}),
      });
    case 'github':
      return formatGithubAnnotations(diagnostics, { relativeTo: options.reportRoot.path });
  }
}

/**
 * `file:line:col: severity code: message`, one line per diagnostic, the form compilers use so
 * editors and CI annotate it. File relative to the working directory; line and column 1-based.
 * File, code and message come from the registry: textField spells out their line breaks, ESC and
 * bidi characters (one finding, one line), textLine keeps a line from starting a workflow command.
 */
export function formatDiagnosticsText(diagnostics: readonly RegistryDiagnostic[], cwd: string): string {
  return [...diagnostics]
    .sort(compareDiagnostics)
    .map((d) => {
      const file = textField(relative(cwd, d.file) || d.file);
      const message = textField(d.message);
      return `${textLine(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${textField(d.code)}: ${message}`)}\n`;
    })
    .join('');
}

/**
 * The diagnostics as one JSON array of RegistryDiagnostic: 0-based positions, absolute paths, and
 * the documentation `url` when the finding has one (weaver's policy findings do).
 */
export function formatDiagnosticsJson(diagnostics: readonly RegistryDiagnostic[]): string {
  const out = [...diagnostics].sort(compareDiagnostics).map((d) => ({
    file: d.file,
    range: {
      start: { line: d.range.start.line, character: d.range.start.character },
      end: { line: d.range.end.line, character: d.range.end.character },
    },
    severity: d.severity,
    code: d.code,
    message: d.message,
    source: d.source,
    ...(d.url ? { url: d.url } : {}),
  }));
  return `${safeJson(JSON.stringify(out, null, 2))}\n`;
}

export interface SeverityCounts {
  errors: number;
  warnings: number;
  other: number;
}

export function countSeverities(diagnostics: readonly RegistryDiagnostic[]): SeverityCounts {
  const counts: SeverityCounts = { errors: 0, warnings: 0, other: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') counts.errors++;
    else if (d.severity === 'warning') counts.warnings++;
    else counts.other++;
  }
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line on stderr: what was found, in what, by which engine. */
export function formatSummary(diagnostics: readonly RegistryDiagnostic[], summary: RegistrySummary, engine: string, durationMs: number): string {
  const c = countSeverities(diagnostics);
  const files = new Set(diagnostics.map((d) => d.file)).size;
  const found =
    diagnostics.length === 0
      ? 'no problems'
      : `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}${c.other ? `, ${c.other} other` : ''} in ${plural(files, 'file')}`;
  const size = `${plural(summary.files, 'file')}, ${plural(summary.groups, 'group')}, ${plural(summary.attributes, 'attribute')}`;
  return `registry check: ${found} (${size} checked by the ${textField(engine)} engine in ${Math.round(durationMs)} ms)\n`;
}
