import * as path from 'node:path';
import * as vscode from 'vscode';
import { runWorkflow } from '../../core/workflow/index';
import type { RunReport } from '../../core/workflow/types';
import { describeRun, logValidation } from '../checkRegistry';
import type { WeaverGenContext } from '../context';
import { reportDocument, type ReportCommandSpec } from './reportPlan';

/**
 * Runs one reporting workflow for a palette command (never a service directly), with a cancellable
 * progress notification, records the run, and opens what its `output.report` task published in an
 * untitled editor (JSON or markdown) beside nothing else: the user saves it if they want to keep it.
 */
export async function runReportCommand(
  ctx: WeaverGenContext,
  spec: ReportCommandSpec,
  inputs: Record<string, unknown>,
  options: { preferMarkdown?: boolean } = {},
): Promise<vscode.TextDocument | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const overrideDirs = ctx.trusted && folder ? [path.join(folder.uri.fsPath, '.weavergen', 'workflows')] : [];
  let report: RunReport | undefined;
  const record = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `WeaverGen: ${spec.title}`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const result = await runWorkflow({
          workflow: spec.workflow,
          inputs,
          host: {
            engine: await ctx.engine(),
            log: ctx.log,
            overlays: ctx.session?.dirtyOverlays() ?? new Map<string, string>(),
            publishDiagnostics: () => undefined,
            publishReport: (r) => {
              report = r;
            },
          },
          signal: controller.signal,
          workflowsDir: ctx.extension.asAbsolutePath(path.join('dist', 'workflows')),
          overrideDirs,
        });
        return result.record;
      } finally {
        cancel.dispose();
      }
    },
  );
  ctx.log[record.status === 'failed' ? 'error' : 'info'](describeRun(record, undefined));
  logValidation(ctx.log, record);
  await ctx.history.record(record);
  if (record.status === 'cancelled') return undefined;
  if (record.status === 'failed') {
    void vscode.window.showErrorMessage(`WeaverGen: ${spec.title} failed: ${record.error?.message ?? 'see the log'}`, 'Show Log', 'Show Last Run').then((choice) => {
      if (choice === 'Show Log') ctx.log.show(true);
      else if (choice === 'Show Last Run') void vscode.commands.executeCommand('weavergen.showLastRun');
    });
    return undefined;
  }
  if (!report) {
    void vscode.window.showWarningMessage(`WeaverGen: the ${spec.workflow} workflow reported nothing: it needs an output.report task after its last step.`);
    return undefined;
  }
  const doc = reportDocument(report, options.preferMarkdown === true);
  const document = await vscode.workspace.openTextDocument({ language: doc.language, content: doc.content });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}
