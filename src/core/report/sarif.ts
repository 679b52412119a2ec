import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareDiagnostics, type DiagnosticSource, type Range, type RegistryDiagnostic, type Severity } from '../engine/diagnostic';
import { safeJson } from './safeText';

/**
 * Diagnostics as a SARIF 2.1.0 log, the format code-scanning services read (GitHub uploads it with
 * `github/codeql-action/upload-sarif`). One run per tool that produced findings: `weaver` for the
 * weaver binary's, `weavergen` for the native engine's. Locations are relative to the report root
 * (reportRoot.ts: the repository root, so code scanning finds the files), given as the `%SRCROOT%` base; lines and columns are 1-based and columns count UTF-16 units, as the
 * editor's positions do.
 */

export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifLog {
  $schema: string;
  version: typeof SARIF_VERSION;
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifDriver };
  originalUriBaseIds: Record<string, { uri: string; description?: { text: string } }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

export interface SarifDriver {
  name: string;
  informationUri: string;
  version?: string;
  rules: SarifRule[];
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  helpUri?: string;
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: typeof SRCROOT };
  region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: Array<{ physicalLocation: SarifPhysicalLocation }>;
  /** The other places the finding involves (SARIF 2.1.0 §3.27.22), each with what it is. */
  relatedLocations?: Array<{ id: number; physicalLocation: SarifPhysicalLocation; message: { text: string } }>;
}

const SRCROOT = '%SRCROOT%';

const DRIVERS: Record<DiagnosticSource, { name: string; informationUri: string }> = {
  weaver: { name: 'weaver', informationUri: 'https://github.com/open-telemetry/weaver' },
  weavergen: { name: 'weavergen', informationUri: 'https://github.com/open-telemetry/weaver/blob/main/docs/usage.md' },
};

const LEVELS: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export interface SarifOptions {
  /** Artifact URIs are relative to it (the repository root, see reportRoot.ts). */
  root: string;
  /** What `root` is, for the `%SRCROOT%` description. */
  rootDescription?: string;
  /** The tool whose (empty) run a log without diagnostics holds. Default: `weaver`. */
  emptyRunSource?: DiagnosticSource;
  /** Tool versions by source, when known (`weaver --version`). */
  versions?: Partial<Record<DiagnosticSource, string>>;
}

export function toSarif(diagnostics: readonly RegistryDiagnostic[], options: SarifOptions): SarifLog {
  const sources: DiagnosticSource[] = (['weaver', 'weavergen'] as const).filter((s) => diagnostics.some((d) => d.source === s));
  if (sources.length === 0) sources.push(options.emptyRunSource ?? 'weaver');
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: sources.map((source) => sarifRun(source, diagnostics.filter((d) => d.source === source), options)),
  };
}

/** The SARIF log as the text a file or stdout gets. */
export function formatSarif(diagnostics: readonly RegistryDiagnostic[], options: SarifOptions): string {
  return `${safeJson(JSON.stringify(toSarif(diagnostics, options), null, 2))}\n`;
}

function sarifRun(source: DiagnosticSource, diagnostics: readonly RegistryDiagnostic[], options: SarifOptions): SarifRun {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  for (const d of sorted) {
    const existing = ruleIndex.get(d.code);
    if (existing === undefined) {
      ruleIndex.set(d.code, rules.length);
      rules.push({ id: d.code, shortDescription: { text: describeRule(d.code) }, ...(d.url ? { helpUri: d.url } : {}) });
    } else if (d.url && !rules[existing]!.helpUri) {
      rules[existing]!.helpUri = d.url;
    }
  }
  const version = options.versions?.[source];
  return {
    tool: { driver: { ...DRIVERS[source], ...(version ? { version } : {}), rules } },
    originalUriBaseIds: { [SRCROOT]: { uri: folderUri(options.root), description: { text: options.rootDescription ?? 'The repository root.' } } },
    columnKind: 'utf16CodeUnits',
    results: sorted.map((d) => {
      const result: SarifResult = {
        ruleId: d.code,
        ruleIndex: ruleIndex.get(d.code)!,
        level: LEVELS[d.severity],
        message: { text: sarifText(d.message) },
        locations: [{ physicalLocation: physicalLocation(options.root, d.file, d.range) }],
      };
      if (d.related?.length) {
        result.relatedLocations = d.related.map((r, id) => ({ id, physicalLocation: physicalLocation(options.root, r.file, r.range), message: { text: sarifText(r.message) } }));
      }
      return result;
    }),
  };
}

/**
 * A plain-text SARIF message: `[text](target)` in it is an embedded link (SARIF 2.1.0 §3.11.6),
 * which code scanning renders; literal brackets are escaped with a backslash, as the standard
 * asks, so an id holding `[x](https://...)` stays text.
 */
export function sarifText(message: string): string {
  return message.replace(/[[\]]/g, '\\$&');
}

function physicalLocation(root: string, file: string, range: Range): SarifPhysicalLocation {
  return {
    artifactLocation: { uri: relativeUri(root, file), uriBaseId: SRCROOT },
    region: {
      startLine: range.start.line + 1,
      startColumn: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
    },
  };
}

/** `naming_convention_attribute_constant_collision` -> `Naming convention attribute constant collision`. */
function describeRule(code: string): string {
  const words = code.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A base URI for a folder must end with a slash, or relative references resolve beside it. */
function folderUri(folder: string): string {
  const href = pathToFileURL(folder).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** A relative URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(root: string, file: string): string {
  const rel = relative(root, file);
  if (rel === '') return '.';
  return rel
    .split(sep)
    .map((segment) => (segment === '..' ? segment : encodeURIComponent(segment)))
    .join('/');
}
