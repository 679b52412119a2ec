import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { findingsFromJson } from '../../../src/core/weaver/diagnostics';
import type { WeaverAnchor } from '../../../src/core/weaver/anchors';
import type { JsonValue } from '../../../src/core/weaver/json';
import { loadPlacementContext, placeFindings, type PlacedDiagnostic } from '../../../src/core/weaver/placement';

/**
 * Every weaver error and diagnostic output recorded in ../shared/conformance, placed on the registry
 * it was recorded on: resolver cases (`expected-errors.json`) on their `registry/`, policy cases
 * (`expected-diagnostic-output.json`) on their `current/`. Each finding placed on a line must land on
 * a line that holds the id or name it was placed by; the others go to the fallback file and say so.
 */

const repoRoot = resolve(__dirname, '../../..');
const conformance = resolve(repoRoot, '..', 'shared', 'conformance');

interface Case {
  /** The recorded output, relative to the conformance folder. */
  output: string;
  registry: string;
}

function findCases(dir: string, out: Case[] = []): Case[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findCases(path, out);
    else if (name === 'expected-errors.json') out.push({ output: relative(conformance, path), registry: join(dir, 'registry') });
    else if (name === 'expected-diagnostic-output.json') out.push({ output: relative(conformance, path), registry: join(dir, 'current') });
  }
  return out;
}

/** The ids and names an anchor carries: a placement on a line must be by one of them. */
function namesOf(a: WeaverAnchor): string[] {
  switch (a.kind) {
    case 'signal':
      return [a.name];
    case 'group':
    case 'reference':
      return [a.id];
    case 'attribute':
      return [a.id];
    case 'enum-member':
      return [a.memberId, a.attributeId];
    default:
      return [];
  }
}

const cases = findCases(conformance);
const placed = new Map<string, PlacedDiagnostic[]>();

beforeAll(async () => {
  for (const c of cases) {
    const findings = findingsFromJson(JSON.parse(readFileSync(join(conformance, c.output), 'utf8')) as JsonValue);
    const ctx = await loadPlacementContext(c.registry);
    placed.set(c.output, placeFindings(findings, ctx));
  }
});

describe('placing weaver findings recorded in the conformance data', () => {
  it('finds every recorded output: 6 resolver error files and 26 policy diagnostic outputs', () => {
    expect(cases.filter((c) => c.output.endsWith('expected-errors.json'))).toHaveLength(6);
    expect(cases.filter((c) => c.output.endsWith('expected-diagnostic-output.json'))).toHaveLength(26);
  });

  it('places each finding exactly on a line naming it, or on the fallback file with a note', () => {
    let findings = 0;
    let exact = 0;
    let unplaced = 0;
    for (const c of cases) {
      for (const p of placed.get(c.output)!) {
        findings++;
        const d = p.diagnostic;
        expect(isRegistryDiagnostic(d), c.output).toBe(true);
        expect(d.source).toBe('weaver');
        if (p.placement.kind === 'exact') {
          exact++;
          const line = readFileSync(d.file, 'utf8').split('\n')[d.range.start.line]!;
          const { matched, subject, anchor } = p.placement;
          expect(line, `${c.output}: ${d.message}`).toContain(matched);
          expect(line.slice(d.range.start.character, d.range.end.character)).toBe(matched);
          // What was looked up is named by the finding, and the text found is that name (or its tail).
          expect(subject!.endsWith(matched!), `${subject} / ${matched}`).toBe(true);
          expect(p.finding.anchors.flatMap(namesOf)).toContain(subject);
          expect(namesOf(anchor!).length).toBeGreaterThan(0);
          expect(d.message).not.toMatch(/could not be placed/);
        } else {
          expect(p.placement.kind, `${c.output}: ${d.message}`).toBe('unplaced');
          unplaced++;
          const files = readdirSync(c.registry);
          const fallback = files.includes('registry_manifest.yaml') ? 'registry_manifest.yaml' : files.filter((f) => f.endsWith('.yaml')).sort()[0];
          expect(d.file).toBe(join(c.registry, fallback!));
          expect(d.range.start).toEqual({ line: 0, character: 0 });
          expect(d.message).toMatch(/\[could not be placed on a line: .* not found in this registry; shown on the first file of the registry, which has no manifest\]$/);
        }
      }
    }
    console.log(`conformance placement: ${cases.length} files, ${findings} findings, ${exact} placed exactly, ${unplaced} on the fallback file`);
    expect(findings).toBe(exact + unplaced);
    expect(findings).toBeGreaterThan(0);
  });
});
