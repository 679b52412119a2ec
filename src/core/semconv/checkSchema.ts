import type { ErrorObject } from 'ajv';
import { isCollection, isScalar } from 'yaml';
import type { Range, RegistryDiagnostic } from '../engine/diagnostic';
import { didYouMean } from './closestMatch';
import { CHECK_CODES, diagnostic } from './diagnostics';
import { declaredFormat, V2_SECTIONS, type ParsedFile } from './parsedFile';
import { headRange, nodeRange, positionAt } from './positions';
import { SCHEMAS, validateAgainstSchema, type SchemaKind } from './schemaValidator';
import { locate, pointerSegments } from './yamlPath';

/**
 * Shape errors of one file against the project's JSON Schemas (src/core/semconv/schema), each placed on
 * the YAML node the error is about and worded for the person editing the file: which definition, which
 * field, what to write instead.
 */
export function checkSchema(file: ParsedFile): RegistryDiagnostic[] {
  if (file.kind === 'other') return [];
  const value = file.value();
  // An empty file (or one whose syntax errors left nothing) defines nothing: nothing to shape-check.
  if (value === null || value === undefined) return [];
  const kind: SchemaKind = file.kind;
  const errors = reduceErrors(validateAgainstSchema(kind, value));
  const out: RegistryDiagnostic[] = [];
  const seen = new Set<string>();

  // Missing fields of one object are reported together: "missing required fields 'id' and 'type'".
  const missingByPath = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'required') {
      const list = missingByPath.get(error.instancePath) ?? [];
      const field = String(error.params.missingProperty);
      if (!list.includes(field)) list.push(field);
      missingByPath.set(error.instancePath, list);
    }
  }

  for (const error of errors) {
    const built = error.keyword === 'required' ? buildMissing(file, kind, value, error.instancePath, missingByPath) : build(file, kind, value, error);
    if (!built) continue;
    const key = `${built.range.start.line}:${built.range.start.character}:${built.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic(file.path, built.range, 'error', CHECK_CODES.schema, built.message));
  }
  const legacy = declaredFormat(file.doc);
  if (kind !== 'manifest' && legacy?.key === 'version' && (legacy.value === '1' || legacy.value === '2')) {
    // Weaver still reads `version: '2'` but warns that it is deprecated.
    out.push(
      diagnostic(
        file.path,
        rangeForKey(file, [], 'version'),
        'warning',
        CHECK_CODES.deprecatedVersionField,
        `\`version: '${legacy.value}'\` is deprecated: replace it with \`file_format: definition/${legacy.value}\``,
      ),
    );
  }
  return out;
}

/**
 * ajv reports a failed `anyOf` right after the errors of each alternative it tried, all at or below
 * the same instance path; only the summary helps a reader, so those are dropped. (Schema paths cannot
 * tell them apart: an alternative behind a `$ref` has a path of its own.) `if` errors only say "must
 * match then": the `then` errors next to them say what is wrong.
 */
function reduceErrors(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<number>();
  errors.forEach((error, index) => {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') return;
    for (let i = index - 1; i >= 0; i--) {
      const previous = errors[i]!;
      const within = previous.instancePath === error.instancePath || previous.instancePath.startsWith(error.instancePath + '/');
      if (!within) break;
      dropped.add(i);
    }
  });
  return errors.filter((e, i) => e.keyword !== 'if' && !dropped.has(i));
}

