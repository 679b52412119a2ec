import { resolve } from 'node:path';
import type { RegistryEngine } from '../../../src/core/engine/registryEngine';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import type { RegistrySummary } from '../../../src/core/engine/registryEngine';
import type { OtlpKeyValue, OtlpSpan, OtlpTraceExport, RunLogger, ServiceHost } from '../../../src/core/workflow/types';

export const repoRoot = resolve(__dirname, '../../..');
export const fixtureWorkflows = resolve(repoRoot, 'test/fixtures/workflows');

/**
 * Runner tests exercise the runner with their own small services, which never touch a registry
 * engine. ServiceHost still needs one: this stand-in only names its kind and refuses any use.
 */
export const engineNotUsedByRunnerTests: RegistryEngine = {
  kind: 'native',
  load() {
    return Promise.reject(new Error('runner tests do not load registries'));
  },
  check() {
    return Promise.reject(new Error('runner tests do not check registries'));
  },
};

export interface CapturedLog extends RunLogger {
  lines: string[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function testHost(engine: RegistryEngine = engineNotUsedByRunnerTests): ServiceHost & {
  published: { diagnostics: readonly RegistryDiagnostic[]; summary: RegistrySummary }[];
  log: CapturedLog;
} {
  const published: { diagnostics: readonly RegistryDiagnostic[]; summary: RegistrySummary }[] = [];
  return {
    engine,
    log: captureLog(),
    published,
    publishDiagnostics(diagnostics, summary) {
      published.push({ diagnostics, summary });
    },
  };
}

export function allSpans(trace: OtlpTraceExport): OtlpSpan[] {
  return trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

export function attr(span: OtlpSpan | { attributes: OtlpKeyValue[] }, key: string): string | number | boolean | undefined {
  const kv = span.attributes.find((a) => a.key === key);
  if (!kv) return undefined;
  const v = kv.value;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  return v.boolValue;
}

/** The one span with this name; fails loudly when there are none or several. */
export function spanNamed(spans: OtlpSpan[], name: string): OtlpSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0];
}

export function activitySpan(spans: OtlpSpan[], elementId: string): OtlpSpan {
  const found = spans.filter((s) => attr(s, 'weavergen.bpmn.element.id') === elementId && s.name.startsWith('activity '));
  if (found.length !== 1) throw new Error(`expected one activity span for ${elementId}, found ${found.length}`);
  return found[0];
}

export function serviceSpan(spans: OtlpSpan[], elementId: string): OtlpSpan {
  const found = spans.filter((s) => attr(s, 'weavergen.bpmn.element.id') === elementId && s.name.startsWith('service '));
  if (found.length !== 1) throw new Error(`expected one service span for ${elementId}, found ${found.length}`);
  return found[0];
}

/** Resolves after `n` turns of the event loop: a bound on waiting, never a measured time. */
export async function eventLoopTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}
