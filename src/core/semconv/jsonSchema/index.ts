export { jsonSchemaFor, isWeaverSchemaKind, SchemaKindError, WEAVER_SCHEMA_KINDS, AVAILABLE_SCHEMA_KINDS } from './schemaExport';
export type { WeaverSchemaKind } from './schemaExport';
