#!/usr/bin/env node
/**
 * How much a native registry check costs next to merely parsing the same YAML, and what an incremental
 * re-check costs after one file changes.
 *
 *   node bench/check.bench.mjs [registry folder] [--runs N]
 *
 * Default registry: ../shared/registries/semconv-main. Prints one JSON line per benchmark:
 *   parse-only            parseDocument (with LineCounter) of every registry file, texts already read
 *   load-only             load (list + read + parse + classify) without any check, fresh parse cache:
 *                         what the checks start from, as a ratio of parse-only
 *   full-check            load (read + parse + classify) and every check, fresh parse cache
 *   incremental-recheck   RegistryWorkspace.check() after one overlay edit, everything else cached
 * Cold figures come from fresh processes (one per measurement), so JIT warm-up and the one-time schema
 * compilation are counted where a user pays them; warm figures are medians inside one process.
 * The TypeScript sources are bundled on the fly with esbuild, as the product build does.
 */
import { benchArgs, median, withBundledEntry } from './harness.mjs';

const { registry, runs } = benchArgs('check.bench', { defaultRuns: 15, minRuns: 3 });

/** The measuring code, run in child processes: `node bundle.cjs <mode> <registry> <runs>`. */
const entry = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { listRegistryFiles } from './src/core/semconv/registryFiles';
import { loadRegistry } from './src/core/semconv/loadRegistry';
import { checkRegistry } from './src/core/semconv/checkRegistry';
import { ParseCache } from './src/core/semconv/parseCache';
import { RegistryWorkspace } from './src/core/semconv/workspace';

const [mode, registry, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const round = (x) => Math.round(x * 10) / 10;

async function texts() {
  const { files, manifestPath } = await listRegistryFiles(registry);
  return [...files, ...(manifestPath ? [manifestPath] : [])].map((p) => readFileSync(p, 'utf8'));
}
function parseAll(all) {
  const t = performance.now();
  for (const text of all) parseDocument(text, { lineCounter: new LineCounter() });
  return performance.now() - t;
}
async function fullCheck() {
  const t = performance.now();
  const result = checkRegistry(await loadRegistry(registry, { cache: new ParseCache() }));
  return { ms: performance.now() - t, result };
}

async function main() {
  if (mode === 'parse-cold') {
    const all = await texts();
    process.stdout.write(JSON.stringify({ ms: parseAll(all), files: all.length, bytes: all.reduce((n, t) => n + t.length, 0) }));
  } else if (mode === 'load-cold') {
    const t = performance.now();
    const loaded = await loadRegistry(registry, { cache: new ParseCache() });
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, files: loaded.files.length }));
  } else if (mode === 'check-cold') {
    const rssBefore = process.resourceUsage().maxRSS;
    const { ms, result } = await fullCheck();
    const usage = process.memoryUsage();
    process.stdout.write(JSON.stringify({
      ms, diagnostics: result.diagnostics.length, summary: result.summary,
      // maxRSS is the process high-water mark in KiB; the difference is what the check itself added.
      peakRssMiB: process.resourceUsage().maxRSS / 1024, startRssMiB: rssBefore / 1024, heapUsedMiB: usage.heapUsed / 1048576,
    }));
  } else if (mode === 'warm') {
    const all = await texts();
    for (let i = 0; i < 3; i++) { parseAll(all); await fullCheck(); }
    const parse = [], check = [];
    for (let i = 0; i < runs; i++) { parse.push(parseAll(all)); check.push((await fullCheck()).ms); }

    const ws = new RegistryWorkspace(registry);
    await ws.check();
    const { files } = await listRegistryFiles(registry);
    const target = files.find((f) => f.endsWith(join('http', 'registry.yaml'))) ?? files[0];
    const original = readFileSync(target, 'utf8');
    const incremental = [];
    const withPolicies = [];
    const before = ws.parseCount;
    for (let i = 0; i < runs; i++) {
      // One keystroke: the same file with one more character in a comment. The keystroke path runs
      // the fast checks; the policy packages follow in an idle-time pass, timed apart.
      ws.setOverlay(target, original + '#'.repeat(i + 1) + '\\n');
      let t = performance.now();
      await ws.check(undefined, { policies: false });
      incremental.push(performance.now() - t);
      t = performance.now();
      await ws.check(undefined, { policies: true });
      withPolicies.push(performance.now() - t);
    }
    process.stdout.write(JSON.stringify({
      parse: round(median(parse)), check: round(median(check)), incremental: round(median(incremental)),
      reparsedPerEdit: (ws.parseCount - before) / runs, target, withPolicies: round(median(withPolicies)),
    }));
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

await withBundledEntry('check-bench', entry, { registry, runs }, async (run) => {
  const round = (x) => Math.round(x * 10) / 10;
  const ratio = (a, b) => Math.round((a / b) * 1000) / 1000;

  // Cold: up to nine fresh processes each, alternating so machine noise hits both alike.
  const coldRuns = Math.min(runs, 9);
  const parseCold = [];
  const checkCold = [];
  const loadCold = [];
  const peakRss = [];
  let info;
  let checked;
  for (let i = 0; i < coldRuns; i++) {
    info = run('parse-cold');
    parseCold.push(info.ms);
    loadCold.push(run('load-cold').ms);
    checked = run('check-cold');
    checkCold.push(checked.ms);
    peakRss.push(checked.peakRssMiB);
  }
  const warm = run('warm');

  const lines = [
    {
      name: 'parse-only',
      registry,
      files: info.files,
      bytes: info.bytes,
      coldMs: round(median(parseCold)),
      warmMs: warm.parse,
      ratio: 1,
    },
    {
      name: 'load-semconv-cold',
      coldMs: round(median(loadCold)),
      // How many parse-only passes loading (listing, reading, parsing, classifying) costs.
      ratio: ratio(median(loadCold), median(parseCold)),
    },
    {
      name: 'check-semconv-cold',
      diagnostics: checked.diagnostics,
      summary: checked.summary,
      coldMs: round(median(checkCold)),
      warmMs: warm.check,
      // How many parse-only passes a full check costs.
      ratio: ratio(median(checkCold), median(parseCold)),
      warmRatio: ratio(warm.check, warm.parse),
    },
    {
      name: 'check-semconv-incremental',
      editedFile: warm.target,
      reparsedPerEdit: warm.reparsedPerEdit,
      warmMs: warm.incremental,
      idlePolicyPassMs: warm.withPolicies,
      coldFullCheckMs: round(median(checkCold)),
      // Share of a cold full check (the baseline of this run) that one re-check after an edit costs.
      ratio: ratio(warm.incremental, median(checkCold)),
      warmRatio: ratio(warm.incremental, warm.check),
    },
    {
      name: 'check-semconv-memory',
      // Peak resident memory of a fresh process doing one full check, against one that only parses.
      peakRssMiB: round(median(peakRss)),
      heapUsedAfterMiB: round(checked.heapUsedMiB),
      startRssMiB: round(checked.startRssMiB),
      ratio: ratio(median(peakRss), checked.startRssMiB),
    },
  ];
  for (const line of lines) console.log(JSON.stringify(line));
});
