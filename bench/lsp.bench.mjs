#!/usr/bin/env node
/**
 * What the language server costs on a real registry: building the symbol index, re-publishing
 * diagnostics after one edit, hover and completion latency, and the heap it holds.
 *
 *   node bench/lsp.bench.mjs [registry folder] [--runs N]
 *
 * Default registry: ../shared/registries/semconv-main. Prints one JSON line per benchmark:
 *   lsp-initial-index      fresh process: load (read + parse) and index every file; also the index alone
 *   lsp-diagnostics-edit   DiagnosticsScheduler.update + flush after one edit of messaging/spans.yaml and
 *                          http/spans.yaml (p50, p95), as a ratio of a cold full check of the same registry
 *                          measured in fresh processes during this run. The scheduler is set up as the
 *                          server sets it up (collecting garbage in the quiet between keystrokes, the process
 *                          runs with --expose-gc and --min-semi-space-size=16 as the server does,
 *                          see SERVER_NODE_FLAGS in src/extension/languageClient.ts), and keystrokes come 50 ms apart, a
 *                          fast typist's pace: in the editor every check follows at least the debounce
 *                          (200 ms by default) of quiet, so this is the harder case; debounce itself is 0
 *                          here and not counted
 *   lsp-hover              hover on every `ref` of http/spans.yaml (p50, p95)
 *   lsp-completion         completion in http/spans.yaml after each keystroke, keystrokes 50 ms apart as for
 *                          the edits (p50, p95): at "ref": an attribute id after `ref: serv`; at "key": a key
 *                          typed on a new line (in both only the cursor line changed, so the index is read
 *                          as it is, see src/server/features/typedReference.ts); at "after-prose-edit":
 *                          the key, each request right after a change to a brief's text, so the file is
 *                          re-parsed first
 *   lsp-heap               heap held after the initial check and index, against a process that only checked
 * The TypeScript sources are bundled on the fly with esbuild, as the product build does.
 */
import { benchArgs, median, withBundledEntry } from './harness.mjs';

const { registry, runs } = benchArgs('lsp.bench', { defaultRuns: 40, minRuns: 5 });

