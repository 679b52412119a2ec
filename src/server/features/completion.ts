import type { SchemaKind } from '../../core/semconv/schemaValidator';
import type { AttributeSymbol, SymbolIndex } from '../../core/semconv/symbols';
import { keysAt, valuesAt } from './schemaKeys';
import { cursorContext, siblingValue, type CursorContext } from './yamlContext';
import { mdCode, textKeepingBreaks } from '../../core/report/safeText';

/**
 * Completion in registry files: attribute ids after `ref:` (and `renamed_to:`), group ids after
 * `extends:`/`ref_group:`/`include:`, signal names after a refinement's `ref:`, event names in a span's
 * `events`, enum member values in `examples`, enumerated values from the schemas (type, stability,
 * requirement_level, span_kind, instrument, kind, visibility, reason...), and the keys valid where the
 * cursor is. Core-only types here; the language service turns them into LSP items.
 */

export type SuggestionKind = 'attribute' | 'group' | 'value' | 'key' | 'member';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  detail?: string;
  documentation?: string;
  /** Sorts within the list: lower first. */
  rank: number;
  deprecated?: boolean;
  /** Replaces the typed token ([start, end) offsets on the cursor line). */
  insertText: string;
}

export interface CompletionAnswer {
  line: number;
  start: number;
  end: number;
  /** The best-ranked suggestions, at most COMPLETION_LIMIT. */
  items: Suggestion[];
  /** True when more suggestions matched than `items` holds (LSP `isIncomplete`: ask again as typing goes on). */
  incomplete: boolean;
}

/**
 * The most suggestions one answer carries. An empty prefix after `ref:` matches every attribute of the
 * registry (thousands, tens of thousands in a hostile one), which the client would receive, filter and
 * render on every keystroke; the best-ranked few hundred are what anyone scrolls through.
 */
export const COMPLETION_LIMIT = 200;

const ATTRIBUTE_LISTS = new Set(['attributes', 'identity', 'description']);
const REFINEMENT_SECTIONS: Record<string, 'span' | 'metric' | 'event' | 'entity'> = {
  span_refinements: 'span',
  metric_refinements: 'metric',
  event_refinements: 'event',
  entity_refinements: 'entity',
};

/**
 * How well `id` matches what was typed: 0 prefix, 1 a later segment starts with it, 2 contains it,
 * 3 the typed characters appear in order; undefined for no match.
 *
 * Runs for every attribute id of the registry on each keystroke, so it allocates nothing beyond the
 * lower-cased strings (the same string when it already is lower case, as semconv ids are).
 */
export function matchTier(id: string, typed: string): number | undefined {
  if (typed === '') return 0;
  const lower = id.toLowerCase();
  const t = typed.toLowerCase();
  if (lower.startsWith(t)) return 0;
  let at = lower.indexOf(t);
  if (at >= 0) {
    // A segment (between `.` and `_`) holds no separator, so only separator-free input can start one.
    if (!hasSeparator(t)) {
      for (; at >= 0; at = lower.indexOf(t, at + 1)) {
        const before = lower.charCodeAt(at - 1);
        if (before === DOT || before === UNDERSCORE) return 1;
      }
    }
    return 2;
  }
  let j = 0;
  for (let i = 0; i < lower.length && j < t.length; i++) if (lower.charCodeAt(i) === t.charCodeAt(j)) j++;
  return j === t.length ? 3 : undefined;
}

const DOT = 46;
const UNDERSCORE = 95;

function hasSeparator(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT || c === UNDERSCORE) return true;
  }
  return false;
}

/** The namespace the cursor's group is about (`span.http.client` -> `http`), to rank its attributes first. */
function namespaceOf(groupId: string | undefined): string | undefined {
  if (!groupId) return undefined;
  const parts = groupId.split('.');
  const generic = new Set(['registry', 'span', 'metric', 'event', 'entity', 'attributes', 'resource']);
  return parts.find((p) => !generic.has(p));
}

