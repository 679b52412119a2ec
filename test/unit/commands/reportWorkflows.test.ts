import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import type { RegistryStatsV1, RegistryStatsV2 } from '../../../src/core/semconv/stats/registryStats';
import type { SchemaChangesV1, SchemaChangesV2 } from '../../../src/core/semconv/diff/schemaChanges';
import type { SearchOutput } from '../../../src/core/semconv/search/searchRegistry';
import { elementsWithActivitySpans, flowNodeIds, runReportWorkflow, semconvBaseline, semconvMain, shared } from './helpers';

/**
 * The reporting workflows run end to end on the real semantic-conventions registry with the real
 * services and the native engine: every step of each BPMN leaves an activity span, the runner's own
 * span validation passes, and the report handed to the host has weaver's shape.
 */

async function expectEveryStepTraced(workflow: string, record: Awaited<ReturnType<typeof runReportWorkflow>>['record']): Promise<void> {
  expect(record.status, record.error?.message).toBe('succeeded');
  const nodes = await flowNodeIds(workflow);
  expect(nodes.length).toBeGreaterThanOrEqual(3);
  const traced = elementsWithActivitySpans(record);
  for (const id of nodes) expect(traced.has(id), `no activity span for ${id}`).toBe(true);
  expect(record.validation?.problems).toEqual([]);
  expect(record.validation?.valid).toBe(true);
  expect(record.validation?.steps.map((s) => s.elementId)).toEqual(nodes);
}

describe('registry_stats on semconv-main', () => {
  test('v1 shape: group counts by type add up, metrics and attributes are broken down', async () => {
    const { record, reports } = await runReportWorkflow('registry_stats', { registryPath: semconvMain });
    await expectEveryStepTraced('registry_stats', record);
    expect(reports).toHaveLength(1);
    const stats = reports[0]?.data as RegistryStatsV1;
    expect(JSON.parse(reports[0]?.content ?? '')).toEqual(stats);
    const registry = stats.registry_stats[0];
    if (!registry) throw new Error('no registry_stats entry');
    expect(registry.url).toBe(semconvMain);
    const breakdown = Object.values(registry.group_breakdown).map((g) => Object.values(g)[0] as { common_stats: { count: number } });
    expect(breakdown.reduce((n, g) => n + g.common_stats.count, 0)).toBe(registry.group_count);
    // The README of the shared data: ~870 groups and ~930 attributes (v2 signals count as groups here).
    expect(registry.group_count).toBeGreaterThan(800);
    expect(stats.catalog_stats.attribute_count).toBeGreaterThan(850);
    const types = Object.values(stats.catalog_stats.attribute_type_breakdown).reduce((a, b) => a + b, 0);
    expect(types).toBe(stats.catalog_stats.attribute_count);
    expect(stats.catalog_stats.attribute_type_breakdown.enum).toBeGreaterThan(50);
    const metric = registry.group_breakdown.metric;
    if (!metric || !('Metric' in metric)) throw new Error('no metric breakdown');
    expect(metric.Metric.metric_names).toContain('http.server.request.duration');
    expect(Object.keys(metric.Metric.instrument_breakdown).sort()).toEqual(['counter', 'gauge', 'histogram', 'updowncounter']);
    const span = registry.group_breakdown.span;
    if (!span || !('Span' in span)) throw new Error('no span breakdown');
    expect(span.Span.span_kind_breakdown.client).toBeGreaterThan(0);
    expect(record.outputs.groupCount).toBe(registry.group_count);
    expect(record.outputs.source).toBe('resolved');
  }, 60_000);

  test('v2 shape (--v2) names metrics, events and entity types', async () => {
    const { record, reports } = await runReportWorkflow('registry_stats', { registryPath: semconvMain, v2: true });
    expect(record.status).toBe('succeeded');
    const stats = reports[0]?.data as RegistryStatsV2;
    expect(Object.keys(stats.registry).sort()).toEqual(['attribute_groups', 'attributes', 'entities', 'events', 'metrics', 'spans']);
    expect(stats.refinements).toEqual({});
    expect(stats.registry.metrics.metric_names).toContain('http.client.request.duration');
    expect(stats.registry.events.event_names).toContain('exception');
    expect(stats.registry.entities.entity_types).toContain('host');
    expect(stats.registry.attribute_groups.common.count).toBeGreaterThan(0);
  }, 60_000);
});

