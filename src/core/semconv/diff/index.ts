export { diffRegistriesV1, diffRegistriesV2, diffItems, countChanges } from './schemaChanges';
export type { SchemaChangesV1, SchemaChangesV2, SchemaItemChange } from './schemaChanges';
export { diffMarkdown } from './markdown';