/**
 * Every attribute id lower-cased, one per line in one string, with where each starts: a single regex
 * pass over it finds the ids holding the typed characters in order (every id `matchTier` accepts),
 * instead of walking ~1000 separate strings on every keystroke. Rebuilt when attribute definitions change.
 */
interface IdTable {
  version: number;
  ids: string[];
  starts: number[];
  joined: string;
  /**
   * False when a line of `joined` is not its id lower-cased: an id holding a line break, or one whose
   * lower case has another length (a few non-ASCII letters). Such a table is not searched by lines.
   */
  byLines: boolean;
}

const idTables = new WeakMap<SymbolIndex, IdTable>();

function idTable(index: SymbolIndex): IdTable {
  const version = index.attributeIdsVersion;
  const cached = idTables.get(index);
  if (cached && cached.version === version) return cached;
  const ids = [...index.attributeIds()];
  const starts: number[] = [];
  let offset = 0;
  for (const id of ids) {
    starts.push(offset);
    offset += id.length + 1;
  }
  const lower = ids.map((id) => id.toLowerCase());
  const byLines = lower.every((l, i) => l.length === ids[i]!.length && !l.includes('\n'));
  const table = { version, ids, starts, joined: lower.join('\n'), byLines };
  idTables.set(index, table);
  return table;
}

/** `c1[^\n c2]*c2[^\n c3]*c3...`: the typed characters in order within one line, matched without backtracking. */
function inOrderPattern(lowerTyped: string): RegExp {
  const escape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  let source = escape(lowerTyped[0]!);
  for (let i = 1; i < lowerTyped.length; i++) source += `[^\\n${escape(lowerTyped[i]!)}]*${escape(lowerTyped[i]!)}`;
  return new RegExp(source, 'g');
}

/** The attribute ids `matchTier` accepts for `typed`, in index order. */
export function matchingAttributeIds(index: SymbolIndex, typed: string): string[] {
  const table = idTable(index);
  const lower = typed.toLowerCase();
  if (lower === '' || !table.byLines) {
    return table.ids.filter((id) => matchTier(id, typed) !== undefined);
  }
  const out: string[] = [];
  const pattern = inOrderPattern(lower);
  for (let m = pattern.exec(table.joined); m; m = pattern.exec(table.joined)) {
    // The line the match starts on is the id; the next search starts on the following line.
    let low = 0;
    let high = table.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (table.starts[mid]! <= m.index) low = mid;
      else high = mid - 1;
    }
    out.push(table.ids[low]!);
    pattern.lastIndex = low + 1 < table.starts.length ? table.starts[low + 1]! : table.joined.length;
  }
  return out;
}

function attributeSuggestions(index: SymbolIndex, typed: string, namespace: string | undefined): Suggestion[] {
  const out: Suggestion[] = [];
  for (const id of matchingAttributeIds(index, typed)) {
    const tier = matchTier(id, typed);
    if (tier === undefined) continue;
    const a = index.attribute(id);
    if (!a) continue;
    const inNamespace = namespace !== undefined && id.startsWith(`${namespace}.`);
    const deprecated = a.deprecated !== undefined;
    const suggestion: Suggestion = {
      label: id,
      kind: 'attribute',
      rank: tier * 4 + (inNamespace ? 0 : 1) + (deprecated ? 2 : 0),
      insertText: id,
    };
    if (a.type) suggestion.detail = a.type;
    const docs = [a.brief, a.deprecated?.renamedTo ? `Deprecated: use ${mdCode(a.deprecated.renamedTo)}.` : undefined].filter(Boolean);
    // Markdown as written, with ESC and bidi characters spelled out.
    if (docs.length > 0) suggestion.documentation = textKeepingBreaks(docs.join('\n\n'));
    if (deprecated) suggestion.deprecated = true;
    out.push(suggestion);
  }
  return out;
}

