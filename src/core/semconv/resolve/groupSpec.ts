import { isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import type { ParsedFile } from '../parsedFile';
import { nodeRange } from '../positions';
import { asMap, asSeq, getMapItems, getNode, resolveNode } from '../yamlNodes';
import type { JsonObject, JsonValue, SourceLocation } from '../resolved/types';

/**
 * Group and attribute specifications as weaver's resolver sees them (its v1 shape), read from the
 * loaded YAML with the location of each. v2 files are turned into the same shape (see v2Spec.ts), so
 * one resolution algorithm serves both.
 */

export interface AttributeSpec {
  /** `id` for a definition, `ref` for a reference. */
  kind: 'id' | 'ref';
  /** The id as written (a definition's id is prefixed by the group prefix when resolved). */
  key: string;
  /** The attribute's other keys as written (plain values). */
  values: JsonObject;
  location: SourceLocation;
}

export interface GroupSpec {
  id: string;
  type: string;
  /** brief, note, prefix, stability, span_kind...: plain values as written. */
  values: JsonObject;
  extends?: { id: string; location: SourceLocation };
  /** `include` targets of `constraints`. */
  includes: Array<{ id: string; location: SourceLocation }>;
  attributes: AttributeSpec[];
  /** v2 `ref_group` entries: attribute groups whose attributes are copied in. */
  refGroups: Array<{ id: string; location: SourceLocation }>;
  location: SourceLocation;
  /** For v2 refinements: the kind of signal refined (entity refinements may not change identity). */
  refines?: 'entity' | 'event' | 'metric' | 'span';
  /**
   * For a signal of a published (already resolved) dependency: the name its definitions are known by
   * as a lineage source. Such a group is imported by its id alone, and weaver writes no lineage for
   * published attribute groups.
   */
  published?: { rootGroupId: string };
  /** Signal-level fields only the v2 forms carry: a span's `name` object, `requirement_level`. */
  signalExtras?: JsonObject;
  /** Internal groups (v2 `visibility: internal`) resolve but are not emitted. */
  internal?: boolean;
  /** Where the group comes from: its file, and which registry (the main one or a dependency). */
  file: ParsedFile;
  registryIndex: number;
}

/**
 * The plain JS object of a map node (aliases resolved through the document), leaving out `skip`: the
 * keys a caller reads from the nodes itself (a group's `attributes`), which would otherwise be
 * converted twice.
 */
export function mapValues(file: ParsedFile, map: YAMLMap<unknown, unknown>, skip?: ReadonlySet<string>): JsonObject {
  const out: JsonObject = {};
  for (const pair of map.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string' || skip?.has(key)) continue;
    out[key] = plainValue(file, pair.value);
  }
  return out;
}

export function plainValue(file: ParsedFile, node: unknown, depth = 0): JsonValue {
  // Plain nodes are told apart by prototype: the is* helpers cost a property lookup and a symbol
  // read each, on every node of every group. Anything else (aliases, unusual nodes) takes the
  // general path.
  if (node !== null && typeof node === 'object' && depth <= 64) {
    const proto: unknown = Object.getPrototypeOf(node);
    if (proto === Scalar.prototype) return scalarValue(file, node as Scalar);
    if (proto === YAMLSeq.prototype) {
      const items = (node as YAMLSeq<unknown>).items;
      const out = new Array<JsonValue>(items.length);
      for (let i = 0; i < items.length; i++) out[i] = plainValue(file, items[i], depth + 1);
      return out;
    }
    if (proto === YAMLMap.prototype) return mapPlain(file, node as YAMLMap<unknown, unknown>, depth);
  }
  const target = resolveNode(file.doc, node);
  if (!target || depth > 64) return null;
  if (isScalar(target)) return scalarValue(file, target);
  if (isSeq(target)) return target.items.map((item) => plainValue(file, item, depth + 1));
  if (isMap(target)) return mapPlain(file, target, depth);
  return null;
}

function mapPlain(file: ParsedFile, map: YAMLMap<unknown, unknown>, depth: number): JsonObject {
  const out: JsonObject = {};
  for (const pair of map.items) {
    const rawKey = pair.key;
    const key = rawKey !== null && typeof rawKey === 'object' && Object.getPrototypeOf(rawKey) === Scalar.prototype ? (rawKey as Scalar) : resolveNode(file.doc, rawKey);
    if (!isScalar(key)) continue;
    out[String(key.value)] = plainValue(file, pair.value, depth + 1);
  }
  return out;
}

/**
 * A block scalar that ends the file without a final line break (`note: >` as the last thing in the
 * file) has no trailing newline under YAML's clip chomping; the `yaml` package adds one anyway, where
 * weaver's parser does not.
 */
function scalarValue(file: ParsedFile, scalar: Scalar): JsonValue {
  const value = scalar.value;
  if (typeof value === 'string') {
    const blockScalar = scalar.type === Scalar.BLOCK_FOLDED || scalar.type === Scalar.BLOCK_LITERAL;
    const end = scalar.range?.[1] ?? -1;
    if (blockScalar && value.endsWith('\n') && !value.endsWith('\n\n') && end >= file.text.length && !file.text.endsWith('\n')) {
      return value.slice(0, -1);
    }
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value === 'bigint') return Number(value);
  return value === undefined ? null : String(value);
}

export function locationOf(file: ParsedFile, node: Node | undefined, fallback?: Node): SourceLocation {
  const target = node ?? fallback;
  const range = target ? nodeRange(file.lineCounter, target) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { file: file.path, range };
}

function stringOf(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The plain value of the whole file as the schema check already converted it (`ParsedFile#value`), when
 * it can stand in for converting nodes again here: it is `toJS` of the document, which differs from
 * `plainValue` only for a block scalar ending a file that has no final line break.
 */
export function reusableFileValue(file: ParsedFile): JsonObject | undefined {
  if (!file.text.endsWith('\n')) return undefined;
  const value = file.value();
  return isJsonObject(value) ? value : undefined;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The map items of the sequence under `key`, each with its plain value taken from `parentValue` (the
 * plain value of `map`) when that holds the same sequence; an item without one is converted from its
 * node. Values are shallow copies: callers delete keys from them, never from the shared file value.
 */
export function mapItemsWithValues(
  file: ParsedFile,
  map: YAMLMap<unknown, unknown>,
  key: string,
  parentValue: JsonObject | undefined,
  skip?: ReadonlySet<string>,
): Array<{ node: YAMLMap<unknown, unknown>; values: JsonObject; plain?: JsonObject }> {
  const seq = asSeq(file.doc, getNode(file.doc, map, key));
  if (!seq) return [];
  const list = parentValue?.[key];
  const plains = Array.isArray(list) && list.length === seq.items.length ? list : undefined;
  const out: Array<{ node: YAMLMap<unknown, unknown>; values: JsonObject; plain?: JsonObject }> = [];
  for (let i = 0; i < seq.items.length; i++) {
    const node = asMap(file.doc, seq.items[i]);
    if (!node) continue;
    const plain = plains?.[i];
    out.push(isJsonObject(plain) ? { node, values: copyWithout(plain, skip), plain } : { node, values: mapValues(file, node, skip) });
  }
  return out;
}

function copyWithout(value: JsonObject, skip: ReadonlySet<string> | undefined): JsonObject {
  const out: JsonObject = {};
  for (const k in value) if (!skip?.has(k)) out[k] = value[k] as JsonValue;
  return out;
}

export function attributeSpecs(
  file: ParsedFile,
  group: YAMLMap<unknown, unknown>,
  key = 'attributes',
  groupValue?: JsonObject,
): { attributes: AttributeSpec[]; refGroups: GroupSpec['refGroups'] } {
  const attributes: AttributeSpec[] = [];
  const refGroups: GroupSpec['refGroups'] = [];
  for (const { node: item, values } of mapItemsWithValues(file, group, key, groupValue)) {
    const ref = stringOf(values.ref);
    const id = stringOf(values.id) ?? stringOf(values.key);
    const refGroup = stringOf(values.ref_group);
    if (ref !== undefined) {
      delete values.ref;
      attributes.push({ kind: 'ref', key: ref, values, location: locationOf(file, getNode(file.doc, item, 'ref'), item) });
    } else if (refGroup !== undefined) {
      refGroups.push({ id: refGroup, location: locationOf(file, getNode(file.doc, item, 'ref_group'), item) });
    } else if (id !== undefined) {
      const idKey = values.id !== undefined ? 'id' : 'key';
      delete values[idKey];
      attributes.push({ kind: 'id', key: id, values, location: locationOf(file, getNode(file.doc, item, idKey), item) });
    }
  }
  return { attributes, refGroups };
}

/** Weaver's group type defaults to `span`; `resource` is read as its newer name, `entity`. */
function groupType(type: string | undefined): string {
  if (type === undefined) return 'span';
  return type === 'resource' ? 'entity' : type;
}

/** Lists of a v1 group read node by node below (attribute specs, include constraints), not as values. */
const V1_GROUP_LISTS: ReadonlySet<string> = new Set(['attributes', 'constraints']);

/** The groups of a v1 file (`groups:`), in file order. */
export function v1GroupSpecs(file: ParsedFile, registryIndex: number): GroupSpec[] {
  const root = asMap(file.doc, file.doc.contents);
  if (!root) return [];
  const out: GroupSpec[] = [];
  for (const { node: group, values, plain } of mapItemsWithValues(file, root, 'groups', reusableFileValue(file), V1_GROUP_LISTS)) {
    const id = stringOf(values.id);
    if (id === undefined) continue; // the schema check reports it
    const { attributes, refGroups } = attributeSpecs(file, group, 'attributes', plain);
    const includes: GroupSpec['includes'] = [];
    for (const c of getMapItems(file.doc, group, 'constraints')) {
      const include = getNode(file.doc, c, 'include');
      const value = plainValue(file, include);
      if (typeof value === 'string') includes.push({ id: value, location: locationOf(file, include, c) });
    }
    const spec: GroupSpec = {
      id,
      type: groupType(stringOf(values.type)),
      values,
      includes,
      attributes,
      refGroups,
      location: locationOf(file, getNode(file.doc, group, 'id'), group),
      file,
      registryIndex,
    };
    const ext = stringOf(values.extends);
    if (ext !== undefined) spec.extends = { id: ext, location: locationOf(file, getNode(file.doc, group, 'extends'), group) };
    out.push(spec);
  }
  return out;
}
