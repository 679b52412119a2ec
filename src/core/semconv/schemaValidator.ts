import type { ErrorObject, ValidateFunction } from 'ajv';
import { manifest, v1, v2 } from './schema/validators.generated.js';
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

/**
 * The validators are compiled ahead of time (scripts/generate-validators.mjs, ajv standalone code with
 * `allErrors` and `verbose`): compiling the three schemas at run time cost ~200 ms on every cold
 * start, a third of the first check of the whole semantic-conventions registry. A unit test keeps the
 * generated code in step with the schemas.
 */
const VALIDATORS: Readonly<Record<SchemaKind, ValidateFunction>> = { v1, v2, manifest };

export function validateAgainstSchema(kind: SchemaKind, value: unknown): ErrorObject[] {
  const validate = VALIDATORS[kind];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
