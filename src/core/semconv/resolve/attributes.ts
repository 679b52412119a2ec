import type { AttributeFieldName, AttributeLineage, JsonValue, ResolvedAttribute } from '../resolved/types';
import type { AttributeSpec } from './groupSpec';
import { dropEmpty, normalizeDeprecated, normalizeStability, normalizeType } from './normalize';

/**
 * Turning attribute specs into resolved attributes the way weaver's attribute catalog does:
 * a definition (`id`) becomes a root attribute under its full name (group prefix + id); a reference
 * (`ref`) copies its root and replaces the fields it sets itself. The lineage lists which fields were
 * inherited and which overridden.
 */

/** Fields a reference may set to override its root, in weaver's (alphabetical) lineage order. */
const OVERRIDABLE: readonly AttributeFieldName[] = [
  'annotations',
  'brief',
  'deprecated',
  'examples',
  'note',
  'requirement_level',
  'role',
  'sampling_relevant',
  'stability',
  'tag',
];

/**
 * Fields weaver always counts as inherited when a reference leaves them out: they have a default in
 * the model (empty brief and note, `recommended`), so the root always "has" them.
 */
const ALWAYS_PRESENT: ReadonlySet<AttributeFieldName> = new Set(['brief', 'note', 'requirement_level']);

export interface RootAttribute {
  attribute: ResolvedAttribute;
  /** The group that defines it (the lineage's `source_group`). */
  groupId: string;
}

function fieldValue(name: AttributeFieldName, value: JsonValue | undefined): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (name === 'stability') return normalizeStability(value);
  if (name === 'deprecated') return normalizeDeprecated(value);
  if (name === 'note' && value === '') return undefined;
  return value;
}

function assign(attr: ResolvedAttribute, name: AttributeFieldName, value: JsonValue | undefined): void {
  const v = fieldValue(name, value);
  if (v === undefined) return;
  (attr as unknown as Record<string, JsonValue>)[name] = v;
}

/** A definition: `id` (prefixed by the group's `prefix`) with its own fields. */
export function defineAttribute(spec: AttributeSpec, prefix: string): ResolvedAttribute {
  const name = prefix ? `${prefix}.${spec.key}` : spec.key;
  const v = spec.values;
  const attr: ResolvedAttribute = {
    name,
    type: normalizeType(v.type ?? undefined),
    brief: typeof v.brief === 'string' ? v.brief : '',
    requirement_level: v.requirement_level ?? 'recommended',
    location: spec.location,
  };
  for (const field of OVERRIDABLE) {
    if (field === 'brief' || field === 'requirement_level') continue;
    assign(attr, field, v[field]);
  }
  return attr;
}

/** True when a reference asks for the group prefix (`prefix: true`): its name is `prefix.ref`. */
export function isPrefixedRef(spec: AttributeSpec, prefix: string): boolean {
  return spec.kind === 'ref' && prefix !== '' && spec.values.prefix === true;
}

/** A reference resolved against its root: the root's fields, overridden by those the ref sets. */
export function referenceAttribute(
  spec: AttributeSpec,
  root: RootAttribute,
  prefix: string,
): { attribute: ResolvedAttribute; lineage: AttributeLineage } {
  const prefixed = isPrefixedRef(spec, prefix);
  const base = root.attribute;
  const attr: ResolvedAttribute = {
    name: prefixed ? `${prefix}.${spec.key}` : spec.key,
    type: base.type,
    brief: base.brief,
    requirement_level: base.requirement_level,
    location: spec.location,
    definition: base.definition ?? base.location,
  };
  if (base.origin !== undefined) attr.origin = base.origin;
  const inherited: AttributeFieldName[] = [];
  const overridden: AttributeFieldName[] = [];
  const baseRecord = base as unknown as Record<string, JsonValue | undefined>;
  for (const field of OVERRIDABLE) {
    const own = spec.values[field];
    if (own !== undefined && own !== null) {
      overridden.push(field);
      assign(attr, field, own);
    } else {
      const inheritedValue = baseRecord[field];
      if (inheritedValue !== undefined || ALWAYS_PRESENT.has(field)) inherited.push(field);
      if (inheritedValue !== undefined) (attr as unknown as Record<string, JsonValue>)[field] = inheritedValue;
    }
  }
  if (prefixed) attr.prefix = true;
  return { attribute: attr, lineage: { source_group: root.groupId, inherited_fields: inherited, locally_overridden_fields: overridden } };
}

/**
 * A reference laid over an attribute a parent signal already carries (a refinement of a published
 * signal): the parent's attribute, with the fields the reference sets replaced.
 */
export function overlayReference(spec: AttributeSpec, inherited: ResolvedAttribute): ResolvedAttribute {
  const attr: ResolvedAttribute = { ...inherited, location: spec.location, definition: inherited.definition ?? inherited.location };
  for (const field of OVERRIDABLE) {
    const own = spec.values[field];
    if (own !== undefined && own !== null) assign(attr, field, own);
  }
  return attr;
}

/** The lineage fields an attribute has a value for (those with a model default always count). */
export function presentFields(attr: ResolvedAttribute): AttributeFieldName[] {
  const record = attr as unknown as Record<string, JsonValue | undefined>;
  return OVERRIDABLE.filter((f) => ALWAYS_PRESENT.has(f) || record[f] !== undefined);
}

/** The fields weaver writes for an attribute (no locations), for catalogs and identity. */
export function attributeFields(attr: ResolvedAttribute): Record<string, JsonValue> {
  const { location: _location, definition: _definition, origin: _origin, ...fields } = attr;
  void _location;
  void _definition;
  void _origin;
  return dropEmpty(fields as unknown as Record<string, JsonValue>);
}

