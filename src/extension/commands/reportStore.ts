import * as path from 'node:path';
import type { ReportDocument, ReportDocumentLanguage } from './reportPlan';

/**
 * What the report documents hold, kept free of `vscode` so it is unit-tested: reports open as
 * read-only virtual documents `weavergen-report:/<run id>/<name>.<ext>` whose text lives here, in
 * memory, per run. The file name is the editor's tab title, and its extension gives VS Code the
 * language. Closing such a document asks nothing; "File: Save As..." still writes it to a file.
 */

export const REPORT_SCHEME = 'weavergen-report';

const EXTENSIONS: Record<ReportDocumentLanguage, string> = { json: 'json', yaml: 'yaml', markdown: 'md', plaintext: 'txt' };

/** Characters a file name cannot hold on some system, or that a URI path would read as syntax. */
const UNSAFE = /[/\\:*?"<>|#%\u0000-\u001f]/g;

/**
 * The tab title of a report: what it is and which registry it is about, e.g.
 * `registry stats (payments).json`; reports about no registry (a JSON schema) name only themselves.
 */
export function reportFileName(title: string, language: ReportDocumentLanguage, registryPath?: string): string {
  const registry = registryPath ? path.basename(path.resolve(registryPath)) : '';
  const base = `${title.trim() || 'report'}${registry ? ` (${registry})` : ''}`.replace(UNSAFE, '_').replace(/\s+/g, ' ');
  // Long search queries would make unreadable tabs; the content holds the full query.
  const short = base.length > 80 ? `${base.slice(0, 79)}…` : base;
  return `${short}.${EXTENSIONS[language]}`;
}

/** The URI path of one report of one run: `/<run id>/<file name>`. */
export function reportPath(runId: string, fileName: string): string {
  return `/${runId.replace(UNSAFE, '_')}/${fileName}`;
}

/** The run id a report path belongs to, or undefined for a path that is not one. */
export function runIdOfReportPath(reportUriPath: string): string | undefined {
  const match = /^\/([^/]+)\/[^/]+$/.exec(reportUriPath);
  return match?.[1];
}

export interface StoredReport {
  /** The URI path (`reportPath`). */
  path: string;
  document: ReportDocument;
}

/**
 * Report texts by URI path, grouped per run; the oldest runs are forgotten past `maxRuns` so a long
 * session does not keep every report ever opened. A forgotten report's tab shows a line saying so
 * (the provider's text for an unknown path) instead of failing.
 */
export class ReportStore {
  private readonly runs = new Map<string, Map<string, ReportDocument>>();

  constructor(private readonly maxRuns = 20) {
    if (!Number.isInteger(maxRuns) || maxRuns < 1) throw new Error(`ReportStore keeps at least one run, not ${maxRuns}`);
  }

  /** Keeps the report of run `runId` and returns where it lives. Storing the same name again replaces it. */
  put(runId: string, fileName: string, document: ReportDocument): StoredReport {
    const at = reportPath(runId, fileName);
    const key = runIdOfReportPath(at) as string;
    const reports = this.runs.get(key) ?? new Map<string, ReportDocument>();
    // Re-inserted so the run counts as the newest.
    this.runs.delete(key);
    this.runs.set(key, reports);
    reports.set(at, document);
    while (this.runs.size > this.maxRuns) {
      const oldest = this.runs.keys().next().value as string;
      this.runs.delete(oldest);
    }
    return { path: at, document };
  }

  get(reportUriPath: string): ReportDocument | undefined {
    const runId = runIdOfReportPath(reportUriPath);
    return runId ? this.runs.get(runId)?.get(reportUriPath) : undefined;
  }

  /** Run ids with a kept report, oldest first. */
  runIds(): string[] {
    return [...this.runs.keys()];
  }
}

/** The text shown for a report that is no longer in memory (the window was reloaded, or it is old). */
export function forgottenReportText(reportUriPath: string): string {
  return `This WeaverGen report (${reportUriPath}) is no longer in memory: run its command again to see it.\n`;
}
