import type { Range } from '../../engine/diagnostic';

/**
 * The resolved registry as weaver emits it (`weaver registry resolve`, resolved schema v1 form), kept
 * in memory with the source location of every group and attribute so the editor can jump from a
 * resolved item to the YAML that produced it. Field names follow weaver's JSON on purpose: the JSON
 * writer and the conformance comparison read them as they are.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface SourceLocation {
  /** Absolute path of the YAML file. */
  file: string;
  range: Range;
}

/** The fields weaver writes for one resolved attribute (one entry of its attribute catalog). */
export interface ResolvedAttributeFields {
  name: string;
  /** `string`, `int[]`, `template[string]`, `any`, or an enum `{ members: [...] }`. */
  type: JsonValue;
  brief: string;
  examples?: JsonValue;
  tag?: string;
  requirement_level: JsonValue;
  sampling_relevant?: boolean;
  note?: string;
  stability?: string;
  deprecated?: JsonValue;
  /** True for an attribute created by a v1 `ref` with `prefix: true`. */
  prefix?: boolean;
  annotations?: JsonValue;
  /** v2 entity attributes: `identifying` or `descriptive`. */
  role?: string;
}

export interface ResolvedAttribute extends ResolvedAttributeFields {
  /** Where this attribute appears in its group: the `id:` or `ref:` entry. */
  location: SourceLocation;
  /** For a reference: where the attribute it refers to is defined. */
  definition?: SourceLocation;
  /** Index in `ResolvedRegistry.registries` of the registry that defines the attribute. */
  origin?: number;
}

/** Field names in the order weaver writes them in lineage lists (alphabetical). */
export type AttributeFieldName =
  | 'annotations'
  | 'brief'
  | 'deprecated'
  | 'examples'
  | 'note'
  | 'requirement_level'
  | 'role'
  | 'sampling_relevant'
  | 'stability'
  | 'tag';

export interface AttributeLineage {
  /** The group that defines the attribute a reference points to. */
  source_group: string;
  inherited_fields: AttributeFieldName[];
  locally_overridden_fields: AttributeFieldName[];
}

export interface Provenance {
  /** The registry's schema URL (`https://default/0.1.0` when no manifest says otherwise). */
  schema_url: string;
  /** The file path as the registry was addressed (relative when the registry path was relative). */
  path: string;
}

export interface GroupLineage {
  provenance: Provenance;
  /** The group this one `extends`, when it does. */
  extends_group?: string;
  /** Lineage of the attributes that come from references (directly or through `extends`), by name. */
  attributes: Record<string, AttributeLineage>;
}

/** Group fields weaver writes besides id, type, attributes and lineage. */
export const GROUP_FIELDS = [
  'brief',
  'note',
  'prefix',
  'stability',
  'deprecated',
  'span_kind',
  'events',
  'metric_name',
  'instrument',
  'unit',
  'name',
  'display_name',
  'body',
  'annotations',
  'entity_associations',
] as const;

export interface ResolvedGroup {
  id: string;
  type: string;
  /** brief, note, prefix, stability, span_kind, metric_name...: only the ones the group has. */
  fields: JsonObject;
  attributes: ResolvedAttribute[];
  lineage: GroupLineage;
  /** The group's `id:` (v1) or the signal's name (v2). */
  location: SourceLocation;
  /**
   * True for a signal imported from a published (already resolved) dependency; its location is in
   * that registry's resolved file. Weaver writes no lineage for such attribute groups.
   */
  fromPublished?: boolean;
  /** Index in `ResolvedRegistry.registries` of the registry the group comes from (0: the main one). */
  origin?: number;
  /** The group as a v2 signal or refinement, for the resolved/2.0 form (absent for plain attribute groups). */
  signal?: SignalView;
}

/**
 * What the resolved/2.0 form says of a signal: its kind and name (`server.request`), whether the group
 * is a refinement (then `name` is the refined signal's), and its signal-level fields (kind, name note,
 * instrument, unit, requirement level...), a refinement's merged over those of what it refines.
 */
export interface SignalView {
  kind: 'span' | 'metric' | 'event' | 'entity' | 'attribute_group';
  name: string;
  refinement: boolean;
  fields: JsonObject;
}

/** A registry taking part in a resolution: index 0 is the registry resolved, the rest its dependencies. */
export interface RegistryOrigin {
  /** Absolute folder. */
  root: string;
  schemaUrl: string;
  /** The schema URL the dependant declares for it (what a resolved/2.0 `dependencies` list names). */
  declaredSchemaUrl?: string;
}

export interface ResolvedRegistry {
  registry_url: string;
  groups: ResolvedGroup[];
  /** The registries involved, main one first then dependencies depth first (`origin` indices). */
  registries?: RegistryOrigin[];
}
