import { resolve } from 'node:path';
import { createNativeEngine } from '../../../src/core/engine/nativeEngine';
import { runWorkflow } from '../../../src/core/workflow/runner';
import { owningElement, indexSpans } from '../../../src/core/workflow/validation/spanIndex';
import type { OtlpSpan, RunRecord, ValidationProblem } from '../../../src/core/workflow/types';
import { allSpans, attr, fixtureWorkflows, repoRoot, testHost } from '../workflow/helpers';
import { createTestServices } from '../workflow/testServices';

/** A small real registry: the native engine loads and checks it for real. */
export const mixedRegistry = resolve(repoRoot, 'test/fixtures/registries/mixed');

/** Runs a fixture workflow (test/fixtures/workflows) with the small test services. */
export async function runFixture(workflow: string, inputs: Record<string, unknown> = {}, signal?: AbortSignal): Promise<RunRecord> {
  const result = await runWorkflow({
    workflow,
    inputs,
    host: testHost(),
    services: createTestServices().registry,
    workflowsDir: fixtureWorkflows,
    signal,
  });
  return result.record;
}

/** Runs the built-in registry_check workflow on a real registry with the real services and native engine. */
export async function runRegistryCheck(registryPath = mixedRegistry): Promise<RunRecord> {
  const result = await runWorkflow({ workflow: 'registry_check', inputs: { registryPath }, host: testHost(createNativeEngine()) });
  return result.record;
}

/** A deep copy whose spans went through `edit`; the recorded validation is dropped. */
export function tamper(record: RunRecord, edit: (spans: OtlpSpan[]) => OtlpSpan[]): RunRecord {
  const copy = structuredClone(record);
  delete copy.validation;
  for (const rs of copy.spans.resourceSpans) for (const ss of rs.scopeSpans) ss.spans = edit(ss.spans);
  return copy;
}

/** Drops every span of an element: its activity span, its service span and what the service made. */
export function dropElement(record: RunRecord, elementId: string): RunRecord {
  const index = indexSpans(record.spans);
  const doomed = new Set(index.all.filter((s) => owningElement(s) === elementId).map((s) => s.span.spanId));
  if (doomed.size === 0) throw new Error(`the run has no span of ${elementId} to drop`);
  return tamper(record, (spans) => spans.filter((s) => !doomed.has(s.spanId)));
}

/** Drops the given spans and everything under them. */
export function dropSubtrees(record: RunRecord, spanIds: ReadonlySet<string>): RunRecord {
  const doomed = new Set<string>();
  for (const s of indexSpans(record.spans).all) {
    for (let at: typeof s | undefined = s; at; at = at.parent) {
      if (spanIds.has(at.span.spanId)) {
        doomed.add(s.span.spanId);
        break;
      }
    }
  }
  return tamper(record, (spans) => spans.filter((s) => !doomed.has(s.spanId)));
}

/** Applies `change` to the spans `pick` selects (at least one must match). */
export function editSpans(record: RunRecord, pick: (span: OtlpSpan) => boolean, change: (span: OtlpSpan) => void): RunRecord {
  let hits = 0;
  const copy = tamper(record, (spans) =>
    spans.map((s) => {
      if (pick(s)) {
        hits++;
        change(s);
      }
      return s;
    }),
  );
  if (hits === 0) throw new Error('editSpans: no span matched');
  return copy;
}

export const isActivityOf = (elementId: string) => (s: OtlpSpan) => s.name.startsWith('activity ') && attr(s, 'weavergen.bpmn.element.id') === elementId;
export const isServiceOf = (elementId: string) => (s: OtlpSpan) => s.name.startsWith('service ') && attr(s, 'weavergen.bpmn.element.id') === elementId;

export function spanOf(record: RunRecord, pick: (span: OtlpSpan) => boolean): OtlpSpan {
  const found = allSpans(record.spans).filter(pick);
  if (found.length !== 1) throw new Error(`expected one matching span, found ${found.length}`);
  return found[0];
}

/** `code elementId` of each problem: short, exact assertions. */
export function codes(problems: readonly ValidationProblem[]): string[] {
  return problems.map((p) => (p.elementId ? `${p.code} ${p.elementId}` : p.code));
}

export function addNanos(value: string, nanos: bigint): string {
  return (BigInt(value) + nanos).toString();
}
