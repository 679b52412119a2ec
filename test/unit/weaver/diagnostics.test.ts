import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WeaverAnchor } from '../../../src/core/weaver/anchors';
import { stripAnsi } from '../../../src/core/weaver/ansi';
import { findingCheckCode, findingsFromJson, parseWeaverDiagnostics, type WeaverFinding } from '../../../src/core/weaver/diagnostics';
import type { JsonObject, JsonValue } from '../../../src/core/weaver/json';
import { relativeToShared, shared } from './helpers';

/**
 * Weaver's JSON as recorded in its own test expectations (../shared/conformance): the resolver's
 * `expected-errors.json` (the serialized error) and the policy packages' verbatim
 * `expected-diagnostic-output.json` (`weaver registry check --diagnostic-format json`).
 */
const expectedFiles = execFileSync('find', [shared('conformance'), '-name', 'expected-errors.json', '-o', '-name', 'expected-diagnostic-output.json'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean)
  .sort();

function parseFile(path: string): WeaverFinding[] {
  const parsed = parseWeaverDiagnostics(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.reason}`);
  return parsed.findings;
}

const has = (anchors: readonly WeaverAnchor[], expected: Partial<WeaverAnchor>) =>
  anchors.some((a) => Object.entries(expected).every(([k, v]) => (a as unknown as Record<string, unknown>)[k] === v));

/**
 * What the test itself reads as placeable in a weaver error, by field name: written independently
 * of src/core/weaver/anchors.ts so the two check each other.
 */
function visibleAnchors(value: JsonValue, out: Partial<WeaverAnchor>[] = []): Partial<WeaverAnchor>[] {
  if (Array.isArray(value)) {
    for (const v of value) visibleAnchors(v, out);
    return out;
  }
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') {
      if (key === 'path' || key === 'path_or_url') out.push({ kind: 'file', path: v });
      if (key === 'group_id' || key === 'attribute_group_id' || key === 'refinement_id') out.push({ kind: 'group', id: v });
      if (key === 'attribute_id' || key === 'attribute_key' || key === 'colliding_attribute_key') out.push({ kind: 'attribute', id: v });
      if (key === 'metric_name' || key === 'colliding_metric_name') out.push({ kind: 'signal', signalType: 'metric', name: v });
      if (key === 'entity') out.push({ kind: 'signal', signalType: 'entity', name: v });
      if (key === 'ref') out.push({ kind: 'reference', id: v });
    } else if (Array.isArray(v) && (key === 'group_ids' || key === 'added_attributes' || key === 'missing_attributes')) {
      for (const id of v) if (typeof id === 'string') out.push({ kind: key === 'group_ids' ? 'group' : 'attribute', id });
    } else {
      visibleAnchors(v, out);
    }
  }
  return out;
}

describe('every expected JSON file of ../shared/conformance', () => {
  it('finds the 6 resolver error files and the 26 policy diagnostic outputs', () => {
    expect(expectedFiles.filter((f) => f.endsWith('expected-errors.json'))).toHaveLength(6);
    expect(expectedFiles.filter((f) => f.endsWith('expected-diagnostic-output.json'))).toHaveLength(26);
  });

  const policyFiles = expectedFiles.filter((f) => f.endsWith('expected-diagnostic-output.json'));
  it.each(policyFiles.map((f) => [relativeToShared(f), f]))('%s', (_name, path) => {
    const entries = JSON.parse(readFileSync(path, 'utf8')) as JsonObject[];
    const findings = parseFile(path);
    expect(findings).toHaveLength(entries.length);
    entries.forEach((entry, i) => {
      const error = entry.error as JsonObject;
      const violation = error.violation as JsonObject;
      const finding = findings[i]!;
      expect(finding.kind).toBe('policy_violation');
      expect(finding.policy?.id).toBe(violation.id);
      expect(finding.policy?.level).toBe(violation.level);
      expect(finding.policy?.registry).toBe(error.provenance);
      expect(finding.severity).toBe(violation.level === 'violation' ? 'error' : 'warning');
      // The rule's own sentence, not weaver's `Policy violation: id=..., context=...` wrapping.
      expect(finding.message).toBe(violation.message);
      expect(finding.code).toBeUndefined();
      expect(findingCheckCode(finding)).toBe(violation.id);
      if (violation.signal_name !== null) {
        expect(finding.anchors[0]).toMatchObject({ kind: 'signal', signalType: violation.signal_type, name: violation.signal_name });
      }
      for (const anchor of visibleAnchors(violation.context)) expect(has(finding.anchors, anchor), JSON.stringify(anchor)).toBe(true);
      // Policy findings come after resolution: no file, and `current` is a registry, not a path.
      expect(finding.anchors.filter((a) => a.kind === 'file')).toEqual([]);
      expect(finding.error).toEqual(error);
    });
  });

  const errorFiles = expectedFiles.filter((f) => f.endsWith('expected-errors.json'));
  it.each(errorFiles.map((f) => [relativeToShared(f), f]))('%s', (_name, path) => {
    const error = JSON.parse(readFileSync(path, 'utf8')) as JsonObject;
    const leaves = Array.isArray(error.CompoundError) ? (error.CompoundError as JsonObject[]) : [error];
    const findings = parseFile(path);
    expect(findings).toHaveLength(leaves.length);
    leaves.forEach((leaf, i) => {
      const finding = findings[i]!;
      const kind = Object.keys(leaf)[0]!;
      expect(finding.kind).toBe(kind);
      expect(finding.nestedIn).toEqual(leaf === error ? [] : ['CompoundError']);
      expect(finding.severity).toBe('error');
      expect(finding.error).toEqual(leaf);
      expect(finding.message.startsWith(kind.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^(\w)(.*)$/, (_m, a: string, b: string) => a + b.toLowerCase()))).toBe(true);
      const visible = visibleAnchors(leaf);
      expect(visible.length).toBeGreaterThan(0);
      for (const anchor of visible) expect(has(finding.anchors, anchor), `${kind} ${JSON.stringify(anchor)}`).toBe(true);
    });
  });

  it('counts: every entry of every file became a finding', () => {
    let entries = 0;
    let findings = 0;
    for (const path of expectedFiles) {
      const json = JSON.parse(readFileSync(path, 'utf8')) as JsonValue;
      entries += Array.isArray(json) ? json.length : Array.isArray((json as JsonObject).CompoundError) ? ((json as JsonObject).CompoundError as JsonValue[]).length : 1;
      findings += parseFile(path).length;
    }
    expect(findings).toBe(entries);
    // 47 policy findings in 26 files, 13 resolver errors in 6 files.
    expect(findings).toBe(60);
  });
});

describe('specific findings, as weaver wrote them', () => {
  it('registry-test-12: duplicate group ids name both files; the duplicate attribute names its groups', () => {
    const findings = parseFile(shared('conformance/weaver-resolver/registry-test-12-duplicate-group-id/expected-errors.json'));
    expect(findings.map((f) => f.kind)).toEqual(['DuplicateGroupId', 'DuplicateGroupId', 'DuplicateAttributeId']);
    expect(findings[0]!.anchors).toEqual([
      { kind: 'group', id: 'metric.messaging.attributes', from: 'DuplicateGroupId.group_id' },
      { kind: 'file', path: 'data/registry-test-12-duplicate-group-id/registry/metrics-messaging.yaml', from: 'DuplicateGroupId.provenances[0].path' },
      { kind: 'file', path: 'data/registry-test-12-duplicate-group-id/registry/registry-messaging.yaml', from: 'DuplicateGroupId.provenances[1].path' },
    ]);
    expect(findings[2]!.anchors.map((a) => (a.kind === 'group' || a.kind === 'attribute' ? `${a.kind}:${a.id}` : a.kind))).toEqual([
      'attribute:batch.message_count',
      'group:registry.messaging',
      'group:registry.messaging_bis',
    ]);
    expect(findings[0]!.message).toBe(
      'Duplicate group id: group_id metric.messaging.attributes; provenances data/registry-test-12-duplicate-group-id/registry/metrics-messaging.yaml, data/registry-test-12-duplicate-group-id/registry/registry-messaging.yaml',
    );
    expect(findingCheckCode(findings[0]!)).toBe('duplicate-group-id');
  });

  it('an entity refinement names the refinement, the refined entity, the attribute and the file', () => {
    const [finding] = parseFile(shared('conformance/weaver-resolver/registry-test-v2-7-identity-promote/expected-errors.json'));
    expect(finding!.anchors).toEqual([
      { kind: 'attribute', id: 'test.attr2', from: 'EntityRefinementChangedIdentity.attribute_id' },
      { kind: 'group', id: 'entity.promoting.entity', from: 'EntityRefinementChangedIdentity.refinement_id' },
      { kind: 'reference', id: 'entity.base.entity', from: 'EntityRefinementChangedIdentity.ref' },
      {
        kind: 'file',
        path: 'data/registry-test-v2-7-identity-promote/registry/v2-identity-promote.yaml',
        from: 'EntityRefinementChangedIdentity.provenance.path',
      },
    ]);
    expect(findingCheckCode(finding!)).toBe('entity-refinement-changed-identity');
  });

  it('an enum member collision anchors the member of its attribute', () => {
    const findings = parseFile(shared('conformance/weaver-policies/naming_conventions/tests/enum_member_id_collision/expected-diagnostic-output.json'));
    expect(findings[0]!.anchors).toEqual([
      { kind: 'enum-member', attributeId: 'test.enum', memberId: 'member', from: 'violation.context.member_id' },
      { kind: 'attribute', id: 'test.enum', from: 'violation.context.attribute_key' },
    ]);
  });

  it('a complex-type violation names the attribute in its group', () => {
    const findings = parseFile(shared('conformance/weaver-policies/naming_conventions/tests/attribute_complex_type_violation/expected-diagnostic-output.json'));
    const withGroup = findings.find((f) => (f.policy?.context as JsonObject).group_id !== undefined)!;
    expect(withGroup.anchors).toContainEqual({ kind: 'attribute', id: 'test.complex', groupId: 'registry.test', from: 'violation.context.attribute_key' });
    expect(withGroup.anchors).toContainEqual({ kind: 'group', id: 'registry.test', from: 'violation.context.group_id' });
  });

  it('a finding on a metric puts the metric first, then what the context names', () => {
    const [finding] = parseFile(shared('conformance/weaver-policies/entity_associations/tests/unknown_entity_association/expected-diagnostic-output.json'));
    expect(finding!.anchors.map((a) => (a.kind === 'signal' ? `${a.signalType}:${a.name}` : a.kind))).toEqual(['metric:my.metric', 'entity:unknown.entity']);
  });
});

/**
 * Shapes weaver writes that no file in ../shared records: built here following weaver's serializers
 * (weaver_common `DiagnosticMessage`, miette `LabeledSpan`, weaver_semconv `InvalidSemConvSpec`).
 */
describe('other shapes weaver writes', () => {
  const ESC = '\u001b';
  const link = (text: string, url: string) => `${ESC}]8;;${url}${ESC}\\${text}${ESC}]8;;${ESC}\\`;
  const ansiReport = [
    `${ESC}[31m×${ESC}[0m The semantic convention spec is invalid`,
    `   ╭─[${link(`${ESC}[36;1;4mmodel/http/registry.yaml${ESC}[0m`, 'file:///w/model/http/registry.yaml')}:12:5]`,
    ` 11 │   - id: http.request.method`,
    ` 12 │     type: strin`,
    `    ·           ${ESC}[35;1m──┬──${ESC}[0m`,
    `    ╰────`,
  ].join('\n');

  it('a full diagnostic: plain message, code/url/help, severity, the position printed in the report and byte labels', () => {
    const text = JSON.stringify([
      {
        error: { InvalidSemConvSpec: { path_or_url: 'model/http/registry.yaml', line: 12, column: 11, error: 'unknown variant `strin`' } },
        diagnostic: {
          message: 'The semantic convention spec is invalid (path_or_url: "model/http/registry.yaml"). unknown variant `strin`',
          ansi_message: ansiReport,
          code: 'weaver::semconv::invalid_spec',
          severity: 'Warning',
          help: 'Check the type',
          url: 'https://example.invalid/help',
          labels: [{ label: 'here', span: { offset: 312, length: 5 }, primary: true }],
        },
      },
    ]);
    const parsed = parseWeaverDiagnostics(text);
    expect(parsed.ok).toBe(true);
    const [finding] = parsed.ok ? parsed.findings : [];
    expect(finding!.kind).toBe('InvalidSemConvSpec');
    expect(finding!.severity).toBe('warning');
    expect(finding!.message).not.toContain(ESC);
    expect(finding!.message).toMatch(/^The semantic convention spec is invalid/);
    expect(finding).toMatchObject({ code: 'weaver::semconv::invalid_spec', help: 'Check the type', url: 'https://example.invalid/help' });
    expect(finding!.anchors).toEqual([
      { kind: 'position', path: 'model/http/registry.yaml', line: 12, column: 11, from: 'InvalidSemConvSpec.line' },
      { kind: 'position', path: 'model/http/registry.yaml', line: 12, column: 5, from: 'diagnostic.ansi_message' },
      { kind: 'byte-span', offset: 312, length: 5, label: 'here', primary: true, path: 'model/http/registry.yaml', from: 'diagnostic.labels[0]' },
      { kind: 'file', path: 'model/http/registry.yaml', from: 'InvalidSemConvSpec.path_or_url' },
    ]);
    expect(finding!.diagnostic?.ansi_message).toBe(ansiReport);
  });

  it('strips colours and hyperlinks from the report', () => {
    expect(stripAnsi(ansiReport).split('\n')[1]).toBe('   ╭─[model/http/registry.yaml:12:5]');
  });

  it('an unresolved reference with a provenance object, nested in a compound error inside one diagnostic', () => {
    const findings = findingsFromJson([
      {
        error: {
          CompoundError: [
            { UnresolvedAttributeRef: { group_id: 'span.http.client', attribute_ref: 'http.methd', provenance: { schema_url: 'https://x/1', path: 'model/http/spans.yaml' } } },
            { CompoundError: [{ UnresolvedExtendsRef: { group_id: 'span.b', extends_ref: 'attributes.missing', provenance: 'model/b.yaml' } }] },
          ],
        },
        diagnostic: { message: 'two problems', ansi_message: 'two problems', severity: 'Error' },
      },
    ]);
    expect(findings.map((f) => [f.kind, f.nestedIn.join('>'), findingCheckCode(f)])).toEqual([
      ['UnresolvedAttributeRef', 'CompoundError', 'unresolved-ref'],
      ['UnresolvedExtendsRef', 'CompoundError>CompoundError', 'unresolved-group-ref'],
    ]);
    expect(findings[0]!.anchors).toContainEqual({ kind: 'attribute', id: 'http.methd', groupId: 'span.http.client', from: 'UnresolvedAttributeRef.attribute_ref' });
    expect(findings[0]!.anchors).toContainEqual({ kind: 'file', path: 'model/http/spans.yaml', from: 'UnresolvedAttributeRef.provenance.path' });
    expect(findings[1]!.anchors).toContainEqual({ kind: 'group', id: 'attributes.missing', from: 'UnresolvedExtendsRef.extends_ref' });
    expect(findings[1]!.anchors).toContainEqual({ kind: 'file', path: 'model/b.yaml', from: 'UnresolvedExtendsRef.provenance' });
    // The compound's message covers both; each nested finding gets its own.
    expect(findings[0]!.message).toContain('http.methd');
  });

  it('policy levels below violation are warnings and advice', () => {
    const real = JSON.parse(
      readFileSync(shared('conformance/weaver-policies/stability/tests/metric_experimental_attribute/expected-diagnostic-output.json'), 'utf8'),
    ) as JsonObject[];
    const asLevel = (level: string) => {
      const copy = structuredClone(real[0]!) as JsonObject;
      ((copy.error as JsonObject).violation as JsonObject).level = level;
      return findingsFromJson([copy])[0]!.severity;
    };
    expect([asLevel('violation'), asLevel('improvement'), asLevel('information')]).toEqual(['error', 'warning', 'advice']);
  });

  it("the bare policy findings of weaver's validate.md example", () => {
    const md = readFileSync(shared('reference/weaver/docs/validate.md'), 'utf8');
    const block = /The JSON output is an array[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(md)![1]!;
    const parsed = parseWeaverDiagnostics(block);
    expect(parsed.ok).toBe(true);
    const findings = parsed.ok ? parsed.findings : [];
    expect(findings.map((f) => [f.policy?.id, f.severity])).toEqual([
      ['invalid_attribute_name', 'error'],
      ['missing_metric_unit', 'warning'],
    ]);
    expect(findings[0]!.anchors).toContainEqual({ kind: 'group', id: 'registry.http', from: 'violation.context.group_id' });
    expect(findings[1]!.anchors[0]).toMatchObject({ kind: 'signal', signalType: 'metric', name: 'http.server.request.duration' });
  });

  it('unknown shapes become `unknown` findings with the raw text, never dropped', () => {
    const entries: JsonValue[] = [
      42,
      { something: 'else' },
      { error: { not: 'tagged', as: 'weaver does' }, diagnostic: { message: 'Something went wrong', ansi_message: 'x' } },
      { error: 'HomeDirNotFound', diagnostic: { message: 'Home directory not found', ansi_message: 'x' } },
    ];
    const findings = findingsFromJson(entries);
    expect(findings).toHaveLength(4);
    expect(findings.map((f) => f.kind)).toEqual(['unknown', 'unknown', 'unknown', 'HomeDirNotFound']);
    expect(findings[0]!.raw).toBe('42');
    expect(findings[1]!.raw).toBe('{"something":"else"}');
    expect(findings[1]!.message).toContain('{"something":"else"}');
    expect(findings[2]!.message).toBe('Something went wrong');
    expect(findings[2]!.raw).toBe('{"not":"tagged","as":"weaver does"}');
    expect(findings[3]!.raw).toBeUndefined();
    expect(findingCheckCode(findings[0]!)).toBe('weaver-unknown');
  });

  it('finds the JSON array among log lines, and keeps text that holds none', () => {
    const withLogs = `Loading registry...\n[\n  {"error": {"DuplicateAttributeId": {"group_ids": ["a"], "attribute_id": "x"}}, "diagnostic": {"message": "dup", "ansi_message": "dup"}}\n]\nTotal execution time: 0.2s\n`;
    const parsed = parseWeaverDiagnostics(withLogs);
    expect(parsed.ok && parsed.findings.map((f) => f.kind)).toEqual(['DuplicateAttributeId']);
    expect(parseWeaverDiagnostics('  \n')).toEqual({ ok: true, findings: [] });
    const bad = parseWeaverDiagnostics('error: unexpected argument [x] found\n');
    expect(bad).toEqual({ ok: false, reason: expect.stringContaining('no JSON') as unknown as string, raw: 'error: unexpected argument [x] found\n' });
  });
});
