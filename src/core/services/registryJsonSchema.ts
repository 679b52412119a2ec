import { jsonSchemaFor, SchemaKindError } from '../semconv/jsonSchema/schemaExport';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { REPORT } from './reportState';
import { ERR_INPUT_INVALID, ERR_SCHEMA_NOT_BUNDLED } from './reportErrors';
import { ServiceError } from './serviceError';

/** `registry.jsonSchema`: see catalog.ts. */
export async function registryJsonSchema(ctx: ServiceContext): Promise<ServiceResult> {
  const kind = ctx.inputs.jsonSchema ?? 'semconv-definition-v2';
  if (typeof kind !== 'string') throw new ServiceError(`registry.jsonSchema: the input "jsonSchema" must be a string, got ${JSON.stringify(kind)}`, ERR_INPUT_INVALID);
  let schema: Record<string, unknown>;
  try {
    schema = jsonSchemaFor(kind);
  } catch (err) {
    if (err instanceof SchemaKindError) throw new ServiceError(`registry.jsonSchema: ${err.message}`, ERR_SCHEMA_NOT_BUNDLED);
    throw err;
  }
  const content = `${JSON.stringify(schema, null, 2)}\n`;
  ctx.state.set(REPORT, { title: `JSON schema ${kind}`, format: 'json', content, data: schema });
  return { outputs: { jsonSchema: kind, bytes: Buffer.byteLength(content) } };
}