function groupSuggestions(index: SymbolIndex, typed: string, filter: (kind: string) => boolean, label: (id: string, name: string) => string): Suggestion[] {
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  for (const g of index.allGroups()) {
    if (!filter(g.kind)) continue;
    const text = label(g.id, g.name);
    if (seen.has(text)) continue;
    const tier = matchTier(text, typed);
    if (tier === undefined) continue;
    seen.add(text);
    const s: Suggestion = { label: text, kind: 'group', rank: tier, insertText: text, detail: g.kind };
    if (g.brief) s.documentation = textKeepingBreaks(g.brief);
    out.push(s);
  }
  return out;
}

function valueSuggestions(values: readonly string[], typed: string, detail: string): Suggestion[] {
  const out: Suggestion[] = [];
  values.forEach((v, i) => {
    const tier = matchTier(v, typed);
    if (tier !== undefined) out.push({ label: v, kind: 'value', rank: tier * 100 + i, insertText: v, detail });
  });
  return out;
}

/** The attribute an entry (`ref: x` or a definition) under the cursor is about, for its enum members. */
function entryAttribute(index: SymbolIndex, lines: readonly string[], ctx: CursorContext): AttributeSymbol | undefined {
  const ref = siblingValue(lines, ctx.line, ctx.keyCol, 'ref');
  if (ref) return index.attribute(ref);
  const id = siblingValue(lines, ctx.line, ctx.keyCol, 'id') ?? siblingValue(lines, ctx.line, ctx.keyCol, 'key');
  if (!id) return undefined;
  return index.attribute(id) ?? index.allAttributes().find((a) => a.id.endsWith(`.${id}`) && a.prefix !== '');
}

/** The value keys whose completion below reads the symbol index; every other place reads only the file's kind and text. */
const INDEX_VALUE_KEYS = new Set(['ref', 'renamed_to', 'ref_group', 'extends', 'include', 'events', 'examples']);

/** Whether completing at this place reads the symbol index (ids, names, enum members) or only the schemas. */
export function completionReadsIndex(text: string, line: number, character: number): boolean {
  const lines = text.split(/\r\n|\r|\n/);
  const current = lines[line];
  if (current === undefined) return false;
  const ctx = cursorContext(lines, line, Math.min(Math.max(0, character), current.length));
  return ctx?.kind === 'value' && INDEX_VALUE_KEYS.has(ctx.key);
}

function valueCompletion(index: SymbolIndex, kind: SchemaKind, lines: readonly string[], ctx: Extract<CursorContext, { kind: 'value' }>): Suggestion[] {
  // Every case reading `index` has its key in INDEX_VALUE_KEYS.
  const parent = ctx.path[ctx.path.length - 2];
  const top = ctx.path[0] ?? '';
  const typed = ctx.prefix;
  switch (ctx.key) {
    case 'ref': {
      if (parent && ATTRIBUTE_LISTS.has(parent)) {
        return attributeSuggestions(index, typed, namespaceOf(currentGroupId(lines, ctx)));
      }
      const signal = REFINEMENT_SECTIONS[top];
      if (signal && ctx.path.length === 2) {
        return groupSuggestions(index, typed, (k) => k === signal || k === `${signal}_refinement` || (signal === 'entity' && k === 'resource'), (id, name) =>
          id.startsWith(`${signal}.`) ? id.slice(signal.length + 1) : name,
        );
      }
      return attributeSuggestions(index, typed, undefined);
    }
    case 'renamed_to':
      return attributeSuggestions(index, typed, undefined);
    case 'ref_group':
      return groupSuggestions(index, typed, (k) => k === 'attribute_group', (id) => id);
    case 'extends':
    case 'include':
      return groupSuggestions(index, typed, () => true, (id) => id);
    case 'events':
      return groupSuggestions(index, typed, (k) => k === 'event', (id) => id);
    case 'examples': {
      const attribute = entryAttribute(index, lines, ctx);
      if (!attribute || attribute.members.length === 0) return [];
      return attribute.members
        .map((m, i): Suggestion | undefined => {
          const tier = matchTier(m.value, typed);
          if (tier === undefined) return undefined;
          const s: Suggestion = { label: m.value, kind: 'member', rank: tier * 1000 + i, insertText: m.value, detail: `${attribute.id} member ${m.id}` };
          if (m.brief) s.documentation = textKeepingBreaks(m.brief);
          return s;
        })
        .filter((s): s is Suggestion => s !== undefined);
    }
    default:
      return valueSuggestions(valuesAt(kind, ctx.path), typed, ctx.key);
  }
}

