import { compareDiagnostics, type RegistryDiagnostic } from '../engine/diagnostic';
import type { RegistrySummary } from '../engine/registryEngine';
import { checkDeprecatedRefs, definitionFilesWithDependencies, deprecatedAttributes } from './checkDeprecatedRefs';
import { checkDuplicates } from './checkDuplicates';
import { addToIndex, checkRefs, emptyIndex, type DefinitionIndex } from './checkRefs';
import { checkSchema } from './checkSchema';
import { checkSyntax } from './checkSyntax';
import { CHECK_CODES, diagnostic } from './diagnostics';
import type { LoadedRegistry } from './loadRegistry';
import { fileModel, type FileModel } from './model';
import type { ParsedFile } from './parsedFile';
import { checkPolicies } from './policies/checkPolicies';

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
 * Indexes the definitions of every loaded dependency, transitively. Returns false when some dependency
 * could not be loaded (remote, published, missing): its definitions are unknown, so a reference that
 * resolves nowhere locally may well resolve there, and reporting it would be a false alarm.
 */
function indexDependencies(registry: LoadedRegistry, index: DefinitionIndex, seen = new Set<string>()): boolean {
  let complete = true;
  for (const dep of registry.dependencies) {
    if (!dep.registry) {
      complete = false;
      continue;
    }
    if (seen.has(dep.registry.root)) continue;
    seen.add(dep.registry.root);
    for (const file of definitionFiles(dep.registry)) addToIndex(index, fileModel(file));
    if (!indexDependencies(dep.registry, index, seen)) complete = false;
  }
  return complete;
}

function manifestDependencyDiagnostics(registry: LoadedRegistry): RegistryDiagnostic[] {
  const manifest = registry.manifest;
  if (!manifest) return [];
  const out: RegistryDiagnostic[] = [];
  for (const dep of registry.dependencies) {
    if (dep.unavailable?.reason === 'not-found') {
      out.push(
        diagnostic(
          manifest.path,
          dep.declared.range,
          'warning',
          CHECK_CODES.dependencyNotFound,
          `dependency registry_path '${dep.unavailable.detail}' is not a folder (looked relative to the registry and the working directory): ` +
            'fix the path; references into this dependency are not checked until it is found',
        ),
      );
    }
  }
  return out;
}

export interface RegistryCheckOptions {
  /** Run the built-in semconv policy packages (default true). */
  policies?: boolean;
  /** The baseline registry the backwards-compatibility package compares against. */
  baseline?: LoadedRegistry;
}

/**
 * Runs every native check on a loaded registry: per-file syntax and schema (cached per parse), then the
 * cross-file checks (duplicate ids, unresolved references) over the small per-file models, then the
 * built-in policy packages.
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

  const defs = definitionFiles(registry);
  const models: FileModel[] = defs.map(fileModel);
  // Weaver stops at a file it cannot read, so its definitions never collide with anything; reporting
  // duplicates against a half-written file would add noise to the error that matters.
  const readable = defs.filter((f) => !fileDiagnostics(f).some((d) => d.severity === 'error')).map(fileModel);
  for (const d of checkDuplicates(registry.root, readable)) push(d);

  const index = emptyIndex();
  for (const model of models) addToIndex(index, model);
  // Remote or unreadable dependencies make every unresolved reference a guess: skip the check then.
  const dependenciesKnown = indexDependencies(registry, index);
  if (dependenciesKnown) {
    for (const d of checkRefs(models, index, registry.dependencies.length > 0)) push(d);
  }
  for (const d of checkDeprecatedRefs(defs, deprecatedAttributes(definitionFilesWithDependencies(registry)))) push(d);
  signal?.throwIfAborted();

  // Weaver evaluates policies on the resolved registry, so only once loading and resolution found no
  // error: a registry that does not resolve would give findings about a half-read model.
  const hasErrors = [...byFile.values()].some((list) => list.some((d) => d.severity === 'error'));
  const policiesRan = options.policies !== false && !hasErrors;
  if (policiesRan) {
    for (const d of checkPolicies(registry, options.baseline).diagnostics) push(d);
  }
  signal?.throwIfAborted();

  const diagnostics: RegistryDiagnostic[] = [];
  for (const list of byFile.values()) {
    list.sort(compareDiagnostics);
    diagnostics.push(...list);
  }
  diagnostics.sort(compareDiagnostics);

  return { diagnostics, byFile, summary: summarize(registry), policiesRan };
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
