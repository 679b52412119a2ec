import { AnchorSet, collectErrorAnchors, collectLabels, collectPrintedPositions, type WeaverAnchor } from './anchors';
import { extractJson, isJsonObject, stringField, type JsonObject, type JsonValue } from './json';

/**
 * Weaver's JSON diagnostics (`--diagnostic-format json`) read into typed findings. Weaver writes one
 * JSON array of `{error, diagnostic: {message, ansi_message, code?, severity?, help?, url?, labels?}}`:
 * `error` is the serialized Rust error (externally tagged, `{"DuplicateGroupId": {...}}`, or internally
 * tagged, `{"type": "policy_violation", ...}`), `diagnostic` is miette's rendering of it.
 */

/** miette's severities; a diagnostic without one is an error (that is also what makes weaver exit 1). */
export type WeaverSeverity = 'error' | 'warning' | 'advice';

/** Rego policy levels (weaver_checker `FindingLevel`). */
export type PolicyLevel = 'violation' | 'improvement' | 'information';

export interface WeaverPolicyViolation {
  /** The rule id, e.g. `naming_convention_attribute_constant_collision`. */
  id: string;
  level: PolicyLevel;
  /** The rule's own message, without weaver's `Policy violation: id=...` wrapping. */
  message: string;
  signalType?: string;
  signalName?: string;
  context: JsonValue;
  /** Which registry the finding is about (`current` or `baseline`), when weaver says so. */
  registry?: string;
}

/** The `diagnostic` half of an entry, as weaver wrote it. `ansi_message` is kept for anchors, never shown. */
export interface WeaverDiagnosticJson {
  message?: string;
  ansi_message?: string;
  code?: string;
  severity?: string;
  help?: string;
  url?: string;
  labels?: JsonValue;
}

export interface WeaverFinding {
  /**
   * The error's name: the Rust variant (`DuplicateGroupId`, `InvalidSemConvSpec`), the tag of an
   * internally tagged error (`policy_violation`), or `unknown` when the shape is not recognised.
   */
  kind: string;
  severity: WeaverSeverity;
  /** Plain text to show (never the ANSI rendering). */
  message: string;
  code?: string;
  url?: string;
  help?: string;
  policy?: WeaverPolicyViolation;
  /** Where the finding can be placed, most precise first. */
  anchors: WeaverAnchor[];
  /** Kinds of the compound errors this one was nested in, outermost first (empty at top level). */
  nestedIn: string[];
  /** The raw `error` value (or the whole entry when it had no `error`). */
  error: JsonValue;
  diagnostic?: WeaverDiagnosticJson;
  /** The entry's JSON text, kept for `unknown` findings so nothing weaver said is lost. */
  raw?: string;
}

export type WeaverParseResult = { ok: true; findings: WeaverFinding[] } | { ok: false; reason: string; raw: string };

/**
 * Parses a stream that should hold weaver's JSON diagnostics. Empty text is zero findings (weaver
 * prints nothing when all is well); text holding no JSON is an error with the raw text kept.
 */
export function parseWeaverDiagnostics(text: string): WeaverParseResult {
  if (text.trim() === '') return { ok: true, findings: [] };
  const json = extractJson(text);
  if (json === undefined) {
    return { ok: false, reason: 'the output holds no JSON document (was --diagnostic-format json passed?)', raw: text };
  }
  return { ok: true, findings: findingsFromJson(json) };
}

/**
 * Findings from an already parsed value: the diagnostics array, a single entry, or a bare error
 * object (the `expected-errors.json` form of weaver's resolver tests).
 */
export function findingsFromJson(value: JsonValue): WeaverFinding[] {
  if (Array.isArray(value)) return value.flatMap((entry) => findingsFromEntry(entry));
  if (isJsonObject(value) && ('diagnostic' in value || isDiagnosticEntry(value))) return findingsFromEntry(value);
  if (isJsonObject(value) || typeof value === 'string') return findingsFromError(value, undefined, []);
  return [unknownFinding(value)];
}

function isDiagnosticEntry(value: JsonObject): boolean {
  return 'error' in value && Object.keys(value).every((k) => k === 'error' || k === 'diagnostic');
}

function findingsFromEntry(entry: JsonValue): WeaverFinding[] {
  if (!isJsonObject(entry)) return [unknownFinding(entry)];
  const diagnostic = isJsonObject(entry.diagnostic) ? readDiagnostic(entry.diagnostic) : undefined;
  if ('error' in entry) return findingsFromError(entry.error ?? null, diagnostic, []);
  // The policy-finding form shown in weaver's docs: bare `{id, context, message, level, ...}` items.
  const bare = readPolicyFinding(entry, undefined);
  if (bare) return [policyFinding(entry, bare, diagnostic)];
  if (diagnostic?.message) return [withRaw(genericFinding('unknown', entry, diagnostic, []), entry)];
  return [unknownFinding(entry)];
}

