import { basename } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../../engine/diagnostic';
import type { ParsedFile } from '../parsedFile';
import { headRange, nodeRange } from '../positions';
import { parseSchemaUrl, schemaUrlFromNameVersion, type SchemaUrl } from '../schemaUrl';
import { asMap, pairKey, resolveNode } from '../yamlNodes';
import type { ResolveError } from './errors';

/**
 * A registry manifest read the way weaver reads it (`RegistryManifest::try_from_file`): the first
 * problem is fatal (`InvalidRegistryManifest`, or `InvalidPublicationManifest` for a `manifest/2.0`),
 * the legacy file name and the deprecated `semconv_version` / `schema_base_url` /
 * `resolved_schema_uri` fields are warnings. Each finding points at the node that causes it.
 */

export const PUBLICATION_MANIFEST_FILE_FORMAT = 'manifest/2.0';
const LEGACY_REGISTRY_MANIFEST = 'registry_manifest.yaml';
const UNKNOWN_VERSION = 'unknown';
const SCHEMA_URL_HELP = 'The schema_url uniquely identifies the dependency registry and its version, e.g. https://example.com/my-registry/1.0.0';

export interface ManifestDependencyRead {
  /** The dependency's identity: its `schema_url`, or for a v1 `name` dependency `https://<name>/unknown`. */
  schemaUrl: SchemaUrl;
  range: Range;
}

export interface ManifestRead {
  /** Set when the manifest is valid. */
  schemaUrl?: SchemaUrl;
  publication: boolean;
  /** One per dependency entry, in order (only when the manifest is valid). */
  dependencies: ManifestDependencyRead[];
  /** At most one: weaver stops at the first. */
  error?: ResolveError;
  warnings: ResolveError[];
}

const STRING_FIELDS = new Set(['file_format', 'description', 'semconv_version', 'schema_base_url', 'resolved_registry_uri', 'resolved_schema_uri']);
const STABILITY = ['stable', 'development', 'deprecated', 'experimental', 'alpha', 'beta', 'release_candidate'];

/** Longest string value quoted in a message: a manifest value is short, anything longer is cut. */
const QUOTED_MAX = 60;

/**
 * serde's words for a YAML value of the wrong type. `quote: false` leaves a string's content out: for
 * the document itself, whose content is the whole file (a manifest that is not a mapping may be any
 * file at all), it is never worth quoting.
 */
function unexpected(node: Node | undefined, quote = true): string {
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'sequence';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'boolean') return `boolean \`${v}\``;
    if (typeof v === 'number') return Number.isInteger(v) ? `integer \`${v}\`` : `floating point \`${v}\``;
    if (typeof v === 'string') {
      if (!quote) return 'string';
      return `string ${JSON.stringify(v.length > QUOTED_MAX ? `${v.slice(0, QUOTED_MAX - 3)}...` : v)}`;
    }
  }
  return 'unit value';
}

/** serde_yaml's `field: message at line L column C` (1-based, at the value). */
function located(file: ParsedFile, key: string, message: string, node: Node): string {
  const { line, character } = nodeRange(file.lineCounter, node).start;
  return `${key}: ${message} at line ${line + 1} column ${character + 1}`;
}

interface Found {
  message: string;
  range: Range;
}

function rangeOf(file: ParsedFile, node: Node): Range {
  return isMap(node) || isSeq(node) ? headRange(file.lineCounter, node) : nodeRange(file.lineCounter, node);
}

