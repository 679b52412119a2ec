/**
 * What every benchmark shares: its command line (`[registry folder] [--runs N]`, the registry defaulting
 * to ../shared/registries/semconv-main) and running a TypeScript measuring entry, bundled on the fly with
 * esbuild as the product build does, in fresh child processes (`node bundle.cjs <mode> <registry> <runs>`)
 * that print one JSON value each (`node bundle.cjs <mode> <registry> <runs> [extra...]`).
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { yamlEsmPlugin } from '../scripts/buildPlugins.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `[registry folder] [--runs N]`; exits 2 with a message naming the benchmark on a bad --runs. */
export function benchArgs(name, { defaultRuns, minRuns }) {
  const args = process.argv.slice(2);
  const runsFlag = args.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(args[runsFlag + 1]) : defaultRuns;
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
  const registry = resolve(positional[0] ?? join(root, '..', 'shared', 'registries', 'semconv-main'));
  if (!Number.isInteger(runs) || runs < minRuns) {
    console.error(`${name}: --runs must be an integer >= ${minRuns}`);
    process.exit(2);
  }
  return { registry, runs };
}

/**
 * Bundles `entry` (TypeScript importing from ./src) and hands `measure` a `run(mode)` that executes it in
 * a fresh process and parses what it printed. The bundle is removed afterwards.
 */
export async function withBundledEntry(name, entry, { registry, runs, nodeArgs = [] }, measure) {
  const work = await mkdtemp(join(tmpdir(), `weavergen-${name}-`));
  try {
    const bundle = join(work, `${name}.cjs`);
    await build({
      stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: `${name}-entry.ts` },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // The product bundles resolve `yaml` this way too: measure what ships.
      plugins: [yamlEsmPlugin],
      outfile: bundle,
      logLevel: 'error',
    });
    // Arguments after the mode follow the runs: `node bundle.cjs <mode> <registry> <runs> [extra...]`.
    const run = (mode, ...extra) =>
      JSON.parse(execFileSync(process.execPath, [...nodeArgs, bundle, mode, registry, String(runs), ...extra], { encoding: 'utf8', maxBuffer: 1 << 24 }));
    return await measure(run);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
