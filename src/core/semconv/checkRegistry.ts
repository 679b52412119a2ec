import { relative as relativePath, resolve as resolvePath } from 'node:path';
import { compareDiagnostics, type RegistryDiagnostic } from '../engine/diagnostic';
import type { RegistrySummary } from '../engine/registryEngine';
import { checkDeprecatedRefsCached, definitionFilesWithDependencies, deprecatedAttributesCached } from './checkDeprecatedRefs';
import { checkDuplicatesCached } from './checkDuplicates';
import { addToIndex, checkRefsCached, definitionKey, emptyIndex, uncheckedRefs, type DefinitionIndex } from './checkRefs';
import { checkSchema } from './checkSchema';
import { checkSyntax } from './checkSyntax';
import { CHECK_CODES, diagnostic, type CheckCode } from './diagnostics';
import type { DependencyUnavailableReason, LoadedDependency, LoadedRegistry } from './loadRegistry';
import { fileModel, type FileModel } from './model';
import type { ParsedFile } from './parsedFile';
import { checkPolicies } from './policies/checkPolicies';
import type { ResolvedRegistry } from './resolved/types';
import type { ResolveError, ResolveErrorKind } from './resolve/errors';
import type { PublishedRegistry } from './resolve/published';
import { resolveRegistry } from './resolve/resolveRegistry';

export interface RegistryCheckResult {
  /** Every diagnostic, sorted by file and position. */
  diagnostics: RegistryDiagnostic[];
  /**
   * Diagnostics per checked file, with an (empty) entry for every file of the registry, so a caller
   * publishing per file can clear files that became clean.
   */
  byFile: Map<string, RegistryDiagnostic[]>;
  summary: RegistrySummary;
  /** Whether the policy packages ran (they do not when disabled or when the registry has errors). */
  policiesRan: boolean;
  /** Whether the resolver ran (it does not when disabled or when the fast checks found an error). */
  resolveRan: boolean;
}

/** Syntax and schema findings depend on one file's text only: kept per parse, like the parse itself. */
const perFileCache = new WeakMap<ParsedFile, RegistryDiagnostic[]>();

function fileDiagnostics(file: ParsedFile): RegistryDiagnostic[] {
  let found = perFileCache.get(file);
  if (!found) {
    found = [...checkSyntax(file), ...checkSchema(file)];
    perFileCache.set(file, found);
  }
  return found;
}

function definitionFiles(registry: LoadedRegistry): ParsedFile[] {
  return registry.files.filter((f) => f.kind === 'v1' || f.kind === 'v2');
}

/**
 * Collects the definition models of every loaded dependency, transitively. Returns false when some
 * dependency could not be loaded (remote, published, missing): its definitions are unknown, so a
 * reference that resolves nowhere locally may well resolve there, and reporting it would be a false alarm.
 */
function dependencyModels(registry: LoadedRegistry, into: FileModel[], seen = new Set<string>()): boolean {
  let complete = true;
  for (const dep of registry.dependencies) {
    if (!dep.registry) {
      complete = false;
      continue;
    }
    if (seen.has(dep.registry.root)) continue;
    seen.add(dep.registry.root);
    for (const file of definitionFiles(dep.registry)) into.push(fileModel(file));
    if (!dependencyModels(dep.registry, into, seen)) complete = false;
  }
  return complete;
}

/** The last definition index per registry root, with the models (own, then dependencies') it indexes. */
interface IndexMemo {
  models: FileModel[];
  index: DefinitionIndex;
}

const indexMemos = new Map<string, IndexMemo>();

/** Builds of the definition index (cache misses); lets tests prove a re-check reused it. */
export const definitionIndexCounter = { builds: 0 };

/**
 * The index of `models`, reusing the one built for `root` last time when every file still defines the
 * same ids: most keystrokes edit a brief or a ref, not a definition. Reuse keeps the index the same
 * object, which is what lets `checkRefsCached` keep the findings of files that did not change.
 */
