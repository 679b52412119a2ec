import { extname, isAbsolute, resolve } from 'node:path';
import type { EngineChoice } from '../core/engine/registryEngine';
import { countSeverities, formatDiagnosticsJson, formatDiagnosticsText, formatSummary, type DiagnosticFormat } from './format';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { fail, runForCli } from './runForCli';
import { safeJson, textField } from '../core/report/safeText';

export interface WorkflowRunOptions {
  input: string[];
  diagnosticFormat: DiagnosticFormat;
  trace?: string;
  /** `--runs DIR`: save the run record into this run store folder. */
  runs?: string;
  engine: EngineChoice;
  verbose: boolean;
}

/**
 * `--input key=value`: the value is read as JSON when it is JSON (`true`, `3`, `[1]`, `"x"`),
 * otherwise kept as a string, so `--input registryPath=./model` needs no quoting.
 */
export function parseInputs(pairs: readonly string[], cwd: string): Record<string, unknown> | string {
  const inputs: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return `--input "${pair}" is not key=value (e.g. --input registryPath=./model)`;
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    // Services read paths relative to the process; make them relative to where the user typed them.
    if (key === 'registryPath' && typeof value === 'string') value = resolve(cwd, value);
    inputs[key] = value;
  }
  return inputs;
}

/** `weavergen workflow run FILE.bpmn|NAME`: runs any workflow with the built-in services. */
export async function workflowRunCommand(io: CliIo, workflow: string, options: WorkflowRunOptions): Promise<number> {
  const inputs = parseInputs(options.input, io.cwd);
  if (typeof inputs === 'string') {
    fail(io, inputs);
    return EXIT_USAGE;
  }
  const target = isAbsolute(workflow) || extname(workflow).toLowerCase() === '.bpmn' ? resolve(io.cwd, workflow) : workflow;
  const outcome = await runForCli(io, { workflow: target, inputs, engine: options.engine, trace: options.trace, runs: options.runs, verbose: options.verbose });
  if (outcome.kind === 'exit') return outcome.code;
  const { result, published } = outcome;
  const { record } = result;
  if (published) {
    io.stdout(options.diagnosticFormat === 'json' ? formatDiagnosticsJson(published.diagnostics) : formatDiagnosticsText(published.diagnostics, io.cwd));
    io.stderr(formatSummary(published.diagnostics, published.summary, record.engine, record.durationMs));
    return countSeverities(published.diagnostics).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
  }
  io.stdout(`${safeJson(JSON.stringify(record.outputs, null, 2))}\n`);
  io.stderr(`workflow ${textField(record.workflow)}: ${record.status} in ${Math.round(record.durationMs)} ms (run ${textField(record.id)})\n`);
  return EXIT_OK;
}
