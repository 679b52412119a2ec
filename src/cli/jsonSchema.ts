import type { CliIo } from './io';
import { emit, runReport, type RunOptions } from './reportCommand';

export interface JsonSchemaOptions extends Omit<RunOptions, 'engine'> {
  jsonSchema: string;
  /** `-o FILE`, as weaver's: the schema goes to this file instead of stdout. */
  output?: string;
}

/** `weavergen registry json-schema`: runs registry_json_schema and prints (or writes) the schema. */
export async function jsonSchemaCommand(io: CliIo, options: JsonSchemaOptions): Promise<number> {
  // No registry is read: the native engine is enough whatever --engine says.
  const report = await runReport(io, 'registry_json_schema', { jsonSchema: options.jsonSchema }, { ...options, engine: 'native' });
  if (typeof report === 'number') return report;
  return emit(io, report.content, options.output);
}
