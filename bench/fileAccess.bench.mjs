#!/usr/bin/env node
/**
 * What the guarded reader (src/core/semconv/fileAccess.ts: lstat-judged walk, O_NOFOLLOW|O_NONBLOCK
 * open, fstat, size limits, encoding checks) costs on a cold check, next to the reading path it replaced
 * (a Dirent walk that ignores links and special files, `readFileSync(path, 'utf8')`), in the same run.
 *
 *   node bench/fileAccess.bench.mjs [registry folder] [--runs N]
 *
 * Default registry: ../shared/registries/semconv-main. Prints one JSON line per benchmark:
 *   read-cold    list + read every file (no parse), fresh process: guarded / previous
 *   check-cold   loadRegistry + checkRegistry, fresh process: guarded / previous (the user's wait)
 * Each figure is the median of fresh processes run alternately, so machine noise hits both alike.
 */
import { benchArgs, median, withBundledEntry } from './harness.mjs';

const { registry, runs } = benchArgs('fileAccess.bench', { defaultRuns: 9, minRuns: 3 });

const entry = `
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { listRegistryFiles } from './src/core/semconv/registryFiles';
import { fileAccessPolicy, readRegistryFile } from './src/core/semconv/fileAccess';
import { loadRegistry } from './src/core/semconv/loadRegistry';
import { checkRegistry } from './src/core/semconv/checkRegistry';
import { ParseCache } from './src/core/semconv/parseCache';

const [mode, registry] = process.argv.slice(2);

// The previous reading path, as it was: Dirent types only (links and special files ignored, the
// manifest found with existsSync), then readFileSync per file.
const MANIFESTS = ['manifest.yaml', 'registry_manifest.yaml'];
const SKIPPED = new Set(['templates', 'policies', 'node_modules', 'target', 'dist', 'out']);
function previousList(root) {
  const files = [];
  const manifestPath = MANIFESTS.map((n) => join(root, n)).find((p) => existsSync(p));
  (function walk(dir, isRoot) {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch (e) { if (isRoot) throw e; return; }
    if (!isRoot && entries.some((e) => e.isFile() && MANIFESTS.includes(e.name))) return;
    const subdirs = [];
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory()) { if (!e.name.startsWith('.') && !SKIPPED.has(e.name)) subdirs.push(full); }
      else if (e.isFile() && ['.yaml', '.yml'].includes(extname(e.name).toLowerCase())) {
        if (e.name === 'weaver.yaml' || e.name === 'weaver.yml' || e.name.startsWith('.')) continue;
        if (isRoot && MANIFESTS.includes(e.name)) continue;
        files.push(full);
      }
    }
    for (const s of subdirs) walk(s, false);
  })(root, true);
  files.sort();
  return { files, ...(manifestPath ? { manifestPath } : {}), problems: [] };
}
const previousSource = {
  list: async (root) => previousList(root),
  read: async (path) => { const text = readFileSync(path, 'utf8'); return { text, bytes: text.length }; },
};

async function main() {
  const policy = fileAccessPolicy();
  const t = performance.now();
  if (mode === 'read-previous') {
    const { files } = previousList(registry);
    let bytes = 0;
    for (const f of files) bytes += readFileSync(f, 'utf8').length;
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, files: files.length, bytes }));
  } else if (mode === 'read-guarded') {
    const { files } = await listRegistryFiles(registry, undefined, policy);
    let bytes = 0;
    for (const f of files) bytes += readRegistryFile(f, registry, policy).bytes;
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, files: files.length, bytes }));
  } else {
    const options = mode === 'check-previous' ? { cache: new ParseCache(), source: previousSource } : { cache: new ParseCache() };
    const result = checkRegistry(await loadRegistry(registry, options));
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, diagnostics: result.diagnostics.length }));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

await withBundledEntry('file-access-bench', entry, { registry, runs }, async (run) => {
  const round = (x) => Math.round(x * 10) / 10;
  const ratio = (a, b) => Math.round((a / b) * 1000) / 1000;
  const times = { 'read-previous': [], 'read-guarded': [], 'check-previous': [], 'check-guarded': [] };
  const last = {};
  for (let i = 0; i < runs; i++) {
    for (const mode of Object.keys(times)) {
      last[mode] = run(mode);
      times[mode].push(last[mode].ms);
    }
  }
  const m = (mode) => median(times[mode]);
  console.log(
    JSON.stringify({
      name: 'file-access-read-cold',
      registry,
      files: last['read-guarded'].files,
      previousMs: round(m('read-previous')),
      guardedMs: round(m('read-guarded')),
      // Guarded over previous: above 1 is what the checks on links, special files and encodings cost.
      ratio: ratio(m('read-guarded'), m('read-previous')),
    }),
  );
  console.log(
    JSON.stringify({
      name: 'file-access-check-cold',
      diagnostics: [last['check-previous'].diagnostics, last['check-guarded'].diagnostics],
      previousMs: round(m('check-previous')),
      guardedMs: round(m('check-guarded')),
      ratio: ratio(m('check-guarded'), m('check-previous')),
    }),
  );
});
