import * as vscode from 'vscode';
import { checkRegistry } from './checkRegistry';
import { registerReportCommands } from './commands/index';
import { WeaverGenConfig } from './config';
import { WeaverGenContext } from './context';
import { RunViewPanel } from './runViewPanel';
import { WeaverTaskProvider } from './tasks/weaverTaskProvider';
import { WEAVER_TASK_TYPE } from './tasks/weaverTaskDefinition';
import { showServiceCoverage } from './serviceCoverage';
import { RUN_WORKFLOW_COMMAND, runWorkflowCommand } from './workflowCommand';

/**
 * Entry point. activate() only registers commands and listeners and returns; locating the
 * registry runs in the background, and the language server starts with the first registry YAML
 * the user opens. A workspace without a registry stays idle (no server, no status item), but the
 * commands still answer, saying no registry was found.
 */

let current: WeaverGenContext | undefined;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function activate(extension: vscode.ExtensionContext): void {
  const ctx = new WeaverGenContext(extension);
  current = ctx;
  extension.subscriptions.push(ctx);

  ctx.own(
    vscode.commands.registerCommand('weavergen.checkRegistry', async () => {
      try {
        await checkRegistry(ctx);
      } catch (err) {
        ctx.log.error(`Check Registry: ${errorText(err)}`);
        void vscode.window.showErrorMessage(`WeaverGen: ${errorText(err)}`);
      }
    }),
  );
  ctx.own(
    vscode.commands.registerCommand('weavergen.showLastRun', async () => {
      try {
        const run = await ctx.history.latest();
        RunViewPanel.show(extension.extensionUri, run, () => ctx.log.show(true), ctx.log);
      } catch (err) {
        ctx.log.error(`Show Last Run: ${errorText(err)}`);
        void vscode.window.showErrorMessage(`WeaverGen: the last run could not be read: ${errorText(err)}`);
      }
    }),
  );
  ctx.own(vscode.commands.registerCommand('weavergen.showLog', () => ctx.log.show(true)));
  ctx.own(vscode.tasks.registerTaskProvider(WEAVER_TASK_TYPE, new WeaverTaskProvider(ctx)));
  ctx.own(
    vscode.commands.registerCommand('weavergen.showServiceCoverage', async () => {
      try {
        await showServiceCoverage(ctx);
      } catch (err) {
        ctx.log.error(`Show Service Coverage: ${errorText(err)}`);
        void vscode.window.showErrorMessage(`WeaverGen: the recorded runs could not be read: ${errorText(err)}`);
      }
    }),
  );

  registerReportCommands(ctx);
  ctx.own(
    vscode.commands.registerCommand(RUN_WORKFLOW_COMMAND, async () => {
      try {
        await runWorkflowCommand(ctx);
      } catch (err) {
        ctx.log.error(`Run Workflow: ${errorText(err)}`);
        void vscode.window.showErrorMessage(`WeaverGen: Run Workflow: ${errorText(err)}`);
      }
    }),
  );

  const refresh = (reason: string): void => {
    ctx.refresh(reason).catch((err: unknown) => ctx.log.error(`${reason}: ${errorText(err)}`));
  };

  ctx.ownAll(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (WeaverGenConfig.needsRestart(event)) {
        refresh('settings changed');
      } else if (WeaverGenConfig.affectsLiveSettings(event)) {
        ctx.config = WeaverGenConfig.read();
        void ctx.session?.client.updateSettings({ debounceMs: ctx.config.debounceMs, baselineRegistry: ctx.baselineRegistryPath(), maxDocumentSize: ctx.config.maxDocumentSize });
      }
    }),
    // Trust unlocks the configured engine and workspace workflows.
    vscode.workspace.onDidGrantWorkspaceTrust(() => refresh('workspace trusted')),
    vscode.workspace.onDidChangeWorkspaceFolders(() => refresh('workspace folders changed')),
  );

  // A registry created after activation (a new manifest) starts the session without a reload.
  const manifests = ctx.own(vscode.workspace.createFileSystemWatcher('**/{registry_manifest.yaml,manifest.yaml}', false, true, true));
  ctx.own(
    manifests.onDidCreate(() => {
      if (!ctx.session) refresh('manifest created');
    }),
  );

  refresh('activated');
}

export async function deactivate(): Promise<void> {
  const ctx = current;
  current = undefined;
  // Stop the server cleanly before VS Code disposes the subscriptions.
  await ctx?.session?.client.stop();
}
