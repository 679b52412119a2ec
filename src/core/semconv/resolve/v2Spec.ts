import type { YAMLMap } from 'yaml';
import type { ParsedFile } from '../parsedFile';
import type { JsonObject, JsonValue } from '../resolved/types';
import { asMap, getNode } from '../yamlNodes';
import { attributeSpecs, locationOf, mapItemsWithValues, reusableFileValue, type AttributeSpec, type GroupSpec } from './groupSpec';

/**
 * v2 files (`file_format: definition/2`) turned into v1 group specs the way weaver translates them
 * before resolving: the `attributes:` section becomes one synthetic attribute group named after the
 * file (`registry.<path with dots>`), signals become `span.<type>`, `metric.<name>`, `event.<name>`,
 * `entity.<type>` groups, refinements become groups that extend the refined signal, `ref_group`
 * entries copy an attribute group in, and internal attribute groups resolve without being emitted.
 */

/** The synthetic group id of a v2 file's `attributes:` section: its provenance path, dotted, without extension. */
export function syntheticGroupId(provenancePath: string): string {
  return `registry.${provenancePath.replace(/\.ya?ml$/i, '').split(/[\\/]/).join('.')}`;
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Common fields a v2 signal carries over to its v1 group. */
function commonValues(v: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of ['brief', 'note', 'stability', 'deprecated', 'annotations', 'entity_associations'] as const) {
    const value = v[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out;
}

/** `name: { note }` of spans and the signal-level `requirement_level`, kept for the resolved/2.0 form. */
function extrasOf(v: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (v.name && typeof v.name === 'object' && !Array.isArray(v.name)) out.name = v.name;
  if (v.requirement_level !== undefined && v.requirement_level !== null) out.requirement_level = v.requirement_level;
  return out;
}

function withRole(specs: AttributeSpec[], role: 'identifying' | 'descriptive'): AttributeSpec[] {
  return specs.map((s) => ({ ...s, values: { ...s.values, role } }));
}

interface Section {
  key: string;
  build(file: ParsedFile, node: YAMLMap<unknown, unknown>, values: JsonObject, plain?: JsonObject): Omit<GroupSpec, 'file' | 'registryIndex' | 'location'> | undefined;
  /** The key whose value locates the group. */
  anchor: string;
}

function signal(kind: string, nameKey: string, type: string, extra: (v: JsonObject, name: string) => JsonObject): Section {
  return {
    key: `${kind}s`,
    anchor: nameKey,
    build(file, node, v, plain) {
      const name = str(v[nameKey]);
      if (name === undefined) return undefined;
      const { attributes, refGroups } = attributeSpecs(file, node, 'attributes', plain);
      return { id: `${kind}.${name}`, type, values: { ...commonValues(v), ...extra(v, name) }, includes: [], attributes, refGroups, signalExtras: extrasOf(v) };
    },
  };
}

function refinement(kind: 'entity' | 'event' | 'metric' | 'span', type: string, extra: (v: JsonObject, id: string) => JsonObject): Section {
  return {
    key: `${kind}_refinements`,
    anchor: 'id',
    build(file, node, v, plain) {
      const id = str(v.id);
      const ref = str(v.ref);
      if (id === undefined || ref === undefined) return undefined;
      const lists = kind === 'entity' ? entityAttributes(file, node, plain) : attributeSpecs(file, node, 'attributes', plain);
      const values: JsonObject = { ...commonValues(v), ...extra(v, id) };
      if (values.brief === undefined) values.brief = '';
      return {
        id,
        type,
        values,
        extends: { id: `${kind}.${ref}`, location: locationOf(file, getNode(file.doc, node, 'ref'), node) },
        includes: [],
        attributes: lists.attributes,
        refGroups: lists.refGroups,
        refines: kind,
        signalExtras: extrasOf(v),
      };
    },
  };
}

function entityAttributes(file: ParsedFile, node: YAMLMap<unknown, unknown>, plain?: JsonObject): { attributes: AttributeSpec[]; refGroups: GroupSpec['refGroups'] } {
  const identity = attributeSpecs(file, node, 'identity', plain);
  const description = attributeSpecs(file, node, 'description', plain);
  return {
    attributes: [...withRole(identity.attributes, 'identifying'), ...withRole(description.attributes, 'descriptive')],
    refGroups: [...identity.refGroups, ...description.refGroups],
  };
}

const SECTIONS: readonly Section[] = [
  {
    key: 'entities',
    anchor: 'type',
    build(file, node, v, plain) {
      const type = str(v.type);
      if (type === undefined) return undefined;
      const { attributes, refGroups } = entityAttributes(file, node, plain);
      const values = commonValues(v);
      delete values.entity_associations;
      return { id: `entity.${type}`, type: 'entity', values: { ...values, name: type }, includes: [], attributes, refGroups, signalExtras: extrasOf(v) };
    },
  },
  signal('event', 'name', 'event', (_v, name) => ({ name })),
  signal('metric', 'name', 'metric', (v, name) => {
    const out: JsonObject = { metric_name: name };
    if (v.instrument !== undefined && v.instrument !== null) out.instrument = v.instrument;
    if (v.unit !== undefined && v.unit !== null) out.unit = v.unit;
    return out;
  }),
  signal('span', 'type', 'span', (v, name) => {
    const out: JsonObject = { name };
    if (v.kind !== undefined && v.kind !== null) out.span_kind = v.kind;
    return out;
  }),
  {
    key: 'attribute_groups',
    anchor: 'id',
    build(file, node, v, plain) {
      const id = str(v.id);
      if (id === undefined) return undefined;
      const { attributes, refGroups } = attributeSpecs(file, node, 'attributes', plain);
      // Internal groups are only building blocks for ref_group: weaver names them by their id.
      const internal = v.visibility === 'internal';
      const values = internal ? { brief: id } : commonValues(v);
      delete values.entity_associations;
      const spec: Omit<GroupSpec, 'file' | 'registryIndex' | 'location'> = { id, type: 'attribute_group', values, includes: [], attributes, refGroups };
      if (internal) spec.internal = true;
      return spec;
    },
  },
  refinement('entity', 'entity', (_v, id) => ({ name: id })),
  refinement('event', 'event', (_v, id) => ({ name: id })),
  refinement('metric', 'metric', () => ({})),
  refinement('span', 'span', (_v, id) => ({ name: id })),
];

/** Attribute lists of a v2 signal, read node by node (attributeSpecs), never from its values. */
const V2_SIGNAL_LISTS: ReadonlySet<string> = new Set(['attributes', 'identity', 'description']);

export function v2GroupSpecs(file: ParsedFile, registryIndex: number, provenancePath: string): GroupSpec[] {
  const root = asMap(file.doc, file.doc.contents);
  if (!root) return [];
  const out: GroupSpec[] = [];
  const fileValue = reusableFileValue(file);
  const definitions = mapItemsWithValues(file, root, 'attributes', fileValue);
  if (definitions.length > 0) {
    const attributes: AttributeSpec[] = definitions.flatMap(({ node: item, values }) => {
      const key = str(values.key);
      if (key === undefined) return [];
      delete values.key;
      return [{ kind: 'id' as const, key, values, location: locationOf(file, getNode(file.doc, item, 'key'), item) }];
    });
    const section = getNode(file.doc, root, 'attributes');
    out.push({
      id: syntheticGroupId(provenancePath),
      type: 'attribute_group',
      values: { brief: '<synthetic v2>' },
      includes: [],
      attributes,
      refGroups: [],
      location: locationOf(file, section, root),
      file,
      registryIndex,
    });
  }
  for (const section of SECTIONS) {
    for (const { node, values, plain } of mapItemsWithValues(file, root, section.key, fileValue, V2_SIGNAL_LISTS)) {
      const built = section.build(file, node, values, plain);
      if (!built) continue; // the schema check reports the missing name
      out.push({ ...built, location: locationOf(file, getNode(file.doc, node, section.anchor), node), file, registryIndex });
    }
  }
  return out;
}

