import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadRegistry } from '../../src/core/semconv/loadRegistry';
import { errorsToWeaverJson } from '../../src/core/semconv/resolve/errors';
import { loadPublishedDependencies } from '../../src/core/semconv/resolve/published';
import { resolveRegistry } from '../../src/core/semconv/resolve/resolveRegistry';
import { toWeaverJson } from '../../src/core/semconv/resolve/weaverJson';
import { compareAsSets, compareResolved, compareResolvedV2, flattenErrors, type Difference } from './compare';
import { toResolvedV2 } from '../../src/core/semconv/resolve/resolvedV2';

/**
 * Runs weaver's own test cases against the native engine. A case is any folder holding an
 * `expected-*` file; what it expects decides how it runs:
 * - `expected-registry.json` + `expected-attribute-catalog.json`: the resolved registry;
 * - `expected-errors.json`: resolution fails with exactly these errors (weaver's error JSON);
 * - `expected-schema.yaml`: the resolved registry in weaver's `resolved/2.0` form;
 * - `expected-diagnostic-output.json`: policy findings, through `runPolicyCase` of the policy engine.
 * Other expectation files are outputs the native engine does not produce yet: such a case fails and says
 * so, it is never skipped.
 *
 * Weaver's test data names files and dependency folders relative to weaver's crate folder
 * (`data/<case>/registry/x.yaml`, `registry_path: data/multi-registry/otel_registry`). The runner maps
 * `data/` to the folder that holds the cases, both to find dependencies and to write provenances the
 * way weaver's expected files spell them.
 */

/**
 * The policy engine's entry for one case: either weaver's JSON diagnostics (the whole
 * `--diagnostic-format json` array), compared entry for entry, or `{ findings }`, the policy findings
 * alone, compared with the `error.violation` of each expected entry.
 */
export type PolicyCaseRunner = (caseDir: string) => Promise<unknown[] | { findings: readonly unknown[] }>;

export interface CaseResult {
  name: string;
  dir: string;
  pass: boolean;
  /** Why it failed: the first difference, or what is missing. */
  reason?: string;
}

export interface ConformanceOptions {
  runPolicyCase?: PolicyCaseRunner;
}

export interface ConformanceReport {
  results: CaseResult[];
  passed: number;
  failed: number;
}

const EXPECTATION_FILE = /^expected-.+\.(json|ya?ml)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

/** Every case folder under the given roots (a root that is itself a case counts), sorted. */
export function discoverCases(roots: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    if (entries.some((e) => EXPECTATION_FILE.test(e))) out.push(dir);
    for (const entry of entries.sort()) {
      if (SKIPPED_DIRS.has(entry) || entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
    }
  };
  for (const root of roots) walk(resolve(root));
  return [...new Set(out)].sort();
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function describe(d: Difference): string {
  return `${d.path}: expected ${JSON.stringify(d.expected)} vs actual ${JSON.stringify(d.actual)}`;
}

function hasYaml(dir: string): boolean {
  try {
    return readdirSync(dir).some((e) => /\.ya?ml$/.test(e));
  } catch {
    return false;
  }
}

/** `data/<x>/...` in weaver's test data, relative to the folder holding the cases. */
function dataPathMapper(dataRoot: string): (path: string) => string | undefined {
  return (path) => (path.startsWith('data/') ? join(dataRoot, path.slice('data/'.length)) : undefined);
}

/**
 * The folder weaver's `data/` stands for: the nearest ancestor of the case from which every `data/`
 * path the registry's manifest declares exists (cases can be nested: `registry-test-v2-dep/span_registry`
 * names `data/registry-test-v2-dep/published`). A registry without such paths is a top-level case:
 * its parent folder.
 */
function dataRootOf(caseDir: string, registryDir: string): string {
  const dataPaths = manifestDependencyPaths(registryDir)
    .filter((p) => p.startsWith('data/'))
    .map((p) => p.slice('data/'.length));
  if (dataPaths.length > 0) {
    for (let dir = dirname(caseDir); dir !== dirname(dir); dir = dirname(dir)) {
      if (dataPaths.every((p) => existsSync(join(dir, p)))) return dir;
    }
  }
  return dirname(caseDir);
}

function manifestDependencyPaths(dir: string): string[] {
  for (const name of ['registry_manifest.yaml', 'manifest.yaml']) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    try {
      const doc = parseYaml(readFileSync(path, 'utf8')) as { dependencies?: Array<{ registry_path?: unknown }> } | null;
      return (doc?.dependencies ?? []).map((d) => d.registry_path).filter((p): p is string => typeof p === 'string');
    } catch {
      return [];
    }
  }
  return [];
}

