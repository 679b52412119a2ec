import { isAbsolute, resolve, sep } from 'node:path';

/**
 * Which registry file a path printed by weaver means. Weaver prints paths as it opened them: absolute,
 * relative to its working folder, or (in its own test data) relative to a folder that is not the
 * registry's at all (`data/registry-test-12/registry/a.yaml`). The path is resolved against the working
 * folder first; failing that, the registry file sharing the longest tail of path segments wins, when
 * exactly one does and at least the file name matches.
 */
export function matchRegistryFile(path: string, cwd: string, files: readonly string[]): string | undefined {
  const absolute = isAbsolute(path) ? resolve(path) : resolve(cwd, path);
  if (files.includes(absolute)) return absolute;
  const wanted = segments(path);
  if (wanted.length === 0) return undefined;
  let best: string[] = [];
  let bestLength = 0;
  for (const file of files) {
    const have = segments(file);
    let n = 0;
    while (n < wanted.length && n < have.length && wanted[wanted.length - 1 - n] === have[have.length - 1 - n]) n++;
    if (n === 0) continue;
    if (n > bestLength) {
      bestLength = n;
      best = [file];
    } else if (n === bestLength) {
      best.push(file);
    }
  }
  return best.length === 1 ? best[0] : undefined;
}

function segments(path: string): string[] {
  return path
    .split(/[\\/]+/)
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (sep === '\\' ? s.toLowerCase() : s));
}
