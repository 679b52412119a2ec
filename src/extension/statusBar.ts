import * as vscode from 'vscode';
import type { RunRecord } from '../core/workflow/types';
import { mdCode } from '../core/report/safeText';
import type { ProblemCounts } from './problems';

/**
 * The status bar item: the engine in use and the current problem count, e.g.
 * "$(check) WeaverGen: native · 0 problems" or "$(error) WeaverGen: native · 3 errors, 1 warning".
 * Clicking it opens the log.
 */

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The visible text for a problem count. */
function describeCounts(counts: Pick<ProblemCounts, 'errors' | 'warnings'>): { icon: string; text: string } {
  if (counts.errors > 0) {
    const warnings = counts.warnings > 0 ? `, ${plural(counts.warnings, 'warning')}` : '';
    return { icon: '$(error)', text: `${plural(counts.errors, 'error')}${warnings}` };
  }
  if (counts.warnings > 0) return { icon: '$(warning)', text: plural(counts.warnings, 'warning') };
  return { icon: '$(check)', text: '0 problems' };
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('weavergen.status', vscode.StatusBarAlignment.Left, 0);
  private engine = 'native';
  private counts: ProblemCounts | undefined;
  private running = false;
  /** Set by a failed run, cleared by the next counts: a failure stays visible until fresh results. */
  private failed = false;
  private lastRun: RunRecord | undefined;
  /** Open documents the language server checks for YAML syntax only (larger than the size limit). */
  private syntaxOnly: Array<{ path: string; size: number }> = [];
  private maxDocumentSize = 0;

  constructor() {
    this.item.name = 'WeaverGen';
    this.item.command = 'weavergen.showLog';
    this.render();
    this.item.show();
  }

  setEngine(engine: string): void {
    this.engine = engine;
    this.render();
  }

  setRunning(running: boolean): void {
    this.running = running;
    this.render();
  }

  setCounts(counts: ProblemCounts): void {
    this.counts = counts;
    this.failed = false;
    this.render();
  }

  setLastRun(run: RunRecord): void {
    this.lastRun = run;
    this.failed = run.status === 'failed';
    this.render();
  }

  setSyntaxOnly(documents: Array<{ path: string; size: number }>, maxDocumentSize: number): void {
    this.syntaxOnly = documents;
    this.maxDocumentSize = maxDocumentSize;
    this.render();
  }

  private render(): void {
    const head = `WeaverGen: ${this.engine}`;
    const syntaxOnly = this.syntaxOnly.length > 0 ? ` · syntax only (${this.syntaxOnly.length === 1 ? 'large file' : `${this.syntaxOnly.length} large files`})` : '';
    const failed = this.failed;
    if (this.running) {
      this.item.text = `$(sync~spin) ${head} · checking`;
    } else if (failed) {
      this.item.text = `$(alert) ${head} · check failed`;
    } else if (this.counts) {
      const { icon, text } = describeCounts(this.counts);
      this.item.text = `${icon} ${head} · ${text}${syntaxOnly}`;
    } else {
      this.item.text = `$(circle-outline) ${head}${syntaxOnly}`;
    }
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**WeaverGen** · engine ${mdCode(this.engine)}\n\n`);
    if (this.lastRun) {
      const r = this.lastRun;
      // The workflow may be a project's own .bpmn file: its name is inline code, never markup.
      tooltip.appendMarkdown(`Last run: ${mdCode(r.workflow)} ${r.status} in ${Math.round(r.durationMs)} ms\n\n`);
      if (r.error) tooltip.appendText(`${r.error.message}\n\n`);
    }
    if (this.syntaxOnly.length > 0) {
      const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
      tooltip.appendMarkdown(`Checked for YAML syntax only, larger than \`weavergen.server.maxDocumentSize\` (${mb(this.maxDocumentSize)}):\n\n`);
      for (const d of this.syntaxOnly) tooltip.appendText(`${d.path} (${mb(d.size)})\n\n`);
    }
    tooltip.appendMarkdown('Click to open the WeaverGen log.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      failed || (this.counts?.errors ?? 0) > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
