import * as vscode from 'vscode';
import type { WeaverGenContext } from '../context';
import { runInEditor, workflowFolder, workflowOverrideDirs } from '../editorRun';
import { reportDocumentsFor } from '../reportDocuments';
import { reportDocument, type ReportCommandSpec } from './reportPlan';

/**
 * Runs one reporting workflow for a palette command (never a service directly), with a cancellable
 * progress notification, records the run, and opens what its `output.report` task published as a
 * read-only report document (JSON or markdown) titled with the report and the registry: closing it
 * asks nothing, "File: Save As..." keeps it.
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
  const registryPath = typeof inputs.registryPath === 'string' ? inputs.registryPath : undefined;
  return reportDocumentsFor(ctx).open(record.id, report.title, reportDocument(report, options.preferMarkdown === true), registryPath);
}
