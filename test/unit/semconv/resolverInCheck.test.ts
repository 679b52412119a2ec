import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { checkRegistry, resolverDiagnostics } from '../../../src/core/semconv/checkRegistry';
import { resolveRegistry } from '../../../src/core/semconv/resolve';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { removeTempRegistries, shared, tempRegistry, textAt } from './helpers';

afterAll(removeTempRegistries);

/** Problems only: hints (refs to deprecated attributes) are not findings here. */
function problems(diagnostics: readonly RegistryDiagnostic[]): RegistryDiagnostic[] {
  return diagnostics.filter((d) => d.severity !== 'hint');
}

/** 0-based line of the line defining group `groupId`. */
function groupLine(text: string, groupId: string): number {
  const at = text.split('\n').findIndex((l) => l.trim() === `- id: ${groupId}`);
  expect(at, `group ${groupId} is in the text`).toBeGreaterThanOrEqual(0);
  return at;
}

/** 0-based line of the first line containing `needle` after the line defining group `groupId`. */
function lineIn(text: string, groupId: string, needle: string): number {
  const lines = text.split('\n');
  const start = groupLine(text, groupId);
  const at = lines.findIndex((l, i) => i > start && l.includes(needle));
  expect(at, `'${needle}' follows ${groupId}`).toBeGreaterThan(start);
  return at;
}

const ATTRIBUTES = `groups:
  - id: registry.demo
    type: attribute_group
    brief: Demo attributes.
    stability: development
    attributes:
      - id: demo.name
        type: string
        brief: A name.
        stability: development
        examples: ['x']
`;

function span(id: string, extra: string): string {
  return `  - id: ${id}
    type: span
    brief: Span ${id}.
    stability: development
    span_kind: client
${extra}    attributes:
      - ref: demo.name
`;
}

const EXTENDS_CYCLE = `groups:
${span('span.demo.a', '    extends: span.demo.b\n')}${span('span.demo.b', '    extends: span.demo.a\n')}${span('span.demo.c', '    extends: span.demo.a\n')}${span('span.demo.d', '')}`;

function metric(id: string, name: string): string {
  return `  - id: ${id}
    type: metric
    metric_name: ${name}
    brief: Metric ${id}.
    stability: development
    instrument: counter
    unit: '{call}'
    attributes:
      - ref: demo.name
`;
}

const DUPLICATE_METRIC = `groups:
${metric('metric.demo.calls', 'demo.calls')}${metric('metric.demo.calls_again', 'demo.calls')}${metric('metric.demo.other', 'demo.other')}`;

const V2_ATTRIBUTES = `file_format: definition/2
attributes:
  - key: demo.name
    type: string
    brief: A name.
    stability: development
    examples: ['x']
`;

function v2Spans(refGroup: string): string {
  return `file_format: definition/2
attribute_groups:
  - id: demo.common
    visibility: internal
    attributes:
      - ref: demo.name
spans:
  - type: demo.client
    brief: Demo client span.
    stability: development
    kind: client
    name:
      note: demo
    attributes:
      - ref_group: ${refGroup}
`;
}

const V2_REF_GROUP_CYCLE = `file_format: definition/2
attribute_groups:
  - id: demo.first
    visibility: internal
    attributes:
      - ref_group: demo.second
  - id: demo.second
    visibility: internal
    attributes:
      - ref_group: demo.first
      - ref: demo.name
`;

