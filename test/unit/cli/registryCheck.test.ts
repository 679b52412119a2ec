import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cliRun';
import { validateOtlpTraceExport } from '../../../src/core/telemetry/otlpValidation';
import type { OtlpTraceExport } from '../../../src/core/workflow/types';
import { shared } from '../semconv/helpers';

const repoRoot = resolve(__dirname, '../../..');
/** The opentelemetry-weaver-packages check packages: the policies the native engine runs when named. */
const POLICY_PACKAGES = shared('policies', 'opentelemetry-weaver-packages', 'policies', 'check');

/** Runs the CLI in process, as a user would from `cwd`, and keeps what it printed. */
const cli = runCli;

const ATTRIBUTES = `groups:
  - id: registry.demo.http
    type: attribute_group
    brief: Demo HTTP attributes.
    attributes:
      - id: demo.http.method
        type: string
        brief: The HTTP method.
        stability: stable
        examples: ["GET", "POST"]
      - id: demo.http.status
        type: int
        brief: The status code.
        stability: development
        examples: [200]
`;

/** Line 9 references an attribute that does not exist: the planted error. */
const SPANS_WITH_BAD_REF = `groups:
  - id: span.demo.client
    type: span
    span_kind: client
    stability: development
    brief: A demo client span.
    attributes:
      - ref: demo.http.method
      - ref: demo.http.methd
`;

const SPANS_CLEAN = SPANS_WITH_BAD_REF.replace('      - ref: demo.http.methd\n', '');

