import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Range, RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { checkRegistry, type RegistryCheckResult } from '../../../src/core/semconv/checkRegistry';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';

export const repoRoot = resolve(__dirname, '../../..');

/** Read-only reference data lives next to the repository (`../shared`), never copied into it. */
export function shared(...parts: string[]): string {
  return resolve(repoRoot, '..', 'shared', ...parts);
}

/** Every `.yaml` / `.yml` file under `dir`, recursively. */
export function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const fixtures = (...parts: string[]): string => resolve(repoRoot, 'test/fixtures/registries', ...parts);

const created: string[] = [];

/** Writes a registry made of `files` (relative path -> text) into a fresh temporary folder. */
export async function tempRegistry(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'weavergen-semconv-'));
  created.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  return dir;
}

export async function removeTempRegistries(): Promise<void> {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export async function checkFolder(dir: string, overlays?: Map<string, string>): Promise<RegistryCheckResult> {
  return checkRegistry(await loadRegistry(dir, overlays ? { overlays } : {}));
}

/** The source text a range covers: what the editor would underline. */
export function textAt(text: string, range: Range): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) {
    return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  }
  const parts = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l] ?? '');
  parts.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}

/** A compact, comparable view of diagnostics: `code@line:col` (0-based, as in the contract). */
export function where(diagnostics: readonly RegistryDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
}
