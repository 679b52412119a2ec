import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isMap, isScalar, visit, type Scalar, type YAMLMap } from 'yaml';
import type { Range, RegistryDiagnostic } from '../../core/engine/diagnostic';
import { boundedLevenshtein, closestMatch } from '../../core/semconv/closestMatch';
import { CHECK_CODES } from '../../core/semconv/diagnostics';
import type { ParsedFile } from '../../core/semconv/parsedFile';
import { positionAt, rangeFromOffsets } from '../../core/semconv/positions';
import { offsetIn, type ReferenceSymbol, type SymbolIndex } from '../../core/semconv/symbols';
import { findPair } from '../../core/semconv/yamlNodes';

/**
 * Quick fixes for the findings on a file. Each fix is an edit computed from the current parse, so it
 * applies to exactly the text the finding was made on:
 * - unresolved `ref` / group reference: replace it with one of the closest existing ids;
 * - `ref` to a deprecated attribute that was renamed (the `deprecated-ref` hint, or any finding on that
 *   ref, or just the cursor on it): replace it with the new id;
 * - brief without a final period (the metric brief policy): add the period;
 * - missing required fields (`schema`): insert each with a placeholder value that passes the schema;
 * - a manifest under the legacy name `registry_manifest.yaml`: rename the file to `manifest.yaml`.
 */

export interface QuickFix {
  title: string;
  /** The finding it resolves; undefined for a fix offered at the cursor without one. */
  diagnostic?: Pick<RegistryDiagnostic, 'code' | 'message' | 'range'>;
  isPreferred?: boolean;
  edits: Array<{ range: Range; newText: string }>;
  /** A file to rename (absolute paths); offered only to clients that can rename files. */
  renameFile?: { from: string; to: string };
}

/** The part of a diagnostic a client sends back with a code action request. */
export type DiagnosticLike = Pick<RegistryDiagnostic, 'range' | 'message'> & { code?: string | number };

const MAX_SUGGESTIONS = 3;

/** Up to `max` known ids closest to `input`: the checker's own "did you mean" first, then by edit distance. */
export function closestIds(input: string, candidates: Iterable<string>, max = MAX_SUGGESTIONS): string[] {
  const list = [...candidates];
  const limit = Math.max(2, Math.floor(input.length / 3));
  const scored: Array<[string, number]> = [];
  for (const c of list) {
    if (c === input) continue;
    const d = boundedLevenshtein(input, c, limit);
    if (d <= limit) scored.push([c, d]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1));
  const out = scored.map(([c]) => c);
  const first = closestMatch(input, list);
  if (first !== undefined) {
    const i = out.indexOf(first);
    if (i >= 0) out.splice(i, 1);
    out.unshift(first);
  }
  return out.slice(0, max);
}

function referenceAt(index: SymbolIndex, file: ParsedFile, range: Range): ReferenceSymbol | undefined {
  const hit = index.at(file.path, range.start);
  return hit?.kind === 'reference' ? hit.symbol : undefined;
}

function codeOf(d: DiagnosticLike): string {
  return d.code === undefined ? '' : String(d.code);
}

function asDiagnostic(d: DiagnosticLike): QuickFix['diagnostic'] {
  return { code: codeOf(d), message: d.message, range: d.range };
}

function unresolvedRefFixes(index: SymbolIndex, file: ParsedFile, d: DiagnosticLike): QuickFix[] {
  const ref = referenceAt(index, file, d.range);
  if (!ref || (ref.kind !== 'ref' && ref.kind !== 'renamed_to')) return [];
  return closestIds(ref.target, index.attributeIds()).map((id, i) => ({
    title: `Change to '${id}'`,
    diagnostic: asDiagnostic(d),
    isPreferred: i === 0,
    edits: [{ range: ref.range, newText: id }],
  }));
}

function unresolvedGroupRefFixes(index: SymbolIndex, file: ParsedFile, d: DiagnosticLike): QuickFix[] {
  const ref = referenceAt(index, file, d.range);
  if (!ref || ref.kind === 'ref' || ref.kind === 'renamed_to') return [];
  let candidates: string[];
  if (ref.kind === 'refinement' && ref.signalKind) {
    const kind = ref.signalKind;
    candidates = index.allGroups().filter((g) => g.signal?.kind === kind).map((g) => (g.id.startsWith(`${kind}.`) ? g.id.slice(kind.length + 1) : g.signal!.name));
  } else if (ref.kind === 'ref_group') {
    candidates = index.allGroups().filter((g) => g.kind === 'attribute_group').map((g) => g.id);
  } else {
    candidates = [...index.groupIds()];
  }
  return closestIds(ref.written, new Set(candidates)).map((id, i) => ({
    title: `Change to '${id}'`,
    diagnostic: asDiagnostic(d),
    isPreferred: i === 0,
    edits: [{ range: ref.range, newText: id }],
  }));
}