/** The top-level sequence item (a v1 group, a v2 signal) holding the cursor line. */
function groupItem(lines: readonly string[], ctx: CursorContext): { line: number; col: number } | undefined {
  for (let l = ctx.line; l >= 0; l--) {
    const m = /^(\s*)-\s+(\S)/.exec(lines[l]!);
    if (!m) continue;
    // The outermost items of `groups:` or a v2 section start at the smallest dash column seen.
    const dash = m[1]!.length;
    let outer = true;
    for (let k = l - 1; k >= 0; k--) {
      const line = lines[k]!;
      if (/^\s*(#.*)?$/.test(line)) continue;
      const indent = /^\s*/.exec(line)![0].length;
      if (indent < dash) {
        outer = indent === 0;
        break;
      }
    }
    if (outer) return { line: l, col: dash + (m[0].length - m[1]!.length - 1) };
  }
  return undefined;
}

function currentGroupId(lines: readonly string[], ctx: CursorContext): string | undefined {
  const item = groupItem(lines, ctx);
  if (!item) return undefined;
  return siblingValue(lines, item.line, item.col, 'id') ?? siblingValue(lines, item.line, item.col, 'type') ?? siblingValue(lines, item.line, item.col, 'name');
}

/** Keys already written in the mapping being extended, so they are not offered again. */
function presentKeys(lines: readonly string[], ctx: CursorContext): Set<string> {
  const present = new Set<string>();
  const scan = (from: number, step: number): void => {
    for (let l = from; l >= 0 && l < lines.length; l += step) {
      const line = lines[l]!;
      if (/^\s*(#.*)?$/.test(line)) continue;
      const m = /^(\s*)(-\s+)?([A-Za-z_][\w.-]*)\s*:/.exec(line);
      const indent = /^\s*/.exec(line)![0].length;
      const col = m ? m[1]!.length + (m[2]?.length ?? 0) : indent;
      if (col < ctx.keyCol || (m?.[2] && col === ctx.keyCol && step > 0)) return;
      if (m && col === ctx.keyCol) present.add(m[3]!);
      if (m?.[2] && col === ctx.keyCol) return; // the item's first key: the mapping starts here
      if (!m && indent < ctx.keyCol) return;
    }
  };
  scan(ctx.line - 1, -1);
  scan(ctx.line + 1, 1);
  return present;
}

export function complete(index: SymbolIndex, kind: SchemaKind, text: string, line: number, character: number): CompletionAnswer | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const current = lines[line];
  if (current === undefined) return undefined;
  // Editors may send a column past the end of the line (virtual space): complete at the end.
  const ctx = cursorContext(lines, line, Math.min(Math.max(0, character), current.length));
  if (!ctx) return undefined;
  let items: Suggestion[];
  if (ctx.kind === 'value') {
    items = valueCompletion(index, kind, lines, ctx);
  } else {
    const present = presentKeys(lines, ctx);
    items = keysAt(kind, ctx.path)
      .filter((k) => !present.has(k))
      .map((k, i): Suggestion | undefined => {
        const tier = matchTier(k, ctx.prefix);
        return tier === undefined ? undefined : { label: k, kind: 'key', rank: tier * 100 + i, insertText: `${k}: ` };
      })
      .filter((s): s is Suggestion => s !== undefined);
  }
  // A broken file can leave a definition without its name (an enum member whose `value:` fell out of
  // its mapping): nothing to insert, and an item needs a label.
  items = items.filter((s) => s.label !== '');
  items.sort((a, b) => a.rank - b.rank || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const incomplete = items.length > COMPLETION_LIMIT;
  if (incomplete) items.length = COMPLETION_LIMIT;
  return { line, start: ctx.start, end: ctx.end, items, incomplete };
}
