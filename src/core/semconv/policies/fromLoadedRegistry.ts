import { isScalar, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { LoadedRegistry } from '../loadRegistry';
import { codeGenerationExcluded } from './annotations';
import { nodeValue, type ParsedFile } from '../parsedFile';
import { nodeRange } from '../positions';
import { asMap, asSeq, getMapItems, getNode, getString, resolveNode } from '../yamlNodes';
import type {
  EnumValue,
  FieldLocations,
  LocatedField,
  PlainObject,
  PolicyAttribute,
  PolicyAttributeGroup,
  PolicyAttributeType,
  PolicyAttributeUse,
  PolicyDeprecation,
  PolicyEntity,
  PolicyEnumMember,
  PolicyEvent,
  PolicyMetric,
  PolicyNamed,
  PolicyRefinement,
  PolicyRegistry,
  PolicyRequirementLevel,
  PolicySpan,
  PolicyStability,
  RefinementSignalType,
  SourceLocation,
} from './input';

/**
 * Builds the policy input from the native loaded model (v1 `groups:` and v2 files alike): attribute
 * refs looked up by id, `extends` and `ref_group` followed, ref overrides (requirement level,
 * stability, deprecation) applied, and names converted the way weaver's v1-to-v2 conversion names
 * them. Definitions of loaded dependency registries resolve refs but are not listed: policies judge
 * the registry being checked.
 */
export function policyRegistryFromLoaded(registry: LoadedRegistry): PolicyRegistry {
  return new Adapter(registry).build();
}

const SIGNAL_FIELDS: ReadonlyArray<[string, LocatedField]> = [
  ['stability', 'stability'],
  ['brief', 'brief'],
  ['unit', 'unit'],
  ['instrument', 'instrument'],
  ['kind', 'kind'],
  ['span_kind', 'kind'],
];

/** Weaver fills a missing signal or attribute stability with `alpha` when it converts v1 groups to v2. */
const DEFAULT_STABILITY = 'alpha';
const DEFAULT_REQUIREMENT_LEVEL = 'recommended';

interface GroupSource {
  file: ParsedFile;
  node: YAMLMap<unknown, unknown>;
  format: 'v1' | 'v2';
  /** v1 group type, `attribute_group` for v2 attribute groups. */
  type: string | undefined;
}

/** `trim_start_matches`: weaver strips every leading repetition of the prefix, not just one. */
function trimAllPrefix(value: string, prefix: string): string {
  let out = value;
  while (out.startsWith(prefix)) out = out.slice(prefix.length);
  return out;
}

function definitionFiles(registry: LoadedRegistry): ParsedFile[] {
  return registry.files.filter((f) => f.kind === 'v1' || f.kind === 'v2');
}

function dependencyFiles(registry: LoadedRegistry, seen = new Set<string>([registry.root])): ParsedFile[] {
  const out: ParsedFile[] = [];
  for (const dep of registry.dependencies) {
    const r = dep.registry;
    if (!r || seen.has(r.root)) continue;
    seen.add(r.root);
    out.push(...definitionFiles(r), ...dependencyFiles(r, seen));
  }
  return out;
}

class Adapter {
  private readonly attributeDefs = new Map<string, PolicyAttribute>();
  private readonly groups = new Map<string, GroupSource>();
  private readonly usesCache = new Map<string, PolicyAttributeUse[]>();
  private readonly resolving = new Set<string>();

  constructor(private readonly registry: LoadedRegistry) {}

  build(): PolicyRegistry {
    const own = definitionFiles(this.registry);
    const attributes: PolicyAttribute[] = [];
    for (const file of own) {
      for (const attr of this.definitionsIn(file)) {
        if (this.attributeDefs.has(attr.key)) continue;
        this.attributeDefs.set(attr.key, attr);
        attributes.push(attr);
      }
      this.indexGroups(file);
    }
    // Dependencies only fill what the registry itself does not define.
    for (const file of dependencyFiles(this.registry)) {
      for (const attr of this.definitionsIn(file)) if (!this.attributeDefs.has(attr.key)) this.attributeDefs.set(attr.key, attr);
      this.indexGroups(file);
    }

    const out: PolicyRegistry = {
      root: this.registry.root,
      attributes,
      metrics: [],
      events: [],
      spans: [],
      entities: [],
      attributeGroups: [],
      refinements: [],
    };
    for (const file of own) {
      if (file.kind === 'v1') this.v1Signals(file, out);
      else this.v2Signals(file, out);
    }
    return out;
  }

  // ---- locations and plain values ----

  private loc(file: ParsedFile, node: Node): SourceLocation {
    return { file: file.path, range: nodeRange(file.lineCounter, node) };
  }

  private plain(file: ParsedFile, node: Node | undefined): unknown {
    if (!node) return undefined;
    try {
      // The same value as node.toJS, without its per-call document walk for anchors.
      return nodeValue(file.doc, node);
    } catch {
      return undefined;
    }
  }

  /** Where the values of `fields` are written (YAML key -> located field). */
  private fieldLocations(file: ParsedFile, map: YAMLMap<unknown, unknown>, keys: ReadonlyArray<[string, LocatedField]>): FieldLocations {
    const out: FieldLocations = {};
    for (const [key, field] of keys) {
      const node = getNode(file.doc, map, key);
      if (node) out[field] = this.loc(file, node);
    }
    return out;
  }

  private annotations(file: ParsedFile, map: YAMLMap<unknown, unknown>): PlainObject {
    const value = this.plain(file, asMap(file.doc, getNode(file.doc, map, 'annotations')));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as PlainObject) : {};
  }

  private stability(file: ParsedFile, map: YAMLMap<unknown, unknown>): PolicyStability | undefined {
    const s = getString(file.doc, map, 'stability')?.value.trim();
    if (!s) return undefined;
    return s === 'experimental' ? 'development' : s;
  }

  private deprecation(file: ParsedFile, map: YAMLMap<unknown, unknown>): PolicyDeprecation | undefined {
    const node = getNode(file.doc, map, 'deprecated');
    if (!node) return undefined;
    if (isScalar(node)) {
      // A legacy free-text `deprecated: "use x"`: weaver reads it as an uncategorized deprecation.
      if (node.value === null || node.value === false) return undefined;
      return { reason: 'uncategorized', note: String(node.value), location: this.loc(file, node) };
    }
    const m = asMap(file.doc, node);
    if (!m) return undefined;
    const reason = getString(file.doc, m, 'reason')?.value ?? 'uncategorized';
    const renamed = getString(file.doc, m, 'renamed_to');
    const note = getString(file.doc, m, 'note')?.value;
    return {
      reason,
      ...(renamed ? { renamedTo: renamed.value } : {}),
      ...(note !== undefined ? { note } : {}),
      location: this.loc(file, renamed?.node ?? node),
    };
  }

  private requirementLevel(file: ParsedFile, map: YAMLMap<unknown, unknown>): PolicyRequirementLevel | undefined {
    const node = getNode(file.doc, map, 'requirement_level');
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    const m = asMap(file.doc, node);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const pair of m.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const value = resolveNode(file.doc, pair.value);
      if (key) out[key] = isScalar(value) ? String(value.value ?? '') : '';
    }
    return out;
  }

  private attributeType(file: ParsedFile, map: YAMLMap<unknown, unknown>): PolicyAttributeType {
    const node = getNode(file.doc, map, 'type');
    if (isScalar(node)) return String(node.value ?? '');
    const m = asMap(file.doc, node);
    if (!m) return '';
    const members: PolicyEnumMember[] = [];
    for (const member of getMapItems(file.doc, m, 'members')) {
      const id = getString(file.doc, member, 'id');
      const valueNode = getNode(file.doc, member, 'value');
      if (!id || !isScalar(valueNode)) continue;
      const value = valueNode.value;
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
      const stability = this.stability(file, member);
      const deprecated = this.deprecation(file, member);
      members.push({
        id: id.value,
        value: value as EnumValue,
        ...(stability ? { stability } : {}),
        ...(deprecated ? { deprecated } : {}),
        codeGenerationExcluded: codeGenerationExcluded(this.annotations(file, member)),
        location: this.loc(file, id.node),
      });
    }
    return { members };
  }

  // ---- definitions ----

  private attribute(file: ParsedFile, map: YAMLMap<unknown, unknown>, key: string, keyNode: Scalar): PolicyAttribute {
    const deprecated = this.deprecation(file, map);
    return {
      key,
      type: this.attributeType(file, map),
      stability: this.stability(file, map) ?? DEFAULT_STABILITY,
      ...(deprecated ? { deprecated } : {}),
      annotations: this.annotations(file, map),
      location: this.loc(file, keyNode),
      fields: this.fieldLocations(file, map, [
        ['stability', 'stability'],
        ['type', 'type'],
      ]),
    };
  }

  private definitionsIn(file: ParsedFile): PolicyAttribute[] {
    const root = asMap(file.doc, file.doc.contents);
    if (!root) return [];
    const out: PolicyAttribute[] = [];
    if (file.kind === 'v2') {
      for (const attr of getMapItems(file.doc, root, 'attributes')) {
        const key = getString(file.doc, attr, 'key');
        if (key) out.push(this.attribute(file, attr, key.value, key.node));
      }
      return out;
    }
    for (const group of getMapItems(file.doc, root, 'groups')) {
      const prefix = getString(file.doc, group, 'prefix')?.value ?? '';
      for (const attr of getMapItems(file.doc, group, 'attributes')) {
        const id = getString(file.doc, attr, 'id');
        if (id) out.push(this.attribute(file, attr, prefix ? `${prefix}.${id.value}` : id.value, id.node));
      }
    }
    return out;
  }

  /** Group ids of the registry first, then of its dependencies: the first definition of an id wins. */
  private indexGroups(file: ParsedFile): void {
    const root = asMap(file.doc, file.doc.contents);
    if (!root) return;
    const add = (id: string, source: GroupSource): void => {
      if (!this.groups.has(id)) this.groups.set(id, source);
    };
    if (file.kind === 'v2') {
      for (const group of getMapItems(file.doc, root, 'attribute_groups')) {
        const id = getString(file.doc, group, 'id')?.value;
        if (id) add(id, { file, node: group, format: 'v2', type: 'attribute_group' });
      }
      return;
    }
    for (const group of getMapItems(file.doc, root, 'groups')) {
      const id = getString(file.doc, group, 'id')?.value;
      if (id) add(id, { file, node: group, format: 'v1', type: getString(file.doc, group, 'type')?.value });
    }
  }

  // ---- attribute uses ----

  /** One entry of an attribute list: a `ref`, an inline v1 definition, or a `ref_group`. */
  private usesOfItem(file: ParsedFile, item: YAMLMap<unknown, unknown>, prefix: string): PolicyAttributeUse[] {
    const refGroup = getString(file.doc, item, 'ref_group');
    if (refGroup) return this.usesOfGroup(refGroup.value);
    const ref = getString(file.doc, item, 'ref');
    const id = ref ? undefined : getString(file.doc, item, 'id');
    const named = ref ?? id;
    if (!named) return [];
    const key = id && prefix ? `${prefix}.${named.value}` : named.value;
    const def = this.attributeDefs.get(key);
    if (!def) return []; // an unresolved ref is reported by the reference check, not by policies
    const stability = this.stability(file, item);
    const deprecated = ref ? this.deprecation(file, item) : undefined;
    const role = getString(file.doc, item, 'role')?.value;
    const use: PolicyAttributeUse = {
      ...def,
      ...(ref && stability ? { stability } : {}),
      ...(deprecated ? { deprecated } : {}),
      requirementLevel: this.requirementLevel(file, item) ?? DEFAULT_REQUIREMENT_LEVEL,
      ...(role === 'identifying' || role === 'descriptive' ? { role } : {}),
      usedAt: this.loc(file, named.node),
    };
    return [use];
  }

  private usesOfList(file: ParsedFile, map: YAMLMap<unknown, unknown>, key: string, prefix = ''): PolicyAttributeUse[] {
    return getMapItems(file.doc, map, key).flatMap((item) => this.usesOfItem(file, item, prefix));
  }

  /** The resolved attributes of a group by id (v1 group or v2 attribute group), `extends` followed. */
  private usesOfGroup(id: string): PolicyAttributeUse[] {
    const cached = this.usesCache.get(id);
    if (cached) return cached;
    const source = this.groups.get(id);
    if (!source || this.resolving.has(id)) return []; // unknown or cyclic: reported by the reference check
    this.resolving.add(id);
    const { file, node } = source;
    const prefix = source.format === 'v1' ? (getString(file.doc, node, 'prefix')?.value ?? '') : '';
    const own = this.usesOfList(file, node, 'attributes', prefix);
    const ext = source.format === 'v1' ? getString(file.doc, node, 'extends')?.value : undefined;
    let uses = own;
    if (ext) {
      // A group's own entry for a key replaces the one it inherits.
      const ownKeys = new Set(own.map((u) => u.key));
      uses = [...this.usesOfGroup(ext).filter((u) => !ownKeys.has(u.key)), ...own];
    }
    this.resolving.delete(id);
    this.usesCache.set(id, uses);
    return uses;
  }

  private entityAssociations(file: ParsedFile, map: YAMLMap<unknown, unknown>): PolicyNamed[] {
    const seq = asSeq(file.doc, getNode(file.doc, map, 'entity_associations'));
    const out: PolicyNamed[] = [];
    for (const item of seq?.items ?? []) {
      const node = resolveNode(file.doc, item);
      if (isScalar(node) && typeof node.value === 'string') out.push({ name: node.value, location: this.loc(file, node) });
    }
    return out;
  }

  private common(file: ParsedFile, map: YAMLMap<unknown, unknown>, name: string, nameNode: Node) {
    const deprecated = this.deprecation(file, map);
    return {
      name,
      stability: this.stability(file, map) ?? DEFAULT_STABILITY,
      ...(deprecated ? { deprecated } : {}),
      brief: getString(file.doc, map, 'brief')?.value ?? '',
      annotations: this.annotations(file, map),
      location: this.loc(file, nameNode),
      fields: this.fieldLocations(file, map, SIGNAL_FIELDS),
    };
  }

  // ---- v1 groups ----

  private v1Signals(file: ParsedFile, out: PolicyRegistry): void {
    const root = asMap(file.doc, file.doc.contents);
    if (!root) return;
    for (const group of getMapItems(file.doc, root, 'groups')) {
      const idNode = getString(file.doc, group, 'id');
      if (!idNode) continue;
      const id = idNode.value;
      const type = getString(file.doc, group, 'type')?.value;
      const ext = getString(file.doc, group, 'extends')?.value;
      // A signal group extending a group of its own type is a refinement, not a signal of its own.
      const refines = ext !== undefined && this.groups.get(ext)?.type === type;
      switch (type) {
        case 'span': {
          if (refines) {
            out.refinements.push(this.refinement(file, group, 'span', trimAllPrefix(id, 'span.'), idNode.node));
            break;
          }
          const span: PolicySpan = {
            ...this.common(file, group, trimAllPrefix(id, 'span.'), idNode.node),
            kind: getString(file.doc, group, 'span_kind')?.value ?? 'internal',
            attributes: this.usesOfGroup(id),
            entityAssociations: this.entityAssociations(file, group),
          };
          out.spans.push(span);
          break;
        }
        case 'metric': {
          const nameNode = getString(file.doc, group, 'metric_name');
          if (!nameNode) break;
          if (refines) {
            out.refinements.push(this.refinement(file, group, 'metric', trimAllPrefix(id, 'metric.'), idNode.node));
            break;
          }
          const metric: PolicyMetric = {
            ...this.common(file, group, nameNode.value, nameNode.node),
            instrument: getString(file.doc, group, 'instrument')?.value ?? '',
            unit: scalarText(file, group, 'unit'),
            attributes: this.usesOfGroup(id),
            entityAssociations: this.entityAssociations(file, group),
          };
          out.metrics.push(metric);
          break;
        }
        case 'event': {
          const nameNode = getString(file.doc, group, 'name');
          if (!nameNode) break;
          if (refines) {
            out.refinements.push(this.refinement(file, group, 'event', trimAllPrefix(id, 'event.'), idNode.node));
            break;
          }
          const event: PolicyEvent = {
            ...this.common(file, group, nameNode.value, nameNode.node),
            attributes: this.usesOfGroup(id),
            entityAssociations: this.entityAssociations(file, group),
          };
          out.events.push(event);
          break;
        }
        case 'entity':
        case 'resource': {
          const uses = this.usesOfGroup(id);
          const entity: PolicyEntity = {
            ...this.common(file, group, trimAllPrefix(id, 'entity.'), idNode.node),
            identity: uses.filter((u) => u.role === 'identifying'),
            description: uses.filter((u) => u.role !== 'identifying'),
          };
          out.entities.push(entity);
          break;
        }
        case 'attribute_group': {
          if (getString(file.doc, group, 'visibility')?.value !== 'public') break;
          const g: PolicyAttributeGroup = {
            ...this.common(file, group, trimAllPrefix(id, 'attribute_group.'), idNode.node),
            attributes: this.usesOfGroup(id),
          };
          out.attributeGroups.push(g);
          break;
        }
        default:
          break;
      }
    }
  }

  private refinement(file: ParsedFile, map: YAMLMap<unknown, unknown>, signalType: RefinementSignalType, id: string, node: Node): PolicyRefinement {
    return { signalType, id, annotations: this.annotations(file, map), location: this.loc(file, node) };
  }

  // ---- v2 sections ----

  private v2Signals(file: ParsedFile, out: PolicyRegistry): void {
    const doc = file.doc;
    const root = asMap(doc, doc.contents);
    if (!root) return;

    for (const group of getMapItems(doc, root, 'attribute_groups')) {
      const id = getString(doc, group, 'id');
      if (!id || getString(doc, group, 'visibility')?.value !== 'public') continue;
      out.attributeGroups.push({
        ...this.common(file, group, trimAllPrefix(id.value, 'attribute_group.'), id.node),
        attributes: this.usesOfGroup(id.value),
      });
    }
    for (const metric of getMapItems(doc, root, 'metrics')) {
      const name = getString(doc, metric, 'name');
      if (!name) continue;
      out.metrics.push({
        ...this.common(file, metric, name.value, name.node),
        instrument: getString(doc, metric, 'instrument')?.value ?? '',
        unit: scalarText(file, metric, 'unit'),
        attributes: this.usesOfList(file, metric, 'attributes'),
        entityAssociations: this.entityAssociations(file, metric),
      });
    }
    for (const event of getMapItems(doc, root, 'events')) {
      const name = getString(doc, event, 'name');
      if (!name) continue;
      out.events.push({
        ...this.common(file, event, name.value, name.node),
        attributes: this.usesOfList(file, event, 'attributes'),
        entityAssociations: this.entityAssociations(file, event),
      });
    }
    for (const span of getMapItems(doc, root, 'spans')) {
      const type = getString(doc, span, 'type');
      if (!type) continue;
      out.spans.push({
        // A v2 span `x` becomes the v1 group `span.x`, and the conversion back strips every `span.`.
        ...this.common(file, span, trimAllPrefix(`span.${type.value}`, 'span.'), type.node),
        kind: getString(doc, span, 'kind')?.value ?? 'internal',
        attributes: this.usesOfList(file, span, 'attributes'),
        entityAssociations: this.entityAssociations(file, span),
      });
    }
    for (const entity of getMapItems(doc, root, 'entities')) {
      const type = getString(doc, entity, 'type');
      if (!type) continue;
      out.entities.push({
        // Same round trip as spans: `entity.x` as a v1 group id, every leading `entity.` stripped back.
        ...this.common(file, entity, trimAllPrefix(`entity.${type.value}`, 'entity.'), type.node),
        identity: this.usesOfList(file, entity, 'identity'),
        description: this.usesOfList(file, entity, 'description'),
      });
    }
    for (const signalType of ['span', 'metric', 'event', 'entity'] as const) {
      for (const refinement of getMapItems(doc, root, `${signalType}_refinements`)) {
        const id = getString(doc, refinement, 'id');
        // As a v1 group a refinement keeps its id; the conversion back strips every leading `<kind>.`.
        if (id) out.refinements.push(this.refinement(file, refinement, signalType, trimAllPrefix(id.value, `${signalType}.`), id.node));
      }
    }
  }
}

function scalarText(file: ParsedFile, map: YAMLMap<unknown, unknown>, key: string): string {
  const node = getNode(file.doc, map, key);
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : '';
}