/** `ref: old.id` where `old.id` was renamed: offered on any finding about it, and at the cursor. */
function renamedRefFix(index: SymbolIndex, ref: ReferenceSymbol | undefined, d: DiagnosticLike | undefined): QuickFix | undefined {
  if (!ref || ref.kind !== 'ref') return undefined;
  const renamedTo = index.attribute(ref.target)?.deprecated?.renamedTo;
  if (!renamedTo || renamedTo === ref.target) return undefined;
  const fix: QuickFix = { title: `Replace deprecated '${ref.target}' with '${renamedTo}'`, isPreferred: true, edits: [{ range: ref.range, newText: renamedTo }] };
  if (d) fix.diagnostic = asDiagnostic(d);
  return fix;
}

/** Findings about a brief lacking its final period (weaver's metric brief policy and its native twin). */
export function isBriefPeriodFinding(d: DiagnosticLike): boolean {
  if (codeOf(d) === 'naming_convention_metric_brief_period') return true;
  const text = `${codeOf(d)} ${d.message}`;
  return /brief/i.test(text) && /period|full stop|end(s)? with (a )?['"`]?\.['"`]?/i.test(text);
}

/** The innermost mapping around `offset` that has a `brief`. */
function mapWithBrief(file: ParsedFile, offset: number): YAMLMap<unknown, unknown> | undefined {
  let best: YAMLMap<unknown, unknown> | undefined;
  visit(file.doc, {
    Map(_, map) {
      if (!map.range || offset < map.range[0] || offset > map.range[1]) return visit.SKIP;
      if (findPair(map, 'brief')) best = map;
      return undefined;
    },
  });
  return best;
}

function briefPeriodFix(file: ParsedFile, d: DiagnosticLike): QuickFix | undefined {
  const map = mapWithBrief(file, offsetIn(file, d.range.start));
  const brief = map && (findPair(map, 'brief')?.value as Scalar | undefined);
  if (!isScalar(brief) || typeof brief.value !== 'string' || !brief.range) return undefined;
  const value = brief.value.trimEnd();
  if (value === '' || value.endsWith('.')) return undefined;
  // Insert right after the last character of the text (before a closing quote or a block's line break).
  const text = file.text;
  let end = brief.range[1];
  while (end > brief.range[0] && /\s/.test(text[end - 1]!)) end--;
  if (brief.type === 'QUOTE_DOUBLE' || brief.type === 'QUOTE_SINGLE') end--;
  const at = positionAt(file.lineCounter, end);
  return { title: 'Add a period at the end of the brief', diagnostic: asDiagnostic(d), isPreferred: true, edits: [{ range: { start: at, end: at }, newText: '.' }] };
}

/** Values that satisfy the schema, so the finding goes away and the placeholder is easy to spot. */
const PLACEHOLDERS: Record<string, string> = {
  id: 'todo.id',
  key: 'todo.key',
  brief: '"TODO: describe it."',
  note: '"TODO"',
  stability: 'development',
  type: 'string',
  name: 'todo.name',
  metric_name: 'todo.metric',
  instrument: 'counter',
  unit: '"1"',
  span_kind: 'internal',
  kind: 'internal',
  visibility: 'internal',
  requirement_level: 'recommended',
  reason: 'obsoleted',
  renamed_to: 'todo.new_id',
  members: '[{ id: todo, value: todo, stability: development }]',
  fields: '[]',
  file_format: 'definition/2',
  examples: '["TODO"]',
};

/** `... is missing required fields 'a' and 'b' ...` -> ['a', 'b']. */
export function missingFields(message: string): string[] {
  const m = /is missing required fields? ((?:'[^']+'(?:, | and )?)+)/.exec(message);
  if (!m) return [];
  return [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!);
}

/** The block mapping whose first key starts at `offset` (where the schema check puts the finding). */
function mapStartingAt(file: ParsedFile, offset: number): YAMLMap<unknown, unknown> | undefined {
  let found: YAMLMap<unknown, unknown> | undefined;
  visit(file.doc, {
    Map(_, map) {
      if (found) return visit.BREAK;
      if (!map.range || offset < map.range[0] || offset > map.range[1]) return visit.SKIP;
      const first = map.items[0]?.key;
      if (!map.flow && isScalar(first) && first.range?.[0] === offset) found = map;
      return undefined;
    },
  });
  return found;
}

function missingFieldFix(file: ParsedFile, d: DiagnosticLike): QuickFix | undefined {
  // A missing `ref` has no sensible placeholder: the user has to name what is referenced.
  const fields = missingFields(d.message).filter((f) => f !== 'ref');
  if (fields.length === 0) return undefined;
  const offset = offsetIn(file, d.range.start);
  const text = file.text;
  let map = mapStartingAt(file, offset);
  if (!map && isMap(file.doc.contents) && offset === 0) map = file.doc.contents;
  if (!map || !map.range) return undefined;
  const firstKey = map.items[0]?.key;
  if (!isScalar(firstKey) || !firstKey.range) return undefined;
  const indent = positionAt(file.lineCounter, firstKey.range[0]).character;
  // After the last line of the mapping: end of the line holding its last non-blank character.
  let end = map.range[1];
  while (end > map.range[0] && /\s/.test(text[end - 1]!)) end--;
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const insert = fields.map((f) => `${eol}${' '.repeat(indent)}${f}: ${PLACEHOLDERS[f] ?? '"TODO"'}`).join('');
  const position = rangeFromOffsets(file.lineCounter, at, at);
  return {
    title: `Add ${fields.map((f) => `'${f}'`).join(', ')} with a placeholder`,
    diagnostic: asDiagnostic(d),
    isPreferred: true,
    edits: [{ range: position, newText: insert }],
  };
}

/**
 * `registry_manifest.yaml` is weaver's legacy name (the legacy-registry-manifest warning): rename the
 * file to `manifest.yaml`, unless a `manifest.yaml` is already there (then weaver reads that one, and
 * which of the two to keep is the user's call).
 */
function legacyManifestFix(path: string, d: DiagnosticLike): QuickFix | undefined {
  if (basename(path) !== LEGACY_MANIFEST) return undefined;
  const to = join(dirname(path), MANIFEST);
  if (existsSync(to)) return undefined;
  return { title: `Rename ${LEGACY_MANIFEST} to ${MANIFEST}`, diagnostic: asDiagnostic(d), isPreferred: true, edits: [], renameFile: { from: path, to } };
}

/**
 * Fixes for a registry manifest. The manifest is not in the symbol index (it defines no attributes or
 * groups), so its fixes need only its path and the findings.
 */
export function manifestQuickFixes(path: string, diagnostics: readonly DiagnosticLike[]): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    if (codeOf(d) !== CHECK_CODES.legacyRegistryManifest) continue;
    const fix = legacyManifestFix(path, d);
    if (fix) out.push(fix);
  }
  return out;
}

