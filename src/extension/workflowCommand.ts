import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WeaverGenContext } from './context';
import { runInEditor, workflowFolder } from './editorRun';
import { reportDocument } from './commands/reportPlan';
import { inputPrompts, listWorkflowChoices, parseInput, workflowNeeds, WORKSPACE_WORKFLOWS_DIR, type InputPrompt, type WorkflowChoice } from './workspaceWorkflows';

/**
 * "WeaverGen: Run Workflow...": pick any workflow (the built-ins and the workspace's own
 * `.weavergen/workflows/*.bpmn`), answer the inputs its service tasks read (the service catalog
 * says which) and those its process declares, and run it like every other command: through runWorkflow, logged, stored in the
 * run history and offered in "Show Last Run". A workspace workflow of an untrusted workspace is
 * listed but refused, saying how to trust the workspace.
 */

export const RUN_WORKFLOW_COMMAND = 'weavergen.runWorkflow';

interface ChoiceItem extends vscode.QuickPickItem {
  choice: WorkflowChoice;
}

function describeChoice(choice: WorkflowChoice): string {
  if (choice.origin === 'builtin') return 'built-in';
  const where = path.join(WORKSPACE_WORKFLOWS_DIR, path.basename(choice.file));
  if (choice.blocked) return `workspace (${where}) · blocked: the workspace is not trusted`;
  return choice.replacesBuiltin ? `workspace (${where}) · replaces the built-in` : `workspace (${where})`;
}

function choiceItem(choice: WorkflowChoice): ChoiceItem {
  const icon = choice.blocked ? '$(lock)' : choice.origin === 'workspace' ? '$(folder)' : '$(symbol-event)';
  return { label: `${icon} ${choice.name}`, description: describeChoice(choice), choice };
}

/** The refusal of a workspace workflow in an untrusted workspace: says why and how to trust. */
function refuseUntrusted(ctx: WeaverGenContext, choice: WorkflowChoice): void {
  const where = path.join(WORKSPACE_WORKFLOWS_DIR, path.basename(choice.file));
  ctx.log.warn(`Run Workflow: ${where} was not run: the workspace is not trusted.`);
  void vscode.window
    .showErrorMessage(
      `WeaverGen: the workspace workflow ${where} was not run because this workspace is not trusted (a workspace workflow decides what runs on your registry). To run it, trust the workspace: Manage Workspace Trust, then Trust.`,
      'Manage Workspace Trust',
    )
    .then((picked) => {
      if (picked) void vscode.commands.executeCommand('workbench.trust.manage');
    });
}

/** Asks one input; undefined when the user pressed Escape. */
async function ask(prompt: InputPrompt, step: { workflow: string; index: number; total: number }, initial: string | undefined): Promise<{ value?: unknown } | undefined> {
  const title = `WeaverGen: Run ${step.workflow} (${step.index}/${step.total}): ${prompt.name}`;
  const optional = prompt.required ? '' : ' (optional: leave empty for its default)';
  const placeHolder = `${prompt.description}${optional}`;
  let text: string | undefined;
  if (prompt.kind === 'boolean' || prompt.kind === 'choice') {
    const values = prompt.kind === 'boolean' ? ['true', 'false'] : (prompt.choices ?? []);
    const items = [...(prompt.required ? [] : [{ label: '(default)', description: 'leave unset' }]), ...values.map((v) => ({ label: v }))];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
    if (!picked) return undefined;
    text = picked.label === '(default)' ? '' : picked.label;
  } else {
    text = await vscode.window.showInputBox({
      title,
      prompt: placeHolder,
      value: initial ?? '',
      ignoreFocusOut: true,
      validateInput: (answer) => {
        const parsed = parseInput(prompt, answer);
        return parsed.kind === 'invalid' ? parsed.message : undefined;
      },
    });
    if (text === undefined) return undefined;
  }
  const parsed = parseInput(prompt, text);
  if (parsed.kind === 'invalid') throw new Error(parsed.message);
  return parsed.kind === 'value' ? { value: parsed.value } : {};
}

export async function runWorkflowCommand(ctx: WeaverGenContext): Promise<void> {
  const folder = await workflowFolder(ctx);
  const choices = listWorkflowChoices({ builtinDir: ctx.extension.asAbsolutePath(path.join('dist', 'workflows')), workspaceFolder: folder, trusted: ctx.trusted });
  if (choices.length === 0) {
    void vscode.window.showWarningMessage('WeaverGen: no workflow was found: the extension\'s dist/workflows folder is empty and the workspace has no .weavergen/workflows/*.bpmn.');
    return;
  }
  const picked = await vscode.window.showQuickPick(choices.map(choiceItem), {
    title: 'WeaverGen: Run Workflow',
    placeHolder: 'Pick the workflow to run',
    matchOnDescription: true,
  });
  if (!picked) return;
  const choice = picked.choice;
  if (choice.blocked) {
    refuseUntrusted(ctx, choice);
    return;
  }

  let needs;
  try {
    needs = await workflowNeeds(choice.file);
  } catch (err) {
    // Unreadable BPMN, or a file refused because it could run code: say which and why, run nothing.
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.error(`Run Workflow: ${message}`);
    void vscode.window.showErrorMessage(`WeaverGen: ${message}`, 'Show Log').then((c) => {
      if (c) ctx.log.show(true);
    });
    return;
  }
  // How files are read and which policies run come from the settings (weavergen.files.*,
  // weavergen.check.policies), as for every editor run: not asked.
  const fromSettings: Record<string, unknown> = { files: ctx.config.filesInput(ctx.trusted), policies: ctx.config.policyPaths() };
  const all = inputPrompts(needs);
  const prompts = all.filter((p) => !(p.name in fromSettings));
  const location = await ctx.registry();
  const registryRoot = location.kind === 'found' ? location.root : undefined;
  const inputs: Record<string, unknown> = {};
  for (const p of all) if (p.name in fromSettings) inputs[p.name] = fromSettings[p.name];
  for (const [i, prompt] of prompts.entries()) {
    const initial = prompt.name === 'registryPath' ? registryRoot : undefined;
    const answer = await ask(prompt, { workflow: choice.name, index: i + 1, total: prompts.length }, initial);
    if (!answer) return;
    if ('value' in answer) inputs[prompt.name] = answer.value;
  }

  const title = `Run ${choice.name}${choice.origin === 'workspace' ? ' (workspace)' : ''}`;
  // The chosen file runs as is: a workspace file by its path, so nothing else can stand in for it.
  const { record, report, diagnostics } = await runInEditor(ctx, { title, workflow: choice.file, inputs, overrideDirs: [] });
  if (record.status === 'cancelled') {
    void vscode.window.showInformationMessage(`WeaverGen: ${title} was cancelled.`);
    return;
  }
  if (record.status !== 'succeeded') return;
  if (report) {
    const doc = reportDocument(report);
    const document = await vscode.workspace.openTextDocument({ language: doc.language, content: doc.content });
    await vscode.window.showTextDocument(document, { preview: false });
  }
  const findings = diagnostics ? `, ${diagnostics.length} finding(s) in the Problems panel` : '';
  const source = choice.origin === 'workspace' ? ` from ${path.join(WORKSPACE_WORKFLOWS_DIR, path.basename(choice.file))}` : '';
  void vscode.window
    .showInformationMessage(`WeaverGen: workflow ${choice.name}${source} succeeded in ${Math.round(record.durationMs)} ms${findings}.`, 'Show Last Run')
    .then((action) => {
      if (action) void vscode.commands.executeCommand('weavergen.showLastRun');
    });
}