/** The clean registry's next version with the stable `demo.http.method` removed outright. */
const ATTRIBUTES_WITHOUT_METHOD = ATTRIBUTES.replace(
  '      - id: demo.http.method\n        type: string\n        brief: The HTTP method.\n        stability: stable\n        examples: ["GET", "POST"]\n',
  '',
);
const SPANS_WITHOUT_METHOD = SPANS_CLEAN.replace('      - ref: demo.http.method\n', '');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-cli-'));
  for (const [name, spans] of [
    ['planted', SPANS_WITH_BAD_REF],
    ['clean', SPANS_CLEAN],
  ] as const) {
    await mkdir(join(work, name));
    await writeFile(join(work, name, 'http.yaml'), ATTRIBUTES);
    await writeFile(join(work, name, 'spans.yaml'), spans);
  }
  await mkdir(join(work, 'next'));
  await writeFile(join(work, 'next', 'http.yaml'), ATTRIBUTES_WITHOUT_METHOD);
  await writeFile(join(work, 'next', 'spans.yaml'), SPANS_WITHOUT_METHOD);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('weavergen registry check', () => {
  test('text: one file:line:col line per diagnostic on stdout, relative to cwd, and exit 1 on an error', async () => {
    const { code, stdout, stderr } = await cli(['registry', 'check', '-r', 'planted'], work);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^planted\/spans\.yaml:9:14: error unresolved-ref: .*'demo\.http\.methd'/);
    expect(stderr).toMatch(/^registry check: 1 error, 0 warnings in 1 file \(2 files, 2 groups, 2 attributes checked by the native engine in \d+ ms\)\n$/);
  });

  test('json: a single array on stdout with 0-based ranges and absolute files, nothing else', async () => {
    const { code, stdout } = await cli(['registry', 'check', '-r', 'planted', '--diagnostic-format', 'json'], work);
    expect(code).toBe(1);
    const parsed = JSON.parse(stdout) as unknown[];
    expect(parsed).toHaveLength(1);
    const [d] = parsed as Record<string, unknown>[];
    expect(Object.keys(d)).toEqual(['file', 'range', 'severity', 'code', 'message', 'source']);
    expect(d).toMatchObject({
      file: join(work, 'planted', 'spans.yaml'),
      range: { start: { line: 8, character: 13 } },
      severity: 'error',
      code: 'unresolved-ref',
      source: 'weavergen',
    });
  });

  test('a clean registry prints nothing on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['registry', 'check', '--registry', join(work, 'clean')], work);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^registry check: no problems \(2 files, 2 groups, 2 attributes/);
    const json = await cli(['registry', 'check', '-r', 'clean', '--diagnostic-format', 'json'], work);
    expect(json.stdout).toBe('[]\n');
  });

  test('--trace writes the run as valid OTLP JSON: process, activity and service spans, linked', async () => {
    const { code } = await cli(['registry', 'check', '-r', 'planted', '--trace', 'out/trace.json'], work);
    expect(code).toBe(1);
    const trace = JSON.parse(await readFile(join(work, 'out', 'trace.json'), 'utf8')) as OtlpTraceExport;
    expect(validateOtlpTraceExport(trace)).toEqual([]);
    const spans = trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans));
    expect(spans.map((s) => s.name).sort()).toEqual(
      [
        'workflow registry_check',
        'activity Check requested',
        'activity Load registry',
        'service registry.load',
        'activity Check registry',
        'service registry.check',
        'activity Publish diagnostics',
        'service output.publishDiagnostics',
        'activity Diagnostics published',
      ].sort(),
    );
    const byName = new Map(spans.map((s) => [s.name, s]));
    const root = byName.get('workflow registry_check');
    expect(root?.parentSpanId).toBeUndefined();
    expect(byName.get('activity Load registry')?.parentSpanId).toBe(root?.spanId);
    expect(byName.get('service registry.check')?.parentSpanId).toBe(byName.get('activity Check registry')?.spanId);
    expect(byName.get('service registry.load')?.attributes).toContainEqual({
      key: 'weavergen.registry.path',
      value: { stringValue: join(work, 'planted') },
    });
  });

  test('--baseline-registry: removing a stable attribute is a backwards-compatibility error at its baseline definition', async () => {
    expect(ATTRIBUTES_WITHOUT_METHOD).not.toContain('demo.http.method');
    const { code, stdout } = await cli(['registry', 'check', '-r', 'next', '--baseline-registry', 'clean', '--policy', POLICY_PACKAGES], work);
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // Shown where the attribute was defined in the baseline: clean/http.yaml line 6, the id's value.
    expect(lines[0]).toMatch(/^clean\/http\.yaml:6:13: error compatibility_removed_attribute: Attribute 'demo\.http\.method' no longer exists/);
    // Without a baseline there is nothing to compare with: the same registry is clean.
    expect((await cli(['registry', 'check', '-r', 'next', '--policy', POLICY_PACKAGES], work)).code).toBe(0);
    // As with weaver, the comparison rules are policies: with a baseline but no --policy, none runs.
    expect((await cli(['registry', 'check', '-r', 'next', '--baseline-registry', 'clean'], work)).code).toBe(0);
  });

  test('--skip-policies (bare or =true) skips the policy packages; =false keeps them; anything else is a usage error', async () => {
    const base = ['registry', 'check', '-r', 'next', '--baseline-registry', 'clean', '--policy', POLICY_PACKAGES];
    for (const flag of ['--skip-policies', '--skip-policies=true']) {
      const { code, stdout } = await cli([...base, flag], work);
      expect({ flag, code, stdout }).toEqual({ flag, code: 0, stdout: '' });
    }
    expect((await cli([...base, '--skip-policies=false'], work)).code).toBe(1);
    const bad = await cli([...base, '--skip-policies=maybe'], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--skip-policies takes true or false (or nothing, for true), not 'maybe'");
  });

  test('a --baseline-registry that is not a folder exits 2 naming it', async () => {
    const { code, stderr } = await cli(['registry', 'check', '-r', 'next', '--baseline-registry', 'no-such-release'], work);
    expect(code).toBe(2);
    expect(stderr).toContain(`baseline registry folder not found: ${join(work, 'no-such-release')}`);
  });

  test('a registry path that does not exist, or is a file, exits 2 saying what to pass', async () => {
    const missing = await cli(['registry', 'check', '-r', 'no-such-dir'], work);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      `weavergen: registry folder not found: ${join(work, 'no-such-dir')}. Pass -r with the folder that holds the registry's YAML files.\n`,
    );
    const file = await cli(['registry', 'check', '-r', 'clean/http.yaml'], work);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('the registry must be a folder, not a file');
  });

  test('usage errors exit 2 with the reason; --help exits 0', async () => {
    const noRegistry = await cli(['registry', 'check'], work);
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.stderr).toContain("required option '-r, --registry <dir>' not specified");
    const badEngine = await cli(['registry', 'check', '-r', 'clean', '--engine', 'fast'], work);
    expect(badEngine.code).toBe(2);
    expect(badEngine.stderr).toContain('Allowed choices are auto, native, weaver');
    const badFormat = await cli(['registry', 'check', '-r', 'clean', '--diagnostic-format', 'xml'], work);
    expect(badFormat.code).toBe(2);
    expect((await cli([], work)).code).toBe(2);
    const help = await cli(['registry', 'check', '--help'], work);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--diagnostic-format <format>');
  });

  test('--engine weaver without the binary exits 2 with the engine\'s advice', async () => {
    const { code, stderr } = await cli(['registry', 'check', '-r', 'clean', '--engine', 'weaver'], work);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^weavergen: cannot use the weaver engine: .*weaver/);
  });

  test('a workflow in the --workflows folder replaces the built-in one, with a notice; the working directory\'s is not read', async () => {
    const project = join(work, 'project');
    await mkdir(join(project, '.weavergen', 'workflows'), { recursive: true });
    // A registry_check that loads and checks but forgets to publish.
    const builtin = await readFile(join(repoRoot, 'workflows', 'registry_check.bpmn'), 'utf8');
    const override = join(project, '.weavergen', 'workflows', 'registry_check.bpmn');
    await writeFile(override, builtin.replace('${environment.services.output.publishDiagnostics}', '${environment.services.registry.check}'));

    const implicit = await cli(['registry', 'check', '-r', '../planted'], project);
    expect(implicit.code).toBe(1);
    expect(implicit.stderr).not.toContain(override);

    const { code, stderr } = await cli(['registry', 'check', '-r', '../planted', '--workflows', '.weavergen/workflows'], project);
    expect(code).toBe(2);
    expect(stderr).toContain(`weavergen: notice: workflow registry_check taken from --workflows: ${override}\n`);
    expect(stderr).toContain(`published no diagnostics: it needs an output.publishDiagnostics task`);
  });

  test('--workflows naming no folder exits 2 instead of falling back to the built-in workflow', async () => {
    const { code, stderr } = await cli(['registry', 'check', '-r', 'clean', '--workflows', 'no-such-folder'], work);
    expect(code).toBe(2);
    expect(stderr).toBe(`weavergen: --workflows ${join(work, 'no-such-folder')}: not a folder. Name the folder that holds your .bpmn workflows.\n`);
  });

  test('a run cancelled by the signal exits 130', async () => {
    const { code, stderr } = await cli(['registry', 'check', '-r', 'clean'], work, { signal: AbortSignal.abort() });
    expect(code).toBe(130);
    expect(stderr).toBe('weavergen: registry_check cancelled\n');
  });

  test('the real semantic-conventions registry checks with no error', async () => {
    const { code, stdout, stderr } = await cli(['registry', 'check', '-r', '../shared/registries/semconv-main'], repoRoot);
    expect(stdout.split('\n').filter((l) => / error /.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^registry check: (no problems|0 errors, \d+ warnings?)/);
  });
});

describe('weavergen workflow run', () => {
  test('runs a workflow by name with --input and prints what it published', async () => {
    const { code, stdout } = await cli(['workflow', 'run', 'registry_check', '--input', 'registryPath=planted'], work);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^planted\/spans\.yaml:9:14: error unresolved-ref/);
  });

  test('runs a .bpmn file; an unknown service fails with exit 2 naming the task', async () => {
    const file = join(work, 'custom.bpmn');
    await copyFile(join(repoRoot, 'test/fixtures/workflows/unknown_service.bpmn'), file);
    const { code, stderr } = await cli(['workflow', 'run', 'custom.bpmn'], work);
    expect(code).toBe(2);
    expect(stderr).toContain('custom failed at "Known" (test.record)');
    expect(stderr).toContain('calls service "test.record", which is not registered');
  });

  test('an --input that is not key=value is a usage error', async () => {
    const { code, stderr } = await cli(['workflow', 'run', 'registry_check', '--input', 'registryPath'], work);
    expect(code).toBe(2);
    expect(stderr).toContain('--input "registryPath" is not key=value');
  });
});
