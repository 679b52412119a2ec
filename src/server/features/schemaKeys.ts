import { SCHEMAS, type SchemaKind } from '../../core/semconv/schemaValidator';

/**
 * What the registry JSON Schemas allow at a path of keys: the keys of the mapping there and the
 * enumerated values of a scalar there. Walking the schemas (rather than listing keys by hand) keeps
 * completion in step with the checks that validate the same files.
 */

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deref(root: Schema, node: Schema): Schema | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = isSchema(target) ? target[part] : undefined;
  return isSchema(target) ? target : undefined;
}

/** Every alternative a schema node may take: `$ref`, `if/then/else`, `anyOf`/`oneOf`/`allOf` opened up. */
function expand(root: Schema, node: unknown, out: Schema[] = [], seen = new Set<Schema>()): Schema[] {
  if (!isSchema(node) || seen.has(node)) return out;
  seen.add(node);
  out.push(node);
  const target = deref(root, node);
  if (target) expand(root, target, out, seen);
  for (const key of ['then', 'else']) expand(root, node[key], out, seen);
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = node[key];
    if (Array.isArray(list)) for (const alt of list) expand(root, alt, out, seen);
  }
  return out;
}

/** The schema nodes at a key path; sequences are stepped through transparently (`attributes` -> its items). */
function nodesAt(kind: SchemaKind, path: readonly string[]): Schema[] {
  const root = SCHEMAS[kind] as Schema;
  let nodes = expand(root, root);
  for (const key of path) {
    const next: Schema[] = [];
    const visit = (n: Schema): void => {
      const properties = n.properties;
      if (isSchema(properties) && key in properties) expand(root, properties[key], next);
    };
    for (const n of nodes) {
      visit(n);
      for (const item of expand(root, n.items)) visit(item);
    }
    nodes = next;
    if (nodes.length === 0) break;
  }
  return nodes;
}

/** Keys a mapping at `path` may hold, in schema order. */
export function keysAt(kind: SchemaKind, path: readonly string[]): string[] {
  const root = SCHEMAS[kind] as Schema;
  const keys = new Set<string>();
  for (const n of nodesAt(kind, path)) {
    for (const candidate of [n, ...expand(root, n.items)]) {
      if (isSchema(candidate.properties)) for (const key of Object.keys(candidate.properties)) keys.add(key);
    }
  }
  return [...keys];
}

/** Enumerated values of a scalar at `path` (`stability` -> stable, development...). */
export function valuesAt(kind: SchemaKind, path: readonly string[]): string[] {
  const root = SCHEMAS[kind] as Schema;
  const values = new Set<string>();
  for (const n of nodesAt(kind, path)) {
    for (const candidate of [n, ...expand(root, n.items)]) {
      if (Array.isArray(candidate.enum)) for (const v of candidate.enum) if (typeof v === 'string') values.add(v);
      if (typeof candidate.const === 'string') values.add(candidate.const);
    }
  }
  return [...values];
}
