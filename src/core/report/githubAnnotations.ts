import { relative, sep } from 'node:path';
import { compareDiagnostics, type RegistryDiagnostic, type Severity } from '../engine/diagnostic';
import { textKeepingBreaks } from './safeText';

/**
 * Diagnostics as GitHub Actions workflow commands (`::error file=...,line=...::message`): printed on
 * a job's stdout, each becomes an annotation on the pull request's changed lines. Paths are relative
 * to the repository root (reportRoot.ts), which is what GitHub resolves `file=` against; lines and
 * columns are 1-based.
 */

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** The message part of a command: `%`, CR and LF are escaped so one annotation stays one line. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as data, plus `:` and `,`, which would end the property list or the value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface GithubAnnotationOptions {
  /** Paths are printed relative to this folder (the repository root). */
  relativeTo: string;
}

export function formatGithubAnnotations(diagnostics: readonly RegistryDiagnostic[], options: GithubAnnotationOptions): string {
  return [...diagnostics]
    .sort(compareDiagnostics)
    .map((d) => `${githubAnnotation(d, options)}\n`)
    .join('');
}

export function githubAnnotation(d: RegistryDiagnostic, options: GithubAnnotationOptions): string {
  const file = (relative(options.relativeTo, d.file) || d.file).split(sep).join('/');
  const properties = [
    ['file', file],
    ['line', String(d.range.start.line + 1)],
    ['col', String(d.range.start.character + 1)],
    ['endLine', String(d.range.end.line + 1)],
    ['endColumn', String(d.range.end.character + 1)],
    ['title', `${d.source} ${d.code}`],
  ]
    .map(([key, value]) => `${key}=${escapeProperty(textKeepingBreaks(value!))}`)
    .join(',');
  // ESC and bidi characters are spelled out: the log and the annotation show what the registry holds.
  return `::${COMMANDS[d.severity]} ${properties}::${escapeData(textKeepingBreaks(d.message))}`;
}
