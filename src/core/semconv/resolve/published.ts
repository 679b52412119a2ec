import { join, resolve } from 'node:path';
import { isInside } from '../../folders';
import { checkEntry, fileAccessPolicy, readRegistryFile, type FileAccessOptions } from '../fileAccess';
import type { YAMLMap } from 'yaml';
import type { LoadedRegistry } from '../loadRegistry';
import { parseRegistryFile, type ParsedFile } from '../parsedFile';
import { findManifestPath } from '../registryFiles';
import type { JsonObject, JsonValue } from '../resolved/types';
import { asMap, getMapItems, getNode } from '../yamlNodes';
import { locationOf, mapValues, plainValue, type AttributeSpec, type GroupSpec } from './groupSpec';

/**
 * Dependencies published by weaver (`file_format: manifest/2.0` naming a `resolved/2.0` file): their
 * signals are already resolved, each attribute a catalog entry plus the fields its signal overrides.
 * They are turned into groups of fully defined attributes, as weaver imports them: a signal keeps its
 * own name as group id, attributes carry empty `annotations`, entity attributes their role, and
 * attributes a registry references resolve to the dependency's definitions (lineage source
 * `v2_dependency.<schema URL without version>`).
 */

export interface PublishedRegistry {
  /** Absolute folder of the published registry. */
  dir: string;
  /** The parsed `resolved/2.0` file. */
  file: ParsedFile;
  schemaUrl: string;
}

/**
 * A file of the published registry `dir`, through the guarded reader: the manifest names the resolved
 * file, so a `..` or a link must not take the read outside the folder.
 */
function readInside(path: string, dir: string, options: FileAccessOptions): string | undefined {
  if (!isInside(dir, path)) return undefined;
  const policy = fileAccessPolicy(options);
  // Judged before it is opened (the walk judges the files it lists; this path comes from a manifest).
  if (checkEntry(path, dir, policy)?.kind !== 'file') return undefined;
  return readRegistryFile(path, dir, policy).text ?? undefined;
}

/** Reads the resolved file of every published dependency of the registry (and of its dependencies). */
export async function loadPublishedDependencies(
  loaded: LoadedRegistry,
  into = new Map<string, PublishedRegistry>(),
  options: FileAccessOptions = {},
): Promise<Map<string, PublishedRegistry>> {
  for (const dep of loaded.dependencies) {
    if (dep.registry) await loadPublishedDependencies(dep.registry, into, options);
    if (dep.unavailable?.reason !== 'published') continue;
    const dir = resolve(dep.unavailable.detail);
    if (into.has(dir)) continue;
    const manifestPath = findManifestPath(dir, undefined, fileAccessPolicy(options));
    const manifestText = manifestPath ? readInside(manifestPath, dir, options) : undefined;
    if (!manifestPath || manifestText === undefined) continue;
    const manifest = parseRegistryFile(manifestPath, manifestText, true);
    const manifestRoot = asMap(manifest.doc, manifest.doc.contents);
    const uri = manifestRoot ? plainValue(manifest, getNode(manifest.doc, manifestRoot, 'resolved_registry_uri')) : null;
    if (typeof uri !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) continue; // remote: weaver downloads it
    const path = join(dir, uri);
    const text = readInside(path, dir, options);
    if (text === undefined) continue;
    const file = parseRegistryFile(path, text, false);
    const root = asMap(file.doc, file.doc.contents);
    const schemaUrl = root ? plainValue(file, getNode(file.doc, root, 'schema_url')) : null;
    into.set(dir, { dir, file, schemaUrl: typeof schemaUrl === 'string' ? schemaUrl : (dep.declared.schemaUrl ?? '') });
  }
  return into;
}

/** `https://opentelemetry.io/schemas/1.0.0` -> `opentelemetry.io/schemas`: weaver's registry name. */
export function schemaUrlName(url: string): string {
  const withoutScheme = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const parts = withoutScheme.split('/');
  if (parts.length > 1) parts.pop();
  return parts.join('/');
}

const ATTRIBUTE_FIELDS = ['type', 'brief', 'note', 'examples', 'stability', 'deprecated', 'annotations'] as const;
const OVERRIDE_FIELDS = ['brief', 'note', 'examples', 'requirement_level', 'sampling_relevant', 'stability', 'deprecated', 'annotations'] as const;

function object(value: JsonValue | undefined): JsonObject | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** A signal attribute (`base: N` + overrides) as a full definition. */
function attributeOf(file: ParsedFile, item: YAMLMap<unknown, unknown>, catalog: JsonValue[], role?: string): AttributeSpec | undefined {
  const ref = mapValues(file, item);
  const base = typeof ref.base === 'number' ? object(catalog[ref.base]) : undefined;
  if (!base || typeof base.key !== 'string') return undefined;
  const values: JsonObject = {};
  for (const f of ATTRIBUTE_FIELDS) if (base[f] !== undefined && base[f] !== null) values[f] = base[f] as JsonValue;
  for (const f of OVERRIDE_FIELDS) if (ref[f] !== undefined && ref[f] !== null) values[f] = ref[f] as JsonValue;
  if (values.annotations === undefined) values.annotations = {};
  if (role) values.role = role;
  return { kind: 'id', key: base.key, values, location: locationOf(file, getNode(file.doc, item, 'base'), item) };
}

function associations(v: JsonObject): JsonValue[] | undefined {
  const list = v.entity_associations;
  if (!Array.isArray(list)) return undefined;
  return list.map((a) => (object(a) && typeof (a as JsonObject).type === 'string' ? (a as JsonObject).type : a) as JsonValue);
}

