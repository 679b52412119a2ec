/**
 * What the extension tells the language server (src/server) at start and on configuration
 * changes. The server has no `vscode` import, so everything it needs arrives through here.
 */

/** Sent as `initializationOptions` of the LSP `initialize` request. */
export interface ServerInitOptions {
  /** Absolute path of the registry folder the server checks. */
  registryRoot: string;
  /** Quiet time after the last edit before a check runs (`weavergen.check.debounceMs`). */
  debounceMs: number;
}

/** Sent as the `settings` of `workspace/didChangeConfiguration` when a live setting changes. */
export interface ServerSettings {
  debounceMs: number;
}

export const DEFAULT_DEBOUNCE_MS = 200;
/** Beyond this a debounce reads as "checks are broken", not "checks are calm". */
export const MAX_DEBOUNCE_MS = 10_000;

export function isServerInitOptions(value: unknown): value is ServerInitOptions {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.registryRoot === 'string' && isAbsolutePath(v.registryRoot) && isDebounce(v.debounceMs);
}

/** POSIX `/x`, Windows `C:\x` or `\\server\share`: the server never guesses a base folder. */
function isAbsolutePath(value: string): boolean {
  return value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\');
}

export function isServerSettings(value: unknown): value is ServerSettings {
  if (typeof value !== 'object' || value === null) return false;
  return isDebounce((value as Record<string, unknown>).debounceMs);
}

function isDebounce(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_DEBOUNCE_MS;
}
