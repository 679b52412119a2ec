import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatDiagnosticsJson } from '../../../src/cli/format';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import type { SarifLog } from '../../../src/core/report/sarif';

/**
 * `registry check --diagnostic-format text|json|sarif|github` and `diagnostics locate --format` print
 * through the same formatters: on the same registry, the native check and weaver's recorded finding
 * (../shared/conformance/weaver-policies) must land on the same line and column.
 */

const repoRoot = resolve(__dirname, '../../..');
const CASE = resolve(repoRoot, '..', 'shared', 'conformance', 'weaver-policies', 'stability', 'tests', 'span_experimental_attribute');
const REGISTRY = join(CASE, 'current');
const WEAVER_OUTPUT = join(CASE, 'expected-diagnostic-output.json');
const CLEAN = resolve(repoRoot, 'test', 'fixtures', 'registries', 'mixed');
/** The case's finding comes from the stability package: as with weaver, it runs only when named. */
const POLICY = ['--policy', resolve(repoRoot, '..', 'shared', 'policies', 'opentelemetry-weaver-packages', 'policies', 'check')];

async function cli(args: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

let refLine = 0;
let refColumn = 0;
let work = '';

beforeAll(async () => {
  const lines = (await readFile(join(REGISTRY, 'model.yaml'), 'utf8')).split('\n');
  refLine = lines.findIndex((l) => l.includes('ref: experimental.attr')) + 1;
  refColumn = lines[refLine - 1]!.indexOf('experimental.attr') + 1;
  work = await mkdtemp(join(tmpdir(), 'weavergen-formats-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('registry check --diagnostic-format', () => {
  test('sarif: a 2.1.0 log of the weavergen driver, the result on the ref, the URI relative to the working directory (the registry is in no git repository)', async () => {
    const r = await cli(['registry', 'check', '-r', REGISTRY, '--engine', 'native', '--diagnostic-format', 'sarif', ...POLICY]);
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('weavergen');
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(['stability_span_lower_stability_attribute']);
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({ ruleId: 'stability_span_lower_stability_attribute', level: 'error' });
    expect(run.results[0]!.locations[0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: relative(repoRoot, join(REGISTRY, 'model.yaml')).split(sep).join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: refLine, startColumn: refColumn },
    });
    expect(r.stderr).toContain('is not in a git repository: paths are relative to the working directory');
    // The summary still goes to stderr, never into the log.
    expect(r.stderr).toMatch(/^registry check: 1 error, 0 warnings in 1 file/);
  });

  test('sarif on a clean registry: one weavergen run with no results, exit 0', async () => {
    const r = await cli(['registry', 'check', '-r', CLEAN, '--engine', 'native', '--diagnostic-format', 'sarif']);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(log.runs.map((run) => [run.tool.driver.name, run.results.length])).toEqual([['weavergen', 0]]);
  });

  test('github: the native check and weaver\'s recorded finding annotate the same line and column', async () => {
    const check = await cli(['registry', 'check', '-r', REGISTRY, '--engine', 'native', '--diagnostic-format', 'github', ...POLICY]);
    const located = await cli(['diagnostics', 'locate', '-r', REGISTRY, '--weaver-json', WEAVER_OUTPUT, '--format', 'github']);
    const file = relative(repoRoot, join(REGISTRY, 'model.yaml'));
    const where = `file=${file},line=${refLine},col=${refColumn},`;
    expect(check.stdout).toMatch(new RegExp(`^::error ${where.replace(/[.]/g, '\\.')}endLine=\\d+,endColumn=\\d+,title=weavergen stability_span_lower_stability_attribute::span 'stable\\.span'[^\\n]*\\n$`));
    expect(located.stdout).toMatch(new RegExp(`^::error ${where.replace(/[.]/g, '\\.')}endLine=\\d+,endColumn=\\d+,title=weaver stability_span_lower_stability_attribute::`));
    expect(check.code).toBe(1);
    expect(located.code).toBe(1);
  });

  test('text and json stay as they were; an unknown format is refused with the choices', async () => {
    const text = await cli(['registry', 'check', '-r', REGISTRY, '--engine', 'native', ...POLICY]);
    expect(text.stdout).toMatch(new RegExp(`:${refLine}:${refColumn}: error stability_span_lower_stability_attribute: `));
    const json = JSON.parse((await cli(['registry', 'check', '-r', REGISTRY, '--engine', 'native', '--diagnostic-format', 'json', ...POLICY])).stdout) as RegistryDiagnostic[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ source: 'weavergen', range: { start: { line: refLine - 1, character: refColumn - 1 } } });
    expect(json[0]).not.toHaveProperty('url');
    const bad = await cli(['registry', 'check', '-r', REGISTRY, '--diagnostic-format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Allowed choices are text, json, sarif, github");
  });
});

describe('formatDiagnosticsJson keeps the documentation url', () => {
  test('a weaver finding with a url keeps it through diagnostics locate --format json', async () => {
    // Weaver's recorded output with the `url` miette adds for documented findings.
    const entries = JSON.parse(await readFile(WEAVER_OUTPUT, 'utf8')) as Array<{ diagnostic: Record<string, unknown> }>;
    const url = 'https://opentelemetry.io/docs/specs/semconv/general/semantic-convention-groups/';
    entries[0]!.diagnostic.url = url;
    const withUrl = join(work, 'with-url.json');
    await writeFile(withUrl, JSON.stringify(entries, null, 2));
    const r = await cli(['diagnostics', 'locate', '-r', REGISTRY, '--weaver-json', withUrl, '--format', 'json']);
    const out = JSON.parse(r.stdout) as RegistryDiagnostic[];
    expect(out).toHaveLength(1);
    expect(out[0]!.url).toBe(url);
    expect(Object.keys(out[0]!)).toEqual(['file', 'range', 'severity', 'code', 'message', 'source', 'url']);
  });

  test('sorted by file and position; url only where there is one', () => {
    const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 9 } });
    const text = formatDiagnosticsJson([
      { file: '/r/b.yaml', range: at(3), severity: 'warning', code: 'x', message: 'later', source: 'weaver', url: 'https://example.com/x' },
      { file: '/r/a.yaml', range: at(1), severity: 'error', code: 'y', message: 'first', source: 'weavergen' },
    ]);
    const out = JSON.parse(text) as RegistryDiagnostic[];
    expect(out.map((d) => d.file)).toEqual(['/r/a.yaml', '/r/b.yaml']);
    expect(out[0]).not.toHaveProperty('url');
    expect(out[1]!.url).toBe('https://example.com/x');
    expect(text.endsWith(']\n')).toBe(true);
  });
});
