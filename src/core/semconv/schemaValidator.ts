import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import v1Schema from './schema/semconv.v1.schema.json';
import v2Schema from './schema/semconv.v2.schema.json';
import manifestSchema from './schema/registry-manifest.schema.json';

export type SchemaKind = 'v1' | 'v2' | 'manifest';

/** The JSON Schema document of each file kind, for walking `schemaPath`s back to their hints. */
export const SCHEMAS: Readonly<Record<SchemaKind, Record<string, unknown>>> = {
  v1: v1Schema as Record<string, unknown>,
  v2: v2Schema as Record<string, unknown>,
  manifest: manifestSchema as Record<string, unknown>,
};

let ajv: Ajv2020 | undefined;
const compiled = new Map<SchemaKind, ValidateFunction>();

/**
 * Compiles each schema on first use and keeps it for the process (about 100 ms per file kind, paid by
 * the first check only). `allErrors` reports every problem of a file at once; `verbose` keeps each
 * error's schema and data, which the message builder needs to say what was expected and found.
 */
function validator(kind: SchemaKind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false });
      // Human wording of what a composite schema accepts; read back when its error is reported.
      ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
    }
    validate = ajv.compile(SCHEMAS[kind]);
    compiled.set(kind, validate);
  }
  return validate;
}

export function validateAgainstSchema(kind: SchemaKind, value: unknown): ErrorObject[] {
  const validate = validator(kind);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
