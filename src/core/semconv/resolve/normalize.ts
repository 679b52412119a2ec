import type { JsonObject, JsonValue } from '../resolved/types';

/**
 * The value normalisations weaver applies while parsing, so resolved output compares field for field:
 * `experimental` is read as `development`, a plain-string `deprecated` is the `uncategorized` form,
 * and absent/empty optional values are not written at all.
 */

export function normalizeStability(value: JsonValue | undefined): JsonValue | undefined {
  if (value === 'experimental') return 'development';
  return value ?? undefined;
}

export function normalizeDeprecated(value: JsonValue | undefined): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return { reason: 'uncategorized', note: value };
  if (typeof value === 'object' && !Array.isArray(value)) return dropEmpty(value);
  return value;
}

function normalizeMember(member: JsonValue): JsonValue {
  if (!member || typeof member !== 'object' || Array.isArray(member)) return member;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(member)) {
    if (v === null || v === undefined) continue;
    if (k === 'stability') out[k] = normalizeStability(v) as JsonValue;
    else if (k === 'deprecated') out[k] = normalizeDeprecated(v) as JsonValue;
    else out[k] = v;
  }
  return out;
}

/** Attribute types: enum members get the same normalisation as attributes. */
export function normalizeType(value: JsonValue | undefined): JsonValue {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue;
      out[k] = k === 'members' && Array.isArray(v) ? v.map(normalizeMember) : v;
    }
    return out;
  }
  return value ?? null;
}

/** Stability and deprecation normalised at every depth (event bodies nest fields in fields). */
export function normalizeNested(value: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(value)) return value.map((v) => normalizeNested(v) ?? null);
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const n = k === 'stability' ? normalizeStability(v) : k === 'deprecated' ? normalizeDeprecated(v) : normalizeNested(v);
      if (n !== undefined && n !== null) out[k] = n;
    }
    return out;
  }
  return value;
}

export function dropEmpty(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Canonical JSON (keys sorted) for identity of resolved values. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
