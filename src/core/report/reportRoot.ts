import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The folder report paths (SARIF artifact URIs, GitHub annotation `file=`) are relative to. Code
 * scanning and annotations resolve a path against the repository root, so it is the git top level
 * of the registry folder; `--sarif-root DIR` overrides it; outside a git repository the working
 * directory is the only root a reader can rebuild.
 */
export interface ReportRoot {
  /** Absolute folder. */
  path: string;
  /** Where it came from: `--sarif-root`, the git top level of the registry, or the working directory. */
  kind: 'option' | 'git' | 'cwd';
}

/**
 * The nearest folder at or above `folder` holding `.git`: a folder in a clone, a file (`gitdir: ...`)
 * in a worktree or submodule. Found by looking, not by running git, so a check needs no child process
 * and a hostile repository's git configuration is never read.
 */
export function gitTopLevel(folder: string): string | undefined {
  let dir = resolve(folder);
  for (;;) {
    try {
      const s = statSync(resolve(dir, '.git'));
      if (s.isDirectory() || s.isFile()) return dir;
    } catch {
      // No `.git` here: look one level up.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The report root of a check of `registryPath`: `sarifRoot` when given, else the git top level, else `cwd`. */
export function reportRoot(registryPath: string, cwd: string, sarifRoot?: string): ReportRoot {
  if (sarifRoot !== undefined) return { path: resolve(cwd, sarifRoot), kind: 'option' };
  const top = gitTopLevel(registryPath);
  return top ? { path: top, kind: 'git' } : { path: resolve(cwd), kind: 'cwd' };
}

/** What the root is, in words, for SARIF's `originalUriBaseIds` description and the CLI's notice. */
export function describeReportRoot(root: ReportRoot): string {
  switch (root.kind) {
    case 'option':
      return 'The folder given with --sarif-root.';
    case 'git':
      return 'The root of the git repository holding the registry.';
    case 'cwd':
      return 'The working directory of the check (the registry is not in a git repository).';
  }
}
