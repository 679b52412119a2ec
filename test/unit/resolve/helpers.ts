import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { resolveRegistry, type ResolveResult } from '../../../src/core/semconv/resolve/resolveRegistry';
import type { ResolvedAttribute, ResolvedGroup } from '../../../src/core/semconv/resolved/types';

/** Writes the given files (path relative to a fresh temp folder -> text) and returns the folder. */
export async function writeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'weavergen-resolve-'));
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, text, 'utf8');
  }
  return root;
}

export async function removeTree(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** Loads and resolves `dir` (provenance paths relative to `root`). */
export async function resolveDir(dir: string, root = dir): Promise<ResolveResult> {
  const loaded = await loadRegistry(dir);
  return resolveRegistry(loaded, { registryUrl: 'test', provenancePath: (p) => p.slice(root.length + 1) });
}

export function group(result: ResolveResult, id: string): ResolvedGroup {
  const g = result.registry?.groups.find((x) => x.id === id);
  if (!g) throw new Error(`no group ${id} in ${JSON.stringify(result.registry?.groups.map((x) => x.id) ?? result.errors.map((e) => e.kind))}`);
  return g;
}

export function attr(g: ResolvedGroup, name: string): ResolvedAttribute {
  const a = g.attributes.find((x) => x.name === name);
  if (!a) throw new Error(`no attribute ${name} in group ${g.id}: ${g.attributes.map((x) => x.name).join(', ')}`);
  return a;
}
