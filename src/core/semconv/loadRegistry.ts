import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isFolder } from '../folders';
import { manifestModel, type ManifestDependency } from './manifest';
import { ParseCache } from './parseCache';
import type { ParsedFile } from './parsedFile';
import { findManifestPath, isInSkippedLocation, isManifestName, isYamlPath, listRegistryFiles, type RegistryFileListing } from './registryFiles';

/**
 * Where file names and contents come from. The default reads the disk every time; the language
 * server's workspace keeps texts in memory and only re-reads what the editor says changed.
 */
export interface RegistryTextSource {
  list(root: string, signal?: AbortSignal): Promise<RegistryFileListing>;
  read(path: string): Promise<string>;
}

/**
 * Reads are synchronous: registry files are small and in the page cache, and a synchronous read
 * (~20 us) is far cheaper than a round trip through the libuv thread pool (~30 ms for semconv-main's
 * 250 files read concurrently, against ~5 ms synchronously).
 */
export const diskTextSource: RegistryTextSource = {
  list: (root, signal) => listRegistryFiles(root, signal),
  read: async (path) => readFileSync(path, 'utf8'),
};

/** Why the definitions of a declared dependency are not available to the checks. */
export type DependencyUnavailableReason = 'remote' | 'not-found' | 'published' | 'cycle';

export interface LoadedDependency {
  declared: ManifestDependency;
  /** The loaded dependency registry, when it is a local definition registry. */
  registry?: LoadedRegistry;
  unavailable?: { reason: DependencyUnavailableReason; detail: string };
  /** The manifest of a published dependency (`unavailable.reason === 'published'`): its identity. */
  publishedManifest?: ParsedFile;
}

export interface LoadedRegistry {
  /** Absolute path of the registry folder. */
  root: string;
  manifest?: ParsedFile;
  /** Every YAML file of the registry except the manifest, sorted by path; `kind` says what each is. */
  files: ParsedFile[];
  dependencies: LoadedDependency[];
}

export interface LoadRegistryOptions {
  /** Unsaved editor buffers by absolute path: they win over the disk. */
  overlays?: ReadonlyMap<string, string>;
  cache?: ParseCache;
  source?: RegistryTextSource;
  signal?: AbortSignal;
  /**
   * Maps a dependency's `registry_path` to a folder before the usual lookup (weaver's own test data
   * names dependencies relative to weaver's crate folder); undefined falls back to the usual lookup.
   */
  resolveDependencyPath?: (registryPath: string, registryRoot: string) => string | undefined;
}

function toAbsolute(path: string): string {
  return resolve(path);
}

/**
 * Loads every registry file of a folder (v1 and v2 alike) and its manifest, then the local definition
 * registries the manifest depends on. Files are parsed through the cache, so loading again after one
 * file changed parses only that file.
 */
export async function loadRegistry(registryPath: string, options: LoadRegistryOptions = {}): Promise<LoadedRegistry> {
  const cache = options.cache ?? new ParseCache();
  const source = options.source ?? diskTextSource;
  const overlays = normaliseOverlays(options.overlays);
  return loadOne(toAbsolute(registryPath), { cache, source, overlays, signal: options.signal, resolveDependencyPath: options.resolveDependencyPath }, new Set());
}

interface LoadContext {
  cache: ParseCache;
  source: RegistryTextSource;
  overlays: Map<string, string>;
  signal: AbortSignal | undefined;
  resolveDependencyPath?: ((registryPath: string, registryRoot: string) => string | undefined) | undefined;
}

function normaliseOverlays(overlays: ReadonlyMap<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, text] of overlays ?? []) out.set(toAbsolute(path), text);
  return out;
}

