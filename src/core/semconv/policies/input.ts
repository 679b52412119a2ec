import type { Range } from '../../engine/diagnostic';

/**
 * What the built-in policy rules read: the registry as weaver hands it to `after_resolution` Rego
 * policies (`input.registry` of the v2 resolved registry), reduced to the fields the rules use, with
 * the source location of every node a finding can be placed on.
 *
 * Weaver runs policies after resolution, so every signal here already carries its full attribute list
 * (refs looked up, `extends` and `ref_group` followed, ref overrides applied) and names follow weaver's
 * v1-to-v2 conversion (a span `span.x` is type `x`, an entity `entity.x` is type `x`, only public
 * attribute groups are listed). Field values keep weaver's serialized spelling (`stable`, `opt_in`,
 * `{ "conditionally_required": "..." }`) because findings quote them verbatim.
 */

export interface SourceLocation {
  /** Absolute path of the YAML file. */
  file: string;
  range: Range;
}

/** `stable`, `development`, `alpha`, `beta`, `release_candidate` (legacy `experimental` reads as `development`). */
export type PolicyStability = string;

export interface PolicyDeprecation {
  /** `renamed`, `obsoleted`, `uncategorized` (a legacy string `deprecated:` reads as `uncategorized`). */
  reason: string;
  renamedTo?: string;
  note?: string;
  /** The `deprecated` node, or its `renamed_to` value when there is one. */
  location: SourceLocation;
}

export type EnumValue = string | number | boolean;

export interface PolicyEnumMember {
  id: string;
  value: EnumValue;
  stability?: PolicyStability;
  deprecated?: PolicyDeprecation;
  /** `annotations.code_generation.exclude: true`. */
  codeGenerationExcluded: boolean;
  location: SourceLocation;
}

export interface PolicyEnumType {
  members: PolicyEnumMember[];
}

/** A primitive type as written (`string`, `int`, `string[]`, `template[any]`, `any`), or an enum. */
export type PolicyAttributeType = string | PolicyEnumType;

export function isEnumType(type: PolicyAttributeType): type is PolicyEnumType {
  return typeof type === 'object' && type !== null && Array.isArray(type.members) && type.members.length > 0;
}

/** Fields whose value node a finding may point at, when the definition writes them. */
export type LocatedField = 'stability' | 'type' | 'brief' | 'unit' | 'instrument' | 'kind';

export type FieldLocations = Partial<Record<LocatedField, SourceLocation>>;

/** A YAML mapping read as plain data (annotations). */
export type PlainObject = Record<string, unknown>;

/** An attribute of the registry (`input.registry.attributes`). */
export interface PolicyAttribute {
  key: string;
  type: PolicyAttributeType;
  stability: PolicyStability;
  deprecated?: PolicyDeprecation;
  annotations: PlainObject;
  /** The defining `key:` (v2) or `id:` (v1) node. */
  location: SourceLocation;
  /** Value nodes of `stability` and `type` in the definition. */
  fields: FieldLocations;
}

/**
 * `required`, `recommended`, `opt_in` as strings, or a one-key object (`{ "conditionally_required":
 * "..." }`, `{ "recommended": "..." }`, `{ "opt_in": "..." }`), as weaver serializes requirement levels.
 */
export type PolicyRequirementLevel = string | Record<string, string>;

/** An attribute as a signal uses it: the registry attribute with the ref's overrides applied. */
export interface PolicyAttributeUse extends PolicyAttribute {
  requirementLevel: PolicyRequirementLevel;
  /** Identifying or descriptive, for entity attributes of v1 groups (`role:`). */
  role?: 'identifying' | 'descriptive';
  /** Where the signal names the attribute (its `ref:` value, or the inline `id:`). */
  usedAt: SourceLocation;
}

export interface PolicyNamed {
  name: string;
  location: SourceLocation;
}

interface PolicySignalCommon {
  /** Metric and event name, span and entity type, attribute group id. */
  name: string;
  stability: PolicyStability;
  deprecated?: PolicyDeprecation;
  brief: string;
  annotations: PlainObject;
  /** The node that names the signal (`name:`, `type:`, `id:`, `metric_name:`). */
  location: SourceLocation;
  /** Value nodes of `stability`, `brief`, `unit`, `instrument`, `kind` (v1 `span_kind`) as written. */
  fields: FieldLocations;
}

export interface PolicyMetric extends PolicySignalCommon {
  instrument: string;
  unit: string;
  attributes: PolicyAttributeUse[];
  entityAssociations: PolicyNamed[];
}

export interface PolicyEvent extends PolicySignalCommon {
  attributes: PolicyAttributeUse[];
  entityAssociations: PolicyNamed[];
}

export interface PolicySpan extends PolicySignalCommon {
  kind: string;
  attributes: PolicyAttributeUse[];
  entityAssociations: PolicyNamed[];
}

export interface PolicyEntity extends PolicySignalCommon {
  identity: PolicyAttributeUse[];
  description: PolicyAttributeUse[];
}

export interface PolicyAttributeGroup extends PolicySignalCommon {
  attributes: PolicyAttributeUse[];
}

export type RefinementSignalType = 'span' | 'metric' | 'event' | 'entity';

/** A refinement (`input.refinements`): only its id and annotations matter to the rules. */
export interface PolicyRefinement {
  signalType: RefinementSignalType;
  id: string;
  annotations: PlainObject;
  location: SourceLocation;
}

export interface PolicyRegistry {
  /** Absolute path of the registry folder. */
  root: string;
  attributes: PolicyAttribute[];
  metrics: PolicyMetric[];
  events: PolicyEvent[];
  spans: PolicySpan[];
  entities: PolicyEntity[];
  /** Public attribute groups only: internal ones are not part of the resolved registry. */
  attributeGroups: PolicyAttributeGroup[];
  refinements: PolicyRefinement[];
  /**
   * Entity types the registry sees through its dependencies' imports (weaver's resolved registry holds
   * them, so signals may associate with them). Known only once the registry is resolved.
   */
  importedEntities?: readonly string[];
}