function readDiagnostic(d: JsonObject): WeaverDiagnosticJson {
  const out: WeaverDiagnosticJson = {};
  for (const key of ['message', 'ansi_message', 'code', 'severity', 'help', 'url'] as const) {
    const v = stringField(d, key);
    if (v !== undefined) out[key] = v;
  }
  if (d.labels !== undefined && d.labels !== null) out.labels = d.labels;
  return out;
}

/** The error's name from its serde shape. */
export function errorKind(error: JsonValue): string {
  if (typeof error === 'string') return /^[A-Za-z_]\w*$/.test(error) ? error : 'unknown';
  if (!isJsonObject(error)) return 'unknown';
  if (typeof error.type === 'string' && error.type !== '') return error.type;
  const keys = Object.keys(error);
  if (keys.length === 1 && /^[A-Z]\w*$/.test(keys[0]!)) return keys[0]!;
  return 'unknown';
}

function findingsFromError(error: JsonValue, diagnostic: WeaverDiagnosticJson | undefined, nestedIn: string[]): WeaverFinding[] {
  const kind = errorKind(error);
  if (kind === 'CompoundError' && isJsonObject(error) && Array.isArray(error.CompoundError) && error.CompoundError.length > 0) {
    // Each nested error is its own finding. The compound's rendered message covers all of them, so
    // only its severity carries over; the children's messages are built from their own fields.
    const inherited: WeaverDiagnosticJson | undefined = diagnostic?.severity ? { severity: diagnostic.severity } : undefined;
    return error.CompoundError.flatMap((child) => findingsFromError(child, inherited, [...nestedIn, kind]));
  }
  if (isJsonObject(error)) {
    const policy = readPolicyFinding(error.violation ?? null, error);
    if (policy && (kind === 'policy_violation' || isJsonObject(error.violation))) {
      return [{ ...policyFinding(error, policy, diagnostic), kind, nestedIn }];
    }
  }
  const finding = genericFinding(kind, error, diagnostic, nestedIn);
  return [kind === 'unknown' ? withRaw(finding, error) : finding];
}

function genericFinding(kind: string, error: JsonValue, diagnostic: WeaverDiagnosticJson | undefined, nestedIn: string[]): WeaverFinding {
  const anchors = new AnchorSet();
  collectErrorAnchors(error, '', anchors);
  addDiagnosticAnchors(diagnostic, anchors);
  return {
    kind,
    severity: mapSeverity(diagnostic?.severity) ?? 'error',
    message: diagnostic?.message?.trim() || describeError(kind, error),
    ...optionalText(diagnostic),
    anchors: anchors.list(),
    nestedIn,
    error,
    ...(diagnostic ? { diagnostic } : {}),
  };
}

function policyFinding(error: JsonObject, policy: WeaverPolicyViolation, diagnostic: WeaverDiagnosticJson | undefined): WeaverFinding {
  const anchors = new AnchorSet();
  // The signal a rule reports on is its subject: it goes first, before anything in the context.
  if (policy.signalType && policy.signalName) {
    anchors.add({ kind: 'signal', signalType: policy.signalType, name: policy.signalName, from: 'violation.signal_name' });
  }
  collectErrorAnchors(policy.context, 'violation.context', anchors);
  // A provenance other than the registry label (`current`/`baseline`) names a file.
  const provenance = error.provenance;
  if (provenance !== undefined && provenance !== null && typeof provenance !== 'string') collectErrorAnchors({ provenance }, '', anchors);
  else if (typeof provenance === 'string' && policy.registry === undefined) collectErrorAnchors({ provenance }, '', anchors);
  addDiagnosticAnchors(diagnostic, anchors);
  return {
    kind: typeof error.type === 'string' ? error.type : 'policy_violation',
    severity: mapSeverity(diagnostic?.severity) ?? levelSeverity(policy.level),
    message: policy.message || diagnostic?.message || `policy ${policy.id}`,
    ...optionalText(diagnostic),
    policy,
    anchors: anchors.list(),
    nestedIn: [],
    error,
    ...(diagnostic ? { diagnostic } : {}),
  };
}

/** A Rego finding: `violation` of a `policy_violation` error, or a bare finding from the docs' example. */
function readPolicyFinding(violation: JsonValue, container: JsonObject | undefined): WeaverPolicyViolation | undefined {
  if (!isJsonObject(violation)) return undefined;
  const id = stringField(violation, 'id');
  const level = normaliseLevel(stringField(violation, 'level'));
  if (!id || !level) return undefined;
  const provenance = container ? container.provenance : undefined;
  const registry = typeof provenance === 'string' && (provenance === 'current' || provenance === 'baseline') ? provenance : undefined;
  const signalType = stringField(violation, 'signal_type');
  const signalName = stringField(violation, 'signal_name');
  return {
    id,
    level,
    message: stringField(violation, 'message') ?? '',
    ...(signalType ? { signalType } : {}),
    ...(signalName ? { signalName } : {}),
    context: violation.context ?? null,
    ...(registry ? { registry } : {}),
  };
}

