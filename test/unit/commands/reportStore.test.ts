import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { reportDocument } from '../../../src/extension/commands/reportPlan';
import { forgottenReportText, REPORT_SCHEME, reportFileName, reportPath, ReportStore, runIdOfReportPath } from '../../../src/extension/commands/reportStore';
import { repoRoot, runReportWorkflow } from './helpers';

/** The in-memory side of the read-only report documents (`weavergen-report:/<run id>/<name>`). */

const mixed = join(repoRoot, 'test', 'fixtures', 'registries', 'mixed');

describe('report documents', () => {
  test('a real stats run is kept under its run id, titled with the report and the registry, as JSON', async () => {
    const { record, reports } = await runReportWorkflow('registry_stats', { registryPath: mixed });
    expect(record.status, record.error?.message).toBe('succeeded');
    const report = reports[0]!;
    const document = reportDocument(report);
    const name = reportFileName(report.title, document.language, mixed);
    expect(name).toBe('registry stats (mixed).json');

    const store = new ReportStore();
    const stored = store.put(record.id, name, document);
    expect(stored.path).toBe(`/${record.id}/registry stats (mixed).json`);
    expect(runIdOfReportPath(stored.path)).toBe(record.id);
    expect(store.get(stored.path)).toEqual({ language: 'json', content: report.content });
    expect(JSON.parse(store.get(stored.path)!.content)).toEqual(report.data);
    expect(REPORT_SCHEME).toBe('weavergen-report');
  });

  test('file names: the extension follows the language; unsafe characters and long queries are tamed', () => {
    expect(reportFileName('registry diff', 'markdown', '/ws/semconv/model')).toBe('registry diff (model).md');
    expect(reportFileName('JSON schema semconv-group', 'json')).toBe('JSON schema semconv-group.json');
    expect(reportFileName('resolved registry', 'yaml', '/ws/reg/')).toBe('resolved registry (reg).yaml');
    expect(reportFileName('bash completion', 'plaintext')).toBe('bash completion.txt');
    const odd = reportFileName('registry search http/method?#x%y', 'json', '/r/a');
    expect(odd).toBe('registry search http_method__x_y (a).json');
    expect(runIdOfReportPath(reportPath('run1', odd))).toBe('run1');
    const long = reportFileName(`registry search ${'a'.repeat(200)}`, 'json', '/r/a');
    expect(long.length).toBeLessThanOrEqual(85);
    expect(long.endsWith('….json')).toBe(true);
    expect(reportFileName('  ', 'json')).toBe('report.json');
  });

  test('reports of the same run are kept together; the oldest runs are forgotten past the limit', () => {
    const store = new ReportStore(2);
    const json = (content: string) => ({ language: 'json' as const, content });
    const a = store.put('run-a', 'one.json', json('a1'));
    const a2 = store.put('run-a', 'two.json', json('a2'));
    const b = store.put('run-b', 'one.json', json('b1'));
    expect(store.runIds()).toEqual(['run-a', 'run-b']);
    // Storing into run-a again makes it the newest, so run-b is the one forgotten next.
    store.put('run-a', 'one.json', json('a1 again'));
    const c = store.put('run-c', 'one.json', json('c1'));
    expect(store.runIds()).toEqual(['run-a', 'run-c']);
    expect(store.get(a.path)?.content).toBe('a1 again');
    expect(store.get(a2.path)?.content).toBe('a2');
    expect(store.get(b.path)).toBeUndefined();
    expect(store.get(c.path)?.content).toBe('c1');
    expect(store.get('/not-a-report')).toBeUndefined();
    expect(forgottenReportText(b.path)).toContain('run its command again');
    expect(() => new ReportStore(0)).toThrow(/at least one run/);
  });
});
