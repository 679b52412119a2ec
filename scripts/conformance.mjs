// Runs weaver's conformance cases against the native engine:
//   npm run conformance -- [DIR ...]
// Default folders: ../shared/conformance/weaver-resolver and ../shared/conformance/weaver-policies.
// The runner (test/conformance/runner.ts) is bundled with esbuild into a temporary file and run in
// process; the policy engine is wired in when src/core/semconv/policies exports `runPolicyCase`.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const policiesIndex = join(root, 'src/core/semconv/policies/index.ts');
const hasPolicies = existsSync(policiesIndex) && /export\s+(async\s+)?(function|const)\s+runPolicyCase\b|export\s*\{[^}]*\brunPolicyCase\b/.test(readFileSync(policiesIndex, 'utf8'));

const entry = [
  `import { runConformance, formatReport, DEFAULT_CASE_ROOTS } from ${JSON.stringify(join(root, 'test/conformance/runner.ts'))};`,
  hasPolicies ? `import { runPolicyCase } from ${JSON.stringify(policiesIndex)};` : 'const runPolicyCase = undefined;',
  'export async function main(args, cwd) {',
  '  const roots = args.length > 0 ? args.map((a) => a) : DEFAULT_CASE_ROOTS.map((r) => r);',
  '  const report = await runConformance(roots.map((r) => (r.startsWith("/") ? r : cwd + "/" + r)), runPolicyCase ? { runPolicyCase } : {});',
  '  console.log(formatReport(report));',
  '  return report.failed === 0 && report.results.length > 0 ? 0 : 1;',
  '}',
].join('\n');

// Inside node_modules/.cache so the bundle's external packages resolve from the repository.
const cacheDir = join(root, 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const dir = mkdtempSync(join(cacheDir, 'weavergen-conformance-'));
try {
  const outfile = join(dir, 'conformance.mjs');
  await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: 'conformance-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const { main } = await import(pathToFileURL(outfile).href);
  // Relative folders are taken from the repository root, as the defaults are.
  process.exitCode = await main(process.argv.slice(2), process.env.INIT_CWD ?? root);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
