import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../../src/cli/main';
import type { RegistryStatsV1 } from '../../../src/core/semconv/stats/registryStats';
import type { SchemaChangesV1 } from '../../../src/core/semconv/diff/schemaChanges';
import type { SearchOutput } from '../../../src/core/semconv/search/searchRegistry';
import type { OtlpTraceExport } from '../../../src/core/workflow/types';
import { repoRoot, semconvBaseline, semconvMain } from './helpers';

/** The reporting commands of `weavergen`, run in process as a user would. */

async function cli(args: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd });
  return { code, stdout, stderr };
}

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'weavergen-cli-'));
  temps.push(dir);
  return dir;
}
afterAll(async () => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

describe('weavergen registry stats', () => {
  test('prints the v1 statistics JSON and records every step with --trace', async () => {
    const dir = await tempDir();
    const { code, stdout, stderr } = await cli(['registry', 'stats', '-r', semconvMain, '--engine', 'native', '--trace', join(dir, 'trace.json')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const stats = JSON.parse(stdout) as RegistryStatsV1;
    expect(stats.registry_stats[0]?.group_count).toBeGreaterThan(800);
    const trace = JSON.parse(await readFile(join(dir, 'trace.json'), 'utf8')) as OtlpTraceExport;
    const names = trace.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)));
    for (const service of ['registry.load', 'registry.stats', 'output.report']) expect(names.some((n) => n.includes(service)), service).toBe(true);
  }, 60_000);

  test('--format yaml -o DIR writes stats.yaml', async () => {
    const dir = await tempDir();
    const { code, stderr } = await cli(['registry', 'stats', '-r', semconvMain, '--format', 'yaml', '-o', dir]);
    expect(code).toBe(0);
    expect(stderr).toContain(join(dir, 'stats.yaml'));
    expect(await readFile(join(dir, 'stats.yaml'), 'utf8')).toMatch(/^registry_stats:\n {2}- url: /);
  }, 60_000);

  test('a missing registry is a usage error naming the folder', async () => {
    const { code, stderr } = await cli(['registry', 'stats', '-r', 'no-such-folder']);
    expect(code).toBe(2);
    expect(stderr).toContain(`registry folder not found: ${join(repoRoot, 'no-such-folder')}`);
  });
});

describe('weavergen registry search', () => {
  test('text lists score, kind and id, best first', async () => {
    const { code, stdout } = await cli(['registry', 'search', 'http.request.method', '-r', semconvMain, '--limit', '3']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^100 {2}attribute {2}http\.request\.method {2}HTTP request method\.$/);
    expect(lines[1]).toMatch(/^ 80 {2}attribute {2}http\.request\.method_original/);
  }, 60_000);

  test('--format json prints weaver search results', async () => {
    const { code, stdout } = await cli(['registry', 'search', 'exception', '-r', semconvMain, '--type', 'event', '--format', 'json']);
    expect(code).toBe(0);
    const found = JSON.parse(stdout) as SearchOutput;
    expect(found.results[0]).toMatchObject({ result_type: 'event', name: 'exception', score: 100 });
  }, 60_000);
});

describe('weavergen registry diff', () => {
  test('--baseline-registry prints the v1 schema changes; markdown renders them', async () => {
    const json = await cli(['registry', 'diff', '-r', semconvMain, '--baseline-registry', semconvBaseline]);
    expect(json.code).toBe(0);
    const diff = JSON.parse(json.stdout) as SchemaChangesV1;
    expect(diff.baseline.semconv_version).toBe('1.44.0');
    expect(diff.changes.registry_attributes.length).toBeGreaterThan(0);
    const md = await cli(['registry', 'diff', '-r', semconvMain, '--baseline-registry', semconvBaseline, '--format', 'markdown']);
    expect(md.stdout).toMatch(/^# Registry changes 1\.44\.0 -> 1\.45\.0-unreleased\n/);
    expect(md.stdout).toContain('## Attributes (');
  }, 60_000);

  test('the baseline is required', async () => {
    const { code, stderr } = await cli(['registry', 'diff', '-r', semconvMain]);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--baseline-registry <dir>' not specified");
  });
});

describe('weavergen registry json-schema', () => {
  test('-j semconv-definition-v2 -o FILE writes the project\'s v2 schema', async () => {
    const dir = await tempDir();
    const { code } = await cli(['registry', 'json-schema', '-j', 'semconv-definition-v2', '-o', join(dir, 'v2.json')]);
    expect(code).toBe(0);
    const schema = JSON.parse(await readFile(join(dir, 'v2.json'), 'utf8')) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toContain('v2');
    expect(Object.keys(schema.properties)).toContain('metrics');
  });

  test('-j resolved-registry fails clearly (a weaver output schema)', async () => {
    const { code, stderr } = await cli(['registry', 'json-schema', '-j', 'resolved-registry']);
    expect(code).toBe(2);
    expect(stderr).toContain("the JSON schema 'resolved-registry' describes a weaver output and is not bundled with the native engine");
  });
});

describe('weavergen diagnostic init', () => {
  test('without weaver: exit 2 and the message says the binary is needed; nothing is written', async () => {
    const dir = await tempDir();
    const { code, stderr } = await cli(['diagnostic', 'init', '-t', 'templates', '--weaver-path', join(dir, 'missing-weaver')], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('diagnostic init needs the weaver binary');
    await expect(readFile(join(dir, 'templates'))).rejects.toThrow();
  });
});

describe('weavergen completion', () => {
  test('bash: the script parses in bash and completes subcommands and option values', async () => {
    const { code, stdout } = await cli(['completion', 'bash']);
    expect(code).toBe(0);
    expect(stdout).toContain('complete -o default -F _weavergen_completions weavergen');
    expect(stdout).toContain("'registry stats')");
    expect(stdout).toContain("'registry diff')");
    expect(stdout).toContain('--baseline-registry');
    const dir = await tempDir();
    const script = join(dir, 'weavergen.bash');
    await writeFile(script, stdout);
    // Complete `weavergen registry st` and `weavergen registry search --type m` with the real script.
    const probe = `source ${JSON.stringify(script)}
COMP_WORDS=(weavergen registry st); COMP_CWORD=2; _weavergen_completions; echo "\${COMPREPLY[*]}"
COMP_WORDS=(weavergen registry search --type m); COMP_CWORD=4; _weavergen_completions; echo "\${COMPREPLY[*]}"`;
    const { stdout: out } = await promisify(execFile)('bash', ['-c', probe]);
    expect(out.split('\n').slice(0, 2)).toEqual(['stats', 'metric']);
  });

  test('zsh and fish scripts name every registry subcommand', async () => {
    for (const shell of ['zsh', 'fish']) {
      const { code, stdout } = await cli(['completion', shell]);
      expect(code).toBe(0);
      for (const sub of ['check', 'stats', 'search', 'diff', 'json-schema']) expect(stdout, `${shell} ${sub}`).toContain(sub);
    }
    const fish = (await cli(['completion', 'fish'])).stdout;
    expect(fish).toContain("complete -c weavergen -n '__fish_seen_subcommand_from registry; and not __fish_seen_subcommand_from");
    expect(fish).toContain("-s j -l json-schema -x -a 'resolved-registry semconv-group");
  });

  test('an unknown shell is refused by the argument choices', async () => {
    const { code, stderr } = await cli(['completion', 'tcsh']);
    expect(code).toBe(2);
    expect(stderr).toContain("'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.");
  });
});
