import { isAbsolute, relative, resolve } from 'node:path';
import type { EngineChoice } from '../../core/engine/registryEngine';

/**
 * The `weaver` task type (package.json `taskDefinitions`) and the `weavergen` command line each task
 * runs. Kept free of `vscode` so the argv a task gets is unit-tested as it is. Tasks run the bundled
 * CLI (`dist/cli.js`) rather than the weaver binary, so they work on the native engine too; the
 * CLI picks weaver by itself when the engine setting allows and weaver is installed.
 */

export const WEAVER_TASK_TYPE = 'weaver';

/** The registry commands a task can run, as `weavergen registry <command>`. */
export const WEAVER_TASK_COMMANDS = ['check', 'resolve', 'stats', 'search', 'diff'] as const;
export type WeaverTaskCommand = (typeof WEAVER_TASK_COMMANDS)[number];

/** What a `tasks.json` entry of type `weaver` holds. */
export interface WeaverTaskDefinition {
  type: typeof WEAVER_TASK_TYPE;
  command: WeaverTaskCommand;
  /** The registry folder, relative to the workspace folder (or absolute). Default: the detected registry. */
  registry?: string;
  /** More arguments for the command, e.g. `["--baseline-registry", "../v1.44.0"]` for `diff`. */
  args?: string[];
}

/** The tasks offered without a `tasks.json` entry: `diff` needs a baseline, so it is not among them. */
export const PROVIDED_COMMANDS: readonly WeaverTaskCommand[] = ['check', 'resolve', 'stats'];

export const TASK_LABELS: Record<WeaverTaskCommand, string> = {
  check: 'registry check',
  resolve: 'registry resolve',
  stats: 'registry stats',
  search: 'registry search',
  diff: 'registry diff',
};

/** The `$weaver` problem matcher reads the `file:line:col: severity code: message` lines of `check`. */
export const PROBLEM_MATCHER = '$weaver';

export function isWeaverTaskCommand(value: unknown): value is WeaverTaskCommand {
  return typeof value === 'string' && (WEAVER_TASK_COMMANDS as readonly string[]).includes(value);
}

/** Reads a task definition from tasks.json; an Error says which field is wrong and what it accepts. */
export function readWeaverTaskDefinition(value: Record<string, unknown>): WeaverTaskDefinition {
  if (!isWeaverTaskCommand(value.command)) {
    throw new Error(`a "weaver" task needs "command" set to one of ${WEAVER_TASK_COMMANDS.join(', ')} (it is ${JSON.stringify(value.command)})`);
  }
  if (value.registry !== undefined && typeof value.registry !== 'string') {
    throw new Error(`the "registry" of a "weaver" task must be a folder path (a string), not ${JSON.stringify(value.registry)}`);
  }
  if (value.args !== undefined && !(Array.isArray(value.args) && value.args.every((a) => typeof a === 'string'))) {
    throw new Error(`the "args" of a "weaver" task must be a list of strings, not ${JSON.stringify(value.args)}`);
  }
  return {
    type: WEAVER_TASK_TYPE,
    command: value.command,
    ...(value.registry !== undefined ? { registry: value.registry } : {}),
    ...(value.args !== undefined ? { args: value.args as string[] } : {}),
  };
}

export interface TaskCommandLine {
  /** Arguments after the Node executable: the CLI script first. */
  args: string[];
  cwd: string;
  /** Absolute registry folder the task runs on. */
  registryPath: string;
}

/**
 * The argv of a task: `dist/cli.js registry <command> -r <registry> [--engine E] [...args]`, run
 * in the workspace folder so the paths the CLI prints are relative to it (what `$weaver` expects).
 */
export function taskCommandLine(
  definition: WeaverTaskDefinition,
  context: { cliPath: string; workspaceFolder: string; detectedRegistry?: string; engine: EngineChoice },
): TaskCommandLine {
  const registryPath = definition.registry
    ? isAbsolute(definition.registry)
      ? definition.registry
      : resolve(context.workspaceFolder, definition.registry)
    : context.detectedRegistry;
  if (!registryPath) {
    throw new Error(`the "weaver" task "${TASK_LABELS[definition.command]}" has no registry: set "registry" in tasks.json or open a folder holding registry_manifest.yaml`);
  }
  const shown = relative(context.workspaceFolder, registryPath) || '.';
  const args = [context.cliPath, 'registry', definition.command, '-r', shown.startsWith('..') ? registryPath : shown, '--engine', context.engine];
  if (definition.command === 'check') args.push('--diagnostic-format', 'text');
  args.push(...(definition.args ?? []));
  return { args, cwd: context.workspaceFolder, registryPath };
}
