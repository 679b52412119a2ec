import { relative, resolve, sep } from 'node:path';
import type { LoadedRegistry } from '../loadRegistry';
import { manifestModel } from '../manifest';
import type { ParsedFile } from '../parsedFile';
import {
  GROUP_FIELDS,
  type GroupLineage,
  type JsonObject,
  type JsonValue,
  type Provenance,
  type ResolvedAttribute,
  type ResolvedGroup,
  type RegistryOrigin,
  type ResolvedRegistry,
  type SignalView,
  type SourceLocation,
} from '../resolved/types';
import { defineAttribute, isPrefixedRef, overlayReference, presentFields, referenceAttribute, type RootAttribute } from './attributes';
import type { ResolveError } from './errors';
import { v1GroupSpecs, type AttributeSpec, type GroupSpec } from './groupSpec';
import { normalizeDeprecated, normalizeNested, normalizeStability } from './normalize';
import { collectImports, emptyImports, importFieldOf, importKeys, isImported, type ImportPatterns } from './imports';
import { loaderErrors } from './loaderErrors';
import { unmatchedImports, type ImportCandidate } from './unmatchedImports';
import { publishedGroupSpecs, type PublishedAttributeRoots, type PublishedRegistry } from './published';
import { v2GroupSpecs } from './v2Spec';

/** Weaver's schema URL for a registry whose manifest names none (or that has no manifest). */
export const DEFAULT_SCHEMA_URL = 'https://default/0.1.0';

export interface ResolveOptions {
  /** `registry_url` of the result; weaver writes the registry location it was given. */
  registryUrl?: string;
  /** How a file is named in provenances; default: relative to the working directory, like weaver. */
  provenancePath?: (absolutePath: string) => string;
  /** Resolved files of published dependencies by folder (see `loadPublishedDependencies`). */
  published?: ReadonlyMap<string, PublishedRegistry>;
  /** `definitions` for the resolved/2.0 form (see `PublishedAttributeRoots`); `signals` by default. */
  publishedAttributeRoots?: PublishedAttributeRoots;
  /**
   * Build only the resolved groups that come from dependencies (through `imports`), not the registry's
   * own: for a check, which needs the errors and what the registry imports, not the resolved output.
   */
  importedGroupsOnly?: boolean;
}

export interface ResolveResult {
  /** Present when resolution succeeded (no error). */
  registry?: ResolvedRegistry;
  errors: ResolveError[];
  /**
   * What weaver reports without failing (manifest deprecations, unmatched imports): never stops the
   * resolution. Absent when there is none.
   */
  warnings?: ResolveError[];
}

interface RegistryInfo {
  schemaUrl: string;
  loaded: LoadedRegistry;
  /** Indices (into the registry list) of its loaded dependencies. */
  dependencies: number[];
  imports: ImportPatterns;
  /** Set for a published dependency: its resolved file stands for its definitions. */
  published?: PublishedRegistry;
  declaredSchemaUrl?: string;
}

/** A group on its way through resolution. */
interface WorkGroup {
  spec: GroupSpec;
  provenance: Provenance;
  prefix: string;
  pendingAttributes: GroupSpec['attributes'];
  attributes: ResolvedAttribute[];
  lineage: GroupLineage;
  /**
   * The reference behind each attribute that came from a `ref` (directly or through a parent), with
   * its root: a child's reference to the same attribute is merged over it, as weaver merges them.
   */
  refs: Map<string, { spec: AttributeSpec; root: RootAttribute }>;
  /** Groups whose attributes still have to be copied in (extends, include, ref_group). */
  parents: Array<{ id: string; via: 'extends' | 'include' | 'ref_group'; location: SourceLocation }>;
}

