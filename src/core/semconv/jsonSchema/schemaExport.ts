import manifestSchema from '../schema/registry-manifest.schema.json';
import v1Schema from '../schema/semconv.v1.schema.json';
import v2Schema from '../schema/semconv.v2.schema.json';
import { JSON_SCHEMA_KINDS } from '../../weaver/argv';

/**
 * `weaver registry json-schema -j KIND`: the JSON Schemas the project holds, under weaver's names.
 * The project carries the schemas of what it reads (definition files and manifests); the schemas of
 * weaver's outputs (resolved and materialized registries, diffs, policy findings, `.weaver.toml`)
 * belong to weaver and are not bundled, so asking for one fails with a message saying so.
 */

/** weaver's `-j` names: one list, kept with the argv builder that passes them to weaver. */
export const WEAVER_SCHEMA_KINDS = JSON_SCHEMA_KINDS;

export type WeaverSchemaKind = (typeof WEAVER_SCHEMA_KINDS)[number];

type Schema = Record<string, unknown>;

function withDefs(source: Schema, root: string, title: string): Schema {
  return {
    $schema: source.$schema,
    title,
    $ref: `#/$defs/${root}`,
    $defs: source.$defs,
  };
}

/** The kinds this project can write, and how each is built from its own schema files. */
const AVAILABLE: Partial<Record<WeaverSchemaKind, () => Schema>> = {
  'semconv-group': () => withDefs(v1Schema as Schema, 'Group', 'Semantic convention group (v1)'),
  'semconv-definition-v2': () => v2Schema as Schema,
  'definition-manifest-v2': () => withDefs(manifestSchema as Schema, 'DefinitionManifest', 'Definition manifest (v2)'),
  'publication-manifest-v2': () => withDefs(manifestSchema as Schema, 'PublicationManifest', 'Publication manifest (v2)'),
};

export const AVAILABLE_SCHEMA_KINDS: readonly WeaverSchemaKind[] = WEAVER_SCHEMA_KINDS.filter((k) => AVAILABLE[k] !== undefined);

export class SchemaKindError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaKindError';
  }
}

export function isWeaverSchemaKind(kind: string): kind is WeaverSchemaKind {
  return (WEAVER_SCHEMA_KINDS as readonly string[]).includes(kind);
}

/** The schema for `kind`, or a SchemaKindError naming the kinds that are available. */
export function jsonSchemaFor(kind: string): Schema {
  const available = AVAILABLE_SCHEMA_KINDS.join(', ');
  if (!isWeaverSchemaKind(kind)) {
    throw new SchemaKindError(`unknown JSON schema '${kind}': weaver names ${WEAVER_SCHEMA_KINDS.join(', ')}; this engine writes ${available}`);
  }
  const build = AVAILABLE[kind];
  if (!build) {
    throw new SchemaKindError(
      `the JSON schema '${kind}' describes a weaver output and is not bundled with the native engine: ` +
        `ask for one of ${available}, or run \`weaver registry json-schema -j ${kind}\` with the weaver binary`,
    );
  }
  return build();
}