/** The first field weaver's serde model rejects, in document order. */
function fieldTypeError(file: ParsedFile, root: YAMLMap<unknown, unknown>): Found | undefined {
  for (const pair of root.items as Array<Pair<unknown, unknown>>) {
    const key = pairKey(pair);
    const node = resolveNode(file.doc, pair.value);
    if (key === undefined || !node) continue;
    const isNull = isScalar(node) && node.value === null;
    if (isNull) continue;
    const stringValue = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
    if (STRING_FIELDS.has(key) || key === 'schema_url') {
      if (stringValue === undefined) return { message: located(file, key, `invalid type: ${unexpected(node)}, expected a string`, node), range: rangeOf(file, node) };
      if (key === 'schema_url') {
        const url = parseSchemaUrl(stringValue);
        if (!url.ok) return { message: located(file, key, url.error, node), range: rangeOf(file, node) };
      }
    } else if (key === 'dependencies' && !isSeq(node)) {
      return { message: located(file, key, `invalid type: ${unexpected(node)}, expected a sequence`, node), range: rangeOf(file, node) };
    } else if (key === 'stability' && (stringValue === undefined || !STABILITY.includes(stringValue))) {
      const message =
        stringValue === undefined
          ? `invalid type: ${unexpected(node)}, expected a string`
          : `unknown variant \`${stringValue}\`, expected one of ${STABILITY.map((s) => `\`${s}\``).join(', ')}`;
      return { message: located(file, key, message, node), range: rangeOf(file, node) };
    }
  }
  return undefined;
}

function scalarString(file: ParsedFile, map: YAMLMap<unknown, unknown>, key: string): { value: string; node: Node } | undefined {
  for (const pair of map.items as Array<Pair<unknown, unknown>>) {
    if (pairKey(pair) !== key) continue;
    const node = resolveNode(file.doc, pair.value);
    if (isScalar(node) && typeof node.value === 'string') return { value: node.value, node };
  }
  return undefined;
}

function hasKey(map: YAMLMap<unknown, unknown>, key: string): boolean {
  return (map.items as Array<Pair<unknown, unknown>>).some((p) => pairKey(p) === key);
}

/** `parse_dependency`: a dependency by `schema_url`, or (v1 manifests only) by `name` + `registry_path`. */
function readDependency(file: ParsedFile, node: Node, strict: boolean): ManifestDependencyRead | Found {
  const range = rangeOf(file, node);
  const map = asMap(file.doc, node);
  if (!map) return { message: `invalid type: ${unexpected(node)}, expected struct Dependency`, range };
  const url = scalarString(file, map, 'schema_url');
  if (hasKey(map, 'schema_url')) {
    if (!url) return { message: `invalid type: ${unexpected(resolveNode(file.doc, map.get('schema_url', true)))}, expected a string`, range };
    const parsed = parseSchemaUrl(url.value);
    if (!parsed.ok) return { message: parsed.error, range: nodeRange(file.lineCounter, url.node) };
    return { schemaUrl: parsed.value, range: nodeRange(file.lineCounter, url.node) };
  }
  const name = scalarString(file, map, 'name');
  if (strict || !name) {
    const subject = name ? `dependency '${name.value}'` : 'a dependency';
    return { message: `${subject} is missing the required field 'schema_url'. ${SCHEMA_URL_HELP}`, range };
  }
  for (const pair of map.items as Array<Pair<unknown, unknown>>) {
    const key = pairKey(pair);
    if (key !== 'name' && key !== 'registry_path') return { message: `unknown field \`${key}\`, expected \`name\` or \`registry_path\``, range };
  }
  if (!hasKey(map, 'registry_path')) return { message: 'missing field `registry_path`', range };
  const minted = schemaUrlFromNameVersion(name.value, UNKNOWN_VERSION);
  if (!minted.ok) return { message: minted.error, range: nodeRange(file.lineCounter, name.node) };
  return { schemaUrl: minted.value, range: nodeRange(file.lineCounter, name.node) };
}

