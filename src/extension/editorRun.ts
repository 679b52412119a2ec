import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import { runWorkflow } from '../core/workflow/index';
import { DEFAULT_RUN_LIMITS, secondsToMs, type RunLimits } from '../core/workflow/runLimits';
import type { RunRecord, RunReport, RunResult } from '../core/workflow/types';
import { describeRun, logValidation } from './runLog';
import type { WeaverGenContext } from './context';
import { WORKSPACE_WORKFLOWS_DIR, workspaceWorkflowFile, workspaceWorkflowsDir } from './workspaceWorkflows';

/**
 * How a palette command starts a workflow in the editor (never a service directly): the workflow
 * folders trust allows, a cancellable progress notification, a host that sends diagnostics to the
 * Problems panel and keeps the report, then the run logged, stored in the run history (so "Show
 * Last Run" shows it) and a failure offered with the log and the run view.
 */

/** Workspace workflows that were ignored for lack of trust and already told about: told once. */
const toldIgnored = new Set<string>();

/**
 * The folders searched before the built-in workflows: the workspace's `.weavergen/workflows` when
 * the workspace is trusted, none otherwise. The runner refuses any workflow that could run code, but a
 * workspace workflow still decides what the editor does with the registry, so it needs trust. When the workspace is not
 * trusted but holds a file for `workflow`, the user is told once (notification and log) that it was
 * ignored and how to trust the workspace.
 */
export function workflowOverrideDirs(ctx: WeaverGenContext, workflow: string, folder: string | undefined): string[] {
  if (!folder) return [];
  if (ctx.trusted) return [workspaceWorkflowsDir(folder)];
  const ignored = workspaceWorkflowFile(folder, workflow);
  if (ignored && !toldIgnored.has(ignored)) {
    toldIgnored.add(ignored);
    const relative = path.join(WORKSPACE_WORKFLOWS_DIR, `${workflow}.bpmn`);
    ctx.log.warn(`${relative} was ignored: the workspace is not trusted, so the built-in ${workflow} workflow ran instead.`);
    void vscode.window
      .showWarningMessage(
        `WeaverGen: the workspace workflow ${relative} was ignored because this workspace is not trusted; the built-in ${workflow} workflow ran instead. Trust the workspace (Manage Workspace Trust) to use it.`,
        'Manage Workspace Trust',
      )
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
      });
  }
  return [];
}

/**
 * `weavergen.workflow.maxSteps`, `.maxElements`, `.timeoutSeconds`, `.serviceTimeoutSeconds` (application scope: a
 * workspace cannot raise them). A value out of range falls back to its default, so a typo in the
 * settings never stops every run.
 */
export function workflowLimits(): Partial<RunLimits> {
  const section = vscode.workspace.getConfiguration('weavergen.workflow');
  const positive = (value: unknown, max: number): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max ? value : undefined;
  const whole = (value: unknown, fallback: number): number => {
    const n = positive(value, 10_000_000);
    return n !== undefined && Number.isInteger(n) ? n : fallback;
  };
  return {
    maxSteps: whole(section.get<number>('maxSteps'), DEFAULT_RUN_LIMITS.maxSteps),
    maxElements: whole(section.get<number>('maxElements'), DEFAULT_RUN_LIMITS.maxElements),
    timeoutMs: secondsToMs(positive(section.get<number>('timeoutSeconds'), 2_147_483)) ?? DEFAULT_RUN_LIMITS.timeoutMs,
    serviceTimeoutMs: secondsToMs(positive(section.get<number>('serviceTimeoutSeconds'), 2_147_483)) ?? DEFAULT_RUN_LIMITS.serviceTimeoutMs,
  };
}

/** The folder whose `.weavergen/workflows` applies: the registry's workspace folder, else the first. */
export async function workflowFolder(ctx: WeaverGenContext): Promise<string | undefined> {
  const location = await ctx.registry();
  if (location.kind === 'found' && location.folder) return location.folder.uri.fsPath;
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

export interface EditorRunRequest {
  /** What the progress notification and messages call the operation, e.g. `Registry Stats`. */
  title: string;
  /** A workflow name, or the absolute path of the .bpmn file chosen. */
  workflow: string;
  inputs: Record<string, unknown>;
  /** Searched before the built-in workflows (see workflowOverrideDirs). */
  overrideDirs: readonly string[];
}

export interface EditorRunOutcome {
  result: RunResult;
  record: RunRecord;
  /** What the workflow's `output.report` published. */
  report?: RunReport;
  /** What its `output.publishDiagnostics` published (also in the Problems panel). */
  diagnostics?: readonly RegistryDiagnostic[];
}

/**
 * Runs the workflow and records it. Resolves with the outcome whatever the run's status; a failed
 * run has already been shown (with Show Log / Show Last Run). Rejects only when the run could not
 * start (workflow file missing or unreadable, engine unavailable).
 */
export async function runInEditor(ctx: WeaverGenContext, request: EditorRunRequest): Promise<EditorRunOutcome> {
  let report: RunReport | undefined;
  let diagnostics: readonly RegistryDiagnostic[] | undefined;
  const registryPath = typeof request.inputs.registryPath === 'string' ? request.inputs.registryPath : undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `WeaverGen: ${request.title}`, cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        return await runWorkflow({
          workflow: request.workflow,
          inputs: request.inputs,
          host: {
            engine: await ctx.engine(),
            log: ctx.log,
            overlays: ctx.session?.dirtyOverlays() ?? new Map<string, string>(),
            publishDiagnostics: (published) => {
              diagnostics = published;
              if (registryPath) ctx.problems.replaceRegistry(path.resolve(registryPath), published);
            },
            publishReport: (r) => {
              report = r;
            },
          },
          signal: controller.signal,
          workflowsDir: ctx.extension.asAbsolutePath(path.join('dist', 'workflows')),
          overrideDirs: request.overrideDirs,
          limits: workflowLimits(),
        });
      } finally {
        cancel.dispose();
      }
    },
  );
  const record = result.record;
  ctx.log[record.status === 'failed' ? 'error' : 'info'](describeRun(record, result.check?.diagnostics ?? diagnostics));
  logValidation(ctx.log, record);
  await ctx.history.record(record);
  if (record.status === 'failed') {
    void vscode.window
      .showErrorMessage(`WeaverGen: ${request.title} failed: ${record.error?.message ?? 'see the log'}`, 'Show Log', 'Show Last Run')
      .then((choice) => {
        if (choice === 'Show Log') ctx.log.show(true);
        else if (choice === 'Show Last Run') void vscode.commands.executeCommand('weavergen.showLastRun');
      });
  }
  const outcome: EditorRunOutcome = { result, record };
  if (report) outcome.report = report;
  if (diagnostics) outcome.diagnostics = diagnostics;
  return outcome;
}
