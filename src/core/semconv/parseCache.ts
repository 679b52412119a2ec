import { parseRegistryFile, type ParsedFile } from './parsedFile';

/**
 * Parsed files keyed by path and content. Parsing is what a full check spends its time on, and the
 * language server re-checks on every keystroke: keeping the parse of every unchanged file makes a
 * re-check cost one parse plus the cross-file checks.
 */
export class ParseCache {
  private readonly entries = new Map<string, ParsedFile>();
  private parses = 0;

  /** How many times a file was actually parsed (cache misses). Exposed so tests can assert reuse. */
  get parseCount(): number {
    return this.parses;
  }

  get size(): number {
    return this.entries.size;
  }

  get(path: string, text: string, isManifest: boolean): ParsedFile {
    const cached = this.entries.get(path);
    if (cached && cached.text === text && (cached.kind === 'manifest') === isManifest) return cached;
    const parsed = parseRegistryFile(path, text, isManifest);
    this.parses++;
    this.entries.set(path, parsed);
    return parsed;
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  /** Drops entries for paths no longer part of any loaded registry, so the cache does not grow forever. */
  retainOnly(paths: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (!paths.has(key)) this.entries.delete(key);
  }
}