/** The registry and its local dependencies, depth first; returns the registry's index. */
function collectRegistries(
  loaded: LoadedRegistry,
  into: RegistryInfo[],
  seen: Map<string, number>,
  published: ReadonlyMap<string, PublishedRegistry>,
  declaredSchemaUrl?: string,
): number {
  const known = seen.get(loaded.root);
  if (known !== undefined) return known;
  const manifest = loaded.manifest ? manifestModel(loaded.manifest) : undefined;
  const imports = emptyImports();
  for (const file of loaded.files) collectImports(file, imports);
  // A dependency without a manifest is known by the schema URL its dependant declares for it.
  const info: RegistryInfo = { schemaUrl: manifest?.schemaUrl ?? declaredSchemaUrl ?? DEFAULT_SCHEMA_URL, loaded, dependencies: [], imports };
  if (declaredSchemaUrl !== undefined) info.declaredSchemaUrl = declaredSchemaUrl;
  const index = into.length;
  into.push(info);
  seen.set(loaded.root, index);
  for (const dep of loaded.dependencies) {
    if (dep.registry) info.dependencies.push(collectRegistries(dep.registry, into, seen, published, dep.declared.schemaUrl));
    const pub = dep.unavailable?.reason === 'published' ? published.get(resolve(dep.unavailable.detail)) : undefined;
    if (pub) info.dependencies.push(publishedRegistry(pub, into, seen, dep.declared.schemaUrl));
  }
  return index;
}

function publishedRegistry(pub: PublishedRegistry, into: RegistryInfo[], seen: Map<string, number>, declaredSchemaUrl: string | undefined): number {
  const known = seen.get(pub.dir);
  if (known !== undefined) return known;
  const index = into.length;
  const info: RegistryInfo = { schemaUrl: pub.schemaUrl, loaded: { root: pub.dir, files: [], dependencies: [] }, dependencies: [], imports: emptyImports(), published: pub };
  if (declaredSchemaUrl !== undefined) info.declaredSchemaUrl = declaredSchemaUrl;
  into.push(info);
  seen.set(pub.dir, index);
  return index;
}

/**
 * The groups a registry exposes: its own (internal ones excepted) and those of its dependencies'
 * exposed groups that its `imports` name.
 */
function exposedGroups(index: number, registries: RegistryInfo[], work: WorkGroup[], memo: Map<number, WorkGroup[]>): WorkGroup[] {
  const cached = memo.get(index);
  if (cached) return cached;
  memo.set(index, []); // a dependency cycle contributes nothing the second time round
  const info = registries[index] as RegistryInfo;
  const own = work.filter((g) => g.spec.registryIndex === index && !g.spec.internal);
  const imported: WorkGroup[] = [];
  for (const dep of info.dependencies) {
    for (const g of exposedGroups(dep, registries, work, memo)) {
      if (g.spec.published) {
        // A published signal is named by its id alone.
        const field = importFieldOf(g.spec.type);
        if (field && info.imports[field].some((re) => re.test(g.spec.id)) && !imported.includes(g)) imported.push(g);
        continue;
      }
      const key = {
        id: g.spec.id,
        type: g.spec.type,
        v2: g.spec.file.kind === 'v2',
        ...(typeof g.spec.values.name === 'string' ? { name: g.spec.values.name } : {}),
        ...(typeof g.spec.values.metric_name === 'string' ? { metricName: g.spec.values.metric_name } : {}),
      };
      if (isImported(info.imports, key) && !imported.includes(g)) imported.push(g);
    }
  }
  const out = [...own, ...imported];
  memo.set(index, out);
  return out;
}

function groupSpecsOf(file: ParsedFile, registryIndex: number, provenancePath: string): GroupSpec[] {
  if (file.kind === 'v1') return v1GroupSpecs(file, registryIndex);
  if (file.kind === 'v2') return v2GroupSpecs(file, registryIndex, provenancePath);
  return [];
}

/** `relative(cwd, p) || p`, with the common case (a file under cwd) a string slice. */
function relativeToCwd(cwd: string): (p: string) => string {
  const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  return (p) => (p.startsWith(prefix) && !p.includes(`${sep}..`) && !p.includes(`${sep}.${sep}`) ? p.slice(prefix.length) : relative(cwd, p) || p);
}

/**
 * Resolves a loaded registry as `weaver registry resolve` does: attribute references (with field
 * overrides and lineage), then `extends`, `include` and `ref_group` (transitively), then weaver's
 * duplicate checks. Groups of dependency registries take part in resolution (their attributes can be
 * referenced, their groups extended); the result holds the main registry's groups and the dependency
 * groups its `imports` name (transitively, through what each dependency itself imports).
 */
