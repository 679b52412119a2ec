import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { checkPolicies, type LocatedPolicyFinding, type PolicyCheckResult, type PolicyPackage } from '../../../src/core/semconv/policies';
import { tempRegistry, textAt } from '../semconv/helpers';

export { removeTempRegistries, shared } from '../semconv/helpers';

export interface Checked extends PolicyCheckResult {
  dir: string;
  baseDir?: string;
}

/** Writes `files` (and `baseline` files) into temporary registries and runs the selected packages. */
export async function policiesOn(
  files: Record<string, string>,
  options: { baseline?: Record<string, string>; packages?: PolicyPackage[] } = {},
): Promise<Checked> {
  const dir = await tempRegistry(files);
  const baseDir = options.baseline ? await tempRegistry(options.baseline) : undefined;
  const result = checkPolicies(await loadRegistry(dir), baseDir ? await loadRegistry(baseDir) : undefined, options.packages ? { packages: options.packages } : {});
  return { ...result, dir, ...(baseDir ? { baseDir } : {}) };
}

/** `id signal_type:signal_name` of each finding, sorted: the comparable core of a run. */
export function ids(result: PolicyCheckResult): string[] {
  return result.findings.map((f) => `${f.finding.id} ${f.finding.signal_type ?? '-'}:${f.finding.signal_name ?? '-'}`).sort();
}

/** The finding with `id` (exactly one expected). */
export function only(result: PolicyCheckResult, id: string): LocatedPolicyFinding {
  const found = result.findings.filter((f) => f.finding.id === id);
  if (found.length !== 1) throw new Error(`expected one ${id}, got ${found.length}: ${JSON.stringify(found.map((f) => f.finding))}`);
  return found[0]!;
}

/** `file:line "text"` of where a finding is placed (1-based line, file relative to `root`). */
export function placed(finding: LocatedPolicyFinding, root: string): string {
  const text = readFileSync(finding.location.file, 'utf8');
  return `${relative(root, finding.location.file)}:${finding.location.range.start.line + 1} ${JSON.stringify(textAt(text, finding.location.range))}`;
}
