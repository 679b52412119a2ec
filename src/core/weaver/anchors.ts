import { stripAnsi } from './ansi';
import { isJsonObject, type JsonObject, type JsonValue } from './json';

/**
 * Something in a weaver finding that can be found in the registry's YAML. Weaver's JSON carries no
 * line numbers (except a few parser errors), so a finding is placed later by looking these up in the
 * native model: a file, a group id, an attribute id, a signal name, or an exact position when weaver
 * gives one. `from` is where in the JSON the anchor was read (e.g. `DuplicateGroupId.provenances[1].path`),
 * kept so a placement that looks wrong can be traced back to weaver's output.
 */
export type WeaverAnchor =
  /** A position printed by weaver: 1-based line and column, as miette and serde_yaml report them. */
  | { kind: 'position'; path: string; line: number; column: number; from: string }
  /** A byte range of a source file (miette `labels`): offset and length in bytes (UTF-8). */
  | { kind: 'byte-span'; offset: number; length: number; label?: string; primary: boolean; path?: string; from: string }
  /** A file (or folder) weaver names, as it printed it: relative paths are relative to weaver's working folder. */
  | { kind: 'file'; path: string; from: string }
  | { kind: 'group'; id: string; from: string }
  | { kind: 'attribute'; id: string; groupId?: string; from: string }
  | { kind: 'enum-member'; attributeId: string; memberId: string; from: string }
  /** A signal by type (`metric`, `span`, `event`, `entity`, ...) and name (metric name, event name, ...). */
  | { kind: 'signal'; signalType: string; name: string; from: string }
  /** An id weaver could not resolve, or whose target kind (group or attribute) the JSON does not say. */
  | { kind: 'reference'; id: string; from: string };

export type WeaverAnchorKind = WeaverAnchor['kind'];

/** Field names weaver uses for files, groups, attributes and references (weaver_semconv, weaver_resolver, weaver_checker). */
const FILE_KEYS = new Set(['path_or_url', 'origin_path_or_url', 'path', 'file', 'origin', 'provenance']);
const FILE_LIST_KEYS = new Set(['provenances', 'paths', 'files']);
const GROUP_KEYS = new Set(['group_id', 'attribute_group_id', 'refinement_id', 'include_ref', 'extends_ref', 'metric_group_ref']);
const GROUP_LIST_KEYS = new Set(['group_ids']);
const ATTRIBUTE_KEYS = new Set(['attribute_id', 'attribute_ref', 'attribute_key', 'colliding_attribute_key', 'attribute_name']);
const ATTRIBUTE_LIST_KEYS = new Set(['added_attributes', 'missing_attributes', 'attribute_ids']);
const METRIC_KEYS = new Set(['metric_name', 'colliding_metric_name', 'metric_ref']);
const MEMBER_KEYS = new Set(['member_id', 'enum_member_id']);
const REFERENCE_KEYS = new Set(['ref', 'r#ref', 'colliding_name']);
/** Policy findings name the registry they are about with these labels, not a file. */
const REGISTRY_LABELS = new Set(['current', 'baseline']);

/** Precise anchors first, so whoever places a finding tries the exact ones before the searches. */
const KIND_RANK: Record<WeaverAnchorKind, number> = {
  position: 0,
  'byte-span': 1,
  signal: 2,
  'enum-member': 3,
  attribute: 4,
  group: 5,
  reference: 6,
  file: 7,
};

export class AnchorSet {
  private readonly anchors: WeaverAnchor[] = [];
  private readonly seen = new Set<string>();

  add(anchor: WeaverAnchor): void {
    const key = anchorKey(anchor);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.anchors.push(anchor);
  }

  /** Stable sort by precision: discovery order is kept within a kind (weaver lists the subject first). */
  list(): WeaverAnchor[] {
    return this.anchors.map((a, i) => ({ a, i })).sort((x, y) => KIND_RANK[x.a.kind] - KIND_RANK[y.a.kind] || x.i - y.i).map((x) => x.a);
  }
}

function anchorKey(a: WeaverAnchor): string {
  switch (a.kind) {
    case 'position':
      return `position|${a.path}|${a.line}|${a.column}`;
    case 'byte-span':
      return `byte-span|${a.path ?? ''}|${a.offset}|${a.length}`;
    case 'file':
      return `file|${a.path}`;
    case 'group':
      return `group|${a.id}`;
    case 'attribute':
      return `attribute|${a.id}`;
    case 'enum-member':
      return `enum-member|${a.attributeId}|${a.memberId}`;
    case 'signal':
      return `signal|${a.signalType}|${a.name}`;
    case 'reference':
      return `reference|${a.id}`;
  }
}

function looksLikeFile(value: string): boolean {
  return value.trim() !== '' && !REGISTRY_LABELS.has(value);
}

/**
 * Collects anchors from any weaver error object by field name, recursively, so errors nested in
 * compound errors or wrapped by another crate's error (`{"FailToResolve": {"error": {...}}}`) are
 * covered without knowing every variant.
 */
