/** A parsed JSON value: what weaver writes, typed so nothing crosses a boundary as `any`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Finds the JSON document in a stream that may also carry log lines (weaver logs to stderr, and with
 * `--diagnostic-stdout` its diagnostics share stdout with nothing else only for some commands).
 * Tries the whole text first, then every line that starts with `[` or `{`, longest candidate first.
 * Returns undefined when no candidate parses.
 */
export function extractJson(text: string): JsonValue | undefined {
  const whole = tryParse(text.trim());
  if (whole.ok) return whole.value;
  const starts: number[] = [];
  const lineStart = /(^|\n)[ \t]*([[{])/g;
  for (let m = lineStart.exec(text); m; m = lineStart.exec(text)) {
    starts.push(m.index + m[0].length - 1);
  }
  for (const start of starts) {
    const end = matchingClose(text, start);
    if (end === undefined) continue;
    const candidate = tryParse(text.slice(start, end + 1));
    if (candidate.ok) return candidate.value;
  }
  return undefined;
}

function tryParse(text: string): { ok: true; value: JsonValue } | { ok: false } {
  if (text === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch {
    return { ok: false };
  }
}

/** Index of the bracket closing the one at `start`, skipping brackets inside JSON strings. */
function matchingClose(text: string, start: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return undefined;
}
