import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { basename, extname, join } from 'node:path';

/**
 * Names weaver accepts for the registry manifest, in its order: `manifest.yaml` wins when both exist;
 * `registry_manifest.yaml` is the legacy name (weaver warns `LegacyRegistryManifest`).
 */
export const MANIFEST_FILE_NAMES = ['manifest.yaml', 'registry_manifest.yaml'] as const;

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Folders that sit next to registry files in real repositories but never hold definitions:
 * weaver template sets (`templates/`, each with a `weaver.yaml`), Rego policy packages (`policies/`),
 * VCS and tool folders. Weaver itself would choke on any YAML there; skipping them lets a user point the
 * extension at a repository root that also carries templates and policies.
 */
const SKIPPED_FOLDERS = new Set(['templates', 'policies', 'node_modules', 'target', 'dist', 'out']);

/** Files that are YAML but configure tools rather than define conventions. */
const SKIPPED_FILES = new Set(['weaver.yaml', 'weaver.yml']);

export function isYamlPath(path: string): boolean {
  return YAML_EXTENSIONS.has(extname(path).toLowerCase());
}

export function isManifestName(path: string): boolean {
  return (MANIFEST_FILE_NAMES as readonly string[]).includes(basename(path));
}

/** The manifest file of a registry folder, or undefined when it has none. */
export function findManifestPath(root: string, extraPaths?: Iterable<string>): string | undefined {
  const extra = new Set(extraPaths ?? []);
  for (const name of MANIFEST_FILE_NAMES) {
    const candidate = join(root, name);
    if (extra.has(candidate) || existsSync(candidate)) return candidate;
  }
  return undefined;
}

function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || SKIPPED_FOLDERS.has(name);
}

/** True when a path under `root` lies in a folder the walk skips (used for overlays of unsaved files). */
export function isInSkippedLocation(root: string, path: string): boolean {
  if (!path.startsWith(root + '/') && !path.startsWith(root + '\\')) return true;
  const parts = path.slice(root.length + 1).split(/[\\/]/);
  const file = parts.pop() ?? '';
  if (SKIPPED_FILES.has(file) || file.startsWith('.')) return true;
  return parts.some(isSkippedFolder);
}

export interface RegistryFileListing {
  /** Absolute paths of candidate definition files, sorted. The manifest is not among them. */
  files: string[];
  manifestPath?: string;
}

/**
 * Lists the YAML files of a registry folder recursively. A sub-folder holding its own manifest is a
 * separate registry (weaver's own test data nests them that way) and is not walked.
 *
 * The walk reads folders synchronously: a registry has tens of folders, and one `readdir` through the
 * libuv thread pool per folder costs more in round trips (~10 ms on semconv-main) than the whole
 * synchronous walk (~2 ms). The function stays async so callers (and text sources) keep one shape.
 */
export async function listRegistryFiles(root: string, signal?: AbortSignal): Promise<RegistryFileListing> {
  const files: string[] = [];
  const manifestPath = findManifestPath(root);

  function walk(dir: string, isRoot: boolean): void {
    signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (isRoot) throw error;
      return; // An unreadable sub-folder is not the user's registry problem to report here.
    }
    if (!isRoot && entries.some((e) => e.isFile() && isManifestName(e.name))) return;
    const subdirs: string[] = [];
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) subdirs.push(full);
      } else if (entry.isFile() && isYamlPath(entry.name)) {
        if (SKIPPED_FILES.has(entry.name) || entry.name.startsWith('.')) continue;
        if (isRoot && isManifestName(entry.name)) continue;
        files.push(full);
      }
    }
    for (const sub of subdirs) walk(sub, false);
  }

  walk(root, true);
  files.sort();
  return manifestPath ? { files, manifestPath } : { files };
}
