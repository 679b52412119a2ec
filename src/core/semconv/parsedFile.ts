import { Alias, isMap, isScalar, LineCounter, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { resolveNode } from './yamlNodes';
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
 * Line starts as editors see them: breaks at `\n`, `\r\n` and a lone `\r`. The parser's own counter
 * breaks at `\n` only and, inside some broken constructs (an unclosed flow collection spanning lines),
 * misses line breaks altogether, so ranges (diagnostics, symbols) always come from this one, built from
 * the text in one pass instead of by the parser's per-line callback.
 */
export function editorLineCounter(text: string): LineCounter {
  const counter = new LineCounter();
  const starts = counter.lineStarts;
  starts.push(0);
  const length = text.length;
  for (let i = text.indexOf('\n'), r = text.indexOf('\r'); ; ) {
    // The next break is the nearer of the next `\n` and the next `\r` (a `\r\n` counts once).
    if (i === -1 && r === -1) break;
    if (r !== -1 && (i === -1 || r < i)) {
      const next = text.charCodeAt(r + 1) === 10 ? r + 2 : r + 1;
      starts.push(next);
      if (next === r + 2) i = text.indexOf('\n', next);
      r = next < length ? text.indexOf('\r', next) : -1;
    } else {
      starts.push(i + 1);
      i = i + 1 < length ? text.indexOf('\n', i + 1) : -1;
    }
  }
  return counter;
}

/** Thrown by `plainValue` at anything it does not convert exactly as `Document#toJS` does. */
const NOT_PLAIN = Symbol('not plain');

/**
 * `doc.toJS()` for the shapes registry files are made of (plain maps, sequences, scalars and aliases to
 * them; the parse already held aliases and nesting to weaver's limits, see yamlLimits.ts), without the per-node context bookkeeping `toJS` does for anchors and merge keys: half the cost
 * of converting semconv-main in a fresh process (~30 ms to ~15 ms), where the checks pay it. An alias
 * converts to the value of what it names (resolved once per alias, see `resolveNode`); `toJS` gives the
 * same value, shared. Anything else (an unresolvable alias, a `<<` key, a collection or non-scalar key,
 * a tagged collection class such as `!!set`, aliases nested past 64) throws NOT_PLAIN and the caller
 * falls back to `doc.toJS`, so the result is always the one `toJS` gives. Mirrors `addPairToJSMap`: keys
 * become `String(value)` (`''` for null), a repeated key keeps the last value, and `__proto__` becomes
 * an own property.
 */
function plainValue(node: unknown, doc: Document | undefined, shared: Map<unknown, unknown>, aliasDepth = 0): unknown {
  if (node === null || node === undefined) return node;
  const proto: unknown = Object.getPrototypeOf(node);
  // With `keep` (the default of Document#toJS) a scalar converts to its value as is.
  if (proto === Scalar.prototype) return (node as Scalar).value;
  if (proto === YAMLMap.prototype) {
    const out: Record<string, unknown> = {};
    for (const pair of (node as YAMLMap<unknown, unknown>).items) {
      const key = pair.key;
      if (key === null || typeof key !== 'object' || Object.getPrototypeOf(key) !== Scalar.prototype) throw NOT_PLAIN;
      const keyValue = (key as Scalar).value;
      // A merge key is '<<' under YAML 1.2 and a symbol under 1.1 (where toJS merges it).
      if (keyValue === '<<' || (keyValue !== null && (typeof keyValue === 'object' || typeof keyValue === 'function' || typeof keyValue === 'symbol'))) throw NOT_PLAIN;
      const stringKey = keyValue === null ? '' : String(keyValue);
      const value = plainValue(pair.value, doc, shared, aliasDepth);
      // toJS defines a key the object already has (own or inherited) instead of assigning it; that
      // differs from assigning only for `__proto__`, whose assignment would set the prototype.
      if (stringKey === '__proto__') Object.defineProperty(out, stringKey, { value, writable: true, enumerable: true, configurable: true });
      else out[stringKey] = value;
    }
    return out;
  }
  if (proto === YAMLSeq.prototype) {
    const items = (node as YAMLSeq<unknown>).items;
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) out[i] = plainValue(items[i], doc, shared, aliasDepth);
    return out;
  }
  if (proto === Alias.prototype && doc && aliasDepth < 64) {
    // Every cycle passes an alias, so counting aliases on the way down bounds the recursion.
    const target = resolveNode(doc, node);
    if (target === undefined) throw NOT_PLAIN;
    // Every alias of one anchor shares one value, as with toJS: the value costs the document's size,
    // not its expansion's.
    if (shared.has(target)) return shared.get(target);
    const value = plainValue(target, doc, shared, aliasDepth + 1);
    shared.set(target, value);
    return value;
  }
  throw NOT_PLAIN;
}

/** The plain value of one node, exactly as `node.toJS(doc, { maxAliasCount: -1 })` gives it (throws as it does). */
export function nodeValue(doc: Document, node: { toJS(doc: Document, options: { maxAliasCount: number }): unknown }): unknown {
  try {
    return plainValue(node, doc, new Map());
  } catch {
    return node.toJS(doc, { maxAliasCount: -1 });
  }
}

/** The plain value of a document, exactly as `doc.toJS({ maxAliasCount: -1 })` gives it. */
export function documentValue(doc: Document.Parsed): unknown {
  try {
    return plainValue(doc.contents, doc, new Map());
  } catch {
    // NOT_PLAIN (or anything unexpected): toJS decides, errors included.
  }
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch {
    return null; // e.g. an alias to an undefined anchor: already a syntax error
  }
}

export function parseRegistryFile(path: string, text: string, isManifest: boolean): ParsedFile {
  const doc = parseYamlDocument(text);
  const lineCounter = editorLineCounter(text);
  let cached: { value: unknown } | undefined;
  return {
    path,
    text,
    doc,
    lineCounter,
    kind: classify(doc, isManifest),
    value() {
      if (!cached) cached = { value: documentValue(doc) };
      return cached.value;
    },
  };
}
