import type { LoadedRegistry } from '../loadRegistry';
import type { ParsedFile } from '../parsedFile';

/**
 * A flat, read-only view of a loaded registry for the reporting commands (stats, search, diff):
 * every group as weaver's v1 resolved form names it (v2 signals become `span.x`, `metric.x`...
 * groups), every registry attribute with its type, stability and deprecation. It reads the plain
 * values of the parsed files, so it needs no resolution: attribute counts per group are the
 * entries written in the group (definitions and references), not the attributes inherited through
 * `extends` or `ref_group`.
 */

export type GroupType = 'attribute_group' | 'span' | 'event' | 'metric' | 'metric_group' | 'entity' | 'scope' | 'undefined';

/** Weaver's structured deprecation, after its defaults (a plain string is `uncategorized`). */
export type Deprecation =
  | { reason: 'renamed'; renamed_to: string; note: string }
  | { reason: 'obsoleted'; note: string }
  | { reason: 'uncategorized'; note: string };

export interface ViewAttribute {
  key: string;
  /** Type as weaver prints it: `string`, `int[]`, `template[string]`, `enum`. */
  type: string;
  brief: string;
  note: string;
  stability?: string;
  deprecated?: Deprecation;
  /** `required`, `recommended`, `opt_in`, `conditionally_required`. */
  requirementLevel: string;
  /** Number of members for enums. */
  enumMembers?: number;
  file: string;
}

export interface ViewGroup {
  id: string;
  type: GroupType;
  brief: string;
  note: string;
  prefix: string;
  stability?: string;
  deprecated?: Deprecation;
  /** Attribute entries written in the group (definitions and references). */
  attributeCount: number;
  /** The signal's name: metric name, event name, span type, entity type. */
  signalName?: string;
  spanKind?: string;
  instrument?: string;
  unit?: string;
  /** v2 attribute groups: `public` or `internal`. */
  visibility?: string;
  /** Entities: number of identifying attributes. */
  identityLength?: number;
  file: string;
}

export interface RegistryView {
  root: string;
  /** `schema_url` of the manifest, when it has one. */
  schemaUrl?: string;
  /** The version at the end of the schema URL (`1.44.0`), what weaver calls `semconv_version`. */
  version?: string;
  fileCount: number;
  groups: ViewGroup[];
  /** Registry attributes (defined in attribute groups or v2 `attributes:`), first definition wins. */
  attributes: ViewAttribute[];
  /**
   * Weaver's attribute catalog: every distinct attribute of every resolved group (a reference that
   * overrides a field is an entry of its own). Only a resolved view has it; stats count `attributes`
   * without it.
   */
  catalog?: ViewAttribute[];
  /** `resolved`: built from the native resolver's output, as weaver computes it; `definitions`: from the files as written. */
  source: 'resolved' | 'definitions';
}

export type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** `experimental` is read as `development`, as weaver does. */
export function stabilityOf(v: unknown): string | undefined {
  const s = str(v);
  return s === 'experimental' ? 'development' : s;
}

export function deprecationOf(v: unknown): Deprecation | undefined {
  if (typeof v === 'string') return { reason: 'uncategorized', note: v };
  if (!isObj(v)) return undefined;
  const note = str(v.note);
  switch (v.reason) {
    case 'renamed': {
      const to = text(v.renamed_to);
      return { reason: 'renamed', renamed_to: to, note: note ?? `Replaced by \`${to}\`.` };
    }
    case 'obsoleted':
      return { reason: 'obsoleted', note: note ?? 'Obsoleted.' };
    default:
      return { reason: 'uncategorized', note: note ?? 'Uncategorized.' };
  }
}

function typeOf(v: unknown): { type: string; enumMembers?: number } {
  if (typeof v === 'string') return { type: v };
  if (isObj(v) && Array.isArray(v.members)) return { type: 'enum', enumMembers: v.members.length };
  return { type: 'unknown' };
}

function requirementOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isObj(v)) return Object.keys(v)[0] ?? 'recommended';
  return 'recommended';
}

export function attributeOf(raw: Obj, key: string, file: string): ViewAttribute {
  const { type, enumMembers } = typeOf(raw.type);
  const out: ViewAttribute = {
    key,
    type,
    brief: text(raw.brief).trim(),
    note: text(raw.note).trim(),
    requirementLevel: requirementOf(raw.requirement_level),
    file,
  };
  const stability = stabilityOf(raw.stability);
  if (stability) out.stability = stability;
  const deprecated = deprecationOf(raw.deprecated);
  if (deprecated) out.deprecated = deprecated;
  if (enumMembers !== undefined) out.enumMembers = enumMembers;
  return out;
}

const V1_TYPES = new Set<GroupType>(['attribute_group', 'span', 'event', 'metric', 'metric_group', 'entity', 'scope']);

function v1GroupType(v: unknown): GroupType {
  if (v === undefined) return 'span';
  if (v === 'resource') return 'entity';
  return V1_TYPES.has(v as GroupType) ? (v as GroupType) : 'undefined';
}

