/**
 * The native registry engine's public surface: loading a registry folder with source positions,
 * checking it, and the incremental workspace the language server drives.
 */
export { loadRegistry, diskTextSource } from './loadRegistry';
export type { LoadedRegistry, LoadedDependency, LoadRegistryOptions, RegistryTextSource, DependencyUnavailableReason } from './loadRegistry';
export { checkRegistry, summarize } from './checkRegistry';
export type { RegistryCheckResult } from './checkRegistry';
export { RegistryWorkspace } from './workspace';
export type { WorkspaceCheckResult } from './workspace';
export { findRegistryRoot, isRegistryFolder, registryManifestIn } from './registryRoot';
export { listRegistryFiles, MANIFEST_FILE_NAMES } from './registryFiles';
export type { RegistryFileListing } from './registryFiles';
export { ParseCache } from './parseCache';
export type { ParsedFile, RegistryFileKind } from './parsedFile';
export { fileModel } from './model';
export type { FileModel, GroupDefinition, AttributeDefinition, AttributeReference, GroupReference, SignalKind } from './model';
export { CHECK_CODES } from './diagnostics';
export type { CheckCode } from './diagnostics';
export { closestMatch } from './closestMatch';
export {
  resolveRegistry,
  DEFAULT_SCHEMA_URL,
  errorsToWeaverJson,
  toWeaverJson,
  toResolvedV2,
  lineageJson,
  resolvedToDocument,
  loadPublishedDependencies,
} from './resolve/index';
export type {
  ResolveOptions,
  ResolveResult,
  ResolveError,
  ResolveErrorKind,
  WeaverResolvedJson,
  ResolvedDocumentFormat,
  PublishedRegistry,
  PublishedAttributeRoots,
} from './resolve/index';
export type {
  ResolvedRegistry,
  ResolvedGroup,
  ResolvedAttribute,
  ResolvedAttributeFields,
  GroupLineage,
  AttributeLineage,
  AttributeFieldName,
  Provenance,
  SourceLocation,
  JsonValue,
  JsonObject,
  SignalView,
  RegistryOrigin,
} from './resolved/types';
