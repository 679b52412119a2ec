import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cliRun';
import { dependencyLocation, loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { checkRegistry } from '../../../src/core/semconv/checkRegistry';

/**
 * Dependencies as weaver reads `registry_path` (weaver_semconv's RegistryPath): URLs and archives are
 * reported by name, never skipped, and a ref that may point into one is reported as not checked. The
 * real complybeacon registry (semantic-conventions v1.37.0 by URL) is the case of issue 18.
 */

const COMPLYBEACON = resolve(__dirname, '../../../../shared/realworld/registries/complybeacon');
const OTEL_ZIP = 'https://github.com/open-telemetry/semantic-conventions/archive/refs/tags/v1.37.0.zip[model]';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-dependency-paths-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('dependencyLocation: weaver RegistryPath kinds', () => {
  test.each([
    [OTEL_ZIP, 'remote', 'https://github.com/open-telemetry/semantic-conventions/archive/refs/tags/v1.37.0.zip'],
    ['https://github.com/open-telemetry/semantic-conventions.git@v1.37.0[model]', 'remote', 'https://github.com/open-telemetry/semantic-conventions.git'],
    ['http://example.com/registry.tar.gz', 'remote', 'http://example.com/registry.tar.gz'],
    ['deps/otel.zip[model]', 'archive', 'deps/otel.zip'],
    ['deps/otel.tar.gz', 'archive', 'deps/otel.tar.gz'],
    // Weaver takes anything else as a local folder, `.tgz` and `.git` included.
    ['deps/otel.tgz', 'folder', 'deps/otel.tgz'],
    ['../otel/model', 'folder', '../otel/model'],
  ])('%s is a %s (%s)', (path, kind, source) => {
    expect(dependencyLocation(path)).toEqual({ kind, source });
  });
});

describe('a dependency that is not loaded', () => {
  test('a local archive is an error naming it, and a misspelled ref is reported on the ref naming the dependency', async () => {
    const dir = join(work, 'archive');
    await writeFile(join(await mkdirp(dir), 'manifest.yaml'), 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://example.com/otel/1.37.0\n    registry_path: deps/otel.zip[model]\n');
    await writeFile(join(dir, 'm.yaml'), 'file_format: definition/2\nmetrics:\n  - name: m\n    instrument: gauge\n    unit: "1"\n    brief: M.\n    stability: stable\n    attributes:\n      - ref: http.request.methd\n');
    const { diagnostics } = checkRegistry(await loadRegistry(dir));
    expect(diagnostics.map((d) => [d.code, d.severity, d.range.start.line])).toEqual([
      ['ref-not-checked', 'error', 8],
      ['dependency-not-fetched', 'error', 3],
    ]);
    expect(diagnostics[0]!.message).toContain("attribute 'http.request.methd' referenced by metric 'm' is not defined in this registry and could not be checked against dependency 'deps/otel.zip[model]' (archive not unpacked)");
    expect(diagnostics[1]!.message).toContain("dependency 'deps/otel.zip[model]' is an archive, which the native check does not unpack");
  });

  test('complybeacon offline: the URL dependency is an error naming it; a misspelled ref is reported on its line, exit 3', async () => {
    const dir = join(work, 'complybeacon');
    await cp(COMPLYBEACON, dir, { recursive: true });
    const entities = join(dir, 'entities.yaml');
    const text = await readFile(entities, 'utf8');
    await writeFile(entities, text.replace('      - ref: policy.rule.name\n', '      - ref: policy.rule.nmae\n'));
    const line = text.split('\n').findIndex((l) => l === '      - ref: policy.rule.name') + 1;

    const { code, stdout } = await runCli(['registry', 'check', '-r', '.', '--engine', 'native', '--skip-policies'], dir);
    expect(code).toBe(3);
    expect(stdout).toContain(`registry_manifest.yaml:7:20: error dependency-not-fetched: dependency '${OTEL_ZIP}' is remote`);
    expect(stdout).toMatch(
      new RegExp(`^entities\\.yaml:${line}:14: error ref-not-checked: attribute 'policy\\.rule\\.nmae' referenced by group 'entity\\.beacon\\.evidence' is not defined in this registry and could not be checked against dependency 'otel' \\(https://github\\.com/.+, not fetched\\) \\(did you mean 'policy\\.rule\\.name'\\?\\): fix it if it is a typo`, 'm'),
    );
    // The refs it defines itself are checked as usual: only the misspelled one is reported.
    expect(stdout.match(/ref-not-checked/g)).toHaveLength(1);
  });
});

async function mkdirp(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  return dir;
}