export function common(raw: Obj, file: string): Pick<ViewGroup, 'brief' | 'note' | 'file'> & Partial<ViewGroup> {
  const out: Pick<ViewGroup, 'brief' | 'note' | 'file'> & Partial<ViewGroup> = { brief: text(raw.brief).trim(), note: text(raw.note).trim(), file };
  const stability = stabilityOf(raw.stability);
  if (stability) out.stability = stability;
  const deprecated = deprecationOf(raw.deprecated);
  if (deprecated) out.deprecated = deprecated;
  return out;
}

class ViewBuilder {
  readonly groups: ViewGroup[] = [];
  readonly attributes = new Map<string, ViewAttribute>();

  addAttribute(attr: ViewAttribute): void {
    if (!this.attributes.has(attr.key)) this.attributes.set(attr.key, attr);
  }

  v1(file: ParsedFile, value: Obj): void {
    for (const g of list(value.groups)) {
      const id = str(g.id);
      if (!id) continue;
      const type = v1GroupType(g.type);
      const prefix = text(g.prefix);
      const attrs = list(g.attributes);
      const group: ViewGroup = { id, type, prefix, attributeCount: attrs.length, ...common(g, file.path) };
      if (type === 'metric') {
        const name = str(g.metric_name);
        if (name) group.signalName = name;
        const instrument = str(g.instrument);
        if (instrument) group.instrument = instrument;
        group.unit = text(g.unit);
      } else if (type === 'event' || type === 'entity') {
        const name = str(g.name);
        if (name) group.signalName = name;
      } else if (type === 'span') {
        const kind = str(g.span_kind);
        if (kind) group.spanKind = kind;
      }
      this.groups.push(group);
      if (type !== 'attribute_group') continue;
      for (const a of attrs) {
        const aid = str(a.id);
        if (aid) this.addAttribute(attributeOf(a, prefix ? `${prefix}.${aid}` : aid, file.path));
      }
    }
  }

  v2(file: ParsedFile, value: Obj): void {
    for (const a of list(value.attributes)) {
      const key = str(a.key);
      if (key) this.addAttribute(attributeOf(a, key, file.path));
    }
    for (const g of list(value.attribute_groups)) {
      const id = str(g.id);
      if (!id) continue;
      const group: ViewGroup = { id, type: 'attribute_group', prefix: '', attributeCount: list(g.attributes).length, ...common(g, file.path) };
      const visibility = str(g.visibility);
      if (visibility) group.visibility = visibility;
      this.groups.push(group);
    }
    for (const s of list(value.spans)) {
      const name = str(s.type);
      if (!name) continue;
      const group: ViewGroup = { id: `span.${name}`, type: 'span', prefix: '', signalName: name, attributeCount: list(s.attributes).length, ...common(s, file.path) };
      const kind = str(s.kind);
      if (kind) group.spanKind = kind;
      this.groups.push(group);
    }
    for (const m of list(value.metrics)) {
      const name = str(m.name);
      if (!name) continue;
      const group: ViewGroup = { id: `metric.${name}`, type: 'metric', prefix: '', signalName: name, attributeCount: list(m.attributes).length, unit: text(m.unit), ...common(m, file.path) };
      const instrument = str(m.instrument);
      if (instrument) group.instrument = instrument;
      this.groups.push(group);
    }
    for (const e of list(value.events)) {
      const name = str(e.name);
      if (!name) continue;
      this.groups.push({ id: `event.${name}`, type: 'event', prefix: '', signalName: name, attributeCount: list(e.attributes).length, ...common(e, file.path) });
    }
    for (const e of list(value.entities)) {
      const name = str(e.type);
      if (!name) continue;
      const identity = list(e.identity).length;
      this.groups.push({
        id: `entity.${name}`,
        type: 'entity',
        prefix: '',
        signalName: name,
        attributeCount: identity + list(e.description).length,
        identityLength: identity,
        ...common(e, file.path),
      });
    }
  }
}

/** The version weaver derives from a schema URL: its last path segment (`.../schemas/1.44.0`). */
export function versionOfSchemaUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const last = url.replace(/\/+$/, '').split('/').pop();
  return last && last.length > 0 ? last : undefined;
}

export function registryView(loaded: LoadedRegistry): RegistryView {
  const b = new ViewBuilder();
  for (const file of loaded.files) {
    if (file.kind !== 'v1' && file.kind !== 'v2') continue;
    const value = file.value();
    if (!isObj(value)) continue;
    if (file.kind === 'v1') b.v1(file, value);
    else b.v2(file, value);
  }
  const view: RegistryView = {
    root: loaded.root,
    fileCount: loaded.files.filter((f) => f.kind === 'v1' || f.kind === 'v2').length,
    groups: b.groups,
    attributes: [...b.attributes.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)),
    source: 'definitions',
  };
  const manifest = loaded.manifest?.value();
  const schemaUrl = isObj(manifest) ? (str(manifest.schema_url) ?? str(manifest.registry_url)) : undefined;
  if (schemaUrl) view.schemaUrl = schemaUrl;
  // Older manifests say `semconv_version`; newer ones carry the version in the schema URL only.
  const version = (isObj(manifest) ? str(manifest.semconv_version) : undefined) ?? versionOfSchemaUrl(schemaUrl);
  if (version) view.version = version;
  return view;
}
