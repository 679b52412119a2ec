import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { discoverCases, formatReport, runConformance } from './runner';

/**
 * Weaver's resolver fixtures through the native resolver. Not every case passes yet (see the report
 * printed on failure); the floor below is the count reached so far, so a regression fails the test
 * while a new pass only needs the floor raised.
 */
const repoRoot = resolve(__dirname, '../..');
const RESOLVER_CASES = resolve(repoRoot, '../shared/conformance/weaver-resolver');
const PASSING_FLOOR = 32;

describe('weaver resolver conformance', () => {
  test('discovers every case folder holding an expected-* file', () => {
    const cases = discoverCases([RESOLVER_CASES]);
    const names = cases.map((c) => c.slice(RESOLVER_CASES.length + 1));
    expect(names).toContain('registry-test-1-single-attr-ref');
    expect(names).toContain('registry-test-12-duplicate-group-id');
    expect(names).toContain('registry-test-v2-dep/span_registry');
    // folders without expectations (weaver checks those in code) are not cases
    expect(names).not.toContain('circular-registry-test');
  });

  test(`at least ${PASSING_FLOOR} cases pass`, async () => {
    const report = await runConformance([RESOLVER_CASES]);
    const text = formatReport(report);
    expect(text.split('\n').at(-1)).toBe(`${report.passed} passed, ${report.failed} failed`);
    expect(report.passed, text).toBeGreaterThanOrEqual(PASSING_FLOOR);
    // Cases that must keep passing: each resolver feature's own fixture.
    const passing = new Set(report.results.filter((r) => r.pass).map((r) => r.name));
    for (const name of [
      'registry-test-1-single-attr-ref',
      'registry-test-10-duplicate-attr-name',
      'registry-test-10-prefix-refs',
      'registry-test-11-prefix-refs-extends',
      'registry-test-12-duplicate-group-id',
      'registry-test-13-duplicate-metric-name',
      'registry-test-3-extends',
      'registry-test-7-spans',
      'registry-test-lineage-1',
      'registry-test-v2-1-everything',
      'registry-test-v2-3-both-version',
      'registry-test-v2-6-identity-demote',
      'registry-test-v2-8-identity-add',
      'registry-test-published-1',
      'registry-test-published-2',
      'registry-test-v2-5-published',
      'registry-test-v2-dep/deep_registry',
      'registry-test-v2-dep/entity_registry',
      'registry-test-v2-dep/v1_dep_registry',
    ]) {
      expect(passing.has(`weaver-resolver/${name}`), text).toBe(true);
    }
  }, 60_000);
});