describe('registry_search on semconv-main', () => {
  test('an exact attribute key ranks first with weaver\'s score 100, prefixes next', async () => {
    const { record, reports } = await runReportWorkflow('registry_search', { registryPath: semconvMain, query: 'http.request.method', limit: 5 });
    await expectEveryStepTraced('registry_search', record);
    const found = reports[0]?.data as SearchOutput;
    expect(found.results[0]).toMatchObject({ result_type: 'attribute', key: 'http.request.method', score: 100, type: 'enum', stability: 'stable' });
    // `http.request.method_original` starts with the query: 80.
    expect(found.results[1]).toMatchObject({ key: 'http.request.method_original', score: 80 });
    expect(found.results.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < found.results.length; i++) expect(found.results[i - 1]!.score).toBeGreaterThanOrEqual(found.results[i]!.score);
  }, 60_000);

  test('searchType limits the kinds; a metric name is found among metrics only', async () => {
    const { reports } = await runReportWorkflow('registry_search', { registryPath: semconvMain, query: 'http.server.request.duration', searchType: 'metric' });
    const found = reports[0]?.data as SearchOutput;
    expect(found.results.every((r) => r.result_type === 'metric')).toBe(true);
    expect(found.results[0]).toMatchObject({ result_type: 'metric', name: 'http.server.request.duration', score: 100, instrument: 'histogram', unit: 's' });
  }, 60_000);

  test('a bad searchType fails the run at the search step with the accepted values', async () => {
    const { record } = await runReportWorkflow('registry_search', { registryPath: semconvMain, query: 'x', searchType: 'metrics' });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_search');
    expect(record.error?.message).toMatch(/"searchType" is 'metrics': use one of all, attribute, metric, span, event, entity/);
  }, 60_000);
});

