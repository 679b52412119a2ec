import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { RegistryDiagnostic } from '../engine/diagnostic';
import { isFolder, isInside } from '../folders';
import { fileAccessPolicy, limitProblem, readRegistryFile, realFolder, refusedDependencyFolder, sizeLabel, type FileAccessOptions, type FileAccessPolicy, type FileRead } from './fileAccess';
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
  /** Reads a file of the registry folder `root` (fileAccess.ts's guarded read, or a cache of it). */
  read(path: string, root: string): Promise<FileRead>;
}

/**
 * The disk, read through the guarded reader (fileAccess.ts) with `options`. Reads are synchronous:
 * registry files are small and in the page cache, and a synchronous read is far cheaper than a round
 * trip through the libuv thread pool per file.
 */
export function diskSource(policy: FileAccessPolicy = fileAccessPolicy()): RegistryTextSource {
  return {
    list: (root, signal) => listRegistryFiles(root, signal, policy),
    read: async (path, root) => readRegistryFile(path, root, policy),
  };
}

/** The disk with the default policy (links leaving the folder not followed, default limits). */
export const diskTextSource: RegistryTextSource = diskSource();

/** Why the definitions of a declared dependency are not available to the checks. */
export type DependencyUnavailableReason = 'remote' | 'archive' | 'not-found' | 'published' | 'cycle' | 'refused';

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
  /**
   * What could not be read or reached while loading this registry and its dependencies (links not
   * followed, FIFOs, unreadable files, encodings, limits), each placed on its path: the check
   * publishes them, so nothing is skipped silently. Set on the registry `loadRegistry` returns.
   */
  fileProblems?: RegistryDiagnostic[];
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
  /** Links, limits (fileAccess.ts); used by the default disk source and for the load's totals. */
  files?: FileAccessOptions;
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
  const policy = fileAccessPolicy(options.files);
  const source = options.source ?? (options.files ? diskSource(policy) : diskTextSource);
  const overlays = normaliseOverlays(options.overlays);
  const problems: RegistryDiagnostic[] = [];
  const ctx: LoadContext = { cache, source, overlays, signal: options.signal, resolveDependencyPath: options.resolveDependencyPath, policy, problems, files: 0, bytes: 0, stopped: false };
  const registry = await loadOne(toAbsolute(registryPath), ctx, new Set());
  registry.fileProblems = dedupe(problems);
  return registry;
}

