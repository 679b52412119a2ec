import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { loadRegistry } from '../src/core/semconv/loadRegistry';
import { listRegistryFiles } from '../src/core/semconv/registryFiles';
import { checkRegistry } from '../src/core/semconv/checkRegistry';
import { ParseCache } from '../src/core/semconv/parseCache';
import { parseYamlDocument } from '../src/core/semconv/yamlParse';
async function main() {
  const reg = '/work/shared/registries/semconv-main';
  const { files } = await listRegistryFiles(reg);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  for (let round = 0; round < 6; round++) {
    let t = performance.now();
    for (const x of texts) parseDocument(x, { lineCounter: new LineCounter() });
    const stock = performance.now() - t; t = performance.now();
    for (const x of texts) parseYamlDocument(x, new LineCounter());
    const lenient = performance.now() - t; t = performance.now();
    const r = await loadRegistry(reg, { cache: new ParseCache() });
    const load = performance.now() - t; t = performance.now();
    checkRegistry(r);
    const check = performance.now() - t;
    console.log({ stock: stock | 0, lenient: lenient | 0, load: load | 0, check: check | 0 });
  }
}
main();
