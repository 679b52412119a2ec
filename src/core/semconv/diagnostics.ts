import type { Range, RegistryDiagnostic, RelatedLocation, Severity } from '../engine/diagnostic';

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
  // weaver's loader errors (manifests and the dependency graph), found by resolution too.
  invalidRegistryManifest: 'invalid-registry-manifest',
  invalidPublicationManifest: 'invalid-publication-manifest',
  circularDependency: 'circular-dependency',
  maximumDependencyDepth: 'maximum-dependency-depth',
  duplicateDependency: 'duplicate-dependency',
  invalidSchemaUrlBadVersion: 'invalid-schema-url-bad-version',
  // weaver's loader and resolver warnings (ResolveResult.warnings).
  legacyRegistryManifest: 'legacy-registry-manifest',
  deprecatedSyntaxInRegistryManifest: 'deprecated-syntax-in-registry-manifest',
  unmatchedImport: 'unmatched-import',
  // Reaching and reading the files (fileAccess.ts) and the dependencies: what the check could not cover.
  symlinkSkipped: 'symlink-skipped',
  notARegularFile: 'not-a-regular-file',
  fileUnreadable: 'file-unreadable',
  fileEncoding: 'file-encoding',
  invalidUtf8: 'invalid-utf8',
  limitExceeded: 'limit-exceeded',
  dependencyNotFetched: 'dependency-not-fetched',
  dependencyRefused: 'dependency-refused',
  // A reference defined nowhere the check can see while some dependency is not loaded.
  refNotChecked: 'ref-not-checked',
} as const;

/**
 * Findings that mean the check could not cover everything it was asked to (a file or dependency not
 * read): `registry check` exits with EXIT_INCOMPLETE when one is present, whatever its severity.
 */
export const COVERAGE_CODES: ReadonlySet<string> = new Set([
  CHECK_CODES.symlinkSkipped,
  CHECK_CODES.notARegularFile,
  CHECK_CODES.fileUnreadable,
  CHECK_CODES.fileEncoding,
  CHECK_CODES.invalidUtf8,
  CHECK_CODES.limitExceeded,
  CHECK_CODES.dependencyNotFetched,
  CHECK_CODES.dependencyRefused,
  // A local dependency that is not there: references into it were not checked either.
  CHECK_CODES.dependencyNotFound,
]);

export type CheckCode = (typeof CHECK_CODES)[keyof typeof CHECK_CODES];

export function diagnostic(file: string, range: Range, severity: Severity, code: CheckCode, message: string, related?: RelatedLocation[]): RegistryDiagnostic {
  const out: RegistryDiagnostic = { file, range, severity, code, message, source: 'weavergen' };
  if (related && related.length > 0) out.related = related;
  return out;
}