describe('registry check resolves the registry after the fast checks', () => {
  test('an extends cycle is reported once per group of the cycle, on its extends line', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': ATTRIBUTES, 'spans.yaml': EXTENDS_CYCLE });
    const file = join(dir, 'spans.yaml');
    const registry = await loadRegistry(dir);

    // The fast checks alone see nothing: every extends names a group that exists.
    const fast = checkRegistry(registry, undefined, { resolve: false });
    expect(problems(fast.diagnostics)).toEqual([]);
    expect(fast.resolveRan).toBe(false);

    const result = checkRegistry(registry);
    expect(result.resolveRan).toBe(true);
    expect(result.policiesRan).toBe(false);
    const found = problems(result.diagnostics);
    const cycle = found.filter((d) => d.message.includes('cycle'));
    expect(cycle.map((d) => [d.code, d.file, d.range.start.line])).toEqual([
      ['unresolved-extends-ref', file, lineIn(EXTENDS_CYCLE, 'span.demo.a', 'extends:')],
      ['unresolved-extends-ref', file, lineIn(EXTENDS_CYCLE, 'span.demo.b', 'extends:')],
    ]);
    expect(cycle.every((d) => d.severity === 'error' && d.message.includes('Break the cycle'))).toBe(true);
    expect(textAt(EXTENDS_CYCLE, cycle[0]!.range)).toBe('span.demo.b');
    expect(textAt(EXTENDS_CYCLE, cycle[1]!.range)).toBe('span.demo.a');
    // span.demo.c extends a member of the cycle: it cannot resolve either, and says why.
    const dependent = found.filter((d) => !d.message.includes('cycle'));
    expect(dependent.map((d) => [d.code, d.range.start.line])).toEqual([['unresolved-extends-ref', lineIn(EXTENDS_CYCLE, 'span.demo.c', 'extends:')]]);
    expect(dependent[0]!.message).toContain("'span.demo.c'");
    // Never the same problem twice.
    const keys = found.map((d) => `${d.file}:${d.range.start.line}:${d.code}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a metric name used by two metric groups is reported once, on the later group', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': ATTRIBUTES, 'metrics.yaml': DUPLICATE_METRIC });
    const file = join(dir, 'metrics.yaml');
    const result = checkRegistry(await loadRegistry(dir));
    const found = problems(result.diagnostics);
    expect(found.map((d) => [d.code, d.file, d.range.start.line])).toEqual([['duplicate-metric-name', file, groupLine(DUPLICATE_METRIC, 'metric.demo.calls_again')]]);
    const [d] = found;
    expect(d!.severity).toBe('error');
    expect(d!.message).toContain("Metric name 'demo.calls'");
    expect(d!.message).toContain('metric.demo.calls, metric.demo.calls_again');
    // The other definition is named by file and 1-based line, so it can be found without an editor.
    expect(d!.message).toContain(`metrics.yaml:${groupLine(DUPLICATE_METRIC, 'metric.demo.calls') + 1}`);
    expect(result.policiesRan).toBe(false);
  });

  test('a ref_group naming no group is reported once, by the fast check, and resolution does not run', async () => {
    const spans = v2Spans('demo.commn');
    const dir = await tempRegistry({ 'attributes.yaml': V2_ATTRIBUTES, 'spans.yaml': spans });
    const result = checkRegistry(await loadRegistry(dir));
    const found = problems(result.diagnostics);
    expect(found.map((d) => [d.code, d.file, d.range.start.line])).toEqual([['unresolved-group-ref', join(dir, 'spans.yaml'), spans.split('\n').indexOf('      - ref_group: demo.commn')]]);
    expect(textAt(spans, found[0]!.range)).toBe('demo.commn');
    expect(result.resolveRan).toBe(false);
  });

  test('the same registry with the ref_group fixed resolves and checks clean', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': V2_ATTRIBUTES, 'spans.yaml': v2Spans('demo.common') });
    const loaded = await loadRegistry(dir);
    const result = checkRegistry(loaded);
    expect(problems(result.diagnostics)).toEqual([]);
    expect(result.resolveRan).toBe(true);
    expect(result.policiesRan).toBe(true);
    // What the check's resolution saw: the span gets the attribute through the fixed ref_group.
    expect(resolveRegistry(loaded).registry?.groups.some((g) => g.attributes.some((a) => a.name === 'demo.name'))).toBe(true);
  });

  test('a ref_group cycle is reported on each ref_group of the cycle, under weaver\'s UnresolvedGroupRef', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': V2_ATTRIBUTES, 'groups.yaml': V2_REF_GROUP_CYCLE });
    const found = problems(checkRegistry(await loadRegistry(dir)).diagnostics);
    const lines = V2_REF_GROUP_CYCLE.split('\n');
    expect(found.map((d) => [d.code, d.range.start.line])).toEqual([
      ['unresolved-group-ref', lines.indexOf('      - ref_group: demo.second')],
      ['unresolved-group-ref', lines.indexOf('      - ref_group: demo.first')],
    ]);
    expect(found.every((d) => d.message.includes('cycle'))).toBe(true);
  });

  test("an entity refinement that adds an identity attribute (weaver's fixture) is reported where it is listed", async () => {
    const dir = shared('conformance', 'weaver-resolver', 'registry-test-v2-8-identity-add', 'registry');
    const file = join(dir, 'v2-identity-add.yaml');
    const found = problems(checkRegistry(await loadRegistry(dir)).diagnostics);
    expect(found.map((d) => [d.code, d.file])).toEqual([['entity-refinement-changed-identity', file]]);
    const lines = (await readFile(file, 'utf8')).split('\n');
    // The second `- ref: test.attr2`: the one under the invalid refinement's identity.
    const listed = lines.map((l, i) => (l.includes('- ref: test.attr2') ? i : -1)).filter((i) => i >= 0);
    expect(found[0]!.range.start.line).toBe(listed[1]);
    expect(found[0]!.message).toContain('move it under description');
  });

  test('resolution can be turned off; the check is then the fast checks alone', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': ATTRIBUTES, 'metrics.yaml': DUPLICATE_METRIC });
    const result = checkRegistry(await loadRegistry(dir), undefined, { resolve: false, policies: false });
    expect(problems(result.diagnostics)).toEqual([]);
    expect(result.resolveRan).toBe(false);
  });

  test('with a dependency that cannot be loaded, only what no dependency can change is reported', async () => {
    const manifest = `name: demo
semconv_version: v0.1.0
schema_base_url: https://demo.example/
dependencies:
  - name: missing
    registry_path: ./no-such-folder
`;
    const spans = EXTENDS_CYCLE + span('span.demo.e', '').replace('ref: demo.name', 'ref: elsewhere.attribute');
    const dir = await tempRegistry({ 'registry_manifest.yaml': manifest, 'attributes.yaml': ATTRIBUTES, 'spans.yaml': spans });
    const found = problems(checkRegistry(await loadRegistry(dir)).diagnostics);
    // The missing dependency is an error; the ref it might define is reported as not checked (on the
    // ref, naming the dependency); the cycle, which no dependency can break, is found by resolution.
    expect(found.filter((d) => d.code === 'dependency-not-found')).toHaveLength(1);
    const unchecked = found.filter((d) => d.message.includes('elsewhere.attribute'));
    expect(unchecked.map((d) => [d.code, d.range.start.line])).toEqual([['ref-not-checked', lineIn(spans, 'span.demo.e', 'ref: elsewhere.attribute')]]);
    expect(unchecked[0]!.message).toContain("could not be checked against dependency 'missing' (./no-such-folder, not found)");
    expect(found.filter((d) => d.message.includes('Break the cycle')).map((d) => d.range.start.line)).toEqual([
      lineIn(spans, 'span.demo.a', 'extends:'),
      lineIn(spans, 'span.demo.b', 'extends:'),
    ]);
  });
});

describe('resolver findings are merged without repeating a problem', () => {
  test('an error already reported at that line with that meaning is left out, and so is a repeat', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': ATTRIBUTES, 'spans.yaml': EXTENDS_CYCLE });
    const { errors } = resolveRegistry(await loadRegistry(dir));
    expect(errors.map((e) => e.kind)).toEqual(['UnresolvedExtendsRef', 'UnresolvedExtendsRef', 'UnresolvedExtendsRef']);
    const all = resolverDiagnostics(errors, [], dir, true);
    expect(all).toHaveLength(3);

    // A fast check's unresolved-group-ref on span.demo.a's extends says the same as the resolver there.
    const fast = { ...all[0]!, code: 'unresolved-group-ref', message: 'from the fast check' };
    const merged = resolverDiagnostics([...errors, ...errors], [fast], dir, true);
    expect(merged).toEqual(all.slice(1));
  });

  test('with dependencies unseen, a missing target is dropped but a cycle is kept', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': ATTRIBUTES, 'spans.yaml': EXTENDS_CYCLE });
    const { errors } = resolveRegistry(await loadRegistry(dir));
    expect(errors.map((e) => e.cause)).toEqual(['cycle', 'cycle', 'unresolved-target']);
    const kept = resolverDiagnostics(errors, [], dir, false);
    expect(kept.map((d) => d.range.start.line)).toEqual([lineIn(EXTENDS_CYCLE, 'span.demo.a', 'extends:'), lineIn(EXTENDS_CYCLE, 'span.demo.b', 'extends:')]);
  });
});

describe('the editor workspace resolves only in its idle pass', () => {
  test('check without policies (every keystroke) does not resolve; with policies it does', async () => {
    const dir = await tempRegistry({ 'attributes.yaml': ATTRIBUTES, 'spans.yaml': EXTENDS_CYCLE });
    const ws = new RegistryWorkspace(dir);
    const codes = async (options?: { policies?: boolean; resolve?: boolean }) =>
      problems((await ws.check(undefined, options)).diagnostics).map((d) => d.code);
    expect(await codes({ policies: false })).toEqual([]);
    expect(await codes({ policies: false, resolve: true })).toEqual(['unresolved-extends-ref', 'unresolved-extends-ref', 'unresolved-extends-ref']);
    expect(await codes()).toEqual(['unresolved-extends-ref', 'unresolved-extends-ref', 'unresolved-extends-ref']);
    expect(await codes({ policies: true, resolve: false })).toEqual([]);
  });
});

describe('real registries resolve clean inside the check', () => {
  test.each(['semconv-main', 'semconv-v1.44.0'])(
    '%s: the resolver ran and found nothing',
    async (name) => {
      const loaded = await loadRegistry(shared('registries', name));
      const result = checkRegistry(loaded);
      expect(result.resolveRan).toBe(true);
      expect(problems(result.diagnostics)).toEqual([]);
      const resolved = resolveRegistry(loaded);
      expect(resolved.errors).toEqual([]);
      expect(resolved.registry?.groups.length).toBeGreaterThan(850);
    },
    60_000,
  );
});