/** One finding per place and code: a listing reused by a second load reports its problems again. */
function dedupe(problems: RegistryDiagnostic[]): RegistryDiagnostic[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.file}\n${p.code}\n${p.range.start.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface LoadContext {
  cache: ParseCache;
  source: RegistryTextSource;
  overlays: Map<string, string>;
  signal: AbortSignal | undefined;
  resolveDependencyPath?: ((registryPath: string, registryRoot: string) => string | undefined) | undefined;
  policy: FileAccessPolicy;
  /** Every file-access finding of the load, registry and dependencies. */
  problems: RegistryDiagnostic[];
  /** Files and bytes read so far in this load (the limits hold per load, not per folder). */
  files: number;
  bytes: number;
  /** A limit was reached: nothing more is read. */
  stopped: boolean;
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
  ctx.problems.push(...listing.problems);
  const { maxFiles, maxTotalBytes } = ctx.policy.limits;
  const files: ParsedFile[] = [];
  for (const path of sorted) {
    ctx.signal?.throwIfAborted();
    if (ctx.stopped) break;
    const overlay = ctx.overlays.get(path);
    let text: string | null;
    if (overlay !== undefined) {
      text = overlay;
    } else {
      if (ctx.files >= maxFiles) {
        ctx.problems.push(limitProblem(path, 'maxFiles', maxFiles, `more than ${maxFiles} YAML files in this registry and its dependencies; this one and the rest were not read`));
        ctx.stopped = true;
        break;
      }
      const read = await readOrProblem(ctx.source, path, root);
      if (read.problem) ctx.problems.push(read.problem);
      ctx.files++;
      ctx.bytes += read.bytes;
      if (ctx.bytes > maxTotalBytes) {
        ctx.problems.push(limitProblem(path, 'maxTotalBytes', maxTotalBytes, `the files read reach ${sizeLabel(ctx.bytes)} here; this one and the rest were not checked`));
        ctx.stopped = true;
        break;
      }
      text = read.text;
    }
    if (text === null) continue; // deleted between listing and reading, or unreadable (a finding)
    files.push(ctx.cache.get(path, text, false));
  }

  const registry: LoadedRegistry = { root, files, dependencies: [] };
  if (manifestPath) {
    let text = ctx.overlays.get(manifestPath) ?? null;
    if (text === null) {
      const read = await readOrProblem(ctx.source, manifestPath, root);
      if (read.problem) ctx.problems.push(read.problem);
      ctx.bytes += read.bytes;
      text = read.text;
    }
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
    if (findManifestPath(dir, undefined, LINKS_FOLLOWED)) return true;
  }
  return false;
}

/** Nested registries are recognised by a manifest name whatever it is (it is never read here). */
const LINKS_FOLLOWED = fileAccessPolicy({ followSymlinks: true });

async function readOrProblem(source: RegistryTextSource, path: string, root: string): Promise<FileRead> {
  try {
    return await source.read(path, root);
  } catch {
    // A custom source failing is a deleted file as far as the load is concerned (the disk source
    // reports every other failure as a finding).
    return { text: null, bytes: 0 };
  }
}

/**
 * A `registry_path` as weaver reads it (weaver_semconv's RegistryPath): `source[@refspec][[sub_folder]]`;
 * an `http://` or `https://` source is a remote archive (`.zip`, `.tar.gz`) or a Git repository, a
 * local source ending in `.zip` or `.tar.gz` a local archive, anything else a local folder (the
 * refspec and sub-folder apply to URLs and archives only).
 */
export interface DependencyLocation {
  kind: 'remote' | 'archive' | 'folder';
  /** The URL or path without the refspec and sub-folder; for a folder, the path as written. */
  source: string;
}

const REGISTRY_PATH = /^(?<source>.+?)(?:@(?<refspec>.+?))?(?:\[(?<sub>.+?)\])?$/s;

export function dependencyLocation(registryPath: string): DependencyLocation {
  const source = REGISTRY_PATH.exec(registryPath)?.groups?.source ?? registryPath;
  if (/^https?:\/\//.test(source)) return { kind: 'remote', source };
  if (source.endsWith('.zip') || source.endsWith('.tar.gz')) return { kind: 'archive', source };
  // Weaver takes a local folder's path whole, so `@` and brackets stay part of it.
  return { kind: 'folder', source: registryPath };
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
  const location = dependencyLocation(path);
  if (location.kind === 'remote') return { declared, unavailable: { reason: 'remote', detail: path } };
  if (location.kind === 'archive') return { declared, unavailable: { reason: 'archive', detail: path } };
  // Weaver opens a relative path from its working directory. The registry folder is looked at first
  // all the same: the editor has no meaningful working directory, and a `..` taken from the working
  // directory would reach past the registry where the folder checks (refusedDependencyFolder) expect
  // the registry's own neighbourhood. The working directory is the fallback, as weaver's base.
  const mapped = ctx.resolveDependencyPath?.(path, root);
  const candidates = mapped !== undefined ? [mapped] : isAbsolute(path) ? [path] : [resolve(root, path), resolve(process.cwd(), path)];
  let dir: string | undefined;
  for (const candidate of candidates) {
    if (await isFolder(candidate)) {
      dir = candidate;
      break;
    }
  }
  if (!dir) return { declared, unavailable: { reason: 'not-found', detail: [...new Set(candidates)].join(' nor ') } };
  if (visiting.has(dir)) return { declared, unavailable: { reason: 'cycle', detail: dir } };
  // Checked before anything under it is walked: a manifest naming `/` or the home folder must not
  // make the check read the host's files.
  const refused = refusedDependencyFolder(dir, root, safeHome()) ?? (ctx.policy.followSymlinks ? undefined : leavesThroughLink(dir, root));
  if (refused) return { declared, unavailable: { reason: 'refused', detail: `${dir}: ${refused}` } };
  if (ctx.stopped) return { declared, unavailable: { reason: 'refused', detail: `${dir}: a load limit was reached before it` } };
  const registry = await loadOne(dir, ctx, visiting);
  if (registry.manifest && manifestModel(registry.manifest).published) {
    return { declared, unavailable: { reason: 'published', detail: dir }, publishedManifest: registry.manifest };
  }
  return { declared, registry };
}

/**
 * A dependency path written inside the registry whose real folder is outside it goes through a link
 * leaving the registry: refused like any such link (unless links are followed).
 */
function leavesThroughLink(dir: string, root: string): string | undefined {
  if (!isInside(root, dir) || isInside(realFolder(root), realFolder(dir))) return undefined;
  return 'it is reached through a symbolic link that leaves the registry folder (pass --follow-symlinks to follow it)';
}

function safeHome(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

/** Every parsed file of a registry and its loaded dependencies (for cache housekeeping). */
export function allParsedPaths(registry: LoadedRegistry, into = new Set<string>()): Set<string> {
  for (const f of registry.files) into.add(f.path);
  if (registry.manifest) into.add(registry.manifest.path);
  for (const dep of registry.dependencies) if (dep.registry) allParsedPaths(dep.registry, into);
  return into;
}