interface Built {
  range: Range;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Subjects: which definition an instance path is about, named the way the file names it.

interface Subject {
  /** `group 'http.client'`, `attribute 'http.request.method'`, `the registry manifest`. */
  label: string;
  /** Path segments below the subject: `deprecated.reason`. */
  rest: Array<string | number>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function named(kindLabel: string, name: string | undefined, index: number): string {
  return name !== undefined ? `${kindLabel} '${name}'` : `${kindLabel} #${index + 1}`;
}

const V2_SECTION_LABELS: Record<string, { label: string; nameKey: string }> = {
  attributes: { label: 'attribute', nameKey: 'key' },
  attribute_groups: { label: 'attribute group', nameKey: 'id' },
  entities: { label: 'entity', nameKey: 'type' },
  events: { label: 'event', nameKey: 'name' },
  metrics: { label: 'metric', nameKey: 'name' },
  spans: { label: 'span', nameKey: 'type' },
  entity_refinements: { label: 'entity refinement', nameKey: 'id' },
  event_refinements: { label: 'event refinement', nameKey: 'id' },
  metric_refinements: { label: 'metric refinement', nameKey: 'id' },
  span_refinements: { label: 'span refinement', nameKey: 'id' },
};

const ATTRIBUTE_LISTS = new Set(['attributes', 'identity', 'description']);

function subjectOf(kind: SchemaKind, root: unknown, segments: ReadonlyArray<string | number>): Subject {
  let label = kind === 'manifest' ? 'the registry manifest' : 'this file';
  let restStart = 0;
  let value: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const container = value;
    value = Array.isArray(container) ? container[seg as number] : isRecord(container) ? container[seg as string] : undefined;
    const parentKey = segments[i - 1];
    if (seg === 'body' && kind === 'v1' && i === 2 && isRecord(value)) {
      label = `the body of ${label}`;
      restStart = i + 1;
      continue;
    }
    if (typeof seg !== 'number' || !isRecord(value)) continue;
    const item = value;
    let next: string | undefined;
    if (kind === 'manifest' && parentKey === 'dependencies') {
      next = named('dependency', str(item.schema_url) ?? str(item.name) ?? str(item.registry_path), seg);
    } else if (kind === 'v1' && i === 1 && parentKey === 'groups') {
      next = named('group', str(item.id), seg);
    } else if (kind === 'v2' && i === 1 && typeof parentKey === 'string' && V2_SECTION_LABELS[parentKey]) {
      const { label: l, nameKey } = V2_SECTION_LABELS[parentKey]!;
      next = named(l, str(item[nameKey]), seg);
    } else if (typeof parentKey === 'string' && ATTRIBUTE_LISTS.has(parentKey)) {
      const ref = str(item.ref);
      const refGroup = str(item.ref_group);
      const id = str(item.id) ?? str(item.key);
      next =
        refGroup !== undefined
          ? `group reference '${refGroup}' in ${label}`
          : ref !== undefined
            ? `attribute reference '${ref}' in ${label}`
            : `${named('attribute', id, seg)} in ${label}`;
    } else if (parentKey === 'members') {
      next = `${named('enum member', str(item.id), seg)} of ${label}`;
    } else if (parentKey === 'fields') {
      next = `${named('body field', str(item.id), seg)} of ${label}`;
    }
    if (next) {
      label = next;
      restStart = i + 1;
    }
  }
  return { label, rest: segments.slice(restStart) };
}

function fieldName(rest: ReadonlyArray<string | number>): string {
  return rest.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}

// ---------------------------------------------------------------------------------------------
// Ranges

function rangeForValue(file: ParsedFile, segments: ReadonlyArray<string | number>): Range {
  const located = locate(file.doc, segments);
  const { node, key, complete } = located;
  // An empty value (`brief:`) has a zero-width node: underline its key instead.
  const empty = !!node?.range && node.range[0] === node.range[1];
  if (complete && node && isScalar(node) && node.range && !empty) return nodeRange(file.lineCounter, node);
  if (key && key.range) return nodeRange(file.lineCounter, key);
  if (node && isCollection(node)) return headRange(file.lineCounter, node);
  if (node) return nodeRange(file.lineCounter, node);
  const start = positionAt(file.lineCounter, 0);
  return { start, end: start };
}

function rangeForObject(file: ParsedFile, segments: ReadonlyArray<string | number>): Range {
  const { node, key } = locate(file.doc, segments);
  if (node && isCollection(node)) return headRange(file.lineCounter, node);
  if (key && key.range) return nodeRange(file.lineCounter, key);
  if (node) return nodeRange(file.lineCounter, node);
  const start = positionAt(file.lineCounter, 0);
  return { start, end: start };
}

function rangeForKey(file: ParsedFile, segments: ReadonlyArray<string | number>, property: string): Range {
  const located = locate(file.doc, [...segments, property]);
  if (located.complete && located.key && located.key.range) return nodeRange(file.lineCounter, located.key);
  return rangeForObject(file, segments);
}

// ---------------------------------------------------------------------------------------------
// Messages

const MISSING_HINTS: Record<string, string> = {
  brief: 'add a one-line brief',
  id: 'add an id that is unique in the registry',
  key: 'add the attribute key, e.g. `key: my_domain.my_attribute`',
  stability: 'add `stability: development` (or stable, alpha, beta, release_candidate)',
  type: 'add the type (string, int, double, boolean, string[], ..., or a map with enum `members`)',
  name: 'add the name',
  kind: 'add `kind: client` (or server, producer, consumer, internal)',
  instrument: 'add `instrument: counter` (or updowncounter, gauge, histogram)',
  unit: 'add the unit, e.g. `unit: s` or `unit: "{request}"`',
  identity: 'list the attributes that identify the entity, e.g. `identity: [{ ref: service.name }]`',
  visibility: 'add `visibility: internal` (shared attribute list) or `visibility: public` (documented group)',
  requirement_level: 'add `requirement_level: recommended` (or required, opt_in, `conditionally_required: <condition>`)',
  ref: 'add `ref: <id>` naming what is referenced',
  reason: 'add `reason: renamed`, `obsoleted` or `uncategorized`',
  renamed_to: 'add `renamed_to: <new name>`',
  note: 'add a `note` that explains it',
  members: 'add the enum `members`',
  fields: 'add the map `fields`',
  file_format: 'add `file_format: definition/2` at the top of the file',
  schema_url: 'add `schema_url: https://example.com/schemas/1.0.0` naming the registry and its version',
  schema_base_url: 'add `schema_base_url` (or replace both with `schema_url`)',
  semconv_version: 'add `semconv_version` (or replace both with `schema_url`)',
  registry_path: 'add the `registry_path` of the dependency',
};

function quoteList(items: string[]): string {
  const quoted = items.map((i) => `'${i}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

function buildMissing(
  file: ParsedFile,
  kind: SchemaKind,
  root: unknown,
  instancePath: string,
  missingByPath: Map<string, string[]>,
): Built | undefined {
  const fields = missingByPath.get(instancePath);
  if (!fields) return undefined;
  missingByPath.delete(instancePath); // one diagnostic per object
  const segments = pointerSegments(instancePath);
  const subject = subjectOf(kind, root, segments);
  const where = subject.rest.length > 0 ? ` in '${fieldName(subject.rest)}'` : '';
  let hint: string;
  if (fields.length === 2 && fields.includes('id') && fields.includes('type')) {
    hint = 'write `ref: <attribute id>` to use an existing attribute, or `id` and `type` to define one';
  } else {
    hint = fields.map((f) => MISSING_HINTS[f] ?? `add \`${f}\``).join('; ');
  }
  const noun = fields.length === 1 ? 'field' : 'fields';
  return {
    range: rangeForObject(file, segments),
    message: `${subject.label} is missing required ${noun} ${quoteList(fields)}${where}: ${hint}`,
  };
}

