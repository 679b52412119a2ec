import type { EngineChoice, RegistryEngine } from '../core/engine/registryEngine';
import { textField } from '../core/report/safeText';
import type { RunLogger } from '../core/workflow/types';
import type { CliWorkflowSettings } from './workflowOptions';

/**
 * Everything the CLI touches outside itself, so tests run `main` in process and read exactly
 * what a user would see.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Relative paths in arguments and output are relative to this folder. */
  cwd: string;
  /** Aborted on Ctrl+C: the running workflow is cancelled. */
  signal?: AbortSignal;
  /** Picks the registry engine for `--engine`; defaults to the engine module's resolveEngine (finds weaver for `auto`). */
  createEngine?: (choice: EngineChoice) => RegistryEngine | Promise<RegistryEngine>;
  /** Built-in workflows folder; defaults to the one next to the program. */
  workflowsDir?: string;
  /** `--workflows`, `--max-steps`, `--timeout`, `--service-timeout` of the command being run. */
  workflow?: CliWorkflowSettings;
}

export const EXIT_OK = 0;
/** The registry has at least one error diagnostic (as weaver does). */
export const EXIT_FINDINGS = 1;
/** Bad usage, or the workflow could not run to its end. */
export const EXIT_USAGE = 2;
/**
 * `registry check` could not cover everything it was asked to check: a file was not read (a link
 * leaving the folder, a FIFO, unreadable, not UTF-8/UTF-16), a dependency was not fetched or was
 * refused, or a load limit was reached. Wins over EXIT_FINDINGS: the findings are not the whole story.
 */
export const EXIT_INCOMPLETE = 3;
/** Interrupted (SIGINT), following the shell convention 128 + 2. */
export const EXIT_CANCELLED = 130;

export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    signal,
  };
}

/**
 * Logs to stderr (stdout is for results only); debug and info only with --verbose. A log line may
 * quote a path or an id: one message, one line, spelled out (textField).
 */
export function stderrLogger(io: CliIo, verbose: boolean): RunLogger {
  const write = (level: string) => (message: string) => io.stderr(`weavergen ${level}: ${textField(message)}\n`);
  const quiet = () => undefined;
  return {
    trace: quiet,
    debug: verbose ? write('debug') : quiet,
    info: verbose ? write('info') : quiet,
    warn: write('warning'),
    error: verbose ? write('error') : quiet,
  };
}
