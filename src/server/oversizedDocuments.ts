import type { RegistryDiagnostic } from '../core/engine/diagnostic';
import { checkSyntax } from '../core/semconv/checkSyntax';
import { DEFAULT_FILE_LIMITS } from '../core/semconv/fileAccess';
import { parseRegistryFile } from '../core/semconv/parsedFile';
import { DEFAULT_MAX_DOCUMENT_SIZE } from '../protocol/server';

/**
 * Open documents longer than `weavergen.server.maxDocumentSize` characters. Checking such a buffer on
 * every keystroke (parse, schema, symbols, references) would keep the server busy for seconds at a
 * time and hold many times its size in memory, so while it is open and that large the server checks its
 * YAML syntax only (parsed once per version, after the usual debounce), leaves it out of the registry
 * the checks and editing features read (the registry keeps the file as it is on disk; hover reads the
 * attribute id on the cursor line of the buffer and looks it up there) and says so with
 * an information finding on line 1 and in the status item. `Check Registry` / `weavergen registry
 * check` still check the file in full.
 */

export interface OversizedDocument {
  path: string;
  size: number;
}

export const DOCUMENT_TOO_LARGE_CODE = 'document-too-large';

export class OversizedDocuments {
  private readonly open = new Map<string, { version: number; text: string; findings?: RegistryDiagnostic[] }>();

  /**
   * @param parseLimit above it a buffer is not even parsed (the loader's per-file byte limit, which
   * keeps a parse within memory): a buffer of hundreds of megabytes would exhaust the server's heap.
   */
  constructor(
    private limit: number = DEFAULT_MAX_DOCUMENT_SIZE,
    private readonly parseLimit: number = DEFAULT_FILE_LIMITS.maxFileBytes,
  ) {}

  get maxDocumentSize(): number {
    return this.limit;
  }

  /** Changes the limit for the documents opened or edited from now on. */
  setLimit(limit: number): void {
    this.limit = limit;
  }

  isTooLarge(text: string): boolean {
    return text.length > this.limit;
  }

  has(path: string): boolean {
    return this.open.has(path);
  }

  /** The buffer of a document checked for syntax only. */
  text(path: string): string | undefined {
    return this.open.get(path)?.text;
  }

  set(path: string, version: number, text: string): void {
    this.open.set(path, { version, text });
  }

  delete(path: string): boolean {
    return this.open.delete(path);
  }

  paths(): string[] {
    return [...this.open.keys()].sort();
  }

  list(): OversizedDocument[] {
    return this.paths().map((path) => ({ path, size: this.open.get(path)!.text.length }));
  }

  /** The syntax findings of the buffer and the notice, computed once per version. */
  findings(path: string): RegistryDiagnostic[] {
    const entry = this.open.get(path);
    if (!entry) return [];
    if (!entry.findings) {
      if (entry.text.length > this.parseLimit) {
        entry.findings = [notice(path, entry.text, this.limit, this.parseLimit)];
      } else {
        const file = parseRegistryFile(path, entry.text, false);
        entry.findings = [notice(path, entry.text, this.limit), ...checkSyntax(file)];
      }
    }
    return entry.findings;
  }
}

function megabytes(characters: number): string {
  return `${(characters / (1024 * 1024)).toFixed(1)} MB`;
}

function notice(path: string, text: string, limit: number, parseLimit?: number): RegistryDiagnostic {
  const firstLineEnd = text.search(/\r|\n/);
  const end = Math.min(firstLineEnd === -1 ? text.length : firstLineEnd, 200);
  return {
    file: path,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: end } },
    severity: 'information',
    code: DOCUMENT_TOO_LARGE_CODE,
    message: parseLimit !== undefined
      ? `This file (${megabytes(text.length)}) is larger than a registry file may be (${megabytes(parseLimit)}, weavergen.files.maxFileSize): ` +
        'while it is open it is not checked at all, not even its YAML syntax, so that the language server stays within memory. Split the file, or raise weavergen.files.maxFileSize; Check Registry reports it too.'
      :
      `This file (${megabytes(text.length)}) is larger than weavergen.server.maxDocumentSize (${megabytes(limit)}): while it is open, only its YAML syntax ` +
      'is checked, completion and the outline are off for it and hover shows attributes by the id under the cursor. Raise the setting, or split the file; Check Registry still checks it in full.',
    source: 'weavergen',
  };
}