function definitionIndex(root: string, models: readonly FileModel[]): DefinitionIndex {
  const memo = indexMemos.get(root);
  if (memo && memo.models.length === models.length) {
    let same = true;
    for (let i = 0; i < models.length && same; i++) {
      const before = memo.models[i] as FileModel;
      const now = models[i] as FileModel;
      same = before === now || definitionKey(before) === definitionKey(now);
    }
    if (same) {
      memo.models = [...models];
      return memo.index;
    }
  }
  definitionIndexCounter.builds++;
  const index = emptyIndex();
  for (const model of models) addToIndex(index, model);
  indexMemos.set(root, { models: [...models], index });
  return index;
}

function manifestDependencyDiagnostics(registry: LoadedRegistry): RegistryDiagnostic[] {
  const manifest = registry.manifest;
  if (!manifest) return [];
  const out: RegistryDiagnostic[] = [];
  for (const dep of registry.dependencies) {
    const finding = dep.unavailable && unavailableDependencyFinding(dep.declared, dep.unavailable);
    if (finding) out.push(diagnostic(manifest.path, dep.declared.range, 'error', finding[0], finding[1]));
  }
  return out;
}

/** The code and message of the error on the manifest line of a dependency that was not loaded. */
function unavailableDependencyFinding(
  declared: LoadedDependency['declared'],
  unavailable: NonNullable<LoadedDependency['unavailable']>,
): [CheckCode, string] | undefined {
  switch (unavailable.reason) {
    case 'not-found':
      // Weaver stops at a local dependency it cannot open: an error, as in its CI.
      return [
        CHECK_CODES.dependencyNotFound,
        `dependency registry_path '${declared.registryPath ?? ''}' is not a folder: looked for ${unavailable.detail} ` +
          '(relative to the registry folder, then to the working directory, from which weaver opens it). Fix the path, or run the check from the folder it is relative to',
      ];
    case 'archive':
      return [
        CHECK_CODES.dependencyNotFetched,
        `dependency '${unavailable.detail}' is an archive, which the native check does not unpack, so references into it could not be checked: ` +
          'unpack it and set registry_path to the folder, or run the check with --engine weaver',
      ];
    case 'remote':
      return [
        CHECK_CODES.dependencyNotFetched,
        `dependency '${declared.registryPath ?? declared.schemaUrl ?? declared.name ?? 'this dependency'}' is remote and is not fetched by the native check, so references into it could not be checked: ` +
          'check out the dependency and set registry_path to its local folder, or run the check with --engine weaver, which downloads it',
      ];
    case 'refused':
      return [
        CHECK_CODES.dependencyRefused,
        `dependency registry_path '${declared.registryPath ?? ''}' was not read: ${unavailable.detail}. ` +
          'A dependency must be the folder of another registry (not /, the home folder, or a folder holding this registry): point registry_path at it',
      ];
    default:
      return undefined;
  }
}

/**
 * Findings that say what was not read (a dependency not loaded) rather than that the registry is
 * wrong: they do not stop resolution and the policies, which check everything that was read.
 */
const NOT_BLOCKING = new Set<string>([CHECK_CODES.dependencyNotFetched, CHECK_CODES.dependencyNotFound, CHECK_CODES.refNotChecked]);

/** What each reason a dependency was not loaded means to a reader of a finding. */
const UNAVAILABLE_WORDS: Record<DependencyUnavailableReason, string> = {
  remote: 'not fetched',
  archive: 'archive not unpacked',
  'not-found': 'not found',
  refused: 'not read',
  published: 'published package not loaded',
  cycle: 'circular',
};

/**
 * The dependencies (at any depth) whose definitions the check could not see, described for messages:
 * `'otel' (https://.../v1.34.0.zip, not fetched)`. Published packages whose resolved files were loaded
 * and cycles (every registry of a cycle is loaded once) are not missing.
 */
function uncheckedDependencies(registry: LoadedRegistry, published: ReadonlyMap<string, PublishedRegistry> | undefined, seen = new Set<string>()): string[] {
  const out: string[] = [];
  for (const dep of registry.dependencies) {
    if (dep.registry) {
      if (seen.has(dep.registry.root)) continue;
      seen.add(dep.registry.root);
      out.push(...uncheckedDependencies(dep.registry, published, seen));
      continue;
    }
    const why = dep.unavailable?.reason;
    if (!why || why === 'cycle') continue;
    if (why === 'published' && published?.has(resolvePath(dep.unavailable!.detail))) continue;
    const where = dep.declared.registryPath ?? dep.declared.schemaUrl ?? 'its schema URL';
    const name = dep.declared.name ? `'${dep.declared.name}' (${where}, ${UNAVAILABLE_WORDS[why]})` : `'${where}' (${UNAVAILABLE_WORDS[why]})`;
    out.push(name);
  }
  return out;
}