/**
 * The innermost `x-expected` wording along an error's schema path. Paths run through `$ref`s (an
 * inlined definition keeps the path of the place it is used), so a step that is not found on a node
 * is looked up on the definition the node refers to.
 */
function expectedWording(kind: SchemaKind, schemaPath: string): string | undefined {
  const schema = SCHEMAS[kind];
  const parts = schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean);
  const deref = (node: unknown): unknown => {
    for (let i = 0; i < 16 && isRecord(node) && typeof node.$ref === 'string' && node.$ref.startsWith('#/'); i++) {
      let target: unknown = schema;
      for (const p of node.$ref.slice(2).split('/')) target = isRecord(target) ? target[p] : undefined;
      node = target;
    }
    return node;
  };
  let node: unknown = schema;
  let found: string | undefined;
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isRecord(node)) node = part in node ? node[part] : (deref(node) as Record<string, unknown> | undefined)?.[part];
    else break;
    if (isRecord(node) && typeof node['x-expected'] === 'string') found = node['x-expected'];
    const target = deref(node);
    if (target !== node && isRecord(target) && typeof target['x-expected'] === 'string') found = target['x-expected'];
  }
  return found;
}

/**
 * What the schema expects, in words: the `x-expected` of the schema object holding the failed keyword
 * (ajv's `parentSchema`), else — for composite keywords, whose own schema may sit inside a documented
 * definition — the innermost one along the schema path.
 */
function wording(kind: SchemaKind, error: ErrorObject, fromAncestors: boolean): string | undefined {
  const parent = error.parentSchema;
  if (isRecord(parent) && typeof parent['x-expected'] === 'string') return parent['x-expected'];
  return fromAncestors ? expectedWording(kind, error.schemaPath) : undefined;
}

/**
 * The value found, in words. A document that is a single text is not quoted: its content is the whole
 * file, which need not be a registry file at all (a manifest name given to any other file).
 */
