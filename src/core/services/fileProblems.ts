import { relative } from 'node:path';
import type { LoadedRegistry } from '../semconv/loadRegistry';
import type { ServiceContext } from '../workflow/types';

/** Listed one per line; the rest are counted. */
const LISTED = 10;

/**
 * The services that report on a registry (resolve, stats, search, diff) have no diagnostics to carry
 * what could not be read (fileAccess.ts findings): each becomes a warning in the run's log, so a
 * report on a partly read registry never looks complete.
 */
export function warnFileProblems(ctx: ServiceContext, service: string, loaded: LoadedRegistry): void {
  const problems = loaded.fileProblems ?? [];
  if (problems.length === 0) return;
  const lines = problems.slice(0, LISTED).map((p) => `  ${relative(loaded.root, p.file) || p.file}: ${p.code}: ${p.message}`);
  const more = problems.length > LISTED ? `\n  ...and ${problems.length - LISTED} more` : '';
  ctx.log.warn(`${service}: ${problems.length} file(s) or folder(s) of ${loaded.root} could not be read, so this report leaves them out (run registry check for the details):\n${lines.join('\n')}${more}`);
}