export function resolveRegistry(loaded: LoadedRegistry, options: ResolveOptions = {}): ResolveResult {
  const provenancePath = options.provenancePath ?? relativeToCwd(process.cwd());
  // Weaver's loader refuses a bad manifest or dependency graph before resolving anything.
  const loader = loaderErrors(loaded, provenancePath);
  const warnings = [...loader.warnings];
  const withWarnings = (result: ResolveResult): ResolveResult => (warnings.length > 0 ? { ...result, warnings } : result);
  if (loader.error) return withWarnings({ errors: [loader.error] });

  const registries: RegistryInfo[] = [];
  collectRegistries(loaded, registries, new Map(), options.published ?? new Map());

  // Dependencies first: weaver resolves them before the registry that depends on them.
  const work: WorkGroup[] = [];
  for (let index = registries.length - 1; index >= 0; index--) {
    const info = registries[index] as RegistryInfo;
    const sources: Array<{ path: string; specs: GroupSpec[] }> = info.published
      ? [{ path: '', specs: publishedGroupSpecs(info.published, index, options.publishedAttributeRoots) }]
      : info.loaded.files.map((file) => {
          const path = provenancePath(file.path);
          return { path, specs: groupSpecsOf(file, index, path) };
        });
    for (const { path, specs } of sources) {
      for (const spec of specs) {
        const provenance: Provenance = { schema_url: info.schemaUrl, path };
        const parents: WorkGroup['parents'] = [];
        if (spec.extends !== undefined) parents.push({ id: spec.extends.id, via: 'extends', location: spec.extends.location });
        for (const include of spec.includes) parents.push({ id: include.id, via: 'include', location: include.location });
        for (const rg of spec.refGroups) parents.push({ id: rg.id, via: 'ref_group', location: rg.location });
        work.push({
          spec,
          provenance,
          prefix: typeof spec.values.prefix === 'string' ? spec.values.prefix : '',
          pendingAttributes: [...spec.attributes],
          attributes: [],
          lineage: { provenance, attributes: {} },
          refs: new Map(),
          parents,
        });
      }
    }
  }

  const errors: ResolveError[] = [];
  checkDuplicateGroups(work, errors);
  checkDuplicateAttributes(work, errors);
  checkDuplicateMetricNames(work, errors);

  resolveAttributeReferences(work, errors, unavailableDependencies(registries));
  resolveParents(work, errors);
  checkEntityRefinements(work, errors);

  warnings.push(...importWarnings(registries, work));
  if (errors.length > 0) return withWarnings({ errors });

  const byId = groupIndex(work);
  const views = new Map<WorkGroup, SignalView | undefined>();
  const groups = exposedGroups(0, registries, work, new Map())
    .filter((g) => !options.importedGroupsOnly || g.spec.registryIndex !== 0)
    .map((g) => toResolvedGroup(g, signalView(g, byId, views)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const origins: RegistryOrigin[] = registries.map((info) => {
    const origin: RegistryOrigin = { root: info.loaded.root, schemaUrl: info.schemaUrl };
    if (info.declaredSchemaUrl !== undefined) origin.declaredSchemaUrl = info.declaredSchemaUrl;
    return origin;
  });
  return withWarnings({ registry: { registry_url: options.registryUrl ?? loaded.root, groups, registries: origins }, errors });
}

/**
 * The registry's `imports` patterns that name nothing its dependencies offer. Only asked when every
 * dependency is visible here: a remote one may well hold what a pattern names.
 */
function importWarnings(registries: RegistryInfo[], work: WorkGroup[]): ResolveError[] {
  const info = registries[0];
  if (!info || info.dependencies.length === 0 || info.dependencies.length !== info.loaded.dependencies.length) return [];
  const memo = new Map<number, WorkGroup[]>();
  const candidates: ImportCandidate[] = [];
  for (const dep of info.dependencies) {
    for (const g of exposedGroups(dep, registries, work, memo)) {
      const field = importFieldOf(g.spec.type);
      if (!field) continue;
      if (g.spec.published) {
        candidates.push({ field, keys: [g.spec.id] });
        continue;
      }
      const keys = importKeys({
        id: g.spec.id,
        type: g.spec.type,
        v2: g.spec.file.kind === 'v2',
        ...(typeof g.spec.values.name === 'string' ? { name: g.spec.values.name } : {}),
        ...(typeof g.spec.values.metric_name === 'string' ? { metricName: g.spec.values.metric_name } : {}),
      });
      candidates.push({ field, keys });
    }
  }
  return unmatchedImports(info.loaded.files, candidates);
}

function provenanceJson(p: Provenance): JsonObject {
  return { schema_url: p.schema_url, path: p.path };
}

function uniqueProvenances(groups: WorkGroup[]): JsonObject[] {
  const seen = new Set<string>();
  const out: JsonObject[] = [];
  for (const g of groups) {
    const key = `${g.provenance.schema_url}\n${g.provenance.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(provenanceJson(g.provenance));
  }
  return out;
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function checkDuplicateGroups(work: WorkGroup[], errors: ResolveError[]): void {
  // Each registry is checked on its own: a dependency may define what its dependant also defines.
  for (const groups of groupBy(work, (g) => (g.spec.published ? undefined : `${g.spec.registryIndex}\n${g.spec.id}`)).values()) {
    const id = (groups[0] as WorkGroup).spec.id;
    if (groups.length < 2) continue;
    const [first, ...rest] = groups as [WorkGroup, ...WorkGroup[]];
    for (const dup of rest) {
      errors.push({
        kind: 'DuplicateGroupId',
        fields: { group_id: id, provenances: uniqueProvenances(groups) },
        message: `Group id '${id}' is defined ${groups.length} times (first in ${first.provenance.path}). Give each group a unique id.`,
        location: dup.spec.location,
        related: groups.filter((g) => g !== dup).map((g) => g.spec.location),
      });
      break; // weaver reports each duplicated id once
    }
  }
}

function checkDuplicateAttributes(work: WorkGroup[], errors: ResolveError[]): void {
  const definitions: Array<{ name: string; key: string; group: WorkGroup; location: SourceLocation }> = [];
  for (const g of work) {
    if (g.spec.type !== 'attribute_group' || g.spec.published) continue;
    for (const a of g.spec.attributes) {
      if (a.kind !== 'id') continue;
      const name = g.prefix ? `${g.prefix}.${a.key}` : a.key;
      definitions.push({ name, key: `${g.spec.registryIndex}\n${name}`, group: g, location: a.location });
    }
  }
  for (const defs of groupBy(definitions, (d) => d.key).values()) {
    if (defs.length < 2) continue;
    const name = (defs[0] as (typeof defs)[number]).name;
    const groupIds = defs.map((d) => d.group.spec.id).sort();
    const last = defs[defs.length - 1] as (typeof defs)[number];
    errors.push({
      kind: 'DuplicateAttributeId',
      fields: { group_ids: groupIds, attribute_id: name },
      message: `Attribute '${name}' is defined ${defs.length} times (in ${[...new Set(groupIds)].join(', ')}). Define it once and use 'ref' elsewhere.`,
      location: last.location,
      related: defs.slice(0, -1).map((d) => d.location),
    });
  }
}

function checkDuplicateMetricNames(work: WorkGroup[], errors: ResolveError[]): void {
  const metrics = work.filter((g) => g.spec.type === 'metric' && !g.spec.published);
  const metricKey = (g: WorkGroup) => (typeof g.spec.values.metric_name === 'string' ? `${g.spec.registryIndex}\n${g.spec.values.metric_name}` : undefined);
  for (const groups of groupBy(metrics, metricKey).values()) {
    if (groups.length < 2) continue;
    const name = String((groups[0] as WorkGroup).spec.values.metric_name);
    const last = groups[groups.length - 1] as WorkGroup;
    errors.push({
      kind: 'DuplicateMetricName',
      fields: { metric_name: name, provenances: uniqueProvenances(groups) },
      message: `Metric name '${name}' is used by ${groups.length} groups (${groups.map((g) => g.spec.id).join(', ')}). Each metric needs its own name.`,
      location: last.spec.location,
      related: groups.slice(0, -1).map((g) => g.spec.location),
    });
  }
}

/**
 * Weaver's iterative reference resolution: definitions register root attributes as they are met,
 * references resolve once their root exists; rounds repeat while they make progress.
 */
/** Dependencies declared but not loadable in process (remote, archived, published, missing), described. */
function unavailableDependencies(registries: RegistryInfo[]): string[] {
  const out: string[] = [];
  for (const info of registries) {
    for (const dep of info.loaded.dependencies) {
      if (dep.unavailable) out.push(`${dep.declared.registryPath ?? dep.declared.schemaUrl ?? dep.declared.name ?? 'a dependency'} (${dep.unavailable.reason})`);
    }
  }
  return out;
}

function resolveAttributeReferences(work: WorkGroup[], errors: ResolveError[], unavailable: string[] = []): void {
  const roots = new Map<string, RootAttribute>();
  for (;;) {
    let resolved = 0;
    let unresolved = 0;
    for (const g of work) {
      const still: GroupSpec['attributes'] = [];
      for (const spec of g.pendingAttributes) {
        if (spec.kind === 'id') {
          const attribute = defineAttribute(spec, g.prefix);
          attribute.origin = g.spec.registryIndex;
          roots.set(attribute.name, { attribute, groupId: g.spec.published?.rootGroupId ?? g.spec.id });
          g.attributes.push(attribute);
          resolved++;
          continue;
        }
        const root = roots.get(spec.key);
        if (!root) {
          still.push(spec);
          unresolved++;
          continue;
        }
        const { attribute, lineage } = referenceAttribute(spec, root, g.prefix);
        if (isPrefixedRef(spec, g.prefix)) roots.set(attribute.name, { attribute, groupId: g.spec.id });
        g.attributes.push(attribute);
        g.lineage.attributes[attribute.name] = lineage;
        g.refs.set(attribute.name, { spec, root });
        resolved++;
      }
      g.pendingAttributes = still;
    }
    if (unresolved === 0 || resolved === 0) break;
  }
  for (const g of work) {
    for (const spec of g.pendingAttributes) {
      errors.push({
        kind: 'UnresolvedAttributeRef',
        fields: { group_id: g.spec.id, attribute_ref: spec.key, provenance: provenanceJson(g.provenance) },
        message:
          `Attribute reference '${spec.key}' in group '${g.spec.id}' matches no attribute of the registry or its dependencies. Define it, fix the name, or add the registry that defines it as a dependency.` +
          (unavailable.length > 0 ? ` Not loaded natively, so not searched: ${unavailable.join(', ')}.` : ''),
        location: spec.location,
      });
    }
  }
}

/**
 * `extends`, `include` and `ref_group`: a group takes its parents' attributes once every parent is
 * itself complete, so chains resolve in order; what remains after a round without progress is either
 * missing or part of a cycle.
 */
/** Groups by id (the first of duplicates), published signals also under `span.<type>`, `metric.<name>`... */
function groupIndex(work: WorkGroup[]): Map<string, WorkGroup> {
  const byId = new Map<string, WorkGroup>();
  for (const g of work) if (!byId.has(g.spec.id)) byId.set(g.spec.id, g);
  // A published signal keeps its bare name as id; refinements name it `span.<type>`, `metric.<name>`...
  for (const g of work) {
    const alias = g.spec.published && g.spec.type !== 'attribute_group' ? `${g.spec.type}.${g.spec.id}` : undefined;
    if (alias && !byId.has(alias)) byId.set(alias, g);
  }
  return byId;
}

function resolveParents(work: WorkGroup[], errors: ResolveError[]): void {
  const byId = groupIndex(work);
  const done = new Set<WorkGroup>(work.filter((g) => g.parents.length === 0));
  for (;;) {
    let progress = 0;
    for (const g of work) {
      if (done.has(g)) continue;
      const parents = g.parents.map((p) => byId.get(p.id));
      if (parents.some((p) => !p || !done.has(p))) continue;
      g.parents.forEach((p, i) => inherit(g, parents[i] as WorkGroup, p.via));
      done.add(g);
      progress++;
    }
    if (progress === 0) break;
  }
  for (const g of work) {
    if (done.has(g)) continue;
    for (const p of g.parents) {
      const target = byId.get(p.id);
      if (target && done.has(target)) continue;
      const cyclic = target !== undefined && reachesBack(target, g, byId);
      const reason = cyclic
        ? `is part of an extends/include cycle through '${p.id}'`
        : target
          ? `names group '${p.id}', which is itself unresolved`
          : `names group '${p.id}', which does not exist`;
      const fields: JsonObject =
        p.via === 'extends'
          ? { group_id: g.spec.id, extends_ref: p.id, provenance: provenanceJson(g.provenance) }
          : p.via === 'include'
            ? { group_id: g.spec.id, include_ref: p.id, provenance: provenanceJson(g.provenance) }
            : { group_id: g.spec.id, group_ref: p.id, provenance: provenanceJson(g.provenance) };
      errors.push({
        kind: p.via === 'extends' ? 'UnresolvedExtendsRef' : p.via === 'include' ? 'UnresolvedIncludeRef' : 'UnresolvedGroupRef',
        fields,
        message: `The ${p.via} of group '${g.spec.id}' ${reason}. ${cyclic ? 'Break the cycle.' : target ? 'Fix the errors of that group first.' : 'Fix the id or define that group.'}`,
        location: p.location,
        cause: cyclic ? 'cycle' : target ? 'unresolved-target' : 'missing',
      });
    }
  }
}

/**
 * An entity refinement refines attributes under the role they have in the entity: an identifying
 * attribute stays under `identity`, and `identity` cannot gain attributes the entity does not
 * identify by.
 */
function checkEntityRefinements(work: WorkGroup[], errors: ResolveError[]): void {
  const byId = new Map<string, WorkGroup>();
  for (const g of work) if (!byId.has(g.spec.id)) byId.set(g.spec.id, g);
  for (const g of work) {
    if (g.spec.refines !== 'entity' || !g.spec.extends) continue;
    const base = byId.get(g.spec.extends.id);
    if (!base) continue;
    const baseRoles = new Map(base.attributes.map((a) => [a.name, a.role] as const));
    for (const spec of g.spec.attributes) {
      const role = spec.values.role;
      const name = spec.key;
      const identifyingInBase = baseRoles.get(name) === 'identifying';
      const changed = (role === 'identifying' && !identifyingInBase) || (role === 'descriptive' && identifyingInBase);
      if (!changed) continue;
      errors.push({
        kind: 'EntityRefinementChangedIdentity',
        fields: { refinement_id: g.spec.id, ref: base.spec.id, attribute_id: name, role: role as string, provenance: provenanceJson(g.provenance) },
        message:
          role === 'identifying'
            ? `Refinement '${g.spec.id}' lists '${name}' under identity, but '${base.spec.id}' does not identify by it. Refinements cannot change an entity's identity: move it under description.`
            : `Refinement '${g.spec.id}' lists '${name}' under description, but it identifies '${base.spec.id}'. Refine it under identity.`,
        location: spec.location,
      });
    }
  }
}