async function loadOne(root: string, ctx: LoadContext, visiting: Set<string>): Promise<LoadedRegistry> {
  visiting.add(root);
  const listing = await ctx.source.list(root, ctx.signal);
  const paths = new Set(listing.files);
  // Overlays of files that exist only in the editor (new, unsaved) belong to the registry too.
  for (const path of ctx.overlays.keys()) {
    const rootManifest = isManifestName(path) && dirname(path) === root;
    if (isYamlPath(path) && !rootManifest && !isInSkippedLocation(root, path) && !inNestedRegistry(root, path)) paths.add(path);
  }
  const manifestPath = listing.manifestPath ?? findManifestPath(root, ctx.overlays.keys());
  if (manifestPath) paths.delete(manifestPath);

  const sorted = [...paths].sort();
  // Reads run concurrently (one at a time costs a libuv round trip per file: ~200 ms for semconv);
  // parsing stays sequential, in path order.
  const texts = await Promise.all(sorted.map((path) => ctx.overlays.get(path) ?? readOrNull(ctx.source, path)));
  const files: ParsedFile[] = [];
  sorted.forEach((path, i) => {
    ctx.signal?.throwIfAborted();
    const text = texts[i];
    if (text === null || text === undefined) return; // deleted between listing and reading
    files.push(ctx.cache.get(path, text, false));
  });

  const registry: LoadedRegistry = { root, files, dependencies: [] };
  if (manifestPath) {
    const text = ctx.overlays.get(manifestPath) ?? (await readOrNull(ctx.source, manifestPath));
    if (text !== null) registry.manifest = ctx.cache.get(manifestPath, text, true);
  }
  if (registry.manifest) {
    for (const declared of manifestModel(registry.manifest).dependencies) {
      registry.dependencies.push(await loadDependency(root, declared, ctx, visiting));
    }
  }
  visiting.delete(root);
  return registry;
}

/** True when a folder between `root` and `path` holds its own manifest: that file belongs to another registry. */
function inNestedRegistry(root: string, path: string): boolean {
  for (let dir = dirname(path); dir !== root && dir.startsWith(root); dir = dirname(dir)) {
    if (findManifestPath(dir)) return true;
  }
  return false;
}

async function readOrNull(source: RegistryTextSource, path: string): Promise<string | null> {
  try {
    return await source.read(path);
  } catch {
    return null;
  }
}

/** `https://...`, `git@...`, archives: weaver downloads those; a local check cannot see their content. */
function isRemoteOrArchive(path: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('git@') || /\.(zip|tar\.gz|tgz|git)(\[.*\])?$/i.test(path);
}

async function loadDependency(
  root: string,
  declared: ManifestDependency,
  ctx: LoadContext,
  visiting: Set<string>,
): Promise<LoadedDependency> {
  const path = declared.registryPath;
  if (!path) {
    return { declared, unavailable: { reason: 'remote', detail: `fetched by weaver from ${declared.schemaUrl ?? 'its schema URL'}` } };
  }
  if (isRemoteOrArchive(path)) return { declared, unavailable: { reason: 'remote', detail: path } };
  // Weaver resolves relative paths against its working directory; registries are usually checked from
  // their own folder, so the registry folder is tried first.
  const mapped = ctx.resolveDependencyPath?.(path, root);
  const candidates = mapped !== undefined ? [mapped] : isAbsolute(path) ? [path] : [resolve(root, path), resolve(process.cwd(), path)];
  let dir: string | undefined;
  for (const candidate of candidates) {
    if (await isFolder(candidate)) {
      dir = candidate;
      break;
    }
  }
  if (!dir) return { declared, unavailable: { reason: 'not-found', detail: path } };
  if (visiting.has(dir)) return { declared, unavailable: { reason: 'cycle', detail: dir } };
  const registry = await loadOne(dir, ctx, visiting);
  if (registry.manifest && manifestModel(registry.manifest).published) {
    return { declared, unavailable: { reason: 'published', detail: dir }, publishedManifest: registry.manifest };
  }
  return { declared, registry };
}

/** Every parsed file of a registry and its loaded dependencies (for cache housekeeping). */
export function allParsedPaths(registry: LoadedRegistry, into = new Set<string>()): Set<string> {
  for (const f of registry.files) into.add(f.path);
  if (registry.manifest) into.add(registry.manifest.path);
  for (const dep of registry.dependencies) if (dep.registry) allParsedPaths(dep.registry, into);
  return into;
}
