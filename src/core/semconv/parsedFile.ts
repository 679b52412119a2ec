import { isMap, isScalar, LineCounter, type Document, type YAMLMap } from 'yaml';
import { parseYamlDocument } from './yamlParse';

/**
 * What a YAML file in a registry folder is, decided from its top-level keys:
 * - `v1`: `groups:` (optionally `file_format: definition/1`, `imports:`);
 * - `v2`: `file_format: definition/2` (or the legacy `version: '2'`);
 * - `manifest`: the registry manifest (decided by name and place, not content);
 * - `other`: YAML that defines nothing weaver knows (no registry key at the top): left alone, so that
 *   unrelated YAML next to a registry (CI files, docker-compose...) raises no false alarms.
 */
export type RegistryFileKind = 'v1' | 'v2' | 'manifest' | 'other';

/** Top-level sections of a v2 file: seeing one of them without `file_format` means a forgotten header. */
export const V2_SECTIONS = [
  'attributes',
  'attribute_groups',
  'entities',
  'events',
  'metrics',
  'spans',
  'entity_refinements',
  'event_refinements',
  'metric_refinements',
  'span_refinements',
] as const;

const REGISTRY_TOP_LEVEL_KEYS = new Set<string>(['groups', 'imports', ...V2_SECTIONS]);

export interface ParsedFile {
  /** Absolute path. */
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly kind: RegistryFileKind;
  /** The plain value of the document (aliases resolved), computed on first use and kept. */
  value(): unknown;
}

/** The top-level `file_format` (or legacy `version`) string of a document, when it has one. */
export function declaredFormat(doc: Document.Parsed): { key: 'file_format' | 'version'; value: string } | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const key of ['file_format', 'version'] as const) {
    const node: unknown = doc.contents.get(key, true);
    const value: unknown = isScalar(node) ? node.value : undefined;
    if (typeof value === 'string') return { key, value: value.trim() };
  }
  return undefined;
}

function hasRegistryKey(contents: YAMLMap<unknown, unknown>): boolean {
  return contents.items.some((pair) => isScalar(pair.key) && REGISTRY_TOP_LEVEL_KEYS.has(String(pair.key.value)));
}

/**
 * Weaver reads `file_format: definition/2` (or the legacy `version: '2'`) as v2, `definition/1` (or
 * `version: '1'`) and no format at all as v1. `resolved/...` and `manifest/...` files are weaver's own
 * outputs (a resolved or published registry) lying next to definitions: they define nothing here.
 */
function classify(doc: Document.Parsed, isManifest: boolean): RegistryFileKind {
  if (isManifest) return 'manifest';
  const contents = doc.contents;
  if (!isMap(contents)) {
    // A file the parser could not shape into a mapping but that has errors is most likely a registry
    // file being edited: keep it so its syntax errors are shown.
    return doc.errors.length > 0 ? 'v1' : 'other';
  }
  const format = declaredFormat(doc);
  // `version:` alone is too common a key (docker-compose files have it) to make a file a registry file.
  if (format && (format.key === 'file_format' || hasRegistryKey(contents))) {
    if (/^(resolved|manifest)\//.test(format.value)) return 'other';
    if (format.value === 'definition/1' || (format.key === 'version' && format.value === '1')) return 'v1';
    if (format.value === 'definition/2' || (format.key === 'version' && format.value === '2')) return 'v2';
    // An unknown format: shape-check it as the version it looks like, which reports the format value.
    return contents.has('groups') ? 'v1' : 'v2';
  }
  if (hasRegistryKey(contents)) return 'v1';
  return doc.errors.length > 0 ? 'v1' : 'other';
}

/**
 * The parser's line counter breaks lines at `\n` only and, inside some broken constructs (an unclosed
 * flow collection spanning lines), misses line breaks altogether; editors break at `\n`, `\r\n` and a
 * lone `\r`. When the two disagree, a counter built from the text itself replaces the parser's, so every
 * range (diagnostics, symbols) is on the line the user sees.
 */
function editorLineCounter(text: string, parsed: LineCounter): LineCounter {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  const same = parsed.lineStarts.length === starts.length && starts.every((s, i) => parsed.lineStarts[i] === s);
  if (same) return parsed;
  const own = new LineCounter();
  for (const start of starts) own.addNewLine(start);
  return own;
}

export function parseRegistryFile(path: string, text: string, isManifest: boolean): ParsedFile {
  const parsedLines = new LineCounter();
  const doc = parseYamlDocument(text, parsedLines);
  const lineCounter = editorLineCounter(text, parsedLines);
  let cached: { value: unknown } | undefined;
  return {
    path,
    text,
    doc,
    lineCounter,
    kind: classify(doc, isManifest),
    value() {
      if (!cached) {
        let value: unknown;
        try {
          value = doc.toJS({ maxAliasCount: -1 });
        } catch {
          value = null; // e.g. an alias to an undefined anchor: already a syntax error
        }
        cached = { value };
      }
      return cached.value;
    },
  };
}
