import { isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { Range } from '../../engine/diagnostic';
import { V2_REFINEMENTS, V2_SIGNALS } from '../model';
import { nodeValue, type ParsedFile } from '../parsedFile';
import { nodeRange, rangeFromOffsets } from '../positions';
import { asMap, asSeq, pairKey, resolveNode } from '../yamlNodes';
import type {
  AttributeSymbol,
  DeprecationInfo,
  EnumMemberSymbol,
  FileSymbols,
  GroupEntry,
  GroupSymbol,
  Occurrence,
  OffsetSpan,
  ReferenceSymbol,
} from './types';

/**
 * Builds the symbols of one parsed file from its YAML tree. Kept per parse (the parse cache hands back
 * the same ParsedFile while the text is unchanged), so a keystroke costs the symbols of one file.
 */

const cache = new WeakMap<ParsedFile, FileSymbols>();

export function fileSymbols(file: ParsedFile): FileSymbols {
  let symbols = cache.get(file);
  if (!symbols) {
    symbols = file.kind === 'v1' || file.kind === 'v2' ? new Extractor(file).run() : empty(file);
    cache.set(file, symbols);
  }
  return symbols;
}

function empty(file: ParsedFile): FileSymbols {
  return { file, attributes: [], groups: [], references: [], occurrences: [] };
}

function spanOf(node: Node): OffsetSpan {
  const [start, end] = node.range ?? [0, 0];
  return { start, end };
}

/** A scalar's value as text (numbers and booleans included), or undefined for collections. */
function scalarText(node: Node | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

function compact(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** v1 group details worth a line in a hover, in display order. */
const V1_DETAILS: ReadonlyArray<[key: string, label: string]> = [
  ['span_kind', 'Span kind'],
  ['metric_name', 'Metric'],
  ['instrument', 'Instrument'],
  ['unit', 'Unit'],
  ['name', 'Name'],
];

const V2_DETAILS: ReadonlyArray<[key: string, label: string]> = [
  ['kind', 'Span kind'],
  ['instrument', 'Instrument'],
  ['unit', 'Unit'],
  ['visibility', 'Visibility'],
];

/**
 * The pairs of a map by key, the first of a repeated key winning as in `findPair`. An attribute is read
 * through ten-odd keys; one pass over its pairs replaces a scan per key.
 */
type Fields = Map<string, unknown>;

class Extractor {
  private readonly out: FileSymbols;
  private readonly doc: Document;
  private readonly fieldCache = new Map<YAMLMap<unknown, unknown>, Fields>();

  constructor(private readonly file: ParsedFile) {
    this.out = empty(file);
    this.doc = file.doc;
  }

  run(): FileSymbols {
    const root = asMap(this.doc, this.doc.contents);
    if (root) {
      if (this.file.kind === 'v1') this.v1(root);
      else this.v2(root);
    }
    const occurrences: Occurrence[] = [];
    for (const symbol of this.out.attributes) occurrences.push({ kind: 'attribute', span: symbol.span, symbol });
    for (const symbol of this.out.groups) occurrences.push({ kind: 'group', span: symbol.span, symbol });
    for (const symbol of this.out.references) occurrences.push({ kind: 'reference', span: symbol.span, symbol });
    occurrences.sort((a, b) => a.span.start - b.span.start);
    this.out.occurrences = occurrences;
    return this.out;
  }

  private fields(map: YAMLMap<unknown, unknown>): Fields {
    let fields = this.fieldCache.get(map);
    if (!fields) {
      fields = new Map();
      for (const pair of map.items) {
        const key = pairKey(pair);
        if (key !== undefined && !fields.has(key)) fields.set(key, pair.value);
      }
      this.fieldCache.set(map, fields);
    }
    return fields;
  }

  /** `getNode` through the field index: the value node under `key`, aliases resolved. */
  private node(map: YAMLMap<unknown, unknown>, key: string): Node | undefined {
    return resolveNode(this.doc, this.fields(map).get(key));
  }

  /** `getString` through the field index. */
  private string(map: YAMLMap<unknown, unknown>, key: string): { value: string; node: Scalar } | undefined {
    const node = this.node(map, key);
    return isScalar(node) && typeof node.value === 'string' ? { value: node.value, node } : undefined;
  }

  /** `getMapItems` through the field index. */
  private mapItems(map: YAMLMap<unknown, unknown>, key: string): YAMLMap<unknown, unknown>[] {
    const seq = asSeq(this.doc, this.node(map, key));
    if (!seq) return [];
    const out: YAMLMap<unknown, unknown>[] = [];
    for (const item of seq.items) {
      const m = asMap(this.doc, item);
      if (m) out.push(m);
    }
    return out;
  }

  private range(node: Node): Range {
    return nodeRange(this.file.lineCounter, node);
  }

  private fullRange(node: Node): Range {
    const [start, end] = node.range ?? [0, 0];
    return rangeFromOffsets(this.file.lineCounter, start, end);
  }

  private reference(
    kind: ReferenceSymbol['kind'],
    node: Scalar,
    target: string,
    groupId: string | undefined,
    extra: Partial<ReferenceSymbol> = {},
  ): ReferenceSymbol {
    const symbol: ReferenceSymbol = {
      kind,
      target,
      written: String(node.value),
      file: this.file.path,
      range: this.range(node),
      span: spanOf(node),
      ...(groupId !== undefined ? { groupId } : {}),
      ...extra,
    };
    this.out.references.push(symbol);
    return symbol;
  }

  private text(map: YAMLMap<unknown, unknown>, key: string): string | undefined {
    return scalarText(this.node(map, key));
  }

  private requirementLevel(map: YAMLMap<unknown, unknown>): string | undefined {
    const node = this.node(map, 'requirement_level');
    const direct = scalarText(node);
    if (direct !== undefined) return direct;
    if (isMap(node)) {
      const pair = node.items[0];
      if (!pair) return undefined;
      const key = pairKey(pair);
      const value = scalarText(resolveNode(this.doc, pair.value));
      return key === undefined ? undefined : value ? `${key}: ${value.trim()}` : key;
    }
    return undefined;
  }

  private deprecation(map: YAMLMap<unknown, unknown>): { info: DeprecationInfo; renamedTo?: Scalar } | undefined {
    const node = this.node(map, 'deprecated');
    if (node === undefined) return undefined;
    const legacy = scalarText(node);
    if (legacy !== undefined) return { info: { reason: legacy } };
    if (!isMap(node)) return { info: {} };
    const info: DeprecationInfo = {};
    const reason = this.text(node, 'reason');
    if (reason !== undefined) info.reason = reason;
    const note = this.text(node, 'note');
    if (note !== undefined) info.note = note;
    const renamed = this.string(node, 'renamed_to');
    if (renamed) {
      info.renamedTo = renamed.value;
      return { info, renamedTo: renamed.node };
    }
    return { info };
  }

  private examples(map: YAMLMap<unknown, unknown>): string[] {
    const node = this.node(map, 'examples');
    if (node === undefined) return [];
    let value: unknown;
    try {
      value = nodeValue(this.doc, node);
    } catch {
      return [];
    }
    if (value === null || value === undefined) return [];
    return Array.isArray(value) ? value.map(compact) : [compact(value)];
  }

  /** The type's display form and, for enums, the members with their ranges. */
  private type(map: YAMLMap<unknown, unknown>): { type?: string; members: EnumMemberSymbol[] } {
    const node = this.node(map, 'type');
    const direct = scalarText(node);
    if (direct !== undefined) return { type: direct, members: [] };
    if (!isMap(node)) return { members: [] };
    const members: EnumMemberSymbol[] = [];
    let valueType: string | undefined;
    for (const member of this.mapItems(node, 'members')) {
      const valueNode = this.node(member, 'value');
      if (valueType === undefined && isScalar(valueNode)) {
        valueType = typeof valueNode.value === 'number' ? (Number.isInteger(valueNode.value) ? 'int' : 'double') : 'string';
      }
      const id = this.string(member, 'id');
      if (!id) continue;
      const entry: EnumMemberSymbol = { id: id.value, value: this.text(member, 'value') ?? '', range: this.range(id.node) };
      const brief = this.text(member, 'brief');
      if (brief !== undefined) entry.brief = brief.trim();
      const stability = this.text(member, 'stability');
      if (stability !== undefined) entry.stability = stability;
      if (this.node(member, 'deprecated') !== undefined) entry.deprecated = true;
      members.push(entry);
    }
    return { type: `enum (${valueType ?? 'string'})`, members };
  }

  private attribute(
    map: YAMLMap<unknown, unknown>,
    idNode: Scalar,
    id: string,
    format: 'v1' | 'v2',
    prefix: string,
    groupId: string | undefined,
  ): AttributeSymbol {
    const { type, members } = this.type(map);
    const symbol: AttributeSymbol = {
      id,
      file: this.file.path,
      format,
      range: this.range(idNode),
      span: spanOf(idNode),
      fullRange: this.fullRange(map),
      prefix,
      members,
      examples: this.examples(map),
    };
    if (groupId !== undefined) symbol.groupId = groupId;
    if (type !== undefined) symbol.type = type;
    const brief = this.text(map, 'brief');
    if (brief !== undefined) symbol.brief = brief.trim();
    const note = this.text(map, 'note');
    if (note !== undefined) symbol.note = note.trim();
    const stability = this.text(map, 'stability');
    if (stability !== undefined) symbol.stability = stability;
    const level = this.requirementLevel(map);
    if (level !== undefined) symbol.requirementLevel = level;
    const deprecation = this.deprecation(map);
    if (deprecation) {
      symbol.deprecated = deprecation.info;
      if (deprecation.renamedTo) this.reference('renamed_to', deprecation.renamedTo, deprecation.renamedTo.value as string, groupId);
    }
    this.out.attributes.push(symbol);
    return symbol;
  }

  /** `ref:` and `ref_group:` entries of an attribute list (v1 and v2), and v1/v2 inline definitions. */
  private entries(group: YAMLMap<unknown, unknown>, list: string, groupId: string | undefined, prefix: string, format: 'v1' | 'v2'): GroupEntry[] {
    const entries: GroupEntry[] = [];
    for (const item of this.mapItems(group, list)) {
      const ref = this.string(item, 'ref');
      if (ref) {
        const requirementLevel = this.requirementLevel(item);
        const reference = this.reference('ref', ref.node, ref.value, groupId, requirementLevel !== undefined ? { requirementLevel } : {});
        entries.push({ kind: 'ref', id: ref.value, range: reference.range, ...(requirementLevel !== undefined ? { requirementLevel } : {}) });
        continue;
      }
      const refGroup = this.string(item, 'ref_group');
      if (refGroup) {
        const reference = this.reference('ref_group', refGroup.node, refGroup.value, groupId);
        entries.push({ kind: 'ref_group', id: refGroup.value, range: reference.range });
        continue;
      }
      const id = this.string(item, format === 'v1' ? 'id' : 'key');
      if (id) {
        const full = prefix ? `${prefix}.${id.value}` : id.value;
        const symbol = this.attribute(item, id.node, full, format, prefix, groupId);
        entries.push({ kind: 'definition', id: full, range: symbol.range });
      }
    }
    return entries;
  }

  private details(map: YAMLMap<unknown, unknown>, keys: ReadonlyArray<[string, string]>): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [key, label] of keys) {
      const value = this.text(map, key);
      if (value !== undefined) out.push([label, value]);
    }
    return out;
  }

  private group(map: YAMLMap<unknown, unknown>, idNode: Scalar, id: string, name: string, kind: string, format: 'v1' | 'v2'): GroupSymbol {
    const symbol: GroupSymbol = {
      id,
      name,
      kind,
      file: this.file.path,
      format,
      range: this.range(idNode),
      span: spanOf(idNode),
      fullRange: this.fullRange(map),
      entries: [],
      details: this.details(map, format === 'v1' ? V1_DETAILS : V2_DETAILS),
    };
    const brief = this.text(map, 'brief');
    if (brief !== undefined) symbol.brief = brief.trim();
    const stability = this.text(map, 'stability');
    if (stability !== undefined) symbol.stability = stability;
    this.out.groups.push(symbol);
    return symbol;
  }

  private v1(root: YAMLMap<unknown, unknown>): void {
    for (const map of this.mapItems(root, 'groups')) {
      const idNode = this.string(map, 'id');
      const groupId = idNode?.value;
      const type = this.text(map, 'type') ?? 'undefined';
      const prefix = this.text(map, 'prefix') ?? '';
      const entries = this.entries(map, 'attributes', groupId, prefix, 'v1');
      const ext = this.string(map, 'extends');
      if (ext) this.reference('extends', ext.node, ext.value, groupId);
      // `include` is the retired v1 spelling of "extend several groups": still navigable.
      const include = this.node(map, 'include');
      const includes = isSeq(include) ? include.items.map((i) => resolveNode(this.doc, i)) : [include];
      for (const node of includes) {
        if (isScalar(node) && typeof node.value === 'string') this.reference('include', node, node.value, groupId);
      }
      for (const item of asSeq(this.doc, this.node(map, 'events'))?.items ?? []) {
        const node = resolveNode(this.doc, item);
        if (isScalar(node) && typeof node.value === 'string') this.reference('events', node, node.value, groupId, { signalKind: 'event' });
      }
      if (!idNode) continue;
      const group = this.group(map, idNode.node, idNode.value, idNode.value, type, 'v1');
      group.entries = entries;
      if (ext) group.extends = ext.value;
      const signal = v1Signal((key) => this.string(map, key)?.value, type);
      if (signal) group.signal = signal;
    }
  }

  private v2(root: YAMLMap<unknown, unknown>): void {
    for (const map of this.mapItems(root, 'attributes')) {
      const key = this.string(map, 'key');
      if (key) this.attribute(map, key.node, key.value, 'v2', '', undefined);
    }
    for (const map of this.mapItems(root, 'attribute_groups')) {
      const id = this.string(map, 'id');
      const entries = this.entries(map, 'attributes', id?.value, '', 'v2');
      if (id) this.group(map, id.node, id.value, id.value, 'attribute_group', 'v2').entries = entries;
    }
    for (const { section, kind, nameKey, lists } of V2_SIGNALS) {
      for (const map of this.mapItems(root, section)) {
        const name = this.string(map, nameKey);
        const groupId = name ? `${kind}.${name.value}` : undefined;
        const entries = lists.flatMap((list) => this.entries(map, list, groupId, '', 'v2'));
        if (!name) continue;
        const group = this.group(map, name.node, `${kind}.${name.value}`, name.value, kind, 'v2');
        group.entries = entries;
        group.signal = { kind, name: name.value };
      }
    }
    for (const { section, kind, lists } of V2_REFINEMENTS) {
      for (const map of this.mapItems(root, section)) {
        const id = this.string(map, 'id');
        const entries = lists.flatMap((list) => this.entries(map, list, id?.value, '', 'v2'));
        const ref = this.string(map, 'ref');
        if (ref) this.reference('refinement', ref.node, `${kind}.${ref.value}`, id?.value, { signalKind: kind });
        if (!id) continue;
        const group = this.group(map, id.node, id.value, id.value, `${kind}_refinement`, 'v2');
        group.entries = entries;
        const name = id.value.startsWith(`${kind}.`) ? id.value.slice(kind.length + 1) : id.value;
        group.signal = { kind, name };
        if (ref) group.refines = `${kind}.${ref.value}`;
      }
    }
  }
}

/** The signal a v1 group declares, named as refinements and associations name it (as in model.ts). */
function v1Signal(name: (key: string) => string | undefined, type: string): GroupSymbol['signal'] {
  switch (type) {
    case 'metric': {
      const n = name('metric_name');
      return n ? { kind: 'metric', name: n } : undefined;
    }
    case 'event': {
      const n = name('name');
      return n ? { kind: 'event', name: n } : undefined;
    }
    case 'entity':
    case 'resource': {
      const n = name('name');
      return n ? { kind: 'entity', name: n } : undefined;
    }
    default:
      return undefined;
  }
}
