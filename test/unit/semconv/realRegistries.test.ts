import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkFolder, removeTempRegistries, shared, tempRegistry, textAt } from './helpers';

afterAll(removeTempRegistries);

/** Parsing 250 files on a shared two-core machine takes a few seconds cold. */
const SLOW = 60_000;

describe('the OpenTelemetry semantic conventions registry', () => {
  test.each(['semconv-main', 'semconv-v1.44.0'])(
    '%s checks with no errors and no warnings',
    async (name) => {
      const result = await checkFolder(shared('registries', name));
      // Hints (a `deprecated-ref` on a live group's ref to a deprecated attribute) are not problems.
      expect(result.diagnostics.filter((d) => d.severity !== 'hint')).toEqual([]);
      // v1 and v2 files mixed: both kinds were loaded and cross-referenced.
      expect(result.summary.files).toBeGreaterThan(240);
      expect(result.summary.groups).toBeGreaterThan(850);
      expect(result.summary.attributes).toBeGreaterThan(900);
    },
    SLOW,
  );

  test(
    'a copy with one misspelled ref reports exactly that one error, at that file and line',
    async () => {
      const dir = await tempRegistry({});
      await cp(shared('registries', 'semconv-main'), dir, { recursive: true });
      const file = join(dir, 'http/metrics.yaml');
      const original = await readFile(file, 'utf8');
      const needle = '      - ref: http.request.method\n';
      const at = original.indexOf(needle);
      expect(at).toBeGreaterThan(0);
      const broken = original.slice(0, at) + needle.replace('http.request.method', 'http.request.methd') + original.slice(at + needle.length);
      await writeFile(file, broken);
      const line = broken.slice(0, at).split('\n').length - 1;

      const diagnostics = (await checkFolder(dir)).diagnostics.filter((d) => d.severity !== 'hint');
      expect(diagnostics).toHaveLength(1);
      const [d] = diagnostics;
      expect(d!.file).toBe(file);
      expect(d!.code).toBe('unresolved-ref');
      expect(d!.severity).toBe('error');
      expect(d!.range.start).toEqual({ line, character: 13 });
      expect(textAt(broken, d!.range)).toBe('http.request.methd');
      expect(d!.message).toContain("(did you mean 'http.request.method'?)");
    },
    SLOW,
  );
});