describe('registry_diff: semconv-main against semconv-v1.44.0', () => {
  test('v1 shape: versions from the manifests, attribute changes classified by deprecation', async () => {
    const { record, reports } = await runReportWorkflow('registry_diff', { registryPath: semconvMain, baselineRegistryPath: semconvBaseline });
    await expectEveryStepTraced('registry_diff', record);
    const diff = reports[0]?.data as SchemaChangesV1;
    expect(diff.head).toEqual({ semconv_version: '1.45.0-unreleased' });
    expect(diff.baseline).toEqual({ semconv_version: '1.44.0' });
    expect(Object.keys(diff.changes).sort()).toEqual(['entities', 'events', 'metrics', 'registry_attributes', 'spans']);
    expect(diff.changes.spans).toEqual([]);
    // rpc.connect_rpc.error_code gained `deprecated: {reason: renamed, renamed_to: rpc.status_code}` after 1.44.0.
    expect(diff.changes.registry_attributes).toContainEqual({
      type: 'renamed',
      old_name: 'rpc.connect_rpc.error_code',
      new_name: 'rpc.status_code',
      note: 'Replaced by `rpc.status_code`.',
    });
    expect(diff.changes.registry_attributes).toContainEqual({ type: 'added', name: 'http.request.body.content' });
    expect(reports[0]?.alternate?.format).toBe('markdown');
    expect(reports[0]?.alternate?.content).toContain('renamed `rpc.connect_rpc.error_code` to `rpc.status_code`');
    expect(record.outputs.changes).toMatchObject({ removed: 0 });
  }, 60_000);

  test('the files agree with the renamed entry: head renames rpc.connect_rpc.error_code, the baseline deprecation differed', async () => {
    const deprecationIn = async (registry: string): Promise<unknown> => {
      const doc = parse(await readFile(shared('registries', registry, 'rpc', 'deprecated', 'registry-deprecated.yaml'), 'utf8')) as {
        groups: Array<{ attributes?: Array<{ id?: string; deprecated?: unknown }> }>;
      };
      const attr = doc.groups.flatMap((g) => g.attributes ?? []).find((a) => a.id === 'rpc.connect_rpc.error_code');
      if (!attr) throw new Error(`rpc.connect_rpc.error_code not defined in ${registry}`);
      return attr.deprecated;
    };
    const head = await deprecationIn('semconv-main');
    const baseline = await deprecationIn('semconv-v1.44.0');
    expect(head).toMatchObject({ reason: 'renamed', renamed_to: 'rpc.status_code' });
    expect(baseline).not.toEqual(head);
  });

  test('v2 shape validates against weaver\'s published diff schema', async () => {
    const { record, reports } = await runReportWorkflow('registry_diff', { registryPath: semconvMain, baselineRegistryPath: semconvBaseline, v2: true });
    expect(record.status).toBe('succeeded');
    const diff = reports[0]?.data as SchemaChangesV2;
    const schema = JSON.parse(await readFile(shared('schemas', 'semconv.diff.v2.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(diff), JSON.stringify(validate.errors)).toBe(true);
    expect(diff.head_schema_url.url).toBe('https://opentelemetry.io/schemas/1.45.0-unreleased');
    expect(diff.baseline_schema_url.url).toBe('https://opentelemetry.io/schemas/1.44.0');
    expect(diff.registry.attribute_changes).toContainEqual({ type: 'added', name: 'http.request.body.content' });
  }, 60_000);

  test('a missing baseline fails at the diff step naming the input', async () => {
    const { record } = await runReportWorkflow('registry_diff', { registryPath: semconvMain, baselineRegistryPath: shared('registries', 'no-such-version') });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_diff');
    expect(record.error?.message).toMatch(/Registry folder not found: .*no-such-version \(input "baselineRegistryPath"\)/);
  }, 60_000);
});

describe('registry_json_schema', () => {
  test('semconv-definition-v2 validates every v2 file of semconv-main', async () => {
    const { record, reports } = await runReportWorkflow('registry_json_schema', { jsonSchema: 'semconv-definition-v2' });
    await expectEveryStepTraced('registry_json_schema', record);
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(reports[0]?.data as object);
    const files = ['server/registry.yaml', 'server/common.yaml'];
    for (const f of files) {
      const doc: unknown = parse(await readFile(shared('registries', 'semconv-main', f), 'utf8'));
      expect(validate(doc), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ file_format: 'definition/2', spans: [{ nope: 1 }] })).toBe(false);
  });

  test('semconv-group validates one v1 group and rejects a group without id', async () => {
    const { reports } = await runReportWorkflow('registry_json_schema', { jsonSchema: 'semconv-group' });
    const validate = new Ajv2020({ strict: false }).compile(reports[0]?.data as object);
    expect(validate({ id: 'registry.x', type: 'attribute_group', brief: 'b', attributes: [{ id: 'x.y', type: 'string', brief: 'b', stability: 'development' }] })).toBe(true);
    expect(validate({ type: 'attribute_group', brief: 'b' })).toBe(false);
  });

  test('a weaver output schema fails with a message naming what exists', async () => {
    const { record } = await runReportWorkflow('registry_json_schema', { jsonSchema: 'diff-v2' });
    expect(record.status).toBe('failed');
    expect(record.error?.message).toContain("the JSON schema 'diff-v2' describes a weaver output and is not bundled");
    expect(record.error?.message).toContain('semconv-group, semconv-definition-v2, publication-manifest-v2, definition-manifest-v2');
  });
});

describe('diagnostic_init', () => {
  test('without the weaver binary the run fails saying it needs weaver (no native copy of the templates)', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'weavergen-diag-'));
    const { record } = await runReportWorkflow('diagnostic_init', { diagnosticTemplatesDir: join(parent, 'diagnostic_templates'), weaverPath: join(parent, 'no-weaver-here') });
    await expect(readdir(parent)).resolves.toEqual([]);
    await rm(parent, { recursive: true, force: true });
    expect(record.status).toBe('failed');
    expect(record.error?.activityId).toBe('Task_init');
    expect(record.error?.message).toMatch(/^diagnostic init needs the weaver binary/);
    expect(elementsWithActivitySpans(record).has('Task_init')).toBe(true);
    expect(record.validation?.valid).toBe(true);
  });

  test('a folder whose parent does not exist is refused before anything runs: nothing is created outside the chosen folder', async () => {
    const { record } = await runReportWorkflow('diagnostic_init', { diagnosticTemplatesDir: shared('no-such-dir', 'diagnostic_templates') });
    expect(record.status).toBe('failed');
    expect(record.error?.message).toBe(`diagnostic.init: ${shared('no-such-dir')} does not exist: create it first or choose a folder inside an existing one`);
  });
});
