import { textField } from '../core/report/safeText';
import type { RunRecord } from '../core/workflow/types';

/**
 * The stderr line for a run whose spans do not match its workflow (RunRecord.validation). The
 * run's own outcome is unaffected: this reports a recording problem, not a registry problem.
 */
const SHOWN = 3;

export function formatValidationWarning(record: RunRecord): string | undefined {
  const validation = record.validation;
  if (!validation || validation.valid) return undefined;
  const { problems } = validation;
  const shown = problems.slice(0, SHOWN).map((p) => `[${textField(p.code)}] ${textField(p.message)}`);
  const more = problems.length > SHOWN ? ` (and ${problems.length - SHOWN} more; --verbose lists them)` : '';
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `weavergen warning: the spans of run ${textField(record.id)} (${textField(record.workflow)}) do not match the workflow, ${count}: ${shown.join(' ')}${more}\n`;
}