export interface RegistryCheckOptions {
  /** Run the built-in semconv policy packages (default true). */
  policies?: boolean;
  /** The baseline registry the backwards-compatibility package compares against. */
  baseline?: LoadedRegistry;
  /**
   * Resolve the registry once the fast checks found no error (default true), reporting what only
   * resolution finds: extends/include/ref_group cycles, duplicate metric names, entity refinements
   * that change identity. Costs ~45 ms warm and 100-150 ms on a first run on semconv-main, so an
   * editor turns it off on every keystroke and runs it when idle.
   */
  resolve?: boolean;
  /** Resolved files of published dependencies by folder (see `loadPublishedDependencies`), for the resolver. */
  published?: ReadonlyMap<string, PublishedRegistry>;
}

/** The code each resolver error is reported under: weaver's error name, kebab-cased like CHECK_CODES. */
const RESOLVE_CODES: Record<ResolveErrorKind, CheckCode> = {
  DuplicateGroupId: CHECK_CODES.duplicateGroupId,
  DuplicateAttributeId: CHECK_CODES.duplicateAttributeId,
  DuplicateMetricName: CHECK_CODES.duplicateMetricName,
  UnresolvedAttributeRef: CHECK_CODES.unresolvedRef,
  UnresolvedExtendsRef: CHECK_CODES.unresolvedExtendsRef,
  UnresolvedIncludeRef: CHECK_CODES.unresolvedIncludeRef,
  UnresolvedGroupRef: CHECK_CODES.unresolvedGroupRef,
  EntityRefinementChangedIdentity: CHECK_CODES.entityRefinementChangedIdentity,
  InvalidRegistryManifest: CHECK_CODES.invalidRegistryManifest,
  InvalidPublicationManifest: CHECK_CODES.invalidPublicationManifest,
  CircularDependency: CHECK_CODES.circularDependency,
  MaximumDependencyDepth: CHECK_CODES.maximumDependencyDepth,
  DuplicateDependency: CHECK_CODES.duplicateDependency,
  InvalidSchemaUrlBadVersion: CHECK_CODES.invalidSchemaUrlBadVersion,
  LegacyRegistryManifest: CHECK_CODES.legacyRegistryManifest,
  DeprecatedSyntaxInRegistryManifest: CHECK_CODES.deprecatedSyntaxInRegistryManifest,
  UnmatchedImport: CHECK_CODES.unmatchedImport,
};

/**
 * What a finding means, so a fast check and the resolver saying the same thing at the same place count
 * once: every reference to a group that does not resolve is one meaning, whatever the keyword.
 */
function meaningOf(code: string): string {
  switch (code) {
    case CHECK_CODES.unresolvedExtendsRef:
    case CHECK_CODES.unresolvedIncludeRef:
      return CHECK_CODES.unresolvedGroupRef;
    default:
      return code;
  }
}

function findingKey(file: string, line: number, code: string): string {
  return `${file}\n${line}\n${meaningOf(code)}`;
}

/**
 * Whether the resolver sees every definition the registry can refer to. When some dependency is
 * remote or unreadable, a reference that resolves nowhere may resolve there: only cycles, which no
 * dependency can break, are then certain.
 */
function resolverSeesAllDependencies(registry: LoadedRegistry, published: ReadonlyMap<string, PublishedRegistry> | undefined, seen = new Set<string>()): boolean {
  for (const dep of registry.dependencies) {
    if (dep.registry) {
      if (seen.has(dep.registry.root)) continue;
      seen.add(dep.registry.root);
      if (!resolverSeesAllDependencies(dep.registry, published, seen)) return false;
      continue;
    }
    if (dep.unavailable?.reason === 'published' && published?.has(resolvePath(dep.unavailable.detail))) continue;
    return false;
  }
  return true;
}

