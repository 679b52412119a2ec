import { basename } from 'node:path';
import type { Range, RegistryDiagnostic, Severity } from '../../engine/diagnostic';
import { loadRegistry, type LoadedRegistry } from '../../semconv/loadRegistry';
import type { ParseCache } from '../../semconv/parseCache';
import type { ParsedFile } from '../../semconv/parsedFile';
import type { WeaverAnchor } from '../anchors';
import { findingCheckCode, type WeaverFinding } from '../diagnostics';
import { matchRegistryFile } from './fileMatch';
import { buildRegistryIndex, signalKey, type IndexedGroup, type IndexedNode, type RegistryIndex } from './registryIndex';

/**
 * Puts weaver's findings on lines. Weaver's JSON names files, groups, attributes, signals and enum
 * members but (apart from parse errors) no lines; this looks each anchor up in the native model of
 * the same registry, most precise anchor first, and places the finding on the YAML scalar it names.
 * A finding none of whose anchors is found is still reported, on the registry manifest (or the first
 * file), and its message says it could not be placed and what was looked for.
 */

export type PlacementKind =
  /** On the line of the id, name, ref or position the anchor names. */
  | 'exact'
  /** At the top of a file weaver names, which holds nothing else the finding names. */
  | 'file'
  /** On the fallback file (manifest, else first registry file): nothing the finding names was found. */
  | 'unplaced';

export interface Placement {
  kind: PlacementKind;
  /** The anchor that placed the finding (`exact` and `file`). */
  anchor?: WeaverAnchor;
  /** For `exact`: the text at the placed range as it is written in the file (the id, name or ref). */
  matched?: string;
  /**
   * For `exact`: the full id or name that was looked up (a group id, signal name, attribute id, member
   * id). `matched` equals it or is its tail (a v2 metric `x` is the group `metric.x`, a prefixed v1
   * attribute is written without its prefix).
   */
  subject?: string;
}

export interface PlacedDiagnostic {
  diagnostic: RegistryDiagnostic;
  placement: Placement;
  finding: WeaverFinding;
}

export interface PlacementContext {
  /** Absolute path of the registry folder. */
  root: string;
  /** Weaver's working folder: relative paths in findings are relative to it. */
  cwd: string;
  index: RegistryIndex;
  /** Parsed files by absolute path (registry, manifest and dependencies). */
  files: ReadonlyMap<string, ParsedFile>;
  /** Where an unplaced finding goes, and how its message says so. */
  fallback: { file: string; where: string };
}

export interface PlacementOptions {
  /** Weaver's working folder; default: the registry folder (the weaver engine runs weaver there). */
  cwd?: string;
}

/** A placement context over an already loaded registry. */
export function placementContextFor(registry: LoadedRegistry, options: PlacementOptions = {}): PlacementContext {
  const files = new Map<string, ParsedFile>();
  const collect = (r: LoadedRegistry): void => {
    for (const f of r.files) files.set(f.path, f);
    if (r.manifest) files.set(r.manifest.path, r.manifest);
    for (const dep of r.dependencies) if (dep.registry) collect(dep.registry);
  };
  collect(registry);
  const first = registry.files[0]?.path;
  const fallback = registry.manifest
    ? { file: registry.manifest.path, where: `shown on the registry manifest (${basename(registry.manifest.path)})` }
    : first
      ? { file: first, where: 'shown on the first file of the registry, which has no manifest' }
      : { file: registry.root, where: 'shown on the registry folder, which holds no YAML file' };
  return { root: registry.root, cwd: options.cwd ?? registry.root, index: buildRegistryIndex(registry), files, fallback };
}

