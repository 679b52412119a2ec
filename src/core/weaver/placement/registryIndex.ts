import type { Document, Node, YAMLMap } from 'yaml';
import type { Range } from '../../engine/diagnostic';
import type { LoadedRegistry } from '../../semconv/loadRegistry';
import type { ParsedFile } from '../../semconv/parsedFile';
import { nodeRange } from '../../semconv/positions';
import { asMap, getMapItems, getNode, getString } from '../../semconv/yamlNodes';

/**
 * Where every name weaver may report sits in the registry's YAML: group ids, signal names,
 * attribute definitions, the refs inside each group, enum members. Weaver's findings name these
 * and nothing else (no lines), so this index is what turns a finding into a line.
 */

/** One scalar of the YAML: the file, the range of its value, and the value as written there. */
export interface IndexedNode {
  file: string;
  range: Range;
  /** The scalar's value as it appears in the file (for a prefixed v1 attribute: without the prefix). */
  text: string;
}

export interface IndexedGroup extends IndexedNode {
  /** The id in weaver's shared namespace: v1 `id`, v2 `span.<type>`, `metric.<name>`, attribute group / refinement `id`. */
  id: string;
  /** The signal the group declares, by the type and name weaver's policies report (`signal_type`, `signal_name`). */
  signal?: { type: string; name: string; node: IndexedNode };
  /** Attribute refs inside the group, by referenced id (first occurrence). */
  refs: Map<string, IndexedNode>;
  /** Attributes defined inline in the group (v1), by full id. */
  definitions: Map<string, IndexedNode>;
}

export interface RegistryIndex {
  /** Every indexed file (the registry's, then its dependencies'), absolute paths. */
  files: string[];
  groups: Map<string, IndexedGroup[]>;
  /** `${signalType}|${name}` -> groups. */
  signals: Map<string, IndexedGroup[]>;
  /** Attribute definitions by id; definitions in attribute groups come before inline ones. */
  attributes: Map<string, IndexedNode[]>;
  /** `${attributeId}|${memberId}` -> the member's `id` nodes. */
  enumMembers: Map<string, IndexedNode[]>;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function signalKey(type: string, name: string): string {
  return `${type}|${name}`;
}

/** What one file contributes to the index, in file order; kept per parse so a re-check re-reads only changed files. */
interface FileEntries {
  groups: IndexedGroup[];
  /** Attribute definitions of attribute groups and v2 `attributes:` sections. */
  attributes: Array<[string, IndexedNode]>;
  /** Attributes defined inline in v1 span/event/metric groups. */
  inline: Array<[string, IndexedNode]>;
  members: Array<[string, IndexedNode]>;
}

const entriesCache = new WeakMap<ParsedFile, FileEntries>();

function fileEntries(file: ParsedFile): FileEntries {
  let entries = entriesCache.get(file);
  if (!entries) {
    entries = { groups: [], attributes: [], inline: [], members: [] };
    if (file.kind === 'v1') indexV1(file, entries);
    else if (file.kind === 'v2') indexV2(file, entries);
    entriesCache.set(file, entries);
  }
  return entries;
}

/** Builds the index of a loaded registry and its local dependencies. */
export function buildRegistryIndex(registry: LoadedRegistry): RegistryIndex {
  const index: RegistryIndex = { files: [], groups: new Map(), signals: new Map(), attributes: new Map(), enumMembers: new Map() };
  const all: FileEntries[] = [];
  const visit = (r: LoadedRegistry): void => {
    for (const file of r.files) {
      index.files.push(file.path);
      all.push(fileEntries(file));
    }
    for (const dep of r.dependencies) if (dep.registry) visit(dep.registry);
  };
  visit(registry);
  for (const entries of all) {
    for (const group of entries.groups) {
      push(index.groups, group.id, group);
      if (group.signal) push(index.signals, signalKey(group.signal.type, group.signal.name), group);
    }
    for (const [id, node] of entries.attributes) push(index.attributes, id, node);
    for (const [key, node] of entries.members) push(index.enumMembers, key, node);
  }
  // Inline definitions (v1 span/event groups) only after the registry ones: weaver's attribute
  // findings are about the registry definition when there is one.
  for (const entries of all) for (const [id, node] of entries.inline) push(index.attributes, id, node);
  return index;
}

class FileIndexer {
  constructor(
    readonly file: ParsedFile,
    readonly entries: FileEntries,
  ) {}

  get doc(): Document {
    return this.file.doc;
  }

  node(scalar: Node, text: string): IndexedNode {
    return { file: this.file.path, range: nodeRange(this.file.lineCounter, scalar), text };
  }

  group(id: string, idNode: Node, idText: string): IndexedGroup {
    const group: IndexedGroup = { ...this.node(idNode, idText), id, refs: new Map(), definitions: new Map() };
    this.entries.groups.push(group);
    return group;
  }

  signal(group: IndexedGroup, type: string, name: string, node: IndexedNode): void {
    group.signal = { type, name, node };
  }

  /** `ref:` entries of an attribute list into the group's refs. */
  refs(group: IndexedGroup | undefined, map: YAMLMap<unknown, unknown>, key: string): void {
    if (!group) return;
    for (const item of getMapItems(this.doc, map, key)) {
      const ref = getString(this.doc, item, 'ref');
      if (ref && !group.refs.has(ref.value)) group.refs.set(ref.value, this.node(ref.node, ref.value));
    }
  }