function describeFound(data: unknown, wholeDocument = false): string {
  if (data === null || data === undefined) return 'nothing';
  if (Array.isArray(data)) return 'a list';
  if (typeof data === 'object') return 'a map';
  if (typeof data === 'string' && wholeDocument) return 'a text (the whole file is one text, not a map of fields)';
  if (typeof data === 'string') return `'${data.length > 60 ? data.slice(0, 57) + '...' : data}'`;
  return `${typeof data === 'number' ? 'the number' : 'the value'} ${String(data)}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  object: 'a map',
  array: 'a list',
  boolean: 'true or false',
  number: 'a number',
  integer: 'an integer',
  null: 'empty',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function build(file: ParsedFile, kind: SchemaKind, root: unknown, error: ErrorObject): Built | undefined {
  const segments = pointerSegments(error.instancePath);
  const subject = subjectOf(kind, root, segments);
  const field = fieldName(subject.rest);
  const onField = field ? `'${field}' of ${subject.label}` : subject.label;
  const data: unknown = error.data;

  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(error.params.additionalProperty);
      const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
      const known = Object.keys(parent?.properties ?? {});
      const owner = field ? `'${field}' of ${subject.label}` : subject.label;
      const suggestion = didYouMean(property, known);
      const allowed = !suggestion && known.length > 0 && known.length <= 4 ? ` (allowed here: ${known.join(', ')})` : '';
      let advice = `remove it${suggestion}${allowed}`;
      if (kind === 'v1' && segments.length === 0 && (V2_SECTIONS as readonly string[]).includes(property)) {
        advice = '`' + property + ':` is a v2 section: add `file_format: definition/2` at the top of the file (v1 files only have `groups:` and `imports:`)';
      }
      return { range: rangeForKey(file, segments, property), message: `${owner} has unknown field '${property}': ${advice}` };
    }
    case 'false schema': {
      const property = String(segments[segments.length - 1] ?? '');
      const parentSubject = subjectOf(kind, root, segments.slice(0, -1));
      const parentField = fieldName(parentSubject.rest);
      const owner = parentField ? `'${parentField}' of ${parentSubject.label}` : parentSubject.label;
      return {
        range: rangeForKey(file, segments.slice(0, -1), property),
        message: `${owner} has field '${property}' that does not apply here: remove it`,
      };
    }
    case 'enum': {
      const allowed = ((error.params.allowedValues as unknown[]) ?? []).filter((v) => v !== null).map(String);
      const suggestion = typeof data === 'string' ? didYouMean(data, allowed) : '';
      return {
        range: rangeForValue(file, segments),
        message: `${onField} must be one of ${allowed.join(', ')}; found ${describeFound(data, segments.length === 0)}${suggestion}`,
      };
    }
    case 'const': {
      const expected = wording(kind, error, false) ?? `'${String(error.params.allowedValue)}'`;
      return { range: rangeForValue(file, segments), message: `${onField} must be ${expected}; found ${describeFound(data, segments.length === 0)}` };
    }
    case 'type': {
      const expected = wording(kind, error, false) ?? typeWords(error.params.type);
      return { range: rangeForValue(file, segments), message: `${onField} must be ${expected}; found ${describeFound(data, segments.length === 0)}` };
    }
    case 'anyOf':
    case 'oneOf': {
      const expected = wording(kind, error, true) ?? 'a valid value';
      return { range: rangeForValue(file, segments), message: `${onField} must be ${expected}; found ${describeFound(data, segments.length === 0)}` };
    }
    case 'not': {
      const expected = wording(kind, error, true);
      const forbidden = (error.schema as { required?: unknown } | undefined)?.required;
      const property = Array.isArray(forbidden) && typeof forbidden[0] === 'string' ? forbidden[0] : undefined;
      return {
        range: property ? rangeForKey(file, segments, property) : rangeForObject(file, segments),
        message: `${onField} must have ${expected ?? 'a different shape'}`,
      };
    }
    case 'minProperties':
    case 'maxProperties': {
      const expected = wording(kind, error, true) ?? 'a map with the right number of fields';
      return { range: rangeForValue(file, segments), message: `${onField} must be ${expected}; found ${describeFound(data, segments.length === 0)}` };
    }
    default:
      return { range: rangeForValue(file, segments), message: `${onField} ${error.message ?? 'is invalid'}` };
  }
}
