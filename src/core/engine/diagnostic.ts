/**
 * The one result type both engines produce and every consumer (Problems panel, language server,
 * CLI text/JSON output) reads. Positions are 0-based, LSP style, so they pass to the editor unchanged.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 column. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Which engine produced a finding: the in-process native engine or the weaver binary. */
export type DiagnosticSource = 'weavergen' | 'weaver';

export interface RegistryDiagnostic {
  /** Absolute path of the YAML file the finding is placed on. */
  file: string;
  range: Range;
  severity: Severity;
  /** Stable identifier of the check, e.g. `yaml-syntax`, `schema`, `duplicate-group-id`, `unresolved-ref`. */
  code: string;
  /** What is wrong and what to do about it. */
  message: string;
  source: DiagnosticSource;
  /** A page that explains the check (weaver gives one for some findings). */
  url?: string;
  /** How the editor decorates the range: `deprecated` strikes it through, `unnecessary` fades it. */
  tags?: DiagnosticTagName[];
  /**
   * Other places the finding involves (the first definition of a duplicated id, the rest of a cycle):
   * the editor lists them under the finding as links.
   */
  related?: RelatedLocation[];
}

export interface RelatedLocation {
  /** Absolute path of the file. */
  file: string;
  range: Range;
  /** What this place is, e.g. "first defined here". */
  message: string;
}

export type DiagnosticTagName = 'deprecated' | 'unnecessary';

export function isRegistryDiagnostic(value: unknown): value is RegistryDiagnostic {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const r = v.range as Record<string, Record<string, unknown>> | undefined;
  return (
    typeof v.file === 'string' &&
    typeof v.code === 'string' &&
    typeof v.message === 'string' &&
    (v.severity === 'error' || v.severity === 'warning' || v.severity === 'information' || v.severity === 'hint') &&
    (v.source === 'weavergen' || v.source === 'weaver') &&
    typeof r?.start?.line === 'number' &&
    typeof r?.start?.character === 'number' &&
    typeof r?.end?.line === 'number' &&
    typeof r?.end?.character === 'number'
  );
}

/** Orders diagnostics by file, then position, so every output is deterministic. */
export function compareDiagnostics(a: RegistryDiagnostic, b: RegistryDiagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.range.start.line !== b.range.start.line) return a.range.start.line - b.range.start.line;
  if (a.range.start.character !== b.range.start.character) return a.range.start.character - b.range.start.character;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
