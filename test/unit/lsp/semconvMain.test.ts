import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { applyEdits, positionOf, read, semconvMain, textAt, uri } from './helpers';
import { at, hoverText, service } from './service';

/**
 * The editing features on the OpenTelemetry semantic conventions registry (../shared, read-only: every
 * edit goes to an overlay, as an unsaved editor buffer would).
 */

const httpSpans = join(semconvMain, 'http/spans.yaml');

/** Every YAML file of the registry whose text matches `pattern`, relative to the registry. */
async function filesContaining(dir: string, pattern: RegExp, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await filesContaining(path, pattern, out);
    else if (/\.ya?ml$/.test(entry.name) && pattern.test(await read(path))) out.push(relative(semconvMain, path));
  }
  return out.sort();
}

describe('semconv-main', () => {
  const { ws, ls } = service(semconvMain);
  let spansText = '';
  beforeAll(async () => {
    spansText = await read(httpSpans);
    await ls.refresh();
  });

  test('hover on a ref to http.request.method shows its definition', async () => {
    const hover = await ls.hover(at(httpSpans, positionOf(spansText, 'ref: http.request.method\n', 8)));
    const md = hoverText(hover);
    expect(md).toContain('**attribute** `http.request.method` · stable');
    expect(md).toContain('**Type:** `enum (string)`');
    expect(md).toContain('| `get` — GET method. | `GET` | stable |');
    expect(md).toContain('HTTP request method.');
    expect(md).toMatch(/Defined in `http\/registry\.yaml:\d+` in group `registry\.http`/);
    expect(textAt(spansText, hover!.range!)).toBe('http.request.method');
  });

  test('hover on span.http.client lists the attributes it inherits through extends', async () => {
    const md = hoverText(await ls.hover(at(httpSpans, positionOf(spansText, 'span.http.client', 2))));
    expect(md).toContain('**span** `span.http.client` · stable');
    expect(md).toContain('**Extends:** `attributes.http.client`');
    expect(md).toMatch(/\| `url\.full` \| `string` \| required \| this group \|/);
    expect(md).toMatch(/\| `error\.type` \| `enum \(string\)` \| [^|]*\| extends `attributes\.http\.client` → extends `attributes\.http\.common` \|/);
  });

  test('renaming server.address edits every file that refs it, and only those', async () => {
    const edit = await ls.rename({ ...at(httpSpans, positionOf(spansText, 'ref: server.address', 6)), newName: 'server.host_address' });
    const changed = Object.keys(edit!.changes!).map((u) => relative(semconvMain, fileURLToPath(u))).sort();
    const referencing = await filesContaining(semconvMain, /(ref|renamed_to|key|id): server\.address\s*$/m);
    expect(changed).toEqual(referencing);
    expect(changed.length).toBeGreaterThan(10);
    for (const [u, edits] of Object.entries(edit!.changes!)) {
      const file = fileURLToPath(u);
      const text = await read(file);
      for (const e of edits) expect(textAt(text, e.range)).toBe('server.address');
      ws.setOverlay(file, applyEdits(text, edits));
    }
    const index = await ls.refresh();
    expect(index.attributeReferences('server.address')).toEqual([]);
    expect(index.attribute('server.host_address')?.file).toBe(join(semconvMain, 'server/registry.yaml'));
    const unresolved = (await ws.check()).diagnostics.filter((d) => d.code === 'unresolved-ref');
    expect(unresolved).toEqual([]);
    for (const u of Object.keys(edit!.changes!)) ws.deleteOverlay(fileURLToPath(u));
  });

  test('completion after `ref: serv` offers server.address with its type and brief', async () => {
    const edited = spansText.replace('      - ref: server.address\n', '      - ref: serv\n');
    ws.setOverlay(httpSpans, edited);
    try {
      const list = await ls.completion(at(httpSpans, positionOf(edited, 'ref: serv\n', 9)));
      const labels = list.items.map((i) => i.label);
      expect(labels.slice(0, 10)).toContain('server.address');
      expect(labels.every((l) => l.includes('serv') || /s.*e.*r.*v/.test(l))).toBe(true);
      const item = list.items.find((i) => i.label === 'server.address')!;
      expect(item.detail).toBe('string');
      expect(item.documentation).toMatchObject({ value: expect.stringContaining('Server domain name') });
    } finally {
      ws.deleteOverlay(httpSpans);
    }
  });

  test('workspace symbols and the outline of http/spans.yaml', async () => {
    const hits = await ls.workspaceSymbols({ query: 'http.request.method' });
    expect(hits[0]).toMatchObject({ name: 'http.request.method', containerName: 'registry.http' });
    const outline = await ls.documentSymbols({ textDocument: { uri: uri(httpSpans) } });
    const client = outline.find((s) => s.name === 'span.http.client')!;
    expect(client.detail).toBe('span');
    expect(client.children!.map((c) => c.name)).toContain('http.request.method');
  });
});
