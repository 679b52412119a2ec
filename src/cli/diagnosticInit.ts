import { resolve } from 'node:path';
import type { CliIo } from './io';
import { EXIT_OK } from './io';
import { runForCli } from './runForCli';
import { textField } from '../core/report/safeText';

export interface DiagnosticInitOptions {
  diagnosticTemplatesDir: string;
  weaverPath?: string;
  trace?: string;
  runs?: string;
  verbose: boolean;
}

/**
 * `weavergen diagnostic init [TARGET]`: runs diagnostic_init, which needs the weaver binary (the
 * default templates are built into it); without it the run fails and says so.
 */
export async function diagnosticInitCommand(io: CliIo, target: string | undefined, options: DiagnosticInitOptions): Promise<number> {
  const inputs: Record<string, unknown> = { diagnosticTemplatesDir: resolve(io.cwd, options.diagnosticTemplatesDir) };
  if (target) inputs.target = target;
  if (options.weaverPath) inputs.weaverPath = options.weaverPath;
  const outcome = await runForCli(io, {
    workflow: 'diagnostic_init',
    inputs,
    engine: 'native',
    ...(options.trace ? { trace: options.trace } : {}),
    ...(options.runs ? { runs: options.runs } : {}),
    verbose: options.verbose,
  });
  if (outcome.kind === 'exit') return outcome.code;
  io.stderr(`weavergen: diagnostic templates written to ${textField(String(outcome.result.record.outputs.diagnosticTemplatesDir))}\n`);
  return EXIT_OK;
}