  /** `type: {members: [{id: ...}]}` of an attribute definition. */
  members(attributeId: string, attribute: YAMLMap<unknown, unknown>): void {
    const type = asMap(this.doc, getNode(this.doc, attribute, 'type'));
    if (!type) return;
    for (const member of getMapItems(this.doc, type, 'members')) {
      const id = getString(this.doc, member, 'id');
      if (id) this.entries.members.push([`${attributeId}|${id.value}`, this.node(id.node, id.value)]);
    }
  }
}

function indexV1(file: ParsedFile, entries: FileEntries): void {
  const x = new FileIndexer(file, entries);
  const root = asMap(file.doc, file.doc.contents);
  if (!root) return;
  for (const groupMap of getMapItems(file.doc, root, 'groups')) {
    const idNode = getString(file.doc, groupMap, 'id');
    const type = getString(file.doc, groupMap, 'type')?.value;
    const group = idNode ? x.group(idNode.value, idNode.node, idNode.value) : undefined;
    if (group) v1Signal(x, group, groupMap, type);
    const prefix = getString(file.doc, groupMap, 'prefix')?.value ?? '';
    for (const attr of getMapItems(file.doc, groupMap, 'attributes')) {
      const ref = getString(file.doc, attr, 'ref');
      if (ref) {
        if (group && !group.refs.has(ref.value)) group.refs.set(ref.value, x.node(ref.node, ref.value));
        continue;
      }
      const id = getString(file.doc, attr, 'id');
      if (!id) continue;
      const full = prefix ? `${prefix}.${id.value}` : id.value;
      const node = x.node(id.node, id.value);
      if (group && !group.definitions.has(full)) group.definitions.set(full, node);
      if (type === 'attribute_group' || type === undefined) entries.attributes.push([full, node]);
      else entries.inline.push([full, node]);
      x.members(full, attr);
    }
  }
}

/**
 * The signal of a v1 group as weaver's policies name it once the registry is resolved: a metric by
 * `metric_name`, an event or entity by `name`, a span by its id without `span.`, an attribute group by id.
 */
function v1Signal(x: FileIndexer, group: IndexedGroup, map: YAMLMap<unknown, unknown>, type: string | undefined): void {
  const named = (key: string, signalType: string): void => {
    const name = getString(x.doc, map, key);
    if (name) x.signal(group, signalType, name.value, x.node(name.node, name.value));
  };
  switch (type) {
    case 'metric':
      named('metric_name', 'metric');
      break;
    case 'event': {
      if (getString(x.doc, map, 'name')) named('name', 'event');
      else x.signal(group, 'event', group.id.replace(/^event\./, ''), group);
      break;
    }
    case 'entity':
    case 'resource':
      if (getString(x.doc, map, 'name')) named('name', 'entity');
      else x.signal(group, 'entity', group.id.replace(/^(entity|resource)\./, ''), group);
      break;
    case 'span':
      x.signal(group, 'span', group.id.replace(/^span\./, ''), group);
      break;
    case 'attribute_group':
      x.signal(group, 'attribute_group', group.id, group);
      break;
    default:
      break;
  }
}

const V2_SIGNALS: ReadonlyArray<{ section: string; type: string; nameKey: string; lists: string[] }> = [
  { section: 'spans', type: 'span', nameKey: 'type', lists: ['attributes'] },
  { section: 'metrics', type: 'metric', nameKey: 'name', lists: ['attributes'] },
  { section: 'events', type: 'event', nameKey: 'name', lists: ['attributes'] },
  { section: 'entities', type: 'entity', nameKey: 'type', lists: ['identity', 'description'] },
];

const V2_REFINEMENTS: ReadonlyArray<{ section: string; type: string; lists: string[] }> = [
  { section: 'span_refinements', type: 'span', lists: ['attributes'] },
  { section: 'metric_refinements', type: 'metric', lists: ['attributes'] },
  { section: 'event_refinements', type: 'event', lists: ['attributes'] },
  { section: 'entity_refinements', type: 'entity', lists: ['identity', 'description'] },
];

function indexV2(file: ParsedFile, entries: FileEntries): void {
  const x = new FileIndexer(file, entries);
  const doc = file.doc;
  const root = asMap(doc, doc.contents);
  if (!root) return;

  for (const attr of getMapItems(doc, root, 'attributes')) {
    const key = getString(doc, attr, 'key');
    if (!key) continue;
    entries.attributes.push([key.value, x.node(key.node, key.value)]);
    x.members(key.value, attr);
  }

  for (const groupMap of getMapItems(doc, root, 'attribute_groups')) {
    const id = getString(doc, groupMap, 'id');
    const group = id ? x.group(id.value, id.node, id.value) : undefined;
    if (group) x.signal(group, 'attribute_group', group.id, group);
    x.refs(group, groupMap, 'attributes');
  }

  for (const { section, type, nameKey, lists } of V2_SIGNALS) {
    for (const signalMap of getMapItems(doc, root, section)) {
      const name = getString(doc, signalMap, nameKey);
      if (!name) continue;
      const group = x.group(`${type}.${name.value}`, name.node, name.value);
      x.signal(group, type, name.value, group);
      for (const list of lists) x.refs(group, signalMap, list);
    }
  }

  for (const { section, type, lists } of V2_REFINEMENTS) {
    for (const refinement of getMapItems(doc, root, section)) {
      const id = getString(doc, refinement, 'id');
      if (!id) continue;
      const group = x.group(id.value, id.node, id.value);
      const name = id.value.startsWith(`${type}.`) ? id.value.slice(type.length + 1) : id.value;
      x.signal(group, type, name, group);
      for (const list of lists) x.refs(group, refinement, list);
    }
  }
}

