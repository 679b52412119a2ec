/**
 * Weaver's `SchemaUrl`: a registry's identity. The name is everything between the scheme and the last
 * path segment (`https://opentelemetry.io/schemas/1.44.0` is `opentelemetry.io/schemas`), the version
 * is that last segment. Dependency cycles and version conflicts are decided on these, so they are
 * computed the way weaver computes them, error texts included (they end up in weaver's JSON).
 */
export interface SchemaUrl {
  url: string;
  name: string;
  version: string;
}

export type SchemaUrlResult = { ok: true; value: SchemaUrl } | { ok: false; error: string };

/** What the `url` crate says for the usual mistakes (Node's URL only says "Invalid URL"). */
function urlParseError(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) return 'relative URL without a base';
  if (/^[a-z][a-z0-9+.-]*:\/\/[/?#]|^[a-z][a-z0-9+.-]*:\/\/$/i.test(text)) return 'empty host';
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:[^/?#]*[^0-9/?#]/i.test(text)) return 'invalid port number';
  return 'invalid domain character';
}

export function parseSchemaUrl(url: string): SchemaUrlResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `Invalid schema URL: ${urlParseError(url)}` };
  }
  const path = parsed.pathname;
  if (!path.split('/').some((segment) => segment !== '')) {
    return { ok: false, error: 'The schema URL must have at least one path segment.' };
  }
  const schemeLength = parsed.protocol.length - 1;
  const hostOffset = url.slice(schemeLength).search(/[\p{L}\p{N}[]/u);
  if (hostOffset < 0) return { ok: false, error: 'The schema URL has an invalid host structure.' };
  const schemeEnd = schemeLength + hostOffset;
  const pathIndex = url.slice(schemeEnd).indexOf(path);
  if (pathIndex < 0) return { ok: false, error: 'The schema URL has an invalid path structure.' };
  const pathStart = schemeEnd + pathIndex;
  const trimmed = path.replace(/\/+$/, '');
  const lastSlash = trimmed.lastIndexOf('/');
  if (lastSlash < 0) return { ok: false, error: 'The schema URL has an invalid path structure.' };
  return {
    ok: true,
    value: { url, name: url.slice(schemeEnd, pathStart + lastSlash), version: url.slice(pathStart + lastSlash + 1, pathStart + trimmed.length) },
  };
}

/** `SchemaUrl::try_from_name_version`: how a legacy `schema_base_url` + `semconv_version` become a URL. */
export function schemaUrlFromNameVersion(name: string, version: string): SchemaUrlResult {
  if (name.trim() === '' || version.trim() === '') return { ok: false, error: 'Registry name and version cannot be empty.' };
  const base = name.replace(/\/+$/, '');
  return parseSchemaUrl(/^https?:\/\//.test(name) ? `${base}/${version}` : `https://${base}/${version}`);
}

/** Weaver's schema URL for a registry without a manifest or declared URL. */
export const UNKNOWN_SCHEMA_URL: SchemaUrl = { url: 'https://unknown/unknown', name: 'unknown', version: 'unknown' };

type Position = 'major version number' | 'minor version number' | 'patch version number' | 'pre-release identifier' | 'build metadata';

export type SemverResult = { ok: true; major: number } | { ok: false; error: string };

function quoted(ch: string): string {
  return `'${ch === "'" ? "\\'" : ch}'`;
}

/**
 * `SchemaUrl::semver` (a leading `v` dropped, then the `semver` crate's strict parse), with that crate's
 * error messages. Only the major version matters to weaver's conflict rule.
 */
export function parseSemver(version: string): SemverResult {
  const text = version.startsWith('v') ? version.slice(1) : version;
  if (text === '') return { ok: false, error: 'empty string, expected a semver version' };
  let rest = text;
  const numeric = (pos: Position): number | string => {
    let len = 0;
    while (len < rest.length && rest[len]! >= '0' && rest[len]! <= '9') {
      if (len > 0 && rest[0] === '0') return `invalid leading zero in ${pos}`;
      len++;
    }
    if (len === 0) return rest.length > 0 ? `unexpected character ${quoted([...rest][0]!)} while parsing ${pos}` : `unexpected end of input while parsing ${pos}`;
    const value = Number(rest.slice(0, len));
    if (!Number.isSafeInteger(value) && BigInt(rest.slice(0, len)) > 18446744073709551615n) return `value of ${pos} exceeds u64::MAX`;
    rest = rest.slice(len);
    return value;
  };
  const dot = (pos: Position): string | undefined => {
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      return undefined;
    }
    return rest.length > 0 ? `unexpected character ${quoted([...rest][0]!)} after ${pos}` : `unexpected end of input while parsing ${pos}`;
  };
  const major = numeric('major version number');
  if (typeof major === 'string') return { ok: false, error: major };
  for (const [after, next] of [
    ['major version number', 'minor version number'],
    ['minor version number', 'patch version number'],
  ] as const) {
    const err = dot(after);
    if (err) return { ok: false, error: err };
    const n = numeric(next);
    if (typeof n === 'string') return { ok: false, error: n };
  }
  let pos: Position = 'patch version number';
  const identifiers = (p: Position): string | undefined => {
    const match = /^[0-9A-Za-z-]*(\.[0-9A-Za-z-]*)*/.exec(rest)![0];
    const segments = match.split('.');
    if (segments.some((s) => s === '')) return `empty identifier segment in ${p}`;
    if (p === 'pre-release identifier' && segments.some((s) => /^0[0-9]+$/.test(s))) return `invalid leading zero in ${p}`;
    rest = rest.slice(match.length);
    return undefined;
  };
  if (rest.startsWith('-')) {
    rest = rest.slice(1);
    pos = 'pre-release identifier';
    const err = identifiers(pos);
    if (err) return { ok: false, error: err };
  }
  if (rest.startsWith('+')) {
    rest = rest.slice(1);
    pos = 'build metadata';
    const err = identifiers(pos);
    if (err) return { ok: false, error: err };
  }
  if (rest.length > 0) return { ok: false, error: `unexpected character ${quoted([...rest][0]!)} after ${pos}` };
  return { ok: true, major };
}
