/**
 * What the extension tells the language server (src/server) at start and on configuration
 * changes. The server has no `vscode` import, so everything it needs arrives through here.
 */
import type { EngineChoice } from '../core/engine/registryEngine';
import type { FileAccessOptions } from '../core/semconv/fileAccess';

/**
 * What the server needs to run `weaver registry check` on save. The extension locates the binary
 * (setting -> PATH -> ~/.cargo/bin) and decides trust: the server never searches for an executable.
 */
export interface ServerWeaverOptions {
  /** `weavergen.engine` as the user set it. */
  engine: EngineChoice;
  /** Absolute path of the weaver executable the extension found; null when none was found or none was looked for. */
  binaryPath: string | null;
  /** False in an untrusted workspace: the server then never starts weaver, whatever the rest says. */
  trusted: boolean;
  /** Why no binary was found and what to do (the locate message), shown when the engine setting is `weaver`. */
  missingReason?: string;
}

/** Sent as `initializationOptions` of the LSP `initialize` request. */
export interface ServerInitOptions {
  /** Absolute path of the registry folder the server checks. */
  registryRoot: string;
  /** Quiet time after the last edit before a check runs (`weavergen.check.debounceMs`). */
  debounceMs: number;
  /** Absent (an older client): the server runs the native engine only. */
  weaver?: ServerWeaverOptions;
  /**
   * Absolute path of the baseline registry (`weavergen.check.baselineRegistry`, resolved by the
   * extension against the workspace folder): the idle policy pass also runs the backwards-compatibility
   * package against it. Null or absent: no baseline.
   */
  baselineRegistry?: string | null;
  /**
   * How registry files are read (`weavergen.files.*`, followSymlinks already false in an untrusted
   * workspace). Absent: the defaults. A change restarts the server.
   */
  files?: FileAccessOptions;
  /**
   * `weavergen.server.maxDocumentSize`: open documents longer than this many characters get YAML
   * syntax checks only (src/server/oversizedDocuments.ts). Absent: DEFAULT_MAX_DOCUMENT_SIZE.
   */
  maxDocumentSize?: number;
  /**
   * Whether the idle pass runs the policy packages: true when `weavergen.check.policies` names any
   * (as weaver, none runs unless named). Absent: false. A change restarts the server.
   */
  policies?: boolean;
}

/** Sent as the `settings` of `workspace/didChangeConfiguration` when a live setting changes. */
export interface ServerSettings {
  debounceMs: number;
  /** Absent: the weaver options stay as they were. */
  weaver?: ServerWeaverOptions;
  /** Absolute path of the baseline registry; null: none; absent (an older client): unchanged. */
  baselineRegistry?: string | null;
  /** Absent (an older client): unchanged. */
  maxDocumentSize?: number;
}

/**
 * Default of `weavergen.server.maxDocumentSize`, in characters: well above any registry file written by
 * hand, and low enough that a keystroke's re-parse of a document still leaves the server responsive.
 */
export const DEFAULT_MAX_DOCUMENT_SIZE = 2 * 1024 * 1024;
/** The smallest limit accepted (below it ordinary registry files would lose their checks). */
export const MIN_MAX_DOCUMENT_SIZE = 64 * 1024;

/**
 * Server -> client notification: the open documents currently checked for YAML syntax only (too
 * large), with their sizes in characters; an empty list when there are none.
 */
export const SYNTAX_ONLY_NOTIFICATION = 'weavergen/syntaxOnlyDocuments';
export interface SyntaxOnlyDocumentsParams {
  documents: Array<{ uri: string; size: number }>;
  maxDocumentSize: number;
}

export function isSyntaxOnlyDocumentsParams(value: unknown): value is SyntaxOnlyDocumentsParams {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isMaxDocumentSize(v.maxDocumentSize) &&
    Array.isArray(v.documents) &&
    v.documents.every((d: unknown) => typeof d === 'object' && d !== null && typeof (d as { uri?: unknown }).uri === 'string' && typeof (d as { size?: unknown }).size === 'number')
  );
}

export const DEFAULT_DEBOUNCE_MS = 200;
/** Beyond this a debounce reads as "checks are broken", not "checks are calm". */
export const MAX_DEBOUNCE_MS = 10_000;

const ENGINE_CHOICES: readonly string[] = ['auto', 'native', 'weaver'] satisfies readonly EngineChoice[];

export function isServerInitOptions(value: unknown): value is ServerInitOptions {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.registryRoot === 'string' &&
    isAbsolutePath(v.registryRoot) &&
    isDebounce(v.debounceMs) &&
    (v.weaver === undefined || isServerWeaverOptions(v.weaver)) &&
    isBaselineRegistry(v.baselineRegistry) &&
    (v.files === undefined || isFileAccessOptions(v.files)) &&
    (v.maxDocumentSize === undefined || isMaxDocumentSize(v.maxDocumentSize)) &&
    (v.policies === undefined || typeof v.policies === 'boolean')
  );
}

const LIMIT_KEYS = ['maxFiles', 'maxFileBytes', 'maxTotalBytes', 'maxDepth'];

export function isFileAccessOptions(value: unknown): value is FileAccessOptions {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.followSymlinks !== undefined && typeof v.followSymlinks !== 'boolean') return false;
  if (v.limits === undefined) return true;
  if (typeof v.limits !== 'object' || v.limits === null) return false;
  return Object.entries(v.limits).every(([k, n]) => LIMIT_KEYS.includes(k) && (n === undefined || (typeof n === 'number' && Number.isFinite(n) && n > 0)));
}

export function isServerWeaverOptions(value: unknown): value is ServerWeaverOptions {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.engine === 'string' &&
    ENGINE_CHOICES.includes(v.engine) &&
    typeof v.trusted === 'boolean' &&
    (v.binaryPath === null || (typeof v.binaryPath === 'string' && isAbsolutePath(v.binaryPath))) &&
    (v.missingReason === undefined || typeof v.missingReason === 'string')
  );
}

/** POSIX `/x`, Windows `C:\x` or `\\server\share`: the server never guesses a base folder. */
function isAbsolutePath(value: string): boolean {
  return value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\');
}

export function isServerSettings(value: unknown): value is ServerSettings {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isDebounce(v.debounceMs) &&
    (v.weaver === undefined || isServerWeaverOptions(v.weaver)) &&
    isBaselineRegistry(v.baselineRegistry) &&
    (v.maxDocumentSize === undefined || isMaxDocumentSize(v.maxDocumentSize))
  );
}

function isMaxDocumentSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= MIN_MAX_DOCUMENT_SIZE;
}

/** Absent, null, or an absolute path: a relative one would be resolved against the server's folder, not the user's. */
function isBaselineRegistry(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || (typeof value === 'string' && isAbsolutePath(value));
}

function isDebounce(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_DEBOUNCE_MS;
}
