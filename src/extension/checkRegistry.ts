import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import type { RunResult } from '../core/workflow/types';
import { runWorkflow } from '../core/workflow/index';
import type { WeaverGenContext } from './context';
import { workflowLimits, workflowOverrideDirs } from './editorRun';
import { describeRun, logValidation } from './runLog';

/**
 * "WeaverGen: Check Registry": runs the registry_check workflow (never a service directly) with
 * a cancellable progress notification. Its `output.publishDiagnostics` task fills the problems
 * collection; the run is logged, stored and shown in the run view if that is open.
 */

export const CHECK_WORKFLOW = 'registry_check';

/**
 * A check of a small registry ends within a few hundred milliseconds, and VS Code keeps a progress
 * notification on screen for at least 800 ms: showing one at once would leave a stale "checking"
 * toast next to the finished result. The status bar spins from the start; the cancellable
 * notification appears only for a check that is still running after this delay.
 */
export const PROGRESS_NOTIFICATION_DELAY_MS = 1000;

function showCancellableProgress(run: Promise<unknown>, controller: AbortController): void {
  if (controller.signal.aborted) return;
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'WeaverGen: checking registry', cancellable: true },
    async (_progress, token) => {
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        await run;
      } catch {
        // The caller reports the failure; the notification only has to close.
      } finally {
        cancel.dispose();
      }
    },
  );
}

export async function checkRegistry(ctx: WeaverGenContext): Promise<RunResult | undefined> {
  const location = await ctx.registry();
  if (location.kind === 'missing') {
    ctx.log.warn(`Check Registry: ${location.reason}`);
    void vscode.window.showWarningMessage(`WeaverGen: ${location.reason}`);
    return undefined;
  }
  const root = location.root;
  const session = ctx.session;

  ctx.activeRun?.abort();
  const controller = new AbortController();
  ctx.activeRun = controller;

  // Workspace workflows decide what the check does: used only when the workspace is trusted.
  const overrideDirs = workflowOverrideDirs(ctx, CHECK_WORKFLOW, location.folder?.uri.fsPath);
  const overlays = session?.dirtyOverlays() ?? new Map<string, string>();
  let published: readonly RegistryDiagnostic[] | undefined;

  session?.status.setRunning(true);
  let result: RunResult;
  let progressTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    const run = (async () =>
      runWorkflow({
        workflow: CHECK_WORKFLOW,
        inputs: { registryPath: root, ...checkInputs(ctx) },
        host: {
          engine: await ctx.engine(),
          log: ctx.log,
          overlays,
          publishDiagnostics: (diagnostics) => {
            published = diagnostics;
            ctx.problems.replaceRegistry(root, diagnostics);
          },
        },
        signal: controller.signal,
        workflowsDir: ctx.extension.asAbsolutePath(path.join('dist', 'workflows')),
        overrideDirs,
        limits: workflowLimits(),
      }))();
    progressTimer = setTimeout(() => showCancellableProgress(run, controller), PROGRESS_NOTIFICATION_DELAY_MS);
    result = await run;
  } catch (err) {
    // The runner records failures inside the run; reaching here means it could not start at all.
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.error(`Check Registry could not run: ${message}`);
    void vscode.window.showErrorMessage(`WeaverGen: Check Registry could not run: ${message}`, 'Show Log').then((choice) => {
      if (choice) ctx.log.show(true);
    });
    return undefined;
  } finally {
    clearTimeout(progressTimer);
    if (ctx.activeRun === controller) ctx.activeRun = undefined;
    session?.status.setRunning(false);
  }

  const record = result.record;
  const level = record.status === 'failed' ? 'error' : 'info';
  ctx.log[level](describeRun(record, result.check?.diagnostics ?? published));
  logValidation(ctx.log, record);
  session?.status.setLastRun(record);
  await ctx.history.record(record);

  if (record.status === 'failed') {
    void vscode.window
      .showErrorMessage(`WeaverGen: Check Registry failed: ${record.error?.message ?? 'see the log'}`, 'Show Log', 'Show Last Run')
      .then((choice) => {
        if (choice === 'Show Log') ctx.log.show(true);
        else if (choice === 'Show Last Run') void vscode.commands.executeCommand('weavergen.showLastRun');
      });
  } else if (record.status === 'cancelled') {
    void vscode.window.showInformationMessage('WeaverGen: Check Registry was cancelled.');
  }
  return result;
}

/**
 * `weavergen.check.baselineRegistry` and `weavergen.check.skipPolicies` as registry_check inputs (weaver's
 * --baseline-registry and --skip-policies), the baseline resolved as the language server gets it.
 */
function checkInputs(ctx: WeaverGenContext): Record<string, unknown> {
  const baseline = ctx.baselineRegistryPath();
  return {
    ...(baseline ? { baselineRegistryPath: baseline } : {}),
    files: ctx.config.filesInput(ctx.trusted),
    ...(vscode.workspace.getConfiguration('weavergen.check').get<boolean>('skipPolicies', false) ? { skipPolicies: true } : {}),
    ...policiesInput(ctx),
  };
}

/** `weavergen.check.policies` (workspace-relative paths) as the `policies` input: none unless set, as with weaver. */
function policiesInput(ctx: WeaverGenContext): { policies?: string[] } {
  const resolved = ctx.config.policyPaths();
  return resolved.length > 0 ? { policies: resolved } : {};
}