/**
 * The registry a case resolves: `registry/` when present; otherwise, among the case folder and its
 * sub-folders holding YAML, the one no other depends on (the top of the dependency graph).
 */
export function caseRegistryDir(caseDir: string): string | undefined {
  const registry = join(caseDir, 'registry');
  if (existsSync(registry)) return registry;
  const candidates = [caseDir, ...readdirSync(caseDir).map((e) => join(caseDir, e)).filter((p) => statSync(p).isDirectory())].filter(hasYaml);
  if (candidates.length <= 1) return candidates[0];
  const map = dataPathMapper(dirname(caseDir));
  const depended = new Set<string>();
  for (const c of candidates) {
    for (const p of manifestDependencyPaths(c)) depended.add(resolve(map(p) ?? resolve(c, p)));
  }
  const tops = candidates.filter((c) => c !== caseDir && !depended.has(resolve(c)));
  return tops.find((c) => ['main', 'registry'].includes(basename(c))) ?? tops[0];
}

async function runResolverCase(caseDir: string): Promise<string | undefined> {
  const registryDir = caseRegistryDir(caseDir);
  if (!registryDir) return 'no registry folder found in the case';
  const casesParent = dataRootOf(caseDir, registryDir);
  const loaded = await loadRegistry(registryDir, { resolveDependencyPath: dataPathMapper(casesParent) });
  const published = await loadPublishedDependencies(loaded);
  for (const dep of loaded.dependencies) {
    if (dep.unavailable && !(dep.unavailable.reason === 'published' && published.has(resolve(dep.unavailable.detail)))) {
      return `dependency ${dep.declared.registryPath ?? dep.declared.schemaUrl ?? '?'} not loadable natively (${dep.unavailable.reason}: ${dep.unavailable.detail})`;
    }
  }
  const schemaPath = join(caseDir, 'expected-schema.yaml');
  const result = resolveRegistry(loaded, {
    published,
    publishedAttributeRoots: existsSync(schemaPath) ? 'definitions' : 'signals',
    // Weaver's resolver tests resolve with this registry URL.
    registryUrl: 'https://127.0.0.1',
    provenancePath: (p) => `data/${relative(casesParent, p).split('\\').join('/')}`,
  });

  const errorsPath = join(caseDir, 'expected-errors.json');
  if (existsSync(errorsPath)) {
    const expected = flattenErrors(readJson(errorsPath));
    const actual = flattenErrors(errorsToWeaverJson(result.errors));
    if (result.errors.length === 0) return `expected ${expected.length} error(s), resolution succeeded`;
    const d = compareAsSets(expected, actual, 'errors');
    return d ? describe(d) : undefined;
  }
  if (!result.registry) {
    return `resolution failed: ${JSON.stringify(errorsToWeaverJson(result.errors)).slice(0, 400)}`;
  }
  if (existsSync(schemaPath)) {
    const d = compareResolvedV2(parseYaml(readFileSync(schemaPath, 'utf8')) as unknown, toResolvedV2(result.registry));
    return d ? describe(d) : undefined;
  }
  const actual = toWeaverJson(result.registry);
  const expected = { registry: readJson(join(caseDir, 'expected-registry.json')), catalog: readJson(join(caseDir, 'expected-attribute-catalog.json')) };
  const d = compareResolved(expected, { registry: actual.registry, catalog: actual.catalog });
  if (!d) return undefined;
  const foreign = foreignSourceCases(expected.registry, basename(caseDir));
  return foreign.length > 0
    ? `${describe(d)} (expected-registry.json was written for ${foreign.map((c) => `data/${c}`).join(', ')}: every lineage.source_file names that case, none this one)`
    : describe(d);
}

