import { readdirSync, type Dirent } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { RegistryDiagnostic } from '../engine/diagnostic';
import { checkEntry, checkLink, fileAccessPolicy, fileProblem, limitProblem, notRegular, realFolder, type FileAccessPolicy } from './fileAccess';
import { CHECK_CODES } from './diagnostics';

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

/**
 * The manifest file of a registry folder, or undefined when it has none. Looked at with lstat, never
 * opened: a manifest that is a link leaving the folder (unless the policy follows it) or that is not a
 * regular file is not the manifest; `problems`, when given, receives the finding about it.
 */
export function findManifestPath(
  root: string,
  extraPaths?: Iterable<string>,
  policy: FileAccessPolicy = fileAccessPolicy(),
  problems?: RegistryDiagnostic[],
): string | undefined {
  const extra = new Set(extraPaths ?? []);
  for (const name of MANIFEST_FILE_NAMES) {
    const candidate = join(root, name);
    if (extra.has(candidate)) return candidate;
    const verdict = checkEntry(candidate, root, policy);
    if (!verdict) continue;
    if (verdict.problem) {
      problems?.push(verdict.problem);
      continue;
    }
    if (verdict.kind === 'file') return candidate;
    if (verdict.kind === 'other') problems?.push(notRegular(candidate));
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
  /**
   * What the walk could not cover, each placed on its path: links not followed, FIFOs and devices,
   * unreadable folders, a limit reached (fileAccess.ts).
   */
  problems: RegistryDiagnostic[];
}

/**
 * Lists the YAML files of a registry folder recursively. A sub-folder holding its own manifest is a
 * separate registry (weaver's own test data nests them that way) and is not walked.
 *
 * Entries are judged by their directory entry type (no extra system call for plain files and folders);
 * symbolic links go through the policy (followed when they stay inside the registry folder, or when
 * the user opted in), YAML-named FIFOs, sockets and devices are findings and never opened. The walk
 * stops at the depth and file-count limits with a finding naming the limit.
 *
 * The walk reads folders synchronously: a registry has tens of folders, and one `readdir` through the
 * libuv thread pool per folder costs more in round trips than the whole synchronous walk. The function
 * stays async so callers (and text sources) keep one shape.
 */
export async function listRegistryFiles(root: string, signal?: AbortSignal, policy: FileAccessPolicy = fileAccessPolicy()): Promise<RegistryFileListing> {
  const files: string[] = [];
  const problems: RegistryDiagnostic[] = [];
  const manifestPath = findManifestPath(root, undefined, policy, problems);
  const { maxFiles, maxDepth } = policy.limits;
  // Real paths of the folders walked: a link back to a folder already walked is not walked again.
  const walked = new Set<string>([realFolder(root)]);
  let stopped = false;

  function hasOwnManifest(entries: Dirent[]): boolean {
    return entries.some((e) => isManifestName(e.name) && (e.isFile() || e.isSymbolicLink()));
  }

  function addFile(full: string): void {
    if (files.length >= maxFiles) {
      problems.push(limitProblem(full, 'maxFiles', maxFiles, `more than ${maxFiles} YAML files under ${root}; this one and the rest were not read`));
      stopped = true;
      return;
    }
    files.push(full);
  }

  function walk(dir: string, depth: number): void {
    signal?.throwIfAborted();
    const isRoot = depth === 0;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (isRoot) throw error;
      const code = (error as { code?: string }).code ?? 'unknown error';
      problems.push(fileProblem(dir, CHECK_CODES.fileUnreadable, `cannot read this folder (${code === 'EACCES' ? 'permission denied' : code}): its files were not checked. Make it readable, or remove it.`));
      return;
    }
    if (!isRoot && hasOwnManifest(entries)) return;
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (stopped) return;
      const full = join(dir, entry.name);
      let kind: 'file' | 'folder' | 'other' | undefined;
      if (entry.isDirectory()) kind = 'folder';
      else if (entry.isFile()) kind = 'file';
      else if (entry.isSymbolicLink()) {
        // Only links that could matter are judged: to a folder, or with a YAML name.
        if (isSkippedFolder(entry.name) || SKIPPED_FILES.has(entry.name) || (isRoot && isManifestName(entry.name))) continue;
        const verdict = checkLink(full, root, policy);
        if (verdict.problem) {
          if (isYamlPath(entry.name) || linkIsFolder(full)) problems.push(verdict.problem);
          continue;
        }
        if (verdict.kind === 'folder') {
          if (walked.has(verdict.real)) continue;
          walked.add(verdict.real);
        }
        kind = verdict.kind;
      } else kind = 'other';

      if (kind === 'folder') {
        if (!isSkippedFolder(entry.name)) subdirs.push(full);
      } else if (isYamlPath(entry.name)) {
        if (SKIPPED_FILES.has(entry.name) || entry.name.startsWith('.')) continue;
        if (isRoot && isManifestName(entry.name)) continue;
        if (kind === 'other') problems.push(notRegular(full));
        else addFile(full);
      }
    }
    for (const sub of subdirs) {
      if (stopped) return;
      if (depth + 1 > maxDepth) {
        problems.push(limitProblem(sub, 'maxDepth', maxDepth, `this folder is more than ${maxDepth} levels below ${root}; it was not walked`));
        stopped = true;
        return;
      }
      walk(sub, depth + 1);
    }
  }

  walk(root, 0);
  files.sort();
  return manifestPath ? { files, manifestPath, problems } : { files, problems };
}

/** Whether a link not followed points at a folder (its target is looked at, never read). */
function linkIsFolder(path: string): boolean {
  const verdict = checkLink(path, path, { followSymlinks: true, limits: fileAccessPolicy().limits });
  return verdict.kind === 'folder';
}