function isCertain(error: ResolveError, dependenciesComplete: boolean): boolean {
  if (dependenciesComplete) return true;
  switch (error.kind) {
    case 'UnresolvedAttributeRef':
      return false;
    case 'UnresolvedExtendsRef':
    case 'UnresolvedIncludeRef':
    case 'UnresolvedGroupRef':
      return error.cause === 'cycle';
    default:
      return true;
  }
}

/**
 * Resolver errors as diagnostics, leaving out what is already reported (`already`, or an earlier error)
 * at the same line with the same meaning, and, when `dependenciesComplete` is false, what a dependency
 * the resolver could not see might make right.
 */
export function resolverDiagnostics(
  errors: readonly ResolveError[],
  already: Iterable<RegistryDiagnostic>,
  root: string,
  dependenciesComplete: boolean,
): RegistryDiagnostic[] {
  const reported = new Set<string>();
  for (const d of already) reported.add(findingKey(d.file, d.range.start.line, d.code));
  const out: RegistryDiagnostic[] = [];
  for (const error of errors) {
    if (!isCertain(error, dependenciesComplete)) continue;
    const d = resolveErrorDiagnostic(error, root);
    const key = findingKey(d.file, d.range.start.line, d.code);
    if (reported.has(key)) continue;
    reported.add(key);
    out.push(d);
  }
  return out;
}

function resolveErrorDiagnostic(error: ResolveError, root: string): RegistryDiagnostic {
  const places = error.related ?? [];
  const others = places.map((l) => `${relativePath(root, l.file) || l.file}:${l.range.start.line + 1}`);
  const message = others.length > 0 ? `${error.message} See also ${others.join(', ')}.` : error.message;
  const related = places.map((l, i) => ({ file: l.file, range: l.range, message: `also involved: ${others[i]}` }));
  return diagnostic(error.location.file, error.location.range, 'error', RESOLVE_CODES[error.kind], message, related);
}

/**
 * Runs every native check on a loaded registry, as `weaver registry check` does: per-file syntax and
 * schema (cached per parse), then the cross-file checks (duplicate ids, unresolved references) over the
 * small per-file models, then resolution (when nothing so far is an error), then the built-in policy
 * packages (when nothing at all is an error).
 */