/** Loads the registry (from disk, through `cache` when given) and makes a placement context for it. */
export async function loadPlacementContext(
  registryPath: string,
  options: PlacementOptions & { cache?: ParseCache; signal?: AbortSignal } = {},
): Promise<PlacementContext> {
  const registry = await loadRegistry(registryPath, {
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return placementContextFor(registry, options.cwd ? { cwd: options.cwd } : {});
}

const SEVERITY: Record<WeaverFinding['severity'], Severity> = { error: 'error', warning: 'warning', advice: 'information' };

/**
 * Places a batch of findings. Within one batch, findings that name the same thing when the registry
 * defines it several times (weaver reports an enum member id used twice once per member) are spread
 * over those definitions instead of all landing on the first.
 */
export function placeFindings(findings: readonly WeaverFinding[], ctx: PlacementContext): PlacedDiagnostic[] {
  const used = new Map<string, Set<IndexedNode>>();
  return findings.map((finding) => placeFinding(finding, ctx, used));
}

/** `used`: nodes already given to earlier findings of the same batch, by lookup key. */
export function placeFinding(finding: WeaverFinding, ctx: PlacementContext, used: Map<string, Set<IndexedNode>> = new Map()): PlacedDiagnostic {
  const located = locateFinding(finding, ctx, used);
  let file: string;
  let range: Range;
  let note = '';
  if (located.kind === 'exact' || located.kind === 'file') {
    file = located.file;
    range = located.range;
    if (located.kind === 'file') note = ' [weaver gives no line for this: shown at the top of the file it names]';
  } else {
    file = ctx.fallback.file;
    range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    note = ` [could not be placed on a line: ${unplacedReason(finding)}; ${ctx.fallback.where}]`;
  }
  const help = finding.help && !finding.message.includes(finding.help) ? ` (help: ${finding.help.trim()})` : '';
  const diagnostic: RegistryDiagnostic = {
    file,
    range,
    severity: SEVERITY[finding.severity],
    code: findingCheckCode(finding),
    message: `${finding.message}${help}${note}`,
    source: 'weaver',
    ...(finding.url ? { url: finding.url } : {}),
  };
  const placement: Placement = { kind: located.kind };
  if (located.kind !== 'unplaced') placement.anchor = located.anchor;
  if (located.kind === 'exact') {
    placement.matched = located.matched;
    placement.subject = located.subject;
  }
  return { diagnostic, placement, finding };
}

type Located =
  | { kind: 'exact'; file: string; range: Range; anchor: WeaverAnchor; matched: string; subject: string }
  | { kind: 'file'; file: string; range: Range; anchor: WeaverAnchor }
  | { kind: 'unplaced' };

function locateFinding(finding: WeaverFinding, ctx: PlacementContext, used: Map<string, Set<IndexedNode>>): Located {
  const { index } = ctx;
  // Files the finding names: among several definitions of one id (a duplicate), the one in a named file wins.
  const hinted = new Set<string>();
  for (const a of finding.anchors) {
    if (a.kind === 'file' || a.kind === 'position' || (a.kind === 'byte-span' && a.path)) {
      const f = matchRegistryFile(a.path!, ctx.cwd, index.files);
      if (f) hinted.add(f);
    }
  }
  const pick = <T extends IndexedNode>(list: readonly T[] | undefined): T | undefined => list?.find((n) => hinted.has(n.file)) ?? list?.[0];
  /** Like `pick`, but a definition an earlier finding of the batch got under the same key goes last. */
  const pickFresh = <T extends IndexedNode>(key: string, list: readonly T[] | undefined): T | undefined => {
    if (!list || list.length === 0) return undefined;
    const taken = used.get(key) ?? new Set<IndexedNode>();
    const ordered = [...list.filter((n) => hinted.has(n.file)), ...list.filter((n) => !hinted.has(n.file))];
    const chosen = ordered.find((n) => !taken.has(n)) ?? ordered[0]!;
    taken.add(chosen);
    used.set(key, taken);
    return chosen;
  };

  // The groups and signals the finding is about: an attribute it names is looked for inside them first.
  const contextGroups: IndexedGroup[] = [];
  for (const a of finding.anchors) {
    const g = a.kind === 'signal' ? pick(index.signals.get(signalKey(a.signalType, a.name))) : a.kind === 'group' ? pick(index.groups.get(a.id)) : undefined;
    if (g && !contextGroups.includes(g)) contextGroups.push(g);
  }
  const attributeIds = finding.anchors.flatMap((a) => (a.kind === 'attribute' ? [a.id] : a.kind === 'enum-member' ? [a.attributeId] : []));
  const inGroup = (group: IndexedGroup, id: string): IndexedNode | undefined => group.refs.get(id) ?? group.definitions.get(id);
  const exact = (node: IndexedNode, anchor: WeaverAnchor, subject: string): Located => ({
    kind: 'exact',
    file: node.file,
    range: node.range,
    anchor,
    matched: node.text,
    subject,
  });

  for (const anchor of finding.anchors) {
    switch (anchor.kind) {
      case 'position': {
        const file = matchRegistryFile(anchor.path, ctx.cwd, index.files) ?? matchManifest(anchor.path, ctx);
        const parsed = file ? ctx.files.get(file) : undefined;
        const at = parsed ? positionRange(parsed.text, anchor.line - 1, anchor.column - 1) : undefined;
        if (file && at) return { kind: 'exact', file, range: at.range, anchor, matched: at.token, subject: at.token };
        break;
      }
      case 'byte-span': {
        const file = anchor.path ? (matchRegistryFile(anchor.path, ctx.cwd, index.files) ?? matchManifest(anchor.path, ctx)) : undefined;
        const parsed = file ? ctx.files.get(file) : undefined;
        const at = parsed ? byteSpanRange(parsed.text, anchor.offset, anchor.length) : undefined;
        if (file && at) return { kind: 'exact', file, range: at.range, anchor, matched: at.token, subject: at.token };
        break;
      }
      case 'signal': {
        const group = pick(index.signals.get(signalKey(anchor.signalType, anchor.name)));
        if (!group) break;
        // A rule about an attribute of a signal (its stability, its type) is about the ref in the signal.
        for (const id of attributeIds) {
          const node = inGroup(group, id);
          if (node) return exact(node, anchor, id);
        }
        return exact(group.signal?.node ?? group, anchor, anchor.name);
      }
      case 'enum-member': {
        const key = `${anchor.attributeId}|${anchor.memberId}`;
        const node = pickFresh(`member|${key}`, index.enumMembers.get(key));
        if (node) return exact(node, anchor, anchor.memberId);
        break;
      }
      case 'attribute': {
        const scoped = anchor.groupId ? [pick(index.groups.get(anchor.groupId))].filter((g): g is IndexedGroup => g !== undefined) : contextGroups;
        for (const group of scoped) {
          const node = inGroup(group, anchor.id);
          if (node) return exact(node, anchor, anchor.id);
        }
        // An attribute missing from the group or signal the finding is about (dropped from it) is
        // shown on that group, not on the attribute's definition elsewhere.
        if (scoped.length > 0) break;
        const node = pickFresh(`attribute|${anchor.id}`, index.attributes.get(anchor.id));
        if (node) return exact(node, anchor, anchor.id);
        break;
      }
      case 'group': {
        const group = pick(index.groups.get(anchor.id));
        if (group) return exact(group, anchor, anchor.id);
        break;
      }
      case 'reference': {
        // An id whose kind the JSON does not say: a group, a signal of any type, or an attribute.
        const group = pick(index.groups.get(anchor.id)) ?? pick(findSignalByName(index, anchor.id));
        if (group) return exact(group.signal?.node ?? group, anchor, anchor.id);
        const node = pick(index.attributes.get(anchor.id));
        if (node) return exact(node, anchor, anchor.id);
        break;
      }
      case 'file': {
        const file = matchRegistryFile(anchor.path, ctx.cwd, index.files) ?? matchManifest(anchor.path, ctx);
        if (file) return { kind: 'file', file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, anchor };
        break;
      }
    }
  }
  return { kind: 'unplaced' };
}

function findSignalByName(index: RegistryIndex, name: string): IndexedGroup[] | undefined {
  for (const [key, groups] of index.signals) if (key.slice(key.indexOf('|') + 1) === name) return groups;
  return undefined;
}

/** The manifest is not among the indexed definition files, but parse errors can name it. */
function matchManifest(path: string, ctx: PlacementContext): string | undefined {
  const manifests = [...ctx.files.keys()].filter((f) => !ctx.index.files.includes(f));
  return matchRegistryFile(path, ctx.cwd, manifests);
}

/** What the finding names, for the message of a finding that could not be placed. */
function unplacedReason(finding: WeaverFinding): string {
  const named = finding.anchors.flatMap((a) => {
    switch (a.kind) {
      case 'signal':
        return [`${a.signalType.replace(/_/g, ' ')} '${a.name}'`];
      case 'group':
        return [`group '${a.id}'`];
      case 'attribute':
        return [`attribute '${a.id}'`];
      case 'enum-member':
        return [`enum member '${a.memberId}' of '${a.attributeId}'`];
      case 'reference':
        return [`'${a.id}'`];
      case 'file':
      case 'position':
        return [`file '${a.path}'`];
      case 'byte-span':
        return a.path ? [`file '${a.path}'`] : [];
    }
  });
  const unique = [...new Set(named)];
  if (unique.length === 0) return 'weaver names no file, group, signal or attribute for this';
  const registry = finding.policy?.registry === 'baseline' ? ' (the finding is about the baseline registry)' : '';
  return `${unique.slice(0, 4).join(', ')}${unique.length > 4 ? ', ...' : ''} not found in this registry${registry}`;
}

/** A 0-based line/column (UTF-16) clamped to the text, with the token that starts there. */
function positionRange(text: string, line: number, column: number): { range: Range; token: string } | undefined {
  const lines = text.split('\n');
  if (line < 0 || line >= lines.length) return undefined;
  const content = lines[line]!.replace(/\r$/, '');
  const start = Math.max(0, Math.min(column, content.length));
  const token = /^[^\s,:[\]{}]*/.exec(content.slice(start))![0];
  return { range: { start: { line, character: start }, end: { line, character: start + token.length } }, token };
}

/** miette labels count UTF-8 bytes; the editor counts lines and UTF-16 units. */
function byteSpanRange(text: string, offset: number, length: number): { range: Range; token: string } | undefined {
  const bytes = Buffer.from(text, 'utf8');
  if (offset > bytes.length) return undefined;
  const startAt = toPosition(bytes.subarray(0, offset).toString('utf8'));
  const endAt = toPosition(bytes.subarray(0, Math.min(bytes.length, offset + length)).toString('utf8'));
  const token = bytes.subarray(offset, Math.min(bytes.length, offset + length)).toString('utf8');
  return { range: { start: startAt, end: endAt }, token };
}

function toPosition(before: string): { line: number; character: number } {
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}
