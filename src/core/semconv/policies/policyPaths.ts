/**
 * Which `-p/--policy` paths the native engine can run. The native rules are those of the
 * opentelemetry-weaver-packages check packages (policies/check); a path is recognised as those
 * packages by the Rego `package` names of its files (after_resolution, comparison_after_resolution),
 * never by its folder name. Any other Rego needs weaver's own engine (`--engine weaver`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The Rego packages of the opentelemetry-weaver-packages check folder that the native rules follow. */
export const NATIVE_REGO_PACKAGES: ReadonlySet<string> = new Set(['after_resolution', 'comparison_after_resolution']);

export type PolicyPathProblem =
  | { kind: 'url'; path: string }
  | { kind: 'missing'; path: string }
  | { kind: 'no-rego'; path: string }
  | { kind: 'foreign-rego'; path: string; file: string; line: number; packageName: string };

/** A `package x.y` line (the first one of a Rego file); Rego allows comments and blank lines before it. */
const PACKAGE_LINE = /^\s*package\s+([A-Za-z_][\w.]*)/;

async function regoFiles(path: string, depth = 0): Promise<string[]> {
  const s = await stat(path);
  if (s.isFile()) return path.endsWith('.rego') ? [path] : [];
  // The packages nest one folder deep; a bound keeps a looping or huge tree from being walked.
  if (depth > 8) return [];
  const out: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isSymbolicLink()) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await regoFiles(child, depth + 1)));
    else if (entry.isFile() && entry.name.endsWith('.rego')) out.push(child);
  }
  return out;
}

/**
 * The first problem that keeps the native engine from running `paths` (absolute paths or URLs), or
 * undefined when every path holds only the check packages' Rego.
 */
export async function nativePolicyProblem(paths: readonly string[]): Promise<PolicyPathProblem | undefined> {
  for (const path of paths) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return { kind: 'url', path };
    const files = await regoFiles(path).catch(() => undefined);
    if (files === undefined) return { kind: 'missing', path };
    if (files.length === 0) return { kind: 'no-rego', path };
    for (const file of files) {
      const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
      const index = lines.findIndex((l) => PACKAGE_LINE.test(l));
      const packageName = index >= 0 ? PACKAGE_LINE.exec(lines[index]!)![1]! : '';
      if (!NATIVE_REGO_PACKAGES.has(packageName)) {
        return { kind: 'foreign-rego', path, file, line: index >= 0 ? index + 1 : 1, packageName };
      }
    }
  }
  return undefined;
}

/** The message for a problem: names the path or file and what to do. */
export function policyProblemMessage(problem: PolicyPathProblem): string {
  switch (problem.kind) {
    case 'url':
      return `policy ${problem.path}: a policy given by URL is not fetched by the native engine; download it and pass its folder to --policy, or use --engine weaver`;
    case 'missing':
      return `policy ${problem.path}: no such file or folder; pass --policy a folder or .rego file`;
    case 'no-rego':
      return `policy ${problem.path}: holds no .rego file; pass --policy a folder or .rego file`;
    case 'foreign-rego':
      return `${problem.file}:${problem.line}: Rego package '${problem.packageName || '(none)'}' is not one of the opentelemetry-weaver-packages check packages the native engine runs (${[...NATIVE_REGO_PACKAGES].join(', ')}); run this policy with --engine weaver`;
  }
}
