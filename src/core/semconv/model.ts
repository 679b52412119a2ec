import { isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import type { Range } from '../engine/diagnostic';
import type { ParsedFile } from './parsedFile';
import { nodeRange } from './positions';
import { asMap, asSeq, getMapItems, getNode, getString, resolveNode } from './yamlNodes';

/**
 * The definitions and references of one file, with the source range of each. Cross-file checks
 * (duplicates, unresolved references) run over these small records instead of the YAML trees, so a
 * re-check after one edit only rebuilds the record of the edited file.
 *
 * v2 signals are named the way weaver names them once it turns a v2 file into v1 groups: a metric
 * `http.server.duration` is the group `metric.http.server.duration`, a span `http.client` the group
 * `span.http.client`, an event `event.x`, an entity `entity.x`; attribute groups and refinements keep
 * their id. That shared namespace is what `extends`, `ref_group` and refinements resolve against, and
 * where weaver reports duplicate group ids.
 */

export type SignalKind = 'span' | 'metric' | 'event' | 'entity';

export interface GroupDefinition {
  /** The group id in weaver's shared namespace (see above). */
  id: string;
  /** How a user names it in messages: `group 'x'`, `metric 'x'`, `attribute group 'x'`. */
  label: string;
  file: string;
  range: Range;
  /** For signals: the signal kind and name as refinements and associations see them. */
  signal?: { kind: SignalKind; name: string };
}

export interface AttributeDefinition {
  id: string;
  /** The group (or v2 `attributes:` section) that defines it, for messages. */
  owner: string;
  file: string;
  range: Range;
  /**
   * True for attributes that come into being through a v1 `ref` with `prefix: true` (the group prefix
   * is prepended to the referenced id): they can be referenced but are not definitions of their own.
   */
  derived?: boolean;
  /**
   * True when defined in an attribute group (v1 `type: attribute_group`, or a v2 `attributes:` section).
   * Weaver reports an id defined twice only among those; an attribute defined inline in a span or event
   * group can be referenced but does not take part in that check.
   */
  registry: boolean;
}

export interface AttributeReference {
  ref: string;
  /** Where the reference is used, for messages: `group 'x'`, `metric 'y'`. */
  usedIn: string;
  file: string;
  /** The range of the ref's value scalar. */
  range: Range;
}

export type GroupReferenceVia = 'extends' | 'ref_group' | 'refinement' | 'events';

export interface GroupReference {
  via: GroupReferenceVia;
  /** The group id looked up in the shared namespace. */
  target: string;
  /** The text the user wrote (differs from `target` for refinements: `ref: x` looks up `span.x`). */
  written: string;
  /** For refinements: the refined signal kind (a signal of that kind and name also satisfies it). */
  signalKind?: SignalKind;
  usedIn: string;
  file: string;
  range: Range;
}

export interface FileModel {
  groups: GroupDefinition[];
  attributes: AttributeDefinition[];
  attributeRefs: AttributeReference[];
  groupRefs: GroupReference[];
}

const modelCache = new WeakMap<ParsedFile, FileModel>();

/** The model of a parsed file, built once per parse. */
export function fileModel(file: ParsedFile): FileModel {
  let model = modelCache.get(file);
  if (!model) {
    model = file.kind === 'v1' ? extractV1(file) : file.kind === 'v2' ? extractV2(file) : emptyModel();
    modelCache.set(file, model);
  }
  return model;
}

function emptyModel(): FileModel {
  return { groups: [], attributes: [], attributeRefs: [], groupRefs: [] };
}

class Builder {
  readonly model = emptyModel();
  constructor(readonly file: ParsedFile) {}

  get doc(): Document {
    return this.file.doc;
  }

  range(node: Node): Range {
    return nodeRange(this.file.lineCounter, node);
  }

  /** `ref:` entries and `ref_group:` entries of an attribute list (v1 and v2 alike). */
  refsIn(map: YAMLMap<unknown, unknown>, key: string, usedIn: string): void {
    for (const item of getMapItems(this.doc, map, key)) {
      const ref = getString(this.doc, item, 'ref');
      if (ref) this.model.attributeRefs.push({ ref: ref.value, usedIn, file: this.file.path, range: this.range(ref.node) });
      const refGroup = getString(this.doc, item, 'ref_group');
      if (refGroup) {
        this.model.groupRefs.push({
          via: 'ref_group',
          target: refGroup.value,
          written: refGroup.value,
          usedIn,
          file: this.file.path,
          range: this.range(refGroup.node),
        });
      }
    }
  }
}

function extractV1(file: ParsedFile): FileModel {
  const b = new Builder(file);
  const root = asMap(file.doc, file.doc.contents);
  if (!root) return b.model;
  for (const group of getMapItems(file.doc, root, 'groups')) {
    const idNode = getString(file.doc, group, 'id');
    const groupId = idNode?.value;
    const usedIn = groupId !== undefined ? `group '${groupId}'` : 'a group without id';
    const type = getString(file.doc, group, 'type')?.value;
    if (idNode) {
      const def: GroupDefinition = { id: idNode.value, label: `group '${idNode.value}'`, file: file.path, range: b.range(idNode.node) };
      const signal = v1Signal(file.doc, group, type);
      if (signal) def.signal = signal;
      b.model.groups.push(def);
    }
    const prefix = getString(file.doc, group, 'prefix')?.value ?? '';
    const inAttributeGroup = type === 'attribute_group';
    const qualify = (id: string): string => (prefix ? `${prefix}.${id}` : id);

    for (const attr of getMapItems(file.doc, group, 'attributes')) {
      const ref = getString(file.doc, attr, 'ref');
      if (ref) {
        b.model.attributeRefs.push({ ref: ref.value, usedIn, file: file.path, range: b.range(ref.node) });
        const prefixed = getNode(file.doc, attr, 'prefix');
        if (prefix && isScalar(prefixed) && prefixed.value === true) {
          b.model.attributes.push({
            id: qualify(ref.value),
            owner: usedIn,
            file: file.path,
            range: b.range(ref.node),
            derived: true,
            registry: false,
          });
        }
        continue;
      }
      const id = getString(file.doc, attr, 'id');
      if (id) {
        b.model.attributes.push({ id: qualify(id.value), owner: usedIn, file: file.path, range: b.range(id.node), registry: inAttributeGroup });
      }
    }

    const ext = getString(file.doc, group, 'extends');
    if (ext) {
      b.model.groupRefs.push({ via: 'extends', target: ext.value, written: ext.value, usedIn, file: file.path, range: b.range(ext.node) });
    }
    const events = asSeq(file.doc, getNode(file.doc, group, 'events'));
    for (const item of events?.items ?? []) {
      const node = resolveNode(file.doc, item);
      if (isScalar(node) && typeof node.value === 'string') {
        b.model.groupRefs.push({
          via: 'events',
          target: node.value,
          written: node.value,
          signalKind: 'event',
          usedIn,
          file: file.path,
          range: b.range(node),
        });
      }
    }
  }
  return b.model;
}

/** The signal a v1 group declares, by the name refinements and entity associations use. */
function v1Signal(doc: Document, group: YAMLMap<unknown, unknown>, type: string | undefined): GroupDefinition['signal'] {
  switch (type) {
    case 'metric': {
      const name = getString(doc, group, 'metric_name')?.value;
      return name ? { kind: 'metric', name } : undefined;
    }
    case 'event': {
      const name = getString(doc, group, 'name')?.value;
      return name ? { kind: 'event', name } : undefined;
    }
    case 'entity':
    case 'resource': {
      const name = getString(doc, group, 'name')?.value;
      return name ? { kind: 'entity', name } : undefined;
    }
    default:
      return undefined;
  }
}

/** The v2 signal sections: how each names its signal and which lists hold attribute refs. */
export const V2_SIGNALS: ReadonlyArray<{ section: string; kind: SignalKind; nameKey: string; lists: string[] }> = [
  { section: 'spans', kind: 'span', nameKey: 'type', lists: ['attributes'] },
  { section: 'metrics', kind: 'metric', nameKey: 'name', lists: ['attributes'] },
  { section: 'events', kind: 'event', nameKey: 'name', lists: ['attributes'] },
  { section: 'entities', kind: 'entity', nameKey: 'type', lists: ['identity', 'description'] },
];

export const V2_REFINEMENTS: ReadonlyArray<{ section: string; kind: SignalKind; lists: string[] }> = [
  { section: 'span_refinements', kind: 'span', lists: ['attributes'] },
  { section: 'metric_refinements', kind: 'metric', lists: ['attributes'] },
  { section: 'event_refinements', kind: 'event', lists: ['attributes'] },
  { section: 'entity_refinements', kind: 'entity', lists: ['identity', 'description'] },
];

function extractV2(file: ParsedFile): FileModel {
  const b = new Builder(file);
  const doc = file.doc;
  const root = asMap(doc, doc.contents);
  if (!root) return b.model;

  for (const attr of getMapItems(doc, root, 'attributes')) {
    const key = getString(doc, attr, 'key');
    if (key) b.model.attributes.push({ id: key.value, owner: 'the `attributes` section', file: file.path, range: b.range(key.node), registry: true });
  }

  for (const group of getMapItems(doc, root, 'attribute_groups')) {
    const id = getString(doc, group, 'id');
    const usedIn = id ? `attribute group '${id.value}'` : 'an attribute group without id';
    if (id) b.model.groups.push({ id: id.value, label: usedIn, file: file.path, range: b.range(id.node) });
    b.refsIn(group, 'attributes', usedIn);
  }

  for (const { section, kind, nameKey, lists } of V2_SIGNALS) {
    for (const signal of getMapItems(doc, root, section)) {
      const name = getString(doc, signal, nameKey);
      const usedIn = name ? `${kind} '${name.value}'` : `a ${kind} without ${nameKey}`;
      if (name) {
        b.model.groups.push({
          id: `${kind}.${name.value}`,
          label: usedIn,
          file: file.path,
          range: b.range(name.node),
          signal: { kind, name: name.value },
        });
      }
      for (const list of lists) b.refsIn(signal, list, usedIn);
    }
  }

  for (const { section, kind, lists } of V2_REFINEMENTS) {
    for (const refinement of getMapItems(doc, root, section)) {
      const id = getString(doc, refinement, 'id');
      const usedIn = id ? `${kind} refinement '${id.value}'` : `a ${kind} refinement without id`;
      if (id) {
        // A refinement is itself a signal other refinements can build on, under its id minus the kind prefix.
        const name = id.value.startsWith(`${kind}.`) ? id.value.slice(kind.length + 1) : id.value;
        b.model.groups.push({ id: id.value, label: usedIn, file: file.path, range: b.range(id.node), signal: { kind, name } });
      }
      const ref = getString(doc, refinement, 'ref');
      if (ref) {
        b.model.groupRefs.push({
          via: 'refinement',
          target: `${kind}.${ref.value}`,
          written: ref.value,
          signalKind: kind,
          usedIn,
          file: file.path,
          range: b.range(ref.node),
        });
      }
      for (const list of lists) b.refsIn(refinement, list, usedIn);
    }
  }
  return b.model;
}
