import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { formatSarif, sarifText, toSarif, type SarifLog } from '../../../src/core/report/sarif';
import { findingsFromJson } from '../../../src/core/weaver/diagnostics';
import type { JsonValue } from '../../../src/core/weaver/json';
import { loadPlacementContext, placeFindings } from '../../../src/core/weaver/placement';
import { sarifValidator } from './sarifSchema';

/**
 * Every recorded `weaver registry check` output of the semconv policy packages, placed on its case's
 * registry and written as SARIF, must be accepted by the SARIF 2.1.0 JSON schema. The schema is the
 * one @microsoft/jest-sarif (MIT) ships, 2.1.0-rtm.5, a draft-04 schema: validated with ajv-draft-04.
 */

const repoRoot = resolve(__dirname, '../../..');
const policies = resolve(repoRoot, '..', 'shared', 'conformance', 'weaver-policies');

function outputs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) outputs(path, out);
    else if (name === 'expected-diagnostic-output.json') out.push(path);
  }
  return out;
}

const validate = sarifValidator();
const cases = outputs(policies);
const logs = new Map<string, { log: SarifLog; diagnostics: RegistryDiagnostic[]; registry: string }>();

beforeAll(async () => {
  for (const output of cases) {
    const registry = join(dirname(output), 'current');
    const findings = findingsFromJson(JSON.parse(readFileSync(output, 'utf8')) as JsonValue);
    const diagnostics = placeFindings(findings, await loadPlacementContext(registry)).map((p) => p.diagnostic);
    logs.set(output, { log: JSON.parse(formatSarif(diagnostics, { root: registry })) as SarifLog, diagnostics, registry });
  }
});

describe('SARIF 2.1.0 from weaver policy outputs', () => {
  it('covers all 26 recorded outputs', () => {
    expect(cases).toHaveLength(26);
  });

  it('every log is valid against the SARIF 2.1.0 schema', () => {
    let results = 0;
    for (const output of cases) {
      const { log } = logs.get(output)!;
      const ok = validate(log);
      expect(validate.errors ?? [], output).toEqual([]);
      expect(ok).toBe(true);
      results += log.runs.reduce((n, r) => n + r.results.length, 0);
    }
    expect(results).toBeGreaterThan(0);
  });

  it('results carry the rule, level, message and a 1-based region in a path relative to the registry', () => {
    for (const output of cases) {
      const { log, diagnostics } = logs.get(output)!;
      expect(log.version).toBe('2.1.0');
      expect(log.runs).toHaveLength(1);
      const run = log.runs[0]!;
      expect(run.tool.driver.name).toBe('weaver');
      expect(run.results).toHaveLength(diagnostics.length);
      expect(new Set(run.tool.driver.rules.map((r) => r.id))).toEqual(new Set(diagnostics.map((d) => d.code)));
      for (const result of run.results) {
        expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
        const d = diagnostics.find((x) => x.code === result.ruleId && sarifText(x.message) === result.message.text)!;
        expect(d).toBeDefined();
        expect(result.level).toBe(d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note');
        const { artifactLocation, region } = result.locations[0]!.physicalLocation;
        expect(artifactLocation.uri).toBe('model.yaml');
        expect(region).toEqual({
          startLine: d.range.start.line + 1,
          startColumn: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
        });
      }
    }
  });

  it('a clean registry gives a valid log with one empty weaver run', () => {
    const log = toSarif([], { root: '/tmp/registry' });
    expect(validate(log)).toBe(true);
    expect(log.runs[0]).toMatchObject({ tool: { driver: { name: 'weaver', rules: [] } }, results: [] });
  });

  it('helpUri comes from the url weaver gives; native findings get their own run; odd file names are encoded', () => {
    const at = { start: { line: 2, character: 4 }, end: { line: 2, character: 9 } };
    const diagnostics: RegistryDiagnostic[] = [
      { file: '/reg/a b/x#1.yaml', range: at, severity: 'warning', code: 'rule-a', message: 'one', source: 'weaver', url: 'https://example.com/rule-a' },
      { file: '/reg/y.yaml', range: at, severity: 'hint', code: 'unresolved-ref', message: 'two', source: 'weavergen' },
    ];
    const log = toSarif(diagnostics, { root: '/reg' });
    expect(validate(log)).toBe(true);
    expect(log.runs.map((r) => r.tool.driver.name)).toEqual(['weaver', 'weavergen']);
    expect(log.runs[0]!.tool.driver.rules).toEqual([{ id: 'rule-a', shortDescription: { text: 'Rule a' }, helpUri: 'https://example.com/rule-a' }]);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('a%20b/x%231.yaml');
    expect(log.runs[0]!.originalUriBaseIds['%SRCROOT%']!.uri).toBe('file:///reg/');
    expect(log.runs[1]!.results[0]!.level).toBe('note');
  });

  it('related locations (the first definition of a duplicate) become SARIF relatedLocations', () => {
    const at = (line: number) => ({ start: { line, character: 8 }, end: { line, character: 12 } });
    const log = toSarif(
      [
        {
          file: '/reg/b.yaml',
          range: at(4),
          severity: 'error',
          code: 'duplicate-group-id',
          message: "group id 'g' is already defined at a.yaml:2",
          source: 'weavergen',
          related: [{ file: '/reg/a.yaml', range: at(1), message: "group id 'g' first defined here" }],
        },
      ],
      { root: '/reg' },
    );
    expect(validate(log)).toBe(true);
    expect(log.runs[0]!.results[0]!.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: 'a.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 9, endLine: 2, endColumn: 13 } },
        message: { text: "group id 'g' first defined here" },
      },
    ]);
  });

  it('the schema check does reject a broken log', () => {
    const log = toSarif([], { root: '/tmp/registry' }) as unknown as Record<string, unknown>;
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const one = toSarif([{ file: '/reg/a.yaml', range: at, severity: 'error', code: 'x', message: 'm', source: 'weaver' }], { root: '/reg' });
    expect(validate(one)).toBe(true);
    const region = one.runs[0]!.results[0]!.locations[0]!.physicalLocation.region;
    region.startLine = 0; // SARIF lines start at 1
    expect(validate(one)).toBe(false);
  });
});