interface SignalKind {
  section: string;
  type: string;
  idKey: string;
  fields(v: JsonObject, id: string): JsonObject;
  lists: Array<{ key: string; role?: string }>;
}

// weaver's v2 -> v1 order: entities, events, metrics, spans, attribute groups (later definitions of an
// attribute are the ones references resolve to).
const KINDS: readonly SignalKind[] = [
  { section: 'entities', type: 'entity', idKey: 'type', fields: (_v, id) => ({ name: id }), lists: [{ key: 'identity', role: 'identifying' }, { key: 'description', role: 'descriptive' }] },
  { section: 'events', type: 'event', idKey: 'name', fields: (_v, id) => ({ name: id }), lists: [{ key: 'attributes' }] },
  {
    section: 'metrics',
    type: 'metric',
    idKey: 'name',
    fields: (v, id) => ({ metric_name: id, ...(v.instrument ? { instrument: v.instrument } : {}), ...(v.unit !== undefined && v.unit !== null ? { unit: v.unit } : {}) }),
    lists: [{ key: 'attributes' }],
  },
  { section: 'spans', type: 'span', idKey: 'type', fields: (v, id) => ({ name: id, ...(v.kind ? { span_kind: v.kind } : {}) }), lists: [{ key: 'attributes' }] },
  { section: 'attribute_groups', type: 'attribute_group', idKey: 'id', fields: () => ({}), lists: [{ key: 'attributes' }] },
];

/**
 * Which definition a reference to a published attribute resolves to. Weaver's two output paths differ
 * here: the resolved form of `registry resolve` (v1) takes the attribute as the dependency's signals
 * last use it; the resolved/2.0 form takes the dependency's own definition (`registry.attributes`).
 */
export type PublishedAttributeRoots = 'signals' | 'definitions';

/** The signals of a published registry as groups (refinements only where no signal has their id). */
export function publishedGroupSpecs(published: PublishedRegistry, registryIndex: number, roots: PublishedAttributeRoots = 'signals'): GroupSpec[] {
  const file = published.file;
  const root = asMap(file.doc, file.doc.contents);
  if (!root) return [];
  const catalogNode = plainValue(file, getNode(file.doc, root, 'attribute_catalog'));
  const catalog = Array.isArray(catalogNode) ? catalogNode : [];
  const rootGroupId = `v2_dependency.${schemaUrlName(published.schemaUrl)}`;
  const out: GroupSpec[] = [];
  const seen = new Set<string>();
  for (const container of ['registry', 'refinements']) {
    const section = asMap(file.doc, getNode(file.doc, root, container));
    if (!section) continue;
    for (const kind of KINDS) {
      for (const node of getMapItems(file.doc, section, kind.section)) {
        const v = mapValues(file, node);
        const id = typeof v.id === 'string' ? v.id : v[kind.idKey];
        if (typeof id !== 'string' || seen.has(id)) continue;
        seen.add(id);
        const signalId = typeof v[kind.idKey] === 'string' ? (v[kind.idKey] as string) : id;
        const values: JsonObject = { annotations: {}, ...kind.fields(v, signalId) };
        for (const f of ['brief', 'note', 'stability', 'deprecated'] as const) if (v[f] !== undefined && v[f] !== null) values[f] = v[f] as JsonValue;
        if (v.annotations && object(v.annotations)) values.annotations = v.annotations;
        const assoc = associations(v);
        if (assoc) values.entity_associations = assoc;
        const attributes: AttributeSpec[] = [];
        for (const list of kind.lists) {
          for (const item of getMapItems(file.doc, node, list.key)) {
            const a = attributeOf(file, item, catalog, list.role);
            if (a) attributes.push(a);
          }
        }
        out.push({
          id,
          type: kind.type,
          values,
          includes: [],
          attributes,
          refGroups: [],
          location: locationOf(file, getNode(file.doc, node, kind.idKey) ?? getNode(file.doc, node, 'id'), node),
          file,
          registryIndex,
          published: { rootGroupId },
          signalExtras: {
            ...(object(v.name) ? { name: v.name as JsonValue } : {}),
            ...(v.requirement_level !== undefined && v.requirement_level !== null ? { requirement_level: v.requirement_level as JsonValue } : {}),
          },
        });
      }
    }
  }
  if (roots === 'definitions') {
    // The definitions come last, so references resolve to them; the group itself is never exposed.
    const registry = asMap(file.doc, getNode(file.doc, root, 'registry'));
    const indices = registry ? plainValue(file, getNode(file.doc, registry, 'attributes')) : null;
    const attributes: AttributeSpec[] = [];
    for (const i of Array.isArray(indices) ? indices : []) {
      const def = typeof i === 'number' ? object(catalog[i]) : undefined;
      if (!def || typeof def.key !== 'string') continue;
      const values: JsonObject = {};
      for (const f of ATTRIBUTE_FIELDS) if (def[f] !== undefined && def[f] !== null) values[f] = def[f] as JsonValue;
      attributes.push({ kind: 'id', key: def.key, values, location: locationOf(file, getNode(file.doc, root, 'attribute_catalog'), root) });
    }
    out.push({
      id: `${rootGroupId}#definitions`,
      type: 'attribute_group',
      values: { brief: '' },
      includes: [],
      attributes,
      refGroups: [],
      location: locationOf(file, getNode(file.doc, root, 'attribute_catalog'), root),
      file,
      registryIndex,
      published: { rootGroupId },
      internal: true,
    });
  }
  return out;
}
