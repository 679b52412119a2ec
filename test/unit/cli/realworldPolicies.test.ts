import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cliRun';
import { shared } from '../semconv/helpers';

/** Registries other projects check with weaver in their CI (README there gives each CI command line). */
const REALWORLD = shared('realworld', 'registries');
const PACKAGES = shared('policies', 'opentelemetry-weaver-packages', 'policies', 'check');

interface Finding {
  code: string;
  severity: string;
}

function counts(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of JSON.parse(stdout) as Finding[]) out[d.code] = (out[d.code] ?? 0) + 1;
  return out;
}

describe('registry check runs policies only when named, as weaver does', () => {
  test('ibm-mq-monitoring with its CI command line: exit 0, only the two legacy-manifest warnings', async () => {
    const r = await runCli(['registry', 'check', '-r', 'ibm-mq-monitoring', '--engine', 'native', '--diagnostic-format', 'json'], REALWORLD);
    expect(r.code).toBe(0);
    expect(counts(r.stdout)).toEqual({ 'legacy-registry-manifest': 1, 'deprecated-syntax-in-registry-manifest': 1 });
  });

  test('ibm-mq-monitoring with --policy <packages>: 41 brief-period and 4 namespace-collision errors, exit 1', async () => {
    const r = await runCli(
      ['registry', 'check', '-r', 'ibm-mq-monitoring', '--engine', 'native', '--policy', PACKAGES, '--diagnostic-format', 'json'],
      REALWORLD,
    );
    expect(r.code).toBe(1);
    expect(counts(r.stdout)).toEqual({
      naming_convention_metric_brief_period: 41,
      naming_convention_metric_namespace_collision: 4,
      'legacy-registry-manifest': 1,
      'deprecated-syntax-in-registry-manifest': 1,
    });
  });

  test('--skip-policies keeps weaver meaning: named policies do not run', async () => {
    const r = await runCli(
      ['registry', 'check', '-r', 'ibm-mq-monitoring', '--engine', 'native', '-p', PACKAGES, '--skip-policies', '--diagnostic-format', 'json'],
      REALWORLD,
    );
    expect(r.code).toBe(0);
    expect(Object.keys(counts(r.stdout)).sort()).toEqual(['deprecated-syntax-in-registry-manifest', 'legacy-registry-manifest']);
  });

  test('--v2 is accepted on registry check (exit 0, same answer on the native engine)', async () => {
    const r = await runCli(['registry', 'check', '-r', 'ibm-mq-monitoring', '--engine', 'native', '--v2', '--diagnostic-format', 'json'], REALWORLD);
    expect(r.code).toBe(0);
    expect(Object.values(counts(r.stdout)).reduce((a, b) => a + b, 0)).toBe(2);
  });

  test('complybeacon offline: an error naming the URL dependency, non-zero exit', async () => {
    const r = await runCli(['registry', 'check', '-r', 'complybeacon', '--engine', 'native', '--diagnostic-format', 'json'], REALWORLD);
    expect(r.code).not.toBe(0);
    const dep = (JSON.parse(r.stdout) as (Finding & { message: string })[]).filter((d) => d.code === 'dependency-not-fetched');
    expect(dep).toHaveLength(1);
    expect(dep[0]!.severity).toBe('error');
    expect(dep[0]!.message).toContain('https://github.com/open-telemetry/semantic-conventions/archive/refs/tags/v1.37.0.zip');
  });

  test('complybeacon with --policy <packages>: 31 naming_convention_enum_id findings (names.rego id)', async () => {
    const r = await runCli(
      ['registry', 'check', '-r', 'complybeacon', '--engine', 'native', '-p', PACKAGES, '--diagnostic-format', 'json'],
      REALWORLD,
    );
    expect(r.code).not.toBe(0);
    const c = counts(r.stdout);
    expect(Object.entries(c).filter(([code]) => code.startsWith('naming_convention_'))).toEqual([['naming_convention_enum_id', 31]]);
  });
});

describe('a policy the native engine does not run is refused, naming it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wg-policy-'));
    await mkdir(join(dir, 'mine'));
    await writeFile(join(dir, 'mine', 'rules.rego'), '# my own rules\npackage my_rules\n\ndeny contains x if { x := 1 }\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a Rego file of another package: the file, its line and --engine weaver, exit 2', async () => {
    const r = await runCli(['registry', 'check', '-r', join(REALWORLD, 'ibm-mq-monitoring'), '--engine', 'native', '-p', join(dir, 'mine')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'mine', 'rules.rego')}:2:`);
    expect(r.stderr).toContain("'my_rules'");
    expect(r.stderr).toContain('--engine weaver');
  });

  test('a URL policy is refused by the native engine, naming the URL', async () => {
    const url = 'https://example.com/policies.zip';
    const r = await runCli(['registry', 'check', '-r', join(REALWORLD, 'ibm-mq-monitoring'), '--engine', 'native', '-p', url], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(url);
  });
});