/**
 * The case folders the expected registry's `lineage.source_file`s name when none of them is `caseName`:
 * a fixture whose expected output was copied from another case cannot match, and the failure says so.
 */
function foreignSourceCases(expectedRegistry: unknown, caseName: string): string[] {
  const groups = (expectedRegistry as { groups?: { lineage?: { source_file?: unknown } }[] } | null)?.groups ?? [];
  const cases = new Set<string>();
  for (const g of groups) {
    const file = g.lineage?.source_file;
    const m = typeof file === 'string' ? /^data\/([^/]+)\//.exec(file) : null;
    if (m) cases.add(m[1]);
  }
  return cases.size > 0 && !cases.has(caseName) ? [...cases] : [];
}

async function runPolicy(caseDir: string, options: ConformanceOptions): Promise<string | undefined> {
  if (!options.runPolicyCase) return 'policy rules not available yet (src/core/semconv/policies exports no runPolicyCase)';
  const raw = readJson(join(caseDir, 'expected-diagnostic-output.json'));
  const expected = Array.isArray(raw) ? raw : [raw];
  const actual = await options.runPolicyCase(caseDir);
  if (Array.isArray(actual)) {
    const d = compareAsSets(expected, actual, 'diagnostics');
    return d ? describe(d) : undefined;
  }
  const violations = expected.map((entry) => {
    const error = (entry as { error?: { violation?: unknown } } | null)?.error;
    return error?.violation ?? entry;
  });
  const d = compareAsSets(violations, [...actual.findings], 'findings');
  return d ? describe(d) : undefined;
}

export async function runCase(caseDir: string, options: ConformanceOptions = {}): Promise<CaseResult> {
  const name = caseName(caseDir);
  const files = readdirSync(caseDir).filter((e) => EXPECTATION_FILE.test(e));
  let reason: string | undefined;
  try {
    if (files.includes('expected-diagnostic-output.json')) reason = await runPolicy(caseDir, options);
    else if (files.includes('expected-errors.json') || files.includes('expected-registry.json') || files.includes('expected-schema.yaml')) {
      const unsupported = files.filter((f) => !['expected-errors.json', 'expected-registry.json', 'expected-attribute-catalog.json', 'expected-schema.yaml'].includes(f));
      reason = await runResolverCase(caseDir);
      if (!reason && unsupported.length > 0) reason = `registry and catalog match, but ${unsupported.join(', ')} is an output the native engine does not produce (weaver's own resolver test does not read it either)`;
    } else reason = `${files.join(', ')}: this output is not produced natively yet`;
  } catch (err) {
    reason = `crashed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return reason === undefined ? { name, dir: caseDir, pass: true } : { name, dir: caseDir, pass: false, reason };
}

/** `weaver-resolver/registry-test-3-extends`: the case path under its collection folder. */
function caseName(caseDir: string): string {
  const parts = caseDir.split(/[\\/]/);
  const i = parts.findIndex((p) => p.startsWith('weaver-'));
  return i >= 0 ? parts.slice(i).join('/') : basename(caseDir);
}

export async function runConformance(roots: readonly string[], options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const results: CaseResult[] = [];
  for (const dir of discoverCases(roots)) results.push(await runCase(dir, options));
  const passed = results.filter((r) => r.pass).length;
  return { results, passed, failed: results.length - passed };
}

/** One line per case, then `N passed, M failed` alone on the last line. */
export function formatReport(report: ConformanceReport): string {
  const lines = report.results.map((r) => (r.pass ? `PASS ${r.name}` : `FAIL ${r.name}: ${r.reason ?? ''}`));
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n');
}

/** The default case folders, relative to the repository root. */
export const DEFAULT_CASE_ROOTS = ['../shared/conformance/weaver-resolver', '../shared/conformance/weaver-policies'];
