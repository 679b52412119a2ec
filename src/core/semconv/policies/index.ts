/**
 * The built-in semconv policy packages (naming_conventions, stability, backwards-compatibility,
 * entity_associations): weaver's Rego rules of those packages, evaluated natively on the resolved
 * registry, each finding placed on its YAML node.
 */
export { checkPolicies, evaluatePolicies } from './checkPolicies';
export type { PolicyCheckOptions, PolicyCheckResult } from './checkPolicies';
export { runPolicyCase, packageOfCase } from './policyCase';
export { policyRegistryFromLoaded } from './fromLoadedRegistry';
export { policyDiagnostic, levelSeverity, adviceFor } from './advice';
export { POLICY_PACKAGES, canonicalJson, findingKey, toDiagnosticEntry } from './finding';
export type { LocatedPolicyFinding, PolicyLevel, PolicyPackage, WeaverPolicyFinding, WeaverPolicyDiagnosticEntry } from './finding';
export type * from './input';
