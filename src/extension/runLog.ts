import type * as vscode from 'vscode';
import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import type { RunRecord } from '../core/workflow/types';

/** How runs are written to the WeaverGen log: one line per run, then any span-validation problems. */

export function countSeverities(diagnostics: readonly RegistryDiagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

/** One log line per run: id, workflow, status, duration and finding counts. */
export function describeRun(record: RunRecord, diagnostics: readonly RegistryDiagnostic[] | undefined): string {
  const head = `run ${record.id} ${record.workflow} ${record.status} in ${Math.round(record.durationMs)} ms (engine ${record.engine})`;
  if (!diagnostics) return record.error ? `${head}: ${record.error.message}` : head;
  if (diagnostics.length === 0) return `${head}: no problems`;
  const { errors, warnings } = countSeverities(diagnostics);
  const others = diagnostics.length - errors - warnings;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  return `${head}: ${errors} error(s), ${warnings} warning(s), ${others} other(s) in ${files} file(s)`;
}

/** A run whose spans do not prove every step it had to take is reported, problem by problem. */
export function logValidation(log: vscode.LogOutputChannel, record: RunRecord): void {
  const validation = record.validation;
  if (!validation || validation.valid) return;
  log.warn(`run ${record.id} ${record.workflow}: its spans do not match the workflow (${validation.problems.length} problem(s))`);
  for (const problem of validation.problems) log.warn(`  [${problem.code}] ${problem.message}`);
}
