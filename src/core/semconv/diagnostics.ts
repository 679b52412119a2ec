import type { Range, RegistryDiagnostic, Severity } from '../engine/diagnostic';

/** Stable codes of the native checks (the `code` of each diagnostic). */
export const CHECK_CODES = {
  yamlSyntax: 'yaml-syntax',
  schema: 'schema',
  duplicateGroupId: 'duplicate-group-id',
  duplicateAttributeId: 'duplicate-attribute-id',
  unresolvedRef: 'unresolved-ref',
  unresolvedGroupRef: 'unresolved-group-ref',
  dependencyNotFound: 'dependency-not-found',
  deprecatedVersionField: 'deprecated-version-field',
  deprecatedRef: 'deprecated-ref',
  // Found by resolution only (weaver's error names, kebab-cased).
  unresolvedExtendsRef: 'unresolved-extends-ref',
  unresolvedIncludeRef: 'unresolved-include-ref',
  duplicateMetricName: 'duplicate-metric-name',
  entityRefinementChangedIdentity: 'entity-refinement-changed-identity',
} as const;

export type CheckCode = (typeof CHECK_CODES)[keyof typeof CHECK_CODES];

export function diagnostic(file: string, range: Range, severity: Severity, code: CheckCode, message: string): RegistryDiagnostic {
  return { file, range, severity, code, message, source: 'weavergen' };
}