function reachesBack(from: WorkGroup, target: WorkGroup, byId: Map<string, WorkGroup>): boolean {
  const seen = new Set<WorkGroup>();
  const stack = [from];
  while (stack.length > 0) {
    const g = stack.pop() as WorkGroup;
    if (g === target) return true;
    if (seen.has(g)) continue;
    seen.add(g);
    for (const p of g.parents) {
      const next = byId.get(p.id);
      if (next) stack.push(next);
    }
  }
  return false;
}

/**
 * Copies a parent's attributes into a child. The child's own attribute wins; when both are references
 * to the same attribute, the child's fields are laid over the parent's reference (so a child that only
 * changes the brief keeps the parent's requirement level). Lineage: what the parent got from a
 * reference keeps that reference's lineage; what the parent defined or inherited itself is recorded as
 * coming from the parent, every present field inherited.
 */
function inherit(child: WorkGroup, parent: WorkGroup, via: 'extends' | 'include' | 'ref_group'): void {
  const index = new Map(child.attributes.map((a, i) => [a.name, i] as const));
  for (const attr of parent.attributes) {
    const existing = index.get(attr.name);
    if (existing !== undefined) {
      const own = child.refs.get(attr.name);
      const inherited = parent.refs.get(attr.name);
      if (own && inherited && own.root === inherited.root) {
        const merged: AttributeSpec = { ...own.spec, values: { ...inherited.spec.values, ...own.spec.values } };
        const { attribute, lineage } = referenceAttribute(merged, own.root, child.prefix);
        child.attributes[existing] = attribute;
        child.lineage.attributes[attr.name] = lineage;
        child.refs.set(attr.name, { spec: merged, root: own.root });
      } else if (own && parent.spec.published) {
        // A published signal's attributes are final: a refinement changes only what it sets.
        child.attributes[existing] = overlayReference(own.spec, attr);
      }
      continue;
    }
    index.set(attr.name, child.attributes.length);
    child.attributes.push(attr);
    const ref = parent.refs.get(attr.name);
    const lineage = parent.lineage.attributes[attr.name];
    if (ref && lineage) {
      child.lineage.attributes[attr.name] = lineage;
      child.refs.set(attr.name, ref);
    } else {
      child.lineage.attributes[attr.name] = { source_group: parent.spec.id, inherited_fields: presentFields(attr), locally_overridden_fields: [] };
    }
  }
  if (via === 'extends') child.lineage.extends_group = parent.spec.id;
}