export function checkRegistry(registry: LoadedRegistry, signal?: AbortSignal, options: RegistryCheckOptions = {}): RegistryCheckResult {
  const byFile = new Map<string, RegistryDiagnostic[]>();
  const push = (d: RegistryDiagnostic): void => {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  };

  const files = registry.manifest ? [registry.manifest, ...registry.files] : registry.files;
  for (const file of files) {
    signal?.throwIfAborted();
    if (file.kind === 'other') continue;
    if (!byFile.has(file.path)) byFile.set(file.path, []);
    for (const d of fileDiagnostics(file)) push(d);
  }
  for (const d of manifestDependencyDiagnostics(registry)) push(d);
  for (const d of registry.fileProblems ?? []) push(d);

  const defs = definitionFiles(registry);
  const models: FileModel[] = defs.map(fileModel);
  // Weaver stops at a file it cannot read, so its definitions never collide with anything; reporting
  // duplicates against a half-written file would add noise to the error that matters.
  const readable = defs.filter((f) => !fileDiagnostics(f).some((d) => d.severity === 'error')).map(fileModel);
  for (const d of checkDuplicatesCached(registry.root, readable)) push(d);

  // A dependency not loaded makes an unresolved reference unprovable either way: it is reported as
  // not checked (naming the dependency), never dropped, so a typo into a missing dependency shows.
  const indexed = [...models];
  const dependenciesKnown = dependencyModels(registry, indexed);
  const index = definitionIndex(registry.root, indexed);
  if (dependenciesKnown) {
    for (const d of checkRefsCached(models, index, registry.dependencies.length > 0)) push(d);
  } else {
    const missing = uncheckedDependencies(registry, options.published);
    if (missing.length > 0) for (const d of uncheckedRefs(models, index, missing)) push(d);
  }
  for (const d of checkDeprecatedRefsCached(defs, deprecatedAttributesCached(registry.root, definitionFilesWithDependencies(registry)))) push(d);
  signal?.throwIfAborted();

  // Weaver evaluates policies on the resolved registry, so only once loading and resolution found no
  // error: a registry that does not resolve would give findings about a half-read model.
  let hasErrors = [...byFile.values()].some((list) => list.some((d) => d.severity === 'error' && !NOT_BLOCKING.has(d.code)));

  // The fast checks place duplicates and unresolved references better; resolution adds what they
  // cannot see (cycles, duplicate metric names, refinements changing identity), so it runs only on a
  // registry they pass, and reports only what none of them already reported at that place.
  const resolveRan = options.resolve !== false && !hasErrors;
  let resolved: ResolvedRegistry | undefined;
  if (resolveRan) {
    // Only what the registry imports is built as resolved output: the policies need those groups.
    const result = resolveRegistry(registry, { importedGroupsOnly: true, ...(options.published ? { published: options.published } : {}) });
    signal?.throwIfAborted();
    resolved = result.registry;
    const already = [...byFile.values()].flat();
    const complete = resolverSeesAllDependencies(registry, options.published);
    for (const d of resolverDiagnostics(result.errors, already, registry.root, complete)) {
      push(d);
      hasErrors = true;
    }
    // Weaver's non-fatal loader findings (a legacy manifest name, deprecated manifest fields, an
    // import matching nothing): warnings, as `weaver registry check` prints them.
    for (const warning of result.warnings ?? []) push({ ...resolveErrorDiagnostic(warning, registry.root), severity: 'warning' });
  }

  const policiesRan = options.policies !== false && !hasErrors;
  if (policiesRan) {
    // Entities imported from dependencies are part of the resolved registry weaver's policies see.
    const importedEntities = resolved?.groups.filter((g) => g.type === 'entity' && (g.origin ?? 0) !== 0 && g.signal).map((g) => g.signal?.name as string);
    for (const d of checkPolicies(registry, options.baseline, importedEntities ? { importedEntities } : {}).diagnostics) push(d);
  }
  signal?.throwIfAborted();

  // compareDiagnostics orders by file first, so the per-file lists in file order are the sorted whole:
  // no need to sort every finding of the registry again.
  const diagnostics: RegistryDiagnostic[] = [];
  for (const list of byFile.values()) list.sort(compareDiagnostics);
  for (const path of [...byFile.keys()].sort(comparePaths)) {
    for (const d of byFile.get(path) as RegistryDiagnostic[]) diagnostics.push(d);
  }

  const out: RegistryCheckResult = { diagnostics, byFile, summary: summaryOf(registry, defs), policiesRan, resolveRan };
  return out;
}

/** The same order compareDiagnostics gives files. */
function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const summaryMemos = new Map<string, { models: FileModel[]; summary: RegistrySummary }>();

/** `summarize`, reusing the counts for this root from last time when no file's definitions changed. */
function summaryOf(registry: LoadedRegistry, defs: readonly ParsedFile[]): RegistrySummary {
  const models = defs.map(fileModel);
  const memo = summaryMemos.get(registry.root);
  if (memo && memo.models.length === models.length) {
    let same = true;
    for (let i = 0; i < models.length && same; i++) {
      const before = memo.models[i] as FileModel;
      const now = models[i] as FileModel;
      same = before === now || (before.groups.length === now.groups.length && definitionKey(before) === definitionKey(now));
    }
    if (same) {
      memo.models = models;
      return { ...memo.summary };
    }
  }
  const summary = summarize(registry);
  summaryMemos.set(registry.root, { models, summary: { ...summary } });
  return summary;
}

/** Counts of a loaded registry (definition files, groups and signals, distinct attributes). */
export function summarize(registry: LoadedRegistry): RegistrySummary {
  const defs = definitionFiles(registry);
  const attributeIds = new Set<string>();
  let groups = 0;
  for (const file of defs) {
    const model = fileModel(file);
    groups += model.groups.length;
    for (const a of model.attributes) if (!a.derived) attributeIds.add(a.id);
  }
  return { registryPath: registry.root, files: defs.length, groups, attributes: attributeIds.size };
}
