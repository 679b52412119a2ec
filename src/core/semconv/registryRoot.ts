import { readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { checkEntry, fileAccessPolicy, readRegistryFile, type FileAccessOptions } from './fileAccess';
import { isYamlPath, MANIFEST_FILE_NAMES } from './registryFiles';

/**
 * Deciding whether a folder is a registry is done on every activation, so it reads text with regular
 * expressions instead of parsing YAML, and looks at a bounded number of files.
 */

const MAX_SCANNED_FILES = 400;
const MAX_DEPTH = 4;
const SKIPPED = new Set(['node_modules', 'templates', 'policies', 'target', 'dist', 'out']);

/** `manifest.yaml` is a common name; only one that names a registry counts. */
const REGISTRY_MANIFEST_KEY = /^(?:(?:schema_url|schema_base_url|semconv_version)\s*:|file_format\s*:\s*['"]?manifest\/)/m;
const DEFINITION_FILE = /^(groups\s*:|file_format\s*:\s*['"]?definition\/\d)/m;

/**
 * Through the guarded reader (fileAccess.ts): a manifest that is a FIFO or a link leaving `root` is
 * never opened, so looking for a registry cannot block or read outside it. Findings are the check's
 * to report; here such a file just does not count.
 */
function readText(path: string, root: string, options: FileAccessOptions): string | undefined {
  const policy = fileAccessPolicy(options);
  if (checkEntry(path, root, policy)?.kind !== 'file') return undefined;
  return readRegistryFile(path, root, policy).text ?? undefined;
}

/** The registry manifest of `dir`, if it holds one (`registry_manifest.yaml`, or a `manifest.yaml` naming a registry). */
export async function registryManifestIn(dir: string, options: FileAccessOptions = {}): Promise<string | undefined> {
  for (const name of MANIFEST_FILE_NAMES) {
    const path = join(dir, name);
    const text = readText(path, dir, options);
    if (text === undefined) continue;
    if (name === 'registry_manifest.yaml' || REGISTRY_MANIFEST_KEY.test(text)) return path;
  }
  return undefined;
}

/**
 * The registry folder a path belongs to: the nearest folder at or above `startDir` holding a registry
 * manifest, else `startDir` itself (a registry without a manifest is just a folder of definitions).
 */
export async function findRegistryRoot(startDir: string, options: FileAccessOptions = {}): Promise<string> {
  const start = resolve(startDir);
  let dir = start;
  for (;;) {
    if (await registryManifestIn(dir, options)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}

/**
 * True when `dir` is a registry: it holds a registry manifest, or a YAML file (in it or a few levels
 * below) with top-level `groups:` or `file_format: definition/N`.
 */
export async function isRegistryFolder(dir: string, options: FileAccessOptions = {}): Promise<boolean> {
  const root = resolve(dir);
  if (await registryManifestIn(root, options)) return true;
  let scanned = 0;
  async function scan(current: string, depth: number): Promise<boolean> {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      return false;
    }
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (entry.isFile() && isYamlPath(entry.name) && entry.name !== 'weaver.yaml') {
        if (++scanned > MAX_SCANNED_FILES) return false;
        const text = readText(join(current, entry.name), root, options);
        if (text !== undefined && DEFINITION_FILE.test(text)) return true;
      } else if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) {
        subdirs.push(join(current, entry.name));
      }
    }
    if (depth >= MAX_DEPTH) return false;
    for (const sub of subdirs) if (await scan(sub, depth + 1)) return true;
    return false;
  }
  return scan(root, 0);
}
