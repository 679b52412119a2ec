import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createNativeEngine } from '../../../src/core/engine/nativeEngine';
import { runWorkflow } from '../../../src/core/workflow/runner';
import type { RunRecord, RunReport } from '../../../src/core/workflow/types';
import { allSpans, attr, repoRoot, testHost } from '../workflow/helpers';

export { repoRoot };

/** Read-only reference data next to the repository. */
export const shared = (...parts: string[]): string => resolve(repoRoot, '..', 'shared', ...parts);
export const semconvMain = shared('registries', 'semconv-main');
export const semconvBaseline = shared('registries', 'semconv-v1.44.0');

export interface ReportRun {
  record: RunRecord;
  reports: RunReport[];
  /** What the services logged, `level: message`. */
  log: string[];
}

/** Runs a built-in workflow with the real services and the native engine, collecting its reports. */
export async function runReportWorkflow(workflow: string, inputs: Record<string, unknown>): Promise<ReportRun> {
  const reports: RunReport[] = [];
  const host = { ...testHost(createNativeEngine()), publishReport: (r: RunReport) => void reports.push(r) };
  const { record } = await runWorkflow({ workflow, inputs, host });
  return { record, reports, log: host.log.lines };
}

/** The ids of every flow node of a built-in workflow, read from its BPMN. */
export async function flowNodeIds(workflow: string): Promise<string[]> {
  const xml = await readFile(join(repoRoot, 'workflows', `${workflow}.bpmn`), 'utf8');
  const process = xml.slice(xml.indexOf('<bpmn:process'), xml.indexOf('</bpmn:process>'));
  return [...process.matchAll(/<bpmn:(?:startEvent|endEvent|serviceTask) id="([^"]+)"/g)].map((m) => m[1] as string);
}

/** Element ids that have an activity span in the run's trace. */
export function elementsWithActivitySpans(record: RunRecord): Set<string> {
  const ids = new Set<string>();
  for (const span of allSpans(record.spans)) {
    const id = attr(span, 'weavergen.bpmn.element.id');
    if (typeof id === 'string' && span.name.startsWith('activity ')) ids.add(id);
  }
  return ids;
}
