#!/usr/bin/env node
/**
 * Bundles the extension, the language server, the CLI and the run-view webview with esbuild.
 *
 *   node scripts/build.mjs               development build (sourcemaps)
 *   node scripts/build.mjs --production  minified, no sourcemaps (what `npm run package` ships)
 *   node scripts/build.mjs --watch       rebuild on change
 *
 * Everything is bundled (the .vsix is packaged with --no-dependencies), except `vscode`, which
 * the extension host provides.
 */
import { build, context } from 'esbuild';
import { chmod, copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bpmnEngineVersionPlugin, yamlEsmPlugin } from './buildPlugins.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

for (const arg of args) {
  if (!['--production', '--watch'].includes(arg)) {
    console.error(`build: unknown option ${arg} (use --production and/or --watch)`);
    process.exit(2);
  }
}

/** Logs each rebuild in watch mode, so the terminal shows when a bundle is fresh. */
const watchReportPlugin = (label) => ({
  name: 'watch-report',
  setup(b) {
    b.onEnd((result) => {
      const state = result.errors.length ? `${result.errors.length} error(s)` : 'ok';
      console.log(`[watch] ${label}: ${state}`);
    });
  },
});

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  // An emptied import.meta crashes at runtime; make it a build error instead.
  logOverride: { 'empty-import-meta': 'error' },
  metafile: true,
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [bpmnEngineVersionPlugin, yamlEsmPlugin],
};

/** @type {Array<{label: string, entry: string, options: import('esbuild').BuildOptions, optional?: boolean}>} */
const targets = [
  {
    label: 'extension',
    entry: 'src/extension/extension.ts',
    options: { ...nodeCommon, outfile: join(dist, 'extension.js'), external: ['vscode'] },
  },
  {
    label: 'server',
    entry: 'src/server/server.ts',
    options: { ...nodeCommon, outfile: join(dist, 'server.js') },
  },
  {
    label: 'cli',
    entry: 'src/cli/index.ts',
    options: { ...nodeCommon, outfile: join(dist, 'cli.js'), banner: { js: '#!/usr/bin/env node' } },
  },
  {
    label: 'webview/runView',
    entry: 'webview/runView/main.ts',
    options: {
      ...common,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      // main.ts imports the bpmn-js stylesheets; esbuild writes them to runView.css beside the JS.
      outfile: join(dist, 'webview', 'runView.js'),
      assetNames: '[name]-[hash]',
      loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
      define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
    },
  },
];

/**
 * The workflow runner looks for `<name>.bpmn` in a `workflows` folder next to the running bundle
 * (dist/workflows) before the repository's workflows/ folder, so the .vsix carries its own copies.
 */
async function copyWorkflows() {
  const from = join(root, 'workflows');
  const to = join(dist, 'workflows');
  await rm(to, { recursive: true, force: true });
  await mkdir(to, { recursive: true });
  const files = existsSync(from) ? (await readdir(from)).filter((f) => f.endsWith('.bpmn')) : [];
  await Promise.all(files.map((f) => copyFile(join(from, f), join(to, f))));
  return files.length;
}

function formatBytes(n) {
  return n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

async function main() {
  const active = targets.filter((t) => existsSync(join(root, t.entry)));
  for (const t of targets) {
    if (!active.includes(t)) console.warn(`build: skipping ${t.label}: ${t.entry} does not exist yet`);
  }
  // Start from an empty dist/: the package allow-lists dist/**, so stale files (old source maps,
  // an old .vsix, bundles of removed entries) must not survive into it.
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  // The schema validators are compiled ahead of time; refresh them in case a schema changed.
  execFileSync(process.execPath, [join(root, 'scripts', 'generate-validators.mjs')], { stdio: 'inherit' });

  if (watch) {
    for (const t of active) {
      const ctx = await context({
        ...t.options,
        entryPoints: [join(root, t.entry)],
        plugins: [...(t.options.plugins ?? []), watchReportPlugin(t.label)],
      });
      await ctx.watch();
    }
    console.log(`build: copied ${await copyWorkflows()} workflow(s); watching ${active.length} bundle(s)`);
    return;
  }

  // Build every bundle even when one fails, so a single run shows all the errors.
  const settled = await Promise.allSettled(
    active.map(async (t) => ({ t, result: await build({ ...t.options, entryPoints: [join(root, t.entry)] }) })),
  );
  const failed = active.filter((_, i) => settled[i].status === 'rejected').map((t) => t.label);
  if (failed.length > 0) {
    console.error(`build: failed: ${failed.join(', ')}`);
    process.exit(1);
  }
  const results = settled.map((s) => /** @type {PromiseFulfilledResult<any>} */ (s).value);
  if (existsSync(join(dist, 'cli.js'))) await chmod(join(dist, 'cli.js'), 0o755);
  const workflows = await copyWorkflows();

  for (const { t, result } of results) {
    const outputs = Object.entries(result.metafile.outputs).filter(([f]) => !f.endsWith('.map'));
    const sizes = outputs.map(([f, o]) => `${f.replace(/^.*dist\//, 'dist/')} ${formatBytes(o.bytes)}`);
    console.log(`build: ${t.label}: ${sizes.join(', ')}`);
  }
  console.log(`build: ${workflows} workflow(s) -> dist/workflows (${production ? 'production' : 'development'})`);
}

main().catch((err) => {
  // esbuild has already printed the located errors; keep the exit code meaningful for CI.
  if (!err?.errors) console.error(err);
  process.exit(1);
});