/** The measuring code, run in child processes: `node bundle.cjs <mode> <registry> <runs>`. */
const entry = `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRegistry } from './src/core/semconv/loadRegistry';
import { checkRegistry } from './src/core/semconv/checkRegistry';
import { RegistryWorkspace } from './src/core/semconv/workspace';
import { SymbolIndex } from './src/core/semconv/symbols';
import { DiagnosticsScheduler } from './src/server/diagnosticsScheduler';
import { IdleCollector } from './src/server/idleCollector';
import { RegistryLanguageService } from './src/server/features/languageService';

const [mode, registry, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const round = (x) => Math.round(x * 100) / 100;
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const mib = (b) => Math.round((b / 1048576) * 10) / 10;
const heapNow = () => { globalThis.gc?.(); globalThis.gc?.(); return process.memoryUsage().heapUsed; };
const print = (value) => process.stdout.write(JSON.stringify(value));

async function main() {
  if (mode === 'cold-check') {
    const t = performance.now();
    const result = checkRegistry(await loadRegistry(registry));
    const ms = performance.now() - t;
    return print({ ms, diagnostics: result.diagnostics.length, heap: mib(heapNow()) });
  }
  if (mode === 'cold-index') {
    const ws = new RegistryWorkspace(registry);
    const t = performance.now();
    const loaded = await ws.load();
    const index = new SymbolIndex();
    const t1 = performance.now();
    index.update(loaded);
    const t2 = performance.now();
    return print({ ms: t2 - t, indexOnlyMs: t2 - t1, files: loaded.files.length, attributes: index.allAttributes().length, groups: index.allGroups().length });
  }
  if (mode === 'heap-check-only') {
    const ws = new RegistryWorkspace(registry);
    await ws.check();
    return print({ heap: mib(heapNow()) });
  }

  // warm: one server-like process (one workspace shared by the scheduler and the features).
  const ws = new RegistryWorkspace(registry);
  // Wired as server.ts wires them: edits, re-parsing requests and checks share one idle collector.
  const idle = new IdleCollector(globalThis.gc);
  const ls = new RegistryLanguageService(ws, idle);
  const scheduler = new DiagnosticsScheduler({ checker: ws, debounceMs: 0, publish: () => {}, idle });
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  await ws.check();
  await ls.refresh();
  const heap = mib(heapNow());

  const edits = {};
  for (const rel of ['messaging/spans.yaml', 'http/spans.yaml']) {
    const file = join(registry, rel);
    const original = readFileSync(file, 'utf8');
    const times = [];
    for (let i = 0; i < runs + 3; i++) {
      // One keystroke in the first brief: the file is re-parsed, everything else is reused.
      const text = original.replace('brief: ', 'brief: ' + 'x'.repeat(i + 1));
      const t = performance.now();
      scheduler.update(file, i + 1, text);
      await scheduler.flush();
      if (i >= 3) times.push(performance.now() - t);
      await pause(50);
    }
    scheduler.close(file);
    await scheduler.flush();
    edits[rel] = { p50: round(quantile(times, 0.5)), p95: round(quantile(times, 0.95)) };
  }

  const spans = join(registry, 'http/spans.yaml');
  const uri = pathToFileURL(spans).href;
  const spansText = readFileSync(spans, 'utf8');
  const lines = spansText.split('\\n');
  const refPositions = [];
  lines.forEach((line, i) => { const c = line.indexOf('ref: '); if (c >= 0) refPositions.push({ line: i, character: c + 7 }); });
  const hover = [];
  for (let round_ = 0; round_ < Math.max(1, Math.ceil(runs / refPositions.length)) + 1; round_++) {
    for (const position of refPositions) {
      const t = performance.now();
      const h = await ls.hover({ textDocument: { uri }, position });
      if (round_ > 0) hover.push(performance.now() - t);
      if (!h) throw new Error('no hover at ' + JSON.stringify(position));
    }
  }

  // Completion as the user types, one request per keystroke, keystrokes 50 ms apart (as for the edits),
  // the buffer changing before each request as typing changes it: typedText(i) gives text and cursor at keystroke i.
  async function completionAt(typedText, expected) {
    const times = [];
    let items = 0;
    for (let i = 0; i < runs + 3; i++) {
      const { text, position } = typedText(i);
      ws.setOverlay(spans, text);
      const t = performance.now();
      const list = await ls.completion({ textDocument: { uri }, position });
      if (i >= 3) times.push(performance.now() - t);
      items = list.items.length;
      if (!list.items.some((it) => it.label === expected)) throw new Error(expected + ' not offered');
      await pause(50);
    }
    ws.deleteOverlay(spans);
    await ls.refresh();
    return { p50: round(quantile(times, 0.5)), p95: round(quantile(times, 0.95)), items, samples: times.length };
  }
  const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\\n').length - 1;
  // An attribute id after \`ref:\` ('serv' / 'serve'): the index is read as it is (typedReference.ts).
  const target = '      - ref: server.address\\n';
  const completion = await completionAt((i) => {
    const typed = i % 2 === 0 ? 'serv' : 'serve';
    return { text: spansText.replace(target, '      - ref: ' + typed + '\\n'), position: { line: lineOf(spansText, target), character: 13 + typed.length } };
  }, 'server.address');
  // A key typed on a new line under that ref ('no' / 'not'), after the first keystroke: only the file's
  // kind is read, so the index is read as it is too (typedReference.ts).
  const keyTarget = '      - ref: server.address\\n        sampling_relevant: true\\n';
  const keyLine = lineOf(spansText, keyTarget) + 2;
  const keyCompletion = await completionAt((i) => {
    const typed = i % 2 === 0 ? 'no' : 'not';
    return { text: spansText.replace(keyTarget, keyTarget + '        ' + typed + '\\n'), position: { line: keyLine, character: 8 + typed.length } };
  }, 'note');
  // The same key, each time right after a change to a brief's prose elsewhere in the file, which the
  // index must see: every request re-parses the file before it answers.
  const brief = 'brief: Local socket address. Useful in case of a multi-IP host.';
  const parseFirstCompletion = await completionAt((i) => {
    const prose = i % 2 === 0 ? ' See the docs.' : ' See the spec.';
    const text = spansText.replace(keyTarget, keyTarget + '        no\\n').replace(brief, brief + prose);
    return { text, position: { line: keyLine, character: 10 } };
  }, 'note');

  print({
    heap,
    edits,
    hover: { p50: round(quantile(hover, 0.5)), p95: round(quantile(hover, 0.95)), samples: hover.length },
    completion,
    keyCompletion,
    parseFirstCompletion,
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

await withBundledEntry('lsp-bench', entry, { registry, runs, nodeArgs: ['--expose-gc', '--min-semi-space-size=16'] }, async (run) => {
  const round = (x) => Math.round(x * 10) / 10;
  // Three significant digits: sub-millisecond requests against a seconds-long check stay readable.
  const ratio = (a, b) => Number((a / b).toPrecision(3));

  // Cold figures: medians of seven fresh processes each, alternating so machine noise hits both alike.
  const coldCheck = [];
  const coldIndex = [];
  let indexInfo;
  for (let i = 0; i < 7; i++) {
    coldCheck.push(run('cold-check').ms);
    indexInfo = run('cold-index');
    coldIndex.push(indexInfo);
  }
  const checkOnlyHeap = run('heap-check-only').heap;
  const warm = run('warm');
  const fullCheckMs = median(coldCheck);

  const lines = [
    {
      name: 'lsp-initial-index',
      registry,
      files: indexInfo.files,
      attributes: indexInfo.attributes,
      groups: indexInfo.groups,
      loadAndIndexMs: round(median(coldIndex.map((x) => x.ms))),
      indexOnlyMs: round(median(coldIndex.map((x) => x.indexOnlyMs))),
      coldFullCheckMs: round(fullCheckMs),
      // Share of a cold full check that loading and indexing the registry costs.
      ratio: ratio(median(coldIndex.map((x) => x.ms)), fullCheckMs),
    },
    ...Object.entries(warm.edits).map(([file, t]) => ({
      name: 'lsp-diagnostics-edit',
      file,
      p50Ms: t.p50,
      p95Ms: t.p95,
      coldFullCheckMs: round(fullCheckMs),
      // Share of a cold full check (measured in this run) that publishing after one edit costs.
      ratio: ratio(t.p50, fullCheckMs),
      p95Ratio: ratio(t.p95, fullCheckMs),
    })),
    { name: 'lsp-hover', p50Ms: warm.hover.p50, p95Ms: warm.hover.p95, samples: warm.hover.samples, ratio: ratio(warm.hover.p95, fullCheckMs) },
    ...[
      ['ref', warm.completion],
      ['key', warm.keyCompletion],
      ['after-prose-edit', warm.parseFirstCompletion],
    ].map(([at, c]) => ({ name: 'lsp-completion', at, p50Ms: c.p50, p95Ms: c.p95, items: c.items, samples: c.samples, ratio: ratio(c.p95, fullCheckMs) })),
    {
      name: 'lsp-heap',
      heapUsedMiB: warm.heap,
      checkOnlyHeapUsedMiB: checkOnlyHeap,
      // Heap of a server with the symbol index against one that only checks.
      ratio: ratio(warm.heap, checkOnlyHeap),
    },
  ];
  for (const line of lines) console.log(JSON.stringify(line));
});