export function collectErrorAnchors(value: JsonValue, from: string, out: AnchorSet): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => collectErrorAnchors(item, `${from}[${i}]`, out));
    return;
  }
  if (!isJsonObject(value)) return;
  collectPositionFields(value, from, out);
  const groupId = typeof value.group_id === 'string' ? value.group_id : undefined;
  const attributeKey = typeof value.attribute_key === 'string' ? value.attribute_key : undefined;
  for (const [key, field] of Object.entries(value)) {
    const at = from ? `${from}.${key}` : key;
    if (typeof field === 'string') {
      if (FILE_KEYS.has(key)) {
        if (looksLikeFile(field)) out.add({ kind: 'file', path: field, from: at });
      } else if (GROUP_KEYS.has(key)) {
        out.add({ kind: 'group', id: field, from: at });
      } else if (ATTRIBUTE_KEYS.has(key)) {
        out.add(groupId && key !== 'colliding_attribute_key' ? { kind: 'attribute', id: field, groupId, from: at } : { kind: 'attribute', id: field, from: at });
      } else if (METRIC_KEYS.has(key)) {
        out.add({ kind: 'signal', signalType: 'metric', name: field, from: at });
      } else if (MEMBER_KEYS.has(key) && attributeKey) {
        out.add({ kind: 'enum-member', attributeId: attributeKey, memberId: field, from: at });
      } else if (key === 'entity') {
        out.add({ kind: 'signal', signalType: 'entity', name: field, from: at });
      } else if (REFERENCE_KEYS.has(key)) {
        out.add({ kind: 'reference', id: field, from: at });
      }
      continue;
    }
    if (Array.isArray(field)) {
      field.forEach((item, i) => {
        const itemAt = `${at}[${i}]`;
        if (typeof item === 'string') {
          if (FILE_LIST_KEYS.has(key) && looksLikeFile(item)) out.add({ kind: 'file', path: item, from: itemAt });
          else if (GROUP_LIST_KEYS.has(key)) out.add({ kind: 'group', id: item, from: itemAt });
          else if (ATTRIBUTE_LIST_KEYS.has(key)) out.add({ kind: 'attribute', id: item, from: itemAt });
        } else {
          collectErrorAnchors(item, itemAt, out);
        }
      });
      continue;
    }
    collectErrorAnchors(field, at, out);
  }
}

/** serde_yaml parse errors (`InvalidSemConvSpec`) carry a 1-based `line`/`column` next to `path_or_url`. */
function collectPositionFields(value: JsonObject, from: string, out: AnchorSet): void {
  const path = typeof value.path_or_url === 'string' ? value.path_or_url : typeof value.path === 'string' ? value.path : undefined;
  const line = value.line;
  const column = value.column;
  if (path && typeof line === 'number' && line >= 1) {
    out.add({
      kind: 'position',
      path,
      line,
      column: typeof column === 'number' && column >= 1 ? column : 1,
      from: from ? `${from}.line` : 'line',
    });
  }
}

/**
 * `path:line:col` inside miette's rendered report (`╭─[registry/http.yaml:12:5]`), after stripping
 * escapes. The file name must have an extension so clock times and ratios are not taken for positions.
 */
const PRINTED_POSITION = /(?<![\w/.\\-])((?:[A-Za-z]:[\\/])?[^\s:[\](){}'"`,]*?[^\s:[\](){}'"`,/\\]\.[A-Za-z0-9]+):(\d+):(\d+)/g;

export function collectPrintedPositions(ansiMessage: string, out: AnchorSet): void {
  const plain = stripAnsi(ansiMessage);
  for (const m of plain.matchAll(PRINTED_POSITION)) {
    out.add({ kind: 'position', path: m[1]!, line: Number(m[2]), column: Number(m[3]), from: 'diagnostic.ansi_message' });
  }
}

/**
 * miette `LabeledSpan`s as serde writes them: `{label, span: {offset, length}, primary}` (older
 * versions wrote `offset`/`length` at the top level or the offset as `{offset: n}`).
 */
export function collectLabels(labels: JsonValue | undefined, out: AnchorSet, path: string | undefined): void {
  if (!Array.isArray(labels)) return;
  labels.forEach((label, i) => {
    if (!isJsonObject(label)) return;
    const span = isJsonObject(label.span) ? label.span : label;
    const offset = numberOrWrapped(span.offset);
    const length = numberOrWrapped(span.length) ?? 0;
    if (offset === undefined) return;
    out.add({
      kind: 'byte-span',
      offset,
      length,
      ...(typeof label.label === 'string' ? { label: label.label } : {}),
      primary: label.primary === true,
      ...(path ? { path } : {}),
      from: `diagnostic.labels[${i}]`,
    });
  });
}

function numberOrWrapped(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (isJsonObject(value)) return numberOrWrapped(value.offset);
  return undefined;
}