function normaliseLevel(level: string | undefined): PolicyLevel | undefined {
  const l = level?.toLowerCase();
  return l === 'violation' || l === 'improvement' || l === 'information' ? l : undefined;
}

/** Weaver maps policy levels to miette severities this way (violation fails the check). */
function levelSeverity(level: PolicyLevel): WeaverSeverity {
  return level === 'violation' ? 'error' : level === 'improvement' ? 'warning' : 'advice';
}

function mapSeverity(severity: string | undefined): WeaverSeverity | undefined {
  switch (severity?.toLowerCase()) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'advice':
      return 'advice';
    default:
      return undefined;
  }
}

function optionalText(d: WeaverDiagnosticJson | undefined): Pick<WeaverFinding, 'code' | 'url' | 'help'> {
  const out: Pick<WeaverFinding, 'code' | 'url' | 'help'> = {};
  if (d?.code) out.code = d.code;
  if (d?.url) out.url = d.url;
  if (d?.help) out.help = d.help;
  return out;
}

function addDiagnosticAnchors(diagnostic: WeaverDiagnosticJson | undefined, anchors: AnchorSet): void {
  if (!diagnostic) return;
  const printed = new AnchorSet();
  if (diagnostic.ansi_message) collectPrintedPositions(diagnostic.ansi_message, printed);
  for (const p of printed.list()) anchors.add(p);
  // Labels are byte ranges of the one source the report shows: name it when that is unambiguous,
  // from the printed report first, else from the files the error itself names.
  const filesOf = (list: readonly WeaverAnchor[]) => new Set(list.flatMap((a) => (a.kind === 'position' || a.kind === 'file' ? [a.path] : [])));
  const printedFiles = filesOf(printed.list());
  const files = printedFiles.size > 0 ? printedFiles : filesOf(anchors.list());
  collectLabels(diagnostic.labels, anchors, files.size === 1 ? [...files][0] : undefined);
}

function unknownFinding(value: JsonValue): WeaverFinding {
  const raw = JSON.stringify(value);
  return {
    kind: 'unknown',
    severity: 'error',
    message: `weaver reported something WeaverGen does not recognise: ${truncate(raw, 300)}`,
    anchors: [],
    nestedIn: [],
    error: value,
    raw,
  };
}

function withRaw(finding: WeaverFinding, value: JsonValue): WeaverFinding {
  return { ...finding, raw: JSON.stringify(value) };
}

/**
 * A message for an error that came without weaver's rendering (a nested error, or a bare error
 * object): its name in words, then its named values, e.g.
 * `Duplicate group id: group_id metric.x; provenances a.yaml, b.yaml`.
 */
export function describeError(kind: string, error: JsonValue): string {
  const title = kind === 'unknown' ? 'Unrecognised weaver error' : humanize(kind);
  const body = isJsonObject(error) && errorKind(error) === kind && kind in error ? error[kind] : error;
  const parts: string[] = [];
  if (isJsonObject(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'type') continue;
      const text = leafText(value);
      if (text) parts.push(`${key} ${text}`);
    }
  } else {
    const text = leafText(body ?? null);
    if (text && text !== kind) parts.push(text);
  }
  return parts.length > 0 ? `${title}: ${parts.join('; ')}` : title;
}

function leafText(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(leafText).filter(Boolean).join(', ');
  if (isJsonObject(value)) {
    const path = stringField(value, 'path') ?? stringField(value, 'path_or_url');
    return path ?? truncate(JSON.stringify(value), 200);
  }
  return '';
}

function humanize(kind: string): string {
  const words = kind
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Stable check codes shared with the native engine where both report the same problem, so the editor can merge them. */
const SHARED_CODES: Record<string, string> = {
  DuplicateGroupId: 'duplicate-group-id',
  DuplicateAttributeId: 'duplicate-attribute-id',
  UnresolvedAttributeRef: 'unresolved-ref',
  AttributeNotFound: 'unresolved-ref',
  UnresolvedExtendsRef: 'unresolved-group-ref',
  UnresolvedIncludeRef: 'unresolved-group-ref',
};

/**
 * The `code` a finding gets as a RegistryDiagnostic: the policy rule id, a code shared with the
 * native engine, or the error name in kebab case (`InvalidSemConvSpec` -> `invalid-sem-conv-spec`).
 */
export function findingCheckCode(finding: WeaverFinding): string {
  if (finding.policy) return finding.policy.id;
  const shared = SHARED_CODES[finding.kind];
  if (shared) return shared;
  if (finding.kind === 'unknown') return 'weaver-unknown';
  return finding.kind
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}
