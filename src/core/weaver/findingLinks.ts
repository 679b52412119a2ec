import type { WeaverFinding } from './diagnostics';

/**
 * The page that describes a weaver finding, for the editor's link on the diagnostic code: the URL
 * weaver itself gave, else the README of the policy package a rule belongs to, else the Rust source
 * that defines (and documents) a known weaver error. Unknown findings get no link rather than a
 * guessed one.
 */

/** Where the semconv policy packages live (weaver's docs: `-p https://github.com/open-telemetry/opentelemetry-weaver-packages.git[policies/check/<package>]`). */
const PACKAGES_BASE = 'https://github.com/open-telemetry/opentelemetry-weaver-packages/tree/main/policies/check';

/** Rule id prefix -> package, from the rule ids of each package's own test cases. */
const RULE_PACKAGES: ReadonlyArray<[prefix: string, pkg: string]> = [
  ['naming_convention_', 'naming_conventions'],
  ['stability_', 'stability'],
  // The stability package also owns the `renamed_to` rules.
  ['deprecation_', 'stability'],
  ['compatibility_', 'backwards-compatibility'],
  ['entity_association_', 'entity_associations'],
];

const WEAVER_SOURCE = 'https://github.com/open-telemetry/weaver/blob/main/crates';

/** Variants of `weaver_semconv::Error` (crates/weaver_semconv/src/lib.rs). */
const SEMCONV_ERRORS = [
  'InvalidRegistryPathPattern',
  'RegistryNotFound',
  'SemConvSpecError',
  'InvalidSemConvSpec',
  'InvalidGroup',
  'InvalidGroupStability',
  'InvalidGroupMissingExtendsOrAttributes',
  'InvalidAttribute',
  'InvalidExampleError',
  'InvalidExampleWarning',
  'InvalidGroupUsesPrefix',
  'InvalidMetric',
  'InvalidAnyValueExampleError',
  'AttributeNotFound',
];

/** Variants of `weaver_resolver::Error` (crates/weaver_resolver/src/error.rs). */
const RESOLVER_ERRORS = [
  'CircularDependency',
  'MaximumDependencyDepth',
  'FailToResolveSchemaUrl',
  'InvalidUrl',
  'FailToResolveAttributes',
  'FailToResolveMetric',
  'IncompatibleMetricAttributes',
  'ConversionError',
  'UnresolvedAttributeRef',
  'UnresolvedExtendsRef',
  'UnresolvedIncludeRef',
  'InvalidSchemaPath',
  'DuplicateGroupId',
  'DuplicateGroupName',
  'DuplicateMetricName',
  'DuplicateAttributeId',
  'InvalidWildcard',
  'InvalidRegistryAttributeRef',
  'EntityRefinementChangedIdentity',
];

const ERROR_SOURCES = new Map<string, string>([
  ...SEMCONV_ERRORS.map((k): [string, string] => [k, `${WEAVER_SOURCE}/weaver_semconv/src/lib.rs`]),
  ...RESOLVER_ERRORS.map((k): [string, string] => [k, `${WEAVER_SOURCE}/weaver_resolver/src/error.rs`]),
]);

/** The policy package a rule id belongs to, when the id follows one of the packages' prefixes. */
export function policyPackageOf(ruleId: string): string | undefined {
  return RULE_PACKAGES.find(([prefix]) => ruleId.startsWith(prefix))?.[1];
}

export function findingDocUrl(finding: WeaverFinding): string | undefined {
  if (finding.url && /^https?:\/\//.test(finding.url)) return finding.url;
  if (finding.policy) {
    const pkg = policyPackageOf(finding.policy.id);
    return pkg ? `${PACKAGES_BASE}/${pkg}` : undefined;
  }
  return ERROR_SOURCES.get(finding.kind);
}