/** Reads a manifest as weaver does; `path` is how weaver's JSON names the file. */
export function readManifest(file: ParsedFile, path: string): ManifestRead {
  const out: ManifestRead = { publication: false, dependencies: [], warnings: [] };
  const root = asMap(file.doc, file.doc.contents);
  const top: Range = root ? headRange(file.lineCounter, root) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const fail = (found: Found, publication = false): ManifestRead => {
    out.error = publication
      ? {
          kind: 'InvalidPublicationManifest',
          fields: { path, details: found.message },
          message: `The publication manifest is invalid: ${found.message}.`,
          location: { file: file.path, range: found.range },
        }
      : {
          kind: 'InvalidRegistryManifest',
          fields: { path, error: found.message },
          message: `The registry manifest is invalid: ${found.message}`,
          location: { file: file.path, range: found.range },
        };
    return out;
  };
  if (!root) {
    // Syntax errors and a non-mapping document are the syntax and schema checks' to report.
    return fail({ message: `invalid type: ${unexpected(resolveNode(file.doc, file.doc.contents), false)}, expected struct RawManifestFields`, range: top });
  }
  const typeError = fieldTypeError(file, root);
  if (typeError) return fail(typeError);

  const format = scalarString(file, root, 'file_format');
  const dependencyNodes = (() => {
    const seq = resolveNode(file.doc, root.get('dependencies', true));
    return isSeq(seq) ? seq.items.map((item) => resolveNode(file.doc, item)).filter((n): n is Node => n !== undefined) : [];
  })();
  const schemaUrlNode = scalarString(file, root, 'schema_url');

  if (format?.value === PUBLICATION_MANIFEST_FILE_FORMAT) {
    out.publication = true;
    if (!schemaUrlNode) return fail({ message: "missing required field 'schema_url'", range: top }, true);
    for (const node of dependencyNodes) {
      const dep = readDependency(file, node, true);
      if ('message' in dep) return fail(dep, true);
      out.dependencies.push(dep);
    }
    if (!scalarString(file, root, 'resolved_registry_uri')) {
      const alias = scalarString(file, root, 'resolved_schema_uri');
      if (!alias) return fail({ message: "missing required field 'resolved_registry_uri'", range: top }, true);
      out.warnings.push(deprecatedSyntax(file, path, "The 'resolved_schema_uri' field is deprecated in favor of 'resolved_registry_uri'.", alias.node));
    }
    out.schemaUrl = (parseSchemaUrl(schemaUrlNode.value) as { ok: true; value: SchemaUrl }).value;
    return withLegacyName(file, path, out);
  }
  if (format) {
    return fail({
      message: `Unknown file_format '${format.value}'. Expected '${PUBLICATION_MANIFEST_FILE_FORMAT}' or no file_format for a definition manifest.`,
      range: nodeRange(file.lineCounter, format.node),
    });
  }
  const isV1 = !schemaUrlNode;
  if (schemaUrlNode) {
    out.schemaUrl = (parseSchemaUrl(schemaUrlNode.value) as { ok: true; value: SchemaUrl }).value;
  } else {
    const base = scalarString(file, root, 'schema_base_url');
    const version = scalarString(file, root, 'semconv_version');
    if (!base || !version) return fail({ message: "Either 'schema_url' or both 'schema_base_url' and 'semconv_version' must be provided", range: (base ?? version) ? rangeOf(file, (base ?? version)!.node) : top });
    out.warnings.push(deprecatedSyntax(file, path, "The 'semconv_version' and 'schema_base_url' fields are deprecated in favor of 'schema_url'.", version.node));
    const url = schemaUrlFromNameVersion(base.value, version.value);
    if (!url.ok) {
      const culprit = version.value.trim() === '' ? version.node : base.node;
      out.warnings = [];
      return fail({ message: url.error, range: nodeRange(file.lineCounter, culprit) });
    }
    out.schemaUrl = url.value;
  }
  for (const node of dependencyNodes) {
    const dep = readDependency(file, node, !isV1);
    if ('message' in dep) {
      out.warnings = [];
      delete out.schemaUrl;
      return fail(dep);
    }
    out.dependencies.push(dep);
  }
  return withLegacyName(file, path, out);
}

function deprecatedSyntax(file: ParsedFile, path: string, error: string, node: Node): ResolveError {
  return {
    kind: 'DeprecatedSyntaxInRegistryManifest',
    fields: { path, error },
    message: error,
    location: { file: file.path, range: nodeRange(file.lineCounter, node) },
  };
}

function withLegacyName(file: ParsedFile, path: string, out: ManifestRead): ManifestRead {
  if (basename(file.path) === LEGACY_REGISTRY_MANIFEST) {
    const root = asMap(file.doc, file.doc.contents);
    out.warnings.unshift({
      kind: 'LegacyRegistryManifest',
      fields: { path },
      message: "'registry_manifest.yaml' is deprecated: rename the file to 'manifest.yaml'.",
      location: { file: file.path, range: root ? headRange(file.lineCounter, root) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    });
  }
  return out;
}
