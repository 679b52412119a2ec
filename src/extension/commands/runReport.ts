import * as vscode from 'vscode';
import type { WeaverGenContext } from '../context';
import { runInEditor, workflowFolder, workflowOverrideDirs } from '../editorRun';
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
  const overrideDirs = workflowOverrideDirs(ctx, spec.workflow, await workflowFolder(ctx));
  const { record, report } = await runInEditor(ctx, { title: spec.title, workflow: spec.workflow, inputs, overrideDirs });
  if (record.status !== 'succeeded') return undefined;
  if (!report) {
    void vscode.window.showWarningMessage(`WeaverGen: the ${spec.workflow} workflow reported nothing: it needs an output.report task after its last step.`);
    return undefined;
  }
  const doc = reportDocument(report, options.preferMarkdown === true);
  const document = await vscode.workspace.openTextDocument({ language: doc.language, content: doc.content });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}
