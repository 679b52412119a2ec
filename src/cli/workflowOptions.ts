import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { locateWorkflow, WorkflowError } from '../core/workflow/locate';
import { DEFAULT_RUN_LIMITS, MAX_STEPS_LIMIT, MAX_TIMEOUT_MS, secondsToMs, type RunLimits } from '../core/workflow/runLimits';
import type { CliIo } from './io';

/**
 * The flags every command that runs a workflow takes: `--workflows DIR`, the only way the CLI uses
 * workflows other than its own (the working directory's `.weavergen/workflows` is never read on its
 * own: `registry check` runs in CI on pull requests), and the run's limits `--max-steps`,
 * `--max-elements`, `--timeout` and `--service-timeout` (seconds).
 */

export interface CliWorkflowSettings {
  /** `--workflows DIR`, absolute: searched before the built-in workflows. */
  overrideDir?: string;
  limits: Partial<RunLimits>;
}

function wholeNumber(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${max}, not '${value}'`);
    }
    return n;
  };
}

function secondsValue(flag: string): (value: string) => number {
  const max = MAX_TIMEOUT_MS / 1000;
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0.001 || n > max) {
      throw new InvalidArgumentError(`${flag} takes a number of seconds from 0.001 to ${max}, not '${value}'`);
    }
    return n;
  };
}

/** Adds the workflow flags to a command that runs a workflow. */
export function withWorkflowOptions(command: Command): Command {
  return command
    .addOption(new Option('--workflows <dir>', 'use the .bpmn workflows of this folder in place of the built-in ones of the same name (they may not run scripts)'))
    .addOption(
      new Option('--max-steps <n>', `stop the run as failed after this many steps (service calls and other activities)`)
        .argParser(wholeNumber('--max-steps', MAX_STEPS_LIMIT))
        .default(DEFAULT_RUN_LIMITS.maxSteps),
    )
    .addOption(
      new Option('--max-elements <n>', 'refuse a workflow with more flow elements (events, tasks, gateways) than this before it runs')
        .argParser(wholeNumber('--max-elements', MAX_STEPS_LIMIT))
        .default(DEFAULT_RUN_LIMITS.maxElements),
    )
    .addOption(
      new Option('--timeout <seconds>', 'stop the run as failed after this long')
        .argParser(secondsValue('--timeout'))
        .default(DEFAULT_RUN_LIMITS.timeoutMs / 1000),
    )
    .addOption(
      new Option('--service-timeout <seconds>', 'cancel a service call, failing the run, after this long')
        .argParser(secondsValue('--service-timeout'))
        .default(DEFAULT_RUN_LIMITS.serviceTimeoutMs / 1000),
    );
}

/** The parsed workflow flags of the command about to run (commander's camel-cased option names). */
export function workflowSettingsFrom(opts: Record<string, unknown>, cwd: string): CliWorkflowSettings {
  const number = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const settings: CliWorkflowSettings = {
    limits: {
      maxSteps: number(opts.maxSteps),
      maxElements: number(opts.maxElements),
      timeoutMs: secondsToMs(number(opts.timeout)),
      serviceTimeoutMs: secondsToMs(number(opts.serviceTimeout)),
    },
  };
  if (typeof opts.workflows === 'string') settings.overrideDir = resolve(cwd, opts.workflows);
  return settings;
}

/** The override folders of a run: the `--workflows` folder, or none. */
export function overrideDirsOf(io: CliIo): string[] {
  return io.workflow?.overrideDir ? [io.workflow.overrideDir] : [];
}

/**
 * Before a run: a `--workflows` folder that is not a folder is an error (a typo must not silently
 * fall back to the built-in workflow), and a workflow taken from it is said on stderr.
 * Returns an error message, or undefined when the run may go on.
 */
export function announceOverride(io: CliIo, workflow: string): string | undefined {
  const dir = io.workflow?.overrideDir;
  if (!dir) return undefined;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) return `--workflows ${dir}: not a folder. Name the folder that holds your .bpmn workflows.`;
  try {
    const located = locateWorkflow(workflow, { workflowsDir: io.workflowsDir, overrideDirs: [dir] });
    if (located.origin === 'override') io.stderr(`weavergen: notice: workflow ${located.name} taken from --workflows: ${located.file}\n`);
  } catch (err) {
    // Not found: the run itself reports it, with the folders it looked in.
    if (!(err instanceof WorkflowError)) throw err;
  }
  return undefined;
}
