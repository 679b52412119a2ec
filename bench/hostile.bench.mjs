#!/usr/bin/env node
/**
 * What hostile inputs cost next to ordinary ones of the same size, each pair measured in this run.
 *
 *   node bench/hostile.bench.mjs [registry folder] [--runs N] [--big-mib M]
 *
 * Default registry (the baselines' real registry): ../shared/registries/semconv-main. --big-mib sets the
 * size of the generated large file (default 50). Prints one JSON line per benchmark:
 *   hostile-alias-bomb     `registry check` (load + every check) of a ~600-byte "billion laughs" file, in a
 *                          fresh process: time and peak RSS added, as ratios of the same check of a
 *                          plain file of the same shape without aliases
 *   hostile-deep-nesting   the same for 100,000 nested `[` (flow) and `- ` (block) against a flat file of
 *                          the same size
 *   hostile-wide-mapping   the same for one mapping of 50,000 keys against 500 mappings of 100 keys
 *   hostile-big-file       the check of one generated registry file of --big-mib MiB (many groups and
 *                          attributes), fresh process: time and peak RSS added, the RSS as a multiple of
 *                          the file's size, next to the same multiple for semconv-main
 *   hostile-hover-5mb      language server: an edit of a 5 MiB registry file, then hover in it, p50/p95
 *                          (edit + hover), with the default weavergen.server.maxDocumentSize (the file is
 *                          checked for syntax only) and with the limit raised above the file (full
 *                          service), against the same on http/spans.yaml of semconv-main
 * Peak RSS is the process's high-water mark (`resourceUsage().maxRSS`) less its RSS before the work.
 */
import { benchArgs, median, withBundledEntry } from './harness.mjs';

const bigFlag = process.argv.indexOf('--big-mib');
const bigMib = bigFlag >= 0 ? Number(process.argv[bigFlag + 1]) : 50;
// The shared argument reader knows only [registry] [--runs N].
if (bigFlag >= 0) process.argv.splice(bigFlag, 2);
const { registry, runs } = benchArgs('hostile.bench', { defaultRuns: 15, minRuns: 3 });
if (!Number.isFinite(bigMib) || bigMib <= 0) {
  console.error('hostile.bench: --big-mib must be a positive number');
  process.exit(2);
}

