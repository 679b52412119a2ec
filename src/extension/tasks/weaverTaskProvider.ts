import * as vscode from 'vscode';
import type { WeaverGenContext } from '../context';
import {
  PROBLEM_MATCHER,
  PROVIDED_COMMANDS,
  readWeaverTaskDefinition,
  TASK_LABELS,
  taskCommandLine,
  WEAVER_TASK_TYPE,
  type WeaverTaskDefinition,
} from './weaverTaskDefinition';

/**
 * Offers "weaver: registry check" (and resolve, stats) for the workspace's registry, and runs
 * `weaver` tasks written in tasks.json. Each runs the bundled `weavergen` CLI with the editor's own
 * Node runtime through a ProcessExecution (an argv array, never a shell line). An untrusted workspace
 * gets no tasks: tasks are code the workspace asks to run.
 */
export class WeaverTaskProvider implements vscode.TaskProvider {
  constructor(private readonly ctx: WeaverGenContext) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const location = await this.ctx.registry();
    if (location.kind !== 'found') return [];
    const tasks: vscode.Task[] = [];
    for (const command of PROVIDED_COMMANDS) {
      const task = this.build({ type: WEAVER_TASK_TYPE, command }, location.folder, location.root);
      if (task) tasks.push(task);
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    let definition: WeaverTaskDefinition;
    try {
      definition = readWeaverTaskDefinition(task.definition as Record<string, unknown>);
    } catch (err) {
      this.ctx.log.error(`tasks.json: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const folder = task.scope !== undefined && typeof task.scope === 'object' ? task.scope : undefined;
    const location = await this.ctx.registry();
    const detected = location.kind === 'found' ? location.root : undefined;
    // The definition object must be the one VS Code gave, or it treats the task as a different one.
    return this.build(definition, folder ?? (location.kind === 'found' ? location.folder : undefined), detected, task.definition);
  }

  private build(
    definition: WeaverTaskDefinition,
    folder: vscode.WorkspaceFolder | undefined,
    detectedRegistry: string | undefined,
    original: vscode.TaskDefinition = definition,
  ): vscode.Task | undefined {
    const workspaceFolder = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!workspaceFolder) return undefined;
    let line;
    try {
      line = taskCommandLine(definition, {
        cliPath: this.ctx.extension.asAbsolutePath('dist/cli.js'),
        workspaceFolder,
        ...(detectedRegistry ? { detectedRegistry } : {}),
        engine: this.ctx.config.engine,
      });
    } catch (err) {
      this.ctx.log.error(`weaver task: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    // VS Code's executable runs as plain Node with ELECTRON_RUN_AS_NODE (code-server's is Node already).
    const execution = new vscode.ProcessExecution(process.execPath, line.args, { cwd: line.cwd, env: { ELECTRON_RUN_AS_NODE: '1' } });
    const task = new vscode.Task(
      original,
      folder ?? vscode.TaskScope.Workspace,
      TASK_LABELS[definition.command],
      WEAVER_TASK_TYPE,
      execution,
      definition.command === 'check' ? [PROBLEM_MATCHER] : [],
    );
    task.detail = `weavergen ${line.args.slice(1).join(' ')}`;
    if (definition.command === 'check') task.group = vscode.TaskGroup.Test;
    return task;
  }
}
