import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { isRegistryDiagnostic, type RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import type { SarifLog } from '../../../src/core/report/sarif';

/**
 * `weavergen diagnostics locate` in process, on a recorded `weaver registry check` output of the
 * semconv policy packages (../shared/conformance) and the registry it was recorded on.
 */

const repoRoot = resolve(__dirname, '../../..');
const CASE = resolve(repoRoot, '..', 'shared', 'conformance', 'weaver-policies', 'stability', 'tests', 'span_experimental_attribute');
const REGISTRY = join(CASE, 'current');
const OUTPUT = join(CASE, 'expected-diagnostic-output.json');
const REMOVED = resolve(repoRoot, '..', 'shared', 'conformance', 'weaver-policies', 'backwards-compatibility', 'tests', 'spans');

async function cli(args: string[], cwd = repoRoot) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const modelLines = readFileSync(join(REGISTRY, 'model.yaml'), 'utf8').split('\n');
const refLine = modelLines.findIndex((l) => l.includes('ref: experimental.attr')) + 1;

describe('weavergen diagnostics locate', () => {
  it('text: one file:line:col line per finding, on the ref the rule is about; exit 1 for an error', async () => {
    const r = await cli(['diagnostics', 'locate', '--registry', REGISTRY, '--weaver-json', OUTPUT]);
    expect(refLine).toBeGreaterThan(0);
    const file = relative(repoRoot, join(REGISTRY, 'model.yaml'));
    const col = modelLines[refLine - 1]!.indexOf('experimental.attr') + 1;
    expect(r.stdout).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:${refLine}:${col}: error stability_span_lower_stability_attribute: .+\\n$`));
    expect(r.stderr).toBe('diagnostics locate: 1 weaver finding: 1 placed on their line, 0 at the top of the file weaver names, 0 could not be placed\n');
    expect(r.code).toBe(1);
  });

  it('json: RegistryDiagnostic[] with source weaver', async () => {
    const r = await cli(['diagnostics', 'locate', '-r', REGISTRY, '--weaver-json', OUTPUT, '--format', 'json']);
    const out = JSON.parse(r.stdout) as RegistryDiagnostic[];
    expect(out).toHaveLength(1);
    expect(isRegistryDiagnostic(out[0])).toBe(true);
    expect(out[0]).toMatchObject({ file: join(REGISTRY, 'model.yaml'), source: 'weaver', range: { start: { line: refLine - 1 } } });
  });

  it('sarif: a 2.1.0 log with the weaver driver and a path relative to the repository root', async () => {
    const r = await cli(['diagnostics', 'locate', '-r', REGISTRY, '--weaver-json', OUTPUT, '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as SarifLog;
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.tool.driver.name).toBe('weaver');
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: relative(repoRoot, join(REGISTRY, 'model.yaml')).split(sep).join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: refLine },
    });
  });

  it('github: workflow commands; findings about what the registry no longer has go on the first file, saying so', async () => {
    const r = await cli(['diagnostics', 'locate', '-r', 'current', '--weaver-json', 'expected-diagnostic-output.json', '--format', 'github'], REMOVED);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/^::error file=current\/model\.yaml,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=weaver compatibility_span_[a-z_]+::/);
    const missing = lines.find((l) => l.includes('compatibility_span_missing'))!;
    expect(missing).toContain('line=1,col=1');
    expect(missing).toContain("could not be placed on a line: span 'missing' not found in this registry");
    expect(r.stderr).toContain('3 placed on their line, 0 at the top of the file weaver names, 1 could not be placed');
  });

  it('bad input: a clear message naming the file and what to do, exit 2', async () => {
    const missing = await cli(['diagnostics', 'locate', '-r', REGISTRY, '--weaver-json', 'no-such.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read the weaver output ${join(repoRoot, 'no-such.json')}`);
    const notJson = await cli(['diagnostics', 'locate', '-r', REGISTRY, '--weaver-json', join(REGISTRY, 'model.yaml')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`${join(REGISTRY, 'model.yaml')}: the output holds no JSON document`);
    expect(notJson.stderr).toContain('--diagnostic-format json');
    const noRegistry = await cli(['diagnostics', 'locate', '-r', 'nowhere', '--weaver-json', OUTPUT]);
    expect(noRegistry.code).toBe(2);
    expect(noRegistry.stderr).toContain(`registry folder not found: ${join(repoRoot, 'nowhere')}`);
  });
});
