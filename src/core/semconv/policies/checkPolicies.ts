import { compareDiagnostics, type RegistryDiagnostic } from '../../engine/diagnostic';
import type { LoadedRegistry } from '../loadRegistry';
import { policyDiagnostic } from './advice';
import { checkBackwardsCompatibility } from './backwardsCompatibility';
import { checkEntityAssociations } from './entityAssociations';
import { FindingSink, POLICY_PACKAGES, type LocatedPolicyFinding, type PolicyPackage } from './finding';
import { policyRegistryFromLoaded } from './fromLoadedRegistry';
import type { PolicyRegistry } from './input';
import { checkNamingConventions } from './namingConventions';
import { checkStability } from './stability';

export interface PolicyCheckOptions {
  /** Which packages to run; all of them by default. `backwards-compatibility` needs a baseline. */
  packages?: readonly PolicyPackage[];
  /** Entity types imported from dependencies, as resolution found them (see PolicyRegistry.importedEntities). */
  importedEntities?: readonly string[];
}

export interface PolicyCheckResult {
  findings: LocatedPolicyFinding[];
  /** The findings as editor diagnostics, sorted by file and position. */
  diagnostics: RegistryDiagnostic[];
}

/** Runs the selected packages over a policy input (and its baseline, for backwards compatibility). */
export function evaluatePolicies(current: PolicyRegistry, baseline?: PolicyRegistry, options: PolicyCheckOptions = {}): LocatedPolicyFinding[] {
  const selected = new Set(options.packages ?? POLICY_PACKAGES);
  const out: LocatedPolicyFinding[] = [];
  const run = (pkg: PolicyPackage, rules: (sink: FindingSink) => void): void => {
    if (!selected.has(pkg)) return;
    const sink = new FindingSink(pkg);
    rules(sink);
    out.push(...sink.findings);
  };
  run('naming_conventions', (sink) => checkNamingConventions(current, sink));
  run('stability', (sink) => checkStability(current, sink));
  run('entity_associations', (sink) => checkEntityAssociations(current, sink));
  if (baseline) run('backwards-compatibility', (sink) => checkBackwardsCompatibility(current, baseline, sink));
  return out;
}

/**
 * The built-in semconv policy packages on a loaded registry, as weaver runs them after resolution
 * (`weaver registry check -p <package> [--baseline-registry <baseline>]`).
 */
export function checkPolicies(registry: LoadedRegistry, baseline?: LoadedRegistry, options: PolicyCheckOptions = {}): PolicyCheckResult {
  const current = policyRegistryFromLoaded(registry);
  if (options.importedEntities) current.importedEntities = options.importedEntities;
  const findings = evaluatePolicies(current, baseline ? policyRegistryFromLoaded(baseline) : undefined, options);
  return { findings, diagnostics: findings.map(policyDiagnostic).sort(compareDiagnostics) };
}