const LEGACY_MANIFEST = 'registry_manifest.yaml';
const MANIFEST = 'manifest.yaml';

/** Every fix for the findings in `diagnostics`, plus the fixes available at `range` without a finding. */
export function quickFixes(index: SymbolIndex, file: ParsedFile, diagnostics: readonly DiagnosticLike[], range: Range): QuickFix[] {
  const out: QuickFix[] = [];
  const renamedDone = new Set<number>();
  /** The replacement of a renamed attribute, once per ref, bound to the first finding about it. */
  const offerRenamed = (d: DiagnosticLike): void => {
    const ref = referenceAt(index, file, d.range);
    if (!ref || renamedDone.has(ref.span.start)) return;
    const renamed = renamedRefFix(index, ref, d);
    if (!renamed) return;
    renamedDone.add(ref.span.start);
    out.push(renamed);
  };
  // The deprecated-ref finding is the one this fix resolves: bind to it before any other finding on the ref.
  for (const d of diagnostics) if (codeOf(d) === CHECK_CODES.deprecatedRef) offerRenamed(d);
  for (const d of diagnostics) {
    const code = codeOf(d);
    if (code === CHECK_CODES.unresolvedRef) out.push(...unresolvedRefFixes(index, file, d));
    else if (code === CHECK_CODES.unresolvedGroupRef) out.push(...unresolvedGroupRefFixes(index, file, d));
    else if (code === CHECK_CODES.schema && missingFields(d.message).length > 0) {
      const fix = missingFieldFix(file, d);
      if (fix) out.push(fix);
    } else if (isBriefPeriodFinding(d)) {
      const fix = briefPeriodFix(file, d);
      if (fix) out.push(fix);
    }
    offerRenamed(d);
  }
  const atCursor = referenceAt(index, file, range);
  if (atCursor && !renamedDone.has(atCursor.span.start)) {
    const fix = renamedRefFix(index, atCursor, undefined);
    if (fix) out.push(fix);
  }
  return out;
}
