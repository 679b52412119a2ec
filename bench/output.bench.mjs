#!/usr/bin/env node
/**
 * What the escaping of registry text (src/core/report/safeText.ts) costs on a real registry's
 * outputs, next to writing the same output without it.
 *
 *   node bench/output.bench.mjs [registry folder] [--runs N]
 *
 * Default registry: ../shared/registries/semconv-main. Prints one JSON line per benchmark, each a
 * median over N runs in one warm process, with the ratio escaped / plain and whether both wrote
 * the same text (a registry without hostile strings should print as before):
 *   resolve-json   JSON.stringify of the resolved registry vs safeJson of it
 *   resolve-yaml   yaml's stringify vs safeYaml (the risky strings double-quoted)
 *   text-lines     one `file:line:col: id: brief` line per attribute, raw vs textField + textLine
 * The TypeScript sources are bundled on the fly with esbuild, as the product build does.
 */
import { benchArgs, withBundledEntry } from './harness.mjs';

const { registry, runs } = benchArgs('output.bench', { defaultRuns: 9, minRuns: 3 });

const entry = `
import { stringify } from 'yaml';
import { loadRegistry } from './src/core/semconv/loadRegistry';
import { resolveRegistry } from './src/core/semconv/resolve/resolveRegistry';
import { toWeaverJson } from './src/core/semconv/resolve/weaverJson';
import { safeJson, safeYaml, textField, textLine } from './src/core/report/safeText';

const [, registry, runsText] = process.argv.slice(2);
const runs = Number(runsText);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const round = (x) => Math.round(x * 10) / 10;

/** Both alternately, so garbage collection and machine noise hit them alike. */
function timePair(plain, safe) {
  for (let i = 0; i < 2; i++) { plain(); safe(); }
  const p = [], q = [];
  let a, b;
  for (let i = 0; i < runs; i++) {
    let t = performance.now(); a = plain(); p.push(performance.now() - t);
    t = performance.now(); b = safe(); q.push(performance.now() - t);
  }
  return { plainMs: round(median(p)), safeMs: round(median(q)), bytes: b.length, identical: a === b, ratio: Math.round((median(q) / median(p)) * 100) / 100 };
}

async function main() {
  const loaded = await loadRegistry(registry);
  const { registry: reg, catalog } = toWeaverJson(resolveRegistry(loaded, { registryUrl: registry }).registry);
  const doc = { catalog: { attributes: catalog }, registry: reg };
  const attrs = catalog.map((a, i) => ({ file: 'registry/' + String(a.name).split('.')[0] + '.yaml', line: i + 1, id: String(a.name), brief: String(a.brief ?? '') }));
  const pair = timePair;
  process.stdout.write(JSON.stringify({
    attributes: catalog.length,
    json: pair(() => JSON.stringify(doc, null, 2), () => safeJson(JSON.stringify(doc, null, 2))),
    yaml: pair(() => stringify(doc, { lineWidth: 0 }), () => safeYaml(doc)),
    text: pair(
      () => attrs.map((a) => a.file + ':' + a.line + ':1: ' + a.id + ': ' + a.brief + '\\n').join(''),
      () => attrs.map((a) => textLine(textField(a.file) + ':' + a.line + ':1: ' + textField(a.id) + ': ' + textField(a.brief)) + '\\n').join(''),
    ),
  }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

await withBundledEntry('output-bench', entry, { registry, runs }, async (run) => {
  const r = run('warm');
  console.log(JSON.stringify({ name: 'resolve-json', registry, attributes: r.attributes, ...r.json }));
  console.log(JSON.stringify({ name: 'resolve-yaml', ...r.yaml }));
  console.log(JSON.stringify({ name: 'text-lines', ...r.text }));
});
