import type { Range } from '../../engine/diagnostic';
import type { SignalKind } from '../model';
import type { ParsedFile } from '../parsedFile';

/**
 * The symbols of a registry as the editor sees them: every definition and every reference with the
 * exact range of the text that names it, plus what a hover shows about it. One record per file,
 * built once per parse, so an edit rebuilds the record of the edited file only.
 */

/** A half-open span of UTF-16 offsets into the file's text. */
export interface OffsetSpan {
  start: number;
  end: number;
}

export interface EnumMemberSymbol {
  id: string;
  /** The member value as written (`"GET"`, `200`). */
  value: string;
  brief?: string;
  stability?: string;
  deprecated?: boolean;
  /** Range of the member `id` value. */
  range: Range;
}

export interface DeprecationInfo {
  /** `renamed`, `obsoleted`, `uncategorized`, or the legacy free text. */
  reason?: string;
  renamedTo?: string;
  note?: string;
}

export interface AttributeSymbol {
  /** The full attribute id (v1: with the group prefix; v2: the `key`). */
  id: string;
  file: string;
  format: 'v1' | 'v2';
  /** Range of the id/key value as written (without a v1 group prefix). */
  range: Range;
  span: OffsetSpan;
  /** Range of the whole attribute entry (for outlines and folding). */
  fullRange: Range;
  /** The v1 group prefix the written id is qualified with ('' when none). */
  prefix: string;
  /** The group id that defines it, or undefined for a v2 `attributes:` section entry. */
  groupId?: string;
  /** Display form of the type: `string`, `int[]`, `enum` (see members). */
  type?: string;
  members: EnumMemberSymbol[];
  brief?: string;
  note?: string;
  /** Examples as compact YAML-ish text items. */
  examples: string[];
  stability?: string;
  /** `required`, `opt_in`, `conditionally_required: <text>`... */
  requirementLevel?: string;
  deprecated?: DeprecationInfo;
}

export type GroupKind =
  | 'attribute_group'
  | 'span'
  | 'event'
  | 'metric'
  | 'metric_group'
  | 'entity'
  | 'resource'
  | 'scope'
  | 'undefined'
  | 'span_refinement'
  | 'metric_refinement'
  | 'event_refinement'
  | 'entity_refinement';

/** One entry of a group's attribute list, in order. */
export type GroupEntry =
  | { kind: 'definition'; id: string; range: Range }
  | { kind: 'ref'; id: string; range: Range; requirementLevel?: string }
  | { kind: 'ref_group'; id: string; range: Range };

export interface GroupSymbol {
  /** The id in weaver's shared group namespace (v2 signals: `span.<type>`, `metric.<name>`...). */
  id: string;
  /** What the file writes (v2 signals: the name without the kind). */
  name: string;
  kind: GroupKind | string;
  file: string;
  format: 'v1' | 'v2';
  /** Range of the id/name value. */
  range: Range;
  span: OffsetSpan;
  fullRange: Range;
  /** The signal it declares, as refinements and associations name it. */
  signal?: { kind: SignalKind; name: string };
  brief?: string;
  stability?: string;
  extends?: string;
  /** v2 refinements: the refined signal's group id. */
  refines?: string;
  entries: GroupEntry[];
  /** v1 metric/span details shown on hover. */
  details: Array<[label: string, value: string]>;
}

export type ReferenceKind = 'ref' | 'renamed_to' | 'ref_group' | 'extends' | 'include' | 'refinement' | 'events';

export interface ReferenceSymbol {
  kind: ReferenceKind;
  /** What it points at: attribute ids for `ref`/`renamed_to`, group ids otherwise. */
  target: string;
  /** What is written (differs from `target` for refinements). */
  written: string;
  /** Refinements and span events: a signal of this kind and name also satisfies the reference. */
  signalKind?: SignalKind;
  file: string;
  range: Range;
  span: OffsetSpan;
  /** The group (or section) the reference sits in. */
  groupId?: string;
  /** The ref entry's own requirement level, shown next to the referenced attribute. */
  requirementLevel?: string;
}

export function isAttributeReference(ref: ReferenceSymbol): boolean {
  return ref.kind === 'ref' || ref.kind === 'renamed_to';
}

/** What sits under a cursor. */
export type Occurrence =
  | { kind: 'attribute'; span: OffsetSpan; symbol: AttributeSymbol }
  | { kind: 'group'; span: OffsetSpan; symbol: GroupSymbol }
  | { kind: 'reference'; span: OffsetSpan; symbol: ReferenceSymbol };

export interface FileSymbols {
  file: ParsedFile;
  attributes: AttributeSymbol[];
  groups: GroupSymbol[];
  references: ReferenceSymbol[];
  /** Every occurrence, sorted by start offset (they never overlap: each is one scalar). */
  occurrences: Occurrence[];
}
