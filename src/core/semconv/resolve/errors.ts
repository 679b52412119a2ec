import type { JsonObject, JsonValue, SourceLocation } from '../resolved/types';

/**
 * Resolution errors under weaver's names and with weaver's fields (`DuplicateGroupId { group_id,
 * provenances }`...), so they compare one to one with weaver's error JSON, plus the place in the YAML
 * that an editor squiggles and a message that says what to do.
 */
export type ResolveErrorKind =
  | 'DuplicateGroupId'
  | 'DuplicateAttributeId'
  | 'DuplicateMetricName'
  | 'UnresolvedAttributeRef'
  /** Also reported for each group of an `extends` cycle, as weaver does (its message says cycle). */
  | 'UnresolvedExtendsRef'
  | 'UnresolvedIncludeRef'
  /** A v2 `ref_group` naming no attribute group. */
  | 'UnresolvedGroupRef'
  | 'EntityRefinementChangedIdentity'
  // weaver's loader (fatal: weaver stops at the first, before resolving)
  /** `{ path, error }`: a definition manifest weaver cannot read. */
  | 'InvalidRegistryManifest'
  /** `{ path, details }`: a `manifest/2.0` publication manifest weaver cannot read. */
  | 'InvalidPublicationManifest'
  /** `{ registry_name, chain }`: a registry that depends on itself (`a → b → a`), by schema URL name. */
  | 'CircularDependency'
  /** `{ registry_name }`: a dependency chain deeper than 10 registries (`registry_name` is its path). */
  | 'MaximumDependencyDepth'
  /** `{ name, version1, version2 }`: one registry needed in two versions of different major. */
  | 'DuplicateDependency'
  /** `{ url, error }`: two versions of one registry that cannot be compared (not semver). */
  | 'InvalidSchemaUrlBadVersion'
  // warnings (weaver's non-fatal errors): in `ResolveResult.warnings`, never in `errors`
  /** `{ path }`: the manifest is named `registry_manifest.yaml`. */
  | 'LegacyRegistryManifest'
  /** `{ path, error }`: `semconv_version` + `schema_base_url`, or `resolved_schema_uri`. */
  | 'DeprecatedSyntaxInRegistryManifest'
  /** `{ pattern, signal }`: an `imports` pattern that names nothing in the dependencies. */
  | 'UnmatchedImport';

export interface ResolveError {
  kind: ResolveErrorKind;
  /** Exactly the fields weaver writes under the error's name. */
  fields: JsonObject;
  message: string;
  location: SourceLocation;
  /** Other places involved (the other definitions of a duplicate, the groups of a cycle). */
  related?: SourceLocation[];
  /**
   * Why an `extends`/`include`/`ref_group` did not resolve: its target does not exist, is itself
   * unresolved, or the group is part of a cycle. Not part of weaver's JSON; lets a caller tell a
   * cycle (always a real problem) from a missing group (possibly defined in a dependency not loaded).
   */
  cause?: 'missing' | 'unresolved-target' | 'cycle';
}

/** Weaver's JSON for a list of errors: the error itself when there is one, else a `CompoundError`. */
export function errorsToWeaverJson(errors: readonly ResolveError[]): JsonValue {
  const items: JsonValue[] = errors.map((e) => ({ [e.kind]: e.fields }));
  if (items.length === 1) return items[0] as JsonValue;
  return { CompoundError: items };
}
