/** The weaver CLI adapter: find the binary, build argv, run it, read its diagnostics. */
export * from './argv';
export * from './diagnostics';
export type { WeaverAnchor, WeaverAnchorKind } from './anchors';
export type { JsonObject, JsonValue } from './json';
export { stripAnsi } from './ansi';
export { locateWeaver, readVersion } from './locate';
export type { LocateOptions, LocateResult, ReadVersionResult, WeaverBinary, WeaverBinarySource } from './locate';
export { runWeaver, commandName, diagnosticStreamOf, DEFAULT_FORCE_KILL_AFTER_MS, DEFAULT_MAX_BUFFER_BYTES, DEFAULT_TIMEOUT_MS } from './run';
export type { DiagnosticStream, WeaverRunKind, WeaverRunOptions, WeaverRunResult } from './run';
export { findingDocUrl, policyPackageOf } from './findingLinks';
export { compareVersions, olderThanTargetNote, parseWeaverVersion, TARGET_WEAVER_VERSION } from './version';
export type { WeaverVersion } from './version';
