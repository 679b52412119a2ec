/** Native resolution of a loaded registry, as `weaver registry resolve` does it. */
export { resolveRegistry, DEFAULT_SCHEMA_URL } from './resolveRegistry';
export type { ResolveOptions, ResolveResult } from './resolveRegistry';
export { errorsToWeaverJson } from './errors';
export type { ResolveError, ResolveErrorKind } from './errors';
export { toWeaverJson, lineageJson } from './weaverJson';
export type { WeaverResolvedJson } from './weaverJson';
export { resolvedToDocument } from './document';
export type { ResolvedDocumentFormat } from './document';
export { loadPublishedDependencies, schemaUrlName } from './published';
export type { PublishedRegistry } from './published';
export { toResolvedV2 } from './resolvedV2';
export type { PublishedAttributeRoots } from './published';