const entry = `
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadRegistry } from './src/core/semconv/loadRegistry';
import { checkRegistry } from './src/core/semconv/checkRegistry';
import { ParseCache } from './src/core/semconv/parseCache';
import { RegistryWorkspace } from './src/core/semconv/workspace';
import { DiagnosticsScheduler } from './src/server/diagnosticsScheduler';
import { RegistryLanguageService } from './src/server/features/languageService';

const [mode, registry, runsText, extra] = process.argv.slice(2);
const runs = Number(runsText);
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const print = (value) => process.stdout.write(JSON.stringify(value));
const mib = (b) => Math.round((b / 1048576) * 10) / 10;

const HEAD = 'groups:\\n  - id: registry.hostile\\n    type: attribute_group\\n    brief: b\\n    stability: stable\\n    annotations:\\n';

/** Registry text of many groups and attributes, about \`bytes\` long. */
function generated(bytes) {
  const parts = ['groups:\\n'];
  let n = 8;
  for (let g = 0; n < bytes; g++) {
    let s = '  - id: registry.gen' + g + '\\n    type: attribute_group\\n    brief: Generated group ' + g + '.\\n    attributes:\\n';
    for (let a = 0; a < 10; a++) {
      s += '      - id: gen' + g + '.attr' + a + '\\n        type: string\\n        stability: development\\n' +
        '        brief: Attribute ' + a + ' of group ' + g + ', generated.\\n        examples: ["value-' + a + '", "other"]\\n';
    }
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

function texts(kind) {
  if (kind === 'bomb' || kind === 'bomb-plain') {
    const lines = ['      x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) {
      const item = kind === 'bomb' ? '*a' + (i - 1) : 'lol';
      lines.push('      x' + i + ': ' + (kind === 'bomb' ? '&a' + i + ' ' : '') + '[' + Array(9).fill(item).join(', ') + ']');
    }
    return HEAD + lines.join('\\n') + '\\n';
  }
  const levels = 100000;
  if (kind === 'deep-flow') return HEAD + '      deep: ' + '['.repeat(levels) + ']'.repeat(levels) + '\\n';
  if (kind === 'deep-block') return HEAD + '      deep:\\n        ' + '- '.repeat(levels) + 'x\\n';
  // A flat list of the same size as the deep files.
  if (kind === 'flat') return HEAD + '      flat: [' + Array(levels - 1).fill('x').join(',') + ']\\n';
  if (kind === 'wide') return HEAD + Array.from({ length: 50000 }, (_, i) => '      k' + i + ': ' + i).join('\\n') + '\\n';
  if (kind === 'narrow') {
    const out = [HEAD];
    for (let m = 0; m < 500; m++) {
      out.push('      m' + m + ':\\n');
      for (let k = 0; k < 100; k++) out.push('        k' + (m * 100 + k) + ': ' + k + '\\n');
    }
    return out.join('');
  }
  if (kind === 'big' || kind === 'big-default') return generated(Number(extra) * 1048576);
  throw new Error('unknown kind ' + kind);
}

/** One cold check in this fresh process: time, and peak RSS added over the RSS before it. */
async function coldCheck(dir, bytes, files) {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const t = performance.now();
  const result = checkRegistry(await loadRegistry(dir, { cache: new ParseCache(), ...(files ? { files } : {}) }));
  const ms = performance.now() - t;
  const added = Math.max(0, process.resourceUsage().maxRSS * 1024 - before);
  return { ms, peakAddedMiB: mib(added), bytes, perByte: Math.round((added / bytes) * 10) / 10, diagnostics: result.diagnostics.length, codes: [...new Set(result.diagnostics.map((d) => d.code))], messages: result.diagnostics.slice(0, 3).map((d) => d.message.slice(0, 80)) };
}

async function main() {
  if (mode.startsWith('check:')) {
    const kind = mode.slice(6);
    const dir = mkdtempSync(join(tmpdir(), 'weavergen-hostile-'));
    try {
      const text = texts(kind);
      writeFileSync(join(dir, 'file.yaml'), text);
      // big raises the byte limits past the file to measure the parse itself; big-default keeps the
      // loader's defaults, under which such a file is refused unread.
      const files = kind === 'big' ? { limits: { maxFileBytes: text.length + 1, maxTotalBytes: text.length + 1 } } : undefined;
      return print(await coldCheck(dir, text.length, files));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (mode === 'check-registry') {
    const { listRegistryFiles } = await import('./src/core/semconv/registryFiles');
    const { files } = await listRegistryFiles(registry);
    const bytes = files.reduce((n, f) => n + readFileSync(f, 'utf8').length, 0);
    return print(await coldCheck(registry, bytes));
  }
  if (mode === 'hover') {
    // extra: 'big-syntax-only' | 'big-full' | 'registry'
    const pause = (ms) => new Promise((r) => setTimeout(r, ms));
    let root, file, cleanup = () => {};
    if (extra === 'registry') {
      root = registry;
      file = join(registry, 'http', 'spans.yaml');
    } else {
      root = mkdtempSync(join(tmpdir(), 'weavergen-hostile-hover-'));
      file = join(root, 'big.yaml');
      writeFileSync(file, generated(5 * 1048576));
      cleanup = () => rmSync(root, { recursive: true, force: true });
    }
    try {
      const ws = new RegistryWorkspace(root);
      const scheduler = new DiagnosticsScheduler({
        checker: ws, debounceMs: 200, publish: () => {},
        ...(extra === 'big-full' ? { maxDocumentSize: 64 * 1048576 } : {}),
      });
      const ls = new RegistryLanguageService(ws, undefined, (p) => scheduler.syntaxOnlyText(p));
      const original = readFileSync(file, 'utf8');
      scheduler.update(file, 1, original);
      await scheduler.flush();
      await ls.refresh();
      const uri = pathToFileURL(file).href;
      // Hover on an id near the end of the file, after an edit of a brief near its start.
      const needle = extra === 'registry' ? 'ref: server.address' : 'id: gen1.attr3';
      const at = original.lastIndexOf(needle) + needle.length - 2;
      const before = original.slice(0, at);
      const position = { line: before.split('\\n').length - 1, character: at - before.lastIndexOf('\\n') - 1 };
      const times = [];
      let answered = 0;
      for (let i = 0; i < runs + 2; i++) {
        const text = original.replace('brief: ', 'brief: ' + 'x'.repeat(i + 1));
        const t = performance.now();
        scheduler.update(file, i + 2, text);
        const h = await ls.hover({ textDocument: { uri }, position });
        if (i >= 2) times.push(performance.now() - t);
        if (h) answered++;
        // The debounced check runs in the pause, as it does between keystrokes.
        await pause(250);
        await scheduler.flush();
      }
      scheduler.dispose();
      return print({ p50: quantile(times, 0.5), p95: quantile(times, 0.95), samples: times.length, answered, bytes: original.length, syntaxOnly: scheduler.isSyntaxOnly(file) });
    } finally {
      cleanup();
    }
  }
  throw new Error('unknown mode ' + mode);
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

await withBundledEntry('hostile-bench', entry, { registry, runs, nodeArgs: ['--expose-gc', '--max-old-space-size=8192'] }, async (run) => {
  const round = (x) => Math.round(x * 10) / 10;
  const ratio = (a, b) => Number((a / Math.max(b, 1e-9)).toPrecision(3));
  // Cold figures: medians of three fresh processes each.
  const cold = (mode, extraArg) => {
    const xs = [0, 1, 2].map(() => run(mode, extraArg));
    return { ...xs[0], ms: median(xs.map((x) => x.ms)), peakAddedMiB: median(xs.map((x) => x.peakAddedMiB)) };
  };
  const lines = [];

  const bomb = cold('check:bomb');
  const plain = cold('check:bomb-plain');
  lines.push({
    name: 'hostile-alias-bomb', bytes: bomb.bytes, ms: round(bomb.ms), peakAddedMiB: bomb.peakAddedMiB, finding: bomb.messages.find((m) => m.includes('alias')),
    baselineMs: round(plain.ms), baselinePeakAddedMiB: plain.peakAddedMiB, timeRatio: ratio(bomb.ms, plain.ms), memoryRatio: ratio(bomb.peakAddedMiB, plain.peakAddedMiB),
  });

  const flat = cold('check:flat');
  for (const kind of ['deep-flow', 'deep-block']) {
    const deep = cold('check:' + kind);
    lines.push({
      name: 'hostile-deep-nesting', kind, bytes: deep.bytes, ms: round(deep.ms), peakAddedMiB: deep.peakAddedMiB, finding: deep.messages.find((m) => m.includes('levels')),
      baselineBytes: flat.bytes, baselineMs: round(flat.ms), baselinePeakAddedMiB: flat.peakAddedMiB, timeRatio: ratio(deep.ms, flat.ms), memoryRatio: ratio(deep.peakAddedMiB, flat.peakAddedMiB),
    });
  }

  const wide = cold('check:wide');
  const narrow = cold('check:narrow');
  lines.push({
    name: 'hostile-wide-mapping', bytes: wide.bytes, ms: round(wide.ms), peakAddedMiB: wide.peakAddedMiB,
    baselineBytes: narrow.bytes, baselineMs: round(narrow.ms), baselinePeakAddedMiB: narrow.peakAddedMiB, timeRatio: ratio(wide.ms, narrow.ms), memoryRatio: ratio(wide.peakAddedMiB, narrow.peakAddedMiB),
  });

  const big = run('check:big', String(bigMib));
  const semconv = run('check-registry');
  lines.push({
    name: 'hostile-big-file', limits: 'raised past the file', mib: round(big.bytes / 1048576), ms: round(big.ms), peakAddedMiB: big.peakAddedMiB, peakPerByte: big.perByte,
    baselineRegistry: registry, baselineMiB: round(semconv.bytes / 1048576), baselineMs: round(semconv.ms), baselinePeakPerByte: semconv.perByte,
    ratio: ratio(big.perByte, semconv.perByte),
  });
  const refused = run('check:big-default', String(bigMib));
  lines.push({
    name: 'hostile-big-file', limits: 'default', mib: round(refused.bytes / 1048576), ms: round(refused.ms), peakAddedMiB: refused.peakAddedMiB, peakPerByte: refused.perByte,
    codes: refused.codes, baselineMs: round(semconv.ms), ratio: ratio(refused.perByte, semconv.perByte),
  });

  const baseline = run('hover', 'registry');
  for (const variant of ['big-syntax-only', 'big-full']) {
    const h = run('hover', variant);
    lines.push({
      name: 'hostile-hover-5mb', variant, syntaxOnly: h.syntaxOnly, p50Ms: round(h.p50), p95Ms: round(h.p95), answered: h.answered, samples: h.samples,
      baselineFile: 'http/spans.yaml', baselineP50Ms: round(baseline.p50), baselineP95Ms: round(baseline.p95), p95Ratio: ratio(h.p95, baseline.p95),
    });
  }
  for (const line of lines) console.log(JSON.stringify(line));
});
