import { basename, join, resolve } from 'node:path';
import { isFolder } from '../../folders';
import { loadRegistry } from '../loadRegistry';
import { checkPolicies } from './checkPolicies';
import { POLICY_PACKAGES, type PolicyPackage, type WeaverPolicyFinding } from './finding';

/** `<package>/tests/<case>` names its package; weaver's test script runs only that package. */
export function packageOfCase(caseDir: string): PolicyPackage | undefined {
  const abs = resolve(caseDir);
  if (basename(resolve(abs, '..')) !== 'tests') return undefined;
  const name = basename(resolve(abs, '../..'));
  return (POLICY_PACKAGES as readonly string[]).includes(name) ? (name as PolicyPackage) : undefined;
}

/**
 * Runs one weaver-packages policy test case: `current/` is the registry, `base/` (when present) the
 * baseline. Returns the findings in the shape of `error.violation` of the case's
 * `expected-diagnostic-output.json` entries, for a comparison as sets.
 */
export async function runPolicyCase(caseDir: string, options: { packages?: readonly PolicyPackage[] } = {}): Promise<{ findings: WeaverPolicyFinding[] }> {
  const current = join(caseDir, 'current');
  if (!(await isFolder(current))) {
    throw new Error(`${current}: a policy test case needs a 'current' folder holding the registry to check`);
  }
  const base = join(caseDir, 'base');
  const baseline = (await isFolder(base)) ? await loadRegistry(base) : undefined;
  const pkg = packageOfCase(caseDir);
  const packages = options.packages ?? (pkg ? [pkg] : undefined);
  const result = checkPolicies(await loadRegistry(current), baseline, packages ? { packages } : {});
  return { findings: result.findings.map((f) => f.finding) };
}
