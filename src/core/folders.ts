import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';

/**
 * Whether `path` is an existing folder; false for files, missing paths and anything unreadable. Every
 * folder a user names (registry, baseline, templates) is checked through this before it is used.
 */
export async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** `isFolder`, synchronously, for the few callers that cannot await. */
export function isFolderSync(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether `path` is `folder` itself or lies under it (both absolute). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