const SIGNAL_KINDS = new Set<string>(['span', 'metric', 'event', 'entity', 'attribute_group']);
const SIGNAL_FIELDS = ['brief', 'note', 'stability', 'deprecated', 'annotations', 'entity_associations'] as const;

/** The name a signal is known by in the v2 forms. */
function signalName(g: WorkGroup): string {
  const v = g.spec.values;
  const strip = (prefix: string) => (g.spec.id.startsWith(prefix) ? g.spec.id.slice(prefix.length) : g.spec.id);
  switch (g.spec.type) {
    case 'metric':
      return typeof v.metric_name === 'string' ? v.metric_name : strip('metric.');
    case 'span':
      return g.spec.published || g.spec.file.kind === 'v2' ? String(v.name ?? strip('span.')) : strip('span.');
    case 'event':
    case 'entity':
      return typeof v.name === 'string' ? v.name : strip(`${g.spec.type}.`);
    default:
      return g.spec.id;
  }
}

/** Own signal-level fields: the group's fields a v2 signal carries, plus the v2-only extras. */
function ownSignalFields(g: WorkGroup): JsonObject {
  const v = g.spec.values;
  const out: JsonObject = {};
  if (v.span_kind !== undefined && v.span_kind !== null) out.kind = v.span_kind;
  if (v.instrument !== undefined && v.instrument !== null) out.instrument = v.instrument;
  if (v.unit !== undefined && v.unit !== null) out.unit = v.unit;
  for (const key of SIGNAL_FIELDS) {
    let value: JsonValue | undefined = v[key];
    if (key === 'stability') value = normalizeStability(value);
    if (key === 'deprecated') value = normalizeDeprecated(value);
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return { ...out, ...(g.spec.signalExtras ?? {}) };
}

/** A group as a v2 signal or refinement; a refinement's fields lie over those of what it refines. */
function signalView(g: WorkGroup, byId: Map<string, WorkGroup>, memo: Map<WorkGroup, SignalView | undefined>, depth = 0): SignalView | undefined {
  if (memo.has(g)) return memo.get(g);
  let view: SignalView | undefined;
  const kind = g.spec.type;
  const synthetic = g.spec.file.kind === 'v2' && g.spec.values.brief === '<synthetic v2>' && kind === 'attribute_group';
  if (SIGNAL_KINDS.has(kind) && !synthetic && depth < 64) {
    const base = g.spec.refines && g.spec.extends ? byId.get(g.spec.extends.id) : undefined;
    const baseView = base ? signalView(base, byId, memo, depth + 1) : undefined;
    view = baseView
      ? { kind: baseView.kind, name: baseView.name, refinement: true, fields: { ...baseView.fields, ...ownSignalFields(g) } }
      : { kind: kind as SignalView['kind'], name: signalName(g), refinement: g.spec.refines !== undefined, fields: ownSignalFields(g) };
  }
  memo.set(g, view);
  return view;
}

function toResolvedGroup(g: WorkGroup, signal: SignalView | undefined): ResolvedGroup {
  const fields: JsonObject = {};
  for (const key of GROUP_FIELDS) {
    let value: JsonValue | undefined = g.spec.values[key];
    if (key === 'stability') value = normalizeStability(value);
    if (key === 'deprecated') value = normalizeDeprecated(value);
    if (key === 'body') value = normalizeNested(value);
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (key === 'note' && value === '') continue;
    if (key === 'prefix' && value === '') continue;
    fields[key] = value;
  }
  if (fields.brief === undefined) fields.brief = '';
  const group: ResolvedGroup = { id: g.spec.id, type: g.spec.type, fields, attributes: g.attributes, lineage: g.lineage, location: g.spec.location };
  if (g.spec.published) group.fromPublished = true;
  group.origin = g.spec.registryIndex;
  if (signal) group.signal = signal;
  return group;
}
