import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the end-to-end harness finds the repository, its build output and the tools it drives. */

export const CODE_SERVER_VERSION = '4.100.3';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Screenshots, logs and reports of every e2e run: kept as CI artifacts, ignored by git. */
export const resultsRoot = join(repoRoot, 'test-results', 'e2e');

/** The packaged extension (`npm run package`). */
export const vsixPath = join(repoRoot, 'dist', 'weavergen.vsix');

/** The bundled example registry; tests only ever read it and work on copies. */
export const exampleRegistry = join(repoRoot, 'examples', 'registry');

/** The same folder scripts/install-deps.sh installs into. */
export function codeServerBin(): string {
  const explicit = process.env.WEAVERGEN_CODE_SERVER;
  if (explicit) return requireFile(explicit, 'WEAVERGEN_CODE_SERVER');
  const tools = process.env.WEAVERGEN_TOOLS_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'weavergen');
  return requireFile(join(tools, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server'), 'code-server');
}

export function chromiumBin(): string {
  return requireFile(process.env.WEAVERGEN_CHROMIUM ?? '/usr/bin/chromium', 'chromium');
}

function requireFile(path: string, what: string): string {
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}: run \`bash scripts/install-deps.sh\` first (it installs chromium and code-server).`);
  }
  return path;
}
