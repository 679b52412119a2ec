import { attributeFields } from '../resolve/attributes';
import type { ResolvedGroup, ResolvedRegistry } from '../resolved/types';
import { attributeOf, common, type GroupType, type Obj, type RegistryView, type ViewAttribute, type ViewGroup } from './registryView';
import { canonicalJson } from '../resolve/normalize';

/**
 * The reporting view of a resolved registry, which is what weaver computes its statistics and
 * diffs on: a group's attribute count includes what it inherits through `extends`, `include` and
 * `ref_group`; registry attributes are those of the `registry.*` attribute groups (weaver's
 * `registry_attribute_map`, which v2 `attributes:` sections join as `registry.<file path>` groups);
 * the catalog is weaver's de-duplicated attribute catalog. Visibility of v2 attribute groups and
 * the manifest's version come from the definitions view (the resolved form does not carry them).
 */

const GROUP_TYPES = new Set<GroupType>(['attribute_group', 'span', 'event', 'metric', 'metric_group', 'entity', 'scope']);

function groupTypeOf(type: string): GroupType {
  if (type === 'resource') return 'entity';
  return GROUP_TYPES.has(type as GroupType) ? (type as GroupType) : 'undefined';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function viewGroup(g: ResolvedGroup, visibility: ReadonlyMap<string, string>): ViewGroup {
  const fields = g.fields as Obj;
  const type = groupTypeOf(g.type);
  const out: ViewGroup = { id: g.id, type, prefix: str(fields.prefix) ?? '', attributeCount: g.attributes.length, ...common(fields, g.location.file) };
  const seen = visibility.get(g.id);
  if (seen) out.visibility = seen;
  switch (type) {
    case 'metric': {
      const name = str(fields.metric_name);
      if (name) out.signalName = name;
      const instrument = str(fields.instrument);
      if (instrument) out.instrument = instrument;
      out.unit = str(fields.unit) ?? '';
      break;
    }
    case 'event':
    case 'entity': {
      const name = str(fields.name) ?? (g.id.startsWith(`${type}.`) ? g.id.slice(type.length + 1) : undefined);
      if (name) out.signalName = name;
      if (type === 'entity') out.identityLength = g.attributes.filter((a) => a.role === 'identifying').length;
      break;
    }
    case 'span': {
      // Weaver's v2 span type is the group id without its `span.` prefix.
      out.signalName = g.id.startsWith('span.') ? g.id.slice('span.'.length) : g.id;
      const kind = str(fields.span_kind);
      if (kind) out.spanKind = kind;
      break;
    }
    default:
      break;
  }
  return out;
}

export function resolvedRegistryView(resolved: ResolvedRegistry, definitions: RegistryView): RegistryView {
  const visibility = new Map<string, string>();
  for (const g of definitions.groups) if (g.visibility) visibility.set(g.id, g.visibility);
  const groups = resolved.groups.map((g) => viewGroup(g, visibility));

  const registryAttributes = new Map<string, ViewAttribute>();
  const catalog = new Map<string, ViewAttribute>();
  for (const g of resolved.groups) {
    const registryGroup = g.type === 'attribute_group' && g.id.startsWith('registry.');
    for (const a of g.attributes) {
      const fields = attributeFields(a) as Obj;
      const key = canonicalJson(fields);
      const view = attributeOf(fields, a.name, a.location.file);
      if (!catalog.has(key)) catalog.set(key, view);
      if (registryGroup && !registryAttributes.has(a.name)) registryAttributes.set(a.name, view);
    }
  }
  const byKey = (x: ViewAttribute, y: ViewAttribute) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  const view: RegistryView = {
    root: definitions.root,
    fileCount: definitions.fileCount,
    groups,
    attributes: [...registryAttributes.values()].sort(byKey),
    catalog: [...catalog.values()],
    source: 'resolved',
  };
  if (definitions.schemaUrl) view.schemaUrl = definitions.schemaUrl;
  if (definitions.version) view.version = definitions.version;
  return view;
}
