import type { SourceLocation } from './input';

/**
 * A policy finding exactly as weaver serializes it in `registry check --diagnostic-format json`
 * (`error.violation` of a `policy_violation` entry): same keys, same values, so a native run and a
 * recorded weaver run compare as sets of plain JSON values.
 */
export type PolicyLevel = 'violation' | 'improvement' | 'information';

export type FindingContextValue = string | number | boolean | null | FindingContextValue[] | { [key: string]: FindingContextValue };

export interface WeaverPolicyFinding {
  context: Record<string, FindingContextValue>;
  id: string;
  level: PolicyLevel;
  message: string;
  signal_name: string | null;
  signal_type: string | null;
  type: 'PolicyFinding';
}

/** The policy packages the native engine carries (weaver-packages `policies/check/<name>`). */
export type PolicyPackage = 'naming_conventions' | 'stability' | 'backwards-compatibility' | 'entity_associations';

export const POLICY_PACKAGES: readonly PolicyPackage[] = ['naming_conventions', 'stability', 'backwards-compatibility', 'entity_associations'];

/** A finding with the YAML node it is about. */
export interface LocatedPolicyFinding {
  finding: WeaverPolicyFinding;
  package: PolicyPackage;
  /** The offending node; for something removed since the baseline, its definition in the baseline. */
  location: SourceLocation;
  /** True when `location` is in the baseline registry (the thing no longer exists in the current one). */
  inBaseline?: boolean;
}

/** Collects findings of one package; identical findings collapse into one, as a Rego `deny` set does. */
export class FindingSink {
  private readonly seen = new Set<string>();
  readonly findings: LocatedPolicyFinding[] = [];

  constructor(readonly pkg: PolicyPackage) {}

  add(
    location: SourceLocation,
    fields: {
      id: string;
      message: string;
      level?: PolicyLevel;
      context?: Record<string, FindingContextValue>;
      signal?: { type: string; name: string };
      inBaseline?: boolean;
    },
  ): void {
    const finding: WeaverPolicyFinding = {
      context: fields.context ?? {},
      id: fields.id,
      level: fields.level ?? 'violation',
      message: fields.message,
      signal_name: fields.signal?.name ?? null,
      signal_type: fields.signal?.type ?? null,
      type: 'PolicyFinding',
    };
    const key = findingKey(finding);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({ finding, package: this.pkg, location, ...(fields.inBaseline ? { inBaseline: true } : {}) });
  }
}

/** A canonical JSON text of any JSON value (object keys sorted), for set comparison. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function findingKey(finding: WeaverPolicyFinding): string {
  return canonicalJson(finding);
}

/** Rego sets are serialized sorted; a context value built from a set is a sorted, de-duplicated array. */
export function regoSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** How Rego's `sprintf("%s", set)` prints a set of strings: `{"b", "c"}`. */
export function regoSetText(values: readonly string[]): string {
  return `{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** How Rego's `sprintf("%s", x)` prints a scalar (strings bare, numbers and booleans as JSON). */
export function regoText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The whole entry weaver writes for a finding (`{diagnostic: {message}, error: {...}}`), for callers
 * that store or compare complete diagnostic outputs.
 */
export interface WeaverPolicyDiagnosticEntry {
  diagnostic: { message: string };
  error: { provenance: 'current'; type: 'policy_violation'; violation: WeaverPolicyFinding };
}

export function toDiagnosticEntry(finding: WeaverPolicyFinding): WeaverPolicyDiagnosticEntry {
  const level = finding.level.charAt(0).toUpperCase() + finding.level.slice(1);
  const opt = (v: string | null): string => (v === null ? 'None' : `Some(${JSON.stringify(v)})`);
  // Weaver's Display of the error, with the context as compact JSON in key order.
  const message =
    `Policy violation: id=${finding.id}, context=${canonicalJson(finding.context)}, message=${finding.message}, ` +
    `level=${level}, signal_type=${opt(finding.signal_type)}, signal_name=${opt(finding.signal_name)}, provenance: current`;
  return { diagnostic: { message }, error: { provenance: 'current', type: 'policy_violation', violation: finding } };
}
