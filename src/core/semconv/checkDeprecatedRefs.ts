import { isMap, isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import type { Range, RegistryDiagnostic } from '../engine/diagnostic';
import { CHECK_CODES, diagnostic } from './diagnostics';
import type { LoadedRegistry } from './loadRegistry';
import type { ParsedFile } from './parsedFile';
import { nodeRange } from './positions';
import { asMap, getMapItems, getNode, getString } from './yamlNodes';

/**
 * `ref`s to attributes whose definition is deprecated. A hint, never a warning: a registry keeps its
 * deprecated attributes on purpose (generated code still needs them), and semconv itself references
 * them from groups that are deprecated too. So a reference is skipped when its group is deprecated
 * (or when the ref entry marks itself deprecated); anywhere else it is a use of an id that is on its
 * way out, shown struck through with the replacement to move to.
 */

/** How a definition is deprecated, read from the v1/v2 `deprecated` field (a legacy text or a map). */
export interface AttributeDeprecation {
  /** `renamed`, `obsoleted`, `uncategorized`; undefined for the legacy free-text form. */
  reason?: string;
  renamedTo?: string;
  /** The map's `note`, or the legacy text itself. */
  note?: string;
}

interface DeprecatedRefCandidate {
  ref: string;
  range: Range;
}

/** What one file contributes: its definitions (deprecated or not) and the refs that may need a hint. */
interface FileDeprecations {
  /** Attribute ids defined in this file with how they are deprecated, `undefined` for live ones. */
  definitions: Array<[id: string, deprecation: AttributeDeprecation | undefined]>;
  /** Refs outside deprecated groups that do not mark themselves deprecated. */
  refs: DeprecatedRefCandidate[];
}

const cache = new WeakMap<ParsedFile, FileDeprecations>();

function text(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The deprecation a map declares; `deprecated: ~` (null) is absent for weaver, so it is here too. */
export function readDeprecation(doc: Document, map: YAMLMap<unknown, unknown>): AttributeDeprecation | undefined {
  const node = getNode(doc, map, 'deprecated');
  if (node === undefined || (isScalar(node) && (node.value === null || node.value === false))) return undefined;
  if (isScalar(node)) return { note: String(node.value) };
  if (!isMap(node)) return {};
  const out: AttributeDeprecation = {};
  const reason = text(getNode(doc, node, 'reason'));
  if (reason !== undefined) out.reason = reason;
  const renamedTo = text(getNode(doc, node, 'renamed_to'));
  if (renamedTo !== undefined) out.renamedTo = renamedTo;
  const note = text(getNode(doc, node, 'note'));
  if (note !== undefined) out.note = note;
  return out;
}

/** A group counts as deprecated with a `deprecated` field or the retired `stability: deprecated`. */
function groupDeprecated(doc: Document, group: YAMLMap<unknown, unknown>): boolean {
  return readDeprecation(doc, group) !== undefined || text(getNode(doc, group, 'stability')) === 'deprecated';
}

const V2_SIGNAL_LISTS: ReadonlyArray<{ section: string; lists: string[] }> = [
  { section: 'attribute_groups', lists: ['attributes'] },
  { section: 'spans', lists: ['attributes'] },
  { section: 'metrics', lists: ['attributes'] },
  { section: 'events', lists: ['attributes'] },
  { section: 'entities', lists: ['identity', 'description'] },
  { section: 'span_refinements', lists: ['attributes'] },
  { section: 'metric_refinements', lists: ['attributes'] },
  { section: 'event_refinements', lists: ['attributes'] },
  { section: 'entity_refinements', lists: ['identity', 'description'] },
];

function extract(file: ParsedFile): FileDeprecations {
  const doc = file.doc;
  const out: FileDeprecations = { definitions: [], refs: [] };
  const root = asMap(doc, doc.contents);
  if (!root) return out;

  /** One attribute list: definitions (`idKey`, qualified with a v1 prefix) and refs. */
  const list = (group: YAMLMap<unknown, unknown>, key: string, idKey: 'id' | 'key', prefix: string, deprecatedGroup: boolean): void => {
    for (const item of getMapItems(doc, group, key)) {
      const ref = getString(doc, item, 'ref');
      if (ref) {
        if (!deprecatedGroup && readDeprecation(doc, item) === undefined) {
          out.refs.push({ ref: ref.value, range: nodeRange(file.lineCounter, ref.node) });
        }
        continue;
      }
      const id = getString(doc, item, idKey);
      if (id) out.definitions.push([prefix ? `${prefix}.${id.value}` : id.value, readDeprecation(doc, item)]);
    }
  };

  if (file.kind === 'v1') {
    for (const group of getMapItems(doc, root, 'groups')) {
      const prefix = getString(doc, group, 'prefix')?.value ?? '';
      list(group, 'attributes', 'id', prefix, groupDeprecated(doc, group));
    }
  } else if (file.kind === 'v2') {
    for (const attr of getMapItems(doc, root, 'attributes')) {
      const key = getString(doc, attr, 'key');
      if (key) out.definitions.push([key.value, readDeprecation(doc, attr)]);
    }
    for (const { section, lists } of V2_SIGNAL_LISTS) {
      for (const group of getMapItems(doc, root, section)) {
        const deprecated = groupDeprecated(doc, group);
        for (const key of lists) list(group, key, 'key', '', deprecated);
      }
    }
  }
  return out;
}

/** The deprecation facts of one file, kept per parse like the other per-file records. */
function fileDeprecations(file: ParsedFile): FileDeprecations {
  let found = cache.get(file);
  if (!found) {
    found = extract(file);
    cache.set(file, found);
  }
  return found;
}

/**
 * Attribute id -> its deprecation, for ids whose every definition is deprecated (an id that also has
 * a live definition is a duplicate the duplicate check reports; it is not deprecated here).
 */
export function deprecatedAttributes(files: Iterable<ParsedFile>): Map<string, AttributeDeprecation> {
  const deprecated = new Map<string, AttributeDeprecation>();
  const live = new Set<string>();
  for (const file of files) {
    for (const [id, deprecation] of fileDeprecations(file).definitions) {
      if (deprecation === undefined) live.add(id);
      else if (!deprecated.has(id)) deprecated.set(id, deprecation);
    }
  }
  for (const id of live) deprecated.delete(id);
  return deprecated;
}

function oneLine(note: string): string {
  const flat = note.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

/** `'x' is deprecated: renamed to 'y'. Use 'y'.` and the like for the other reasons. */
export function deprecatedRefMessage(id: string, deprecation: AttributeDeprecation): string {
  const head = `'${id}' is deprecated`;
  const note = deprecation.note ? oneLine(deprecation.note) : '';
  if (deprecation.renamedTo && deprecation.renamedTo !== id) {
    return `${head}: renamed to '${deprecation.renamedTo}'. Use '${deprecation.renamedTo}'.`;
  }
  if (deprecation.reason === undefined) return note ? `${head}: ${note}` : `${head}.`;
  const reason = `${head}: ${deprecation.reason}`;
  return note ? `${reason}. ${note}` : `${reason}.`;
}

/**
 * One hint per `ref` (in `files`) to an attribute of `deprecated`, tagged so the editor strikes the
 * id through. `files` are the registry's own definition files; `deprecated` also covers dependencies.
 */
export function checkDeprecatedRefs(files: Iterable<ParsedFile>, deprecated: ReadonlyMap<string, AttributeDeprecation>): RegistryDiagnostic[] {
  const out: RegistryDiagnostic[] = [];
  if (deprecated.size === 0) return out;
  for (const file of files) {
    for (const ref of fileDeprecations(file).refs) {
      const deprecation = deprecated.get(ref.ref);
      if (!deprecation) continue;
      const d = diagnostic(file.path, ref.range, 'hint', CHECK_CODES.deprecatedRef, deprecatedRefMessage(ref.ref, deprecation));
      d.tags = ['deprecated'];
      out.push(d);
    }
  }
  return out;
}

/** The definition files of a registry and of every dependency loaded with it (transitively). */
export function definitionFilesWithDependencies(registry: LoadedRegistry, seen = new Set<string>([registry.root])): ParsedFile[] {
  const out = registry.files.filter((f) => f.kind === 'v1' || f.kind === 'v2');
  for (const dep of registry.dependencies) {
    if (!dep.registry || seen.has(dep.registry.root)) continue;
    seen.add(dep.registry.root);
    out.push(...definitionFilesWithDependencies(dep.registry, seen));
  }
  return out;
}

/** The last deprecated-attribute map per registry root, with the files and definitions it came from. */
interface DeprecationMemo {
  files: ParsedFile[];
  keys: string[];
  deprecated: Map<string, AttributeDeprecation>;
}

const deprecationMemos = new Map<string, DeprecationMemo>();
const deprecationKeys = new WeakMap<ParsedFile, string>();

/** Builds of the deprecated-attribute map (cache misses); lets tests prove a re-check reused it. */
export const deprecationMapCounter = { builds: 0 };

function deprecationKey(file: ParsedFile): string {
  let key = deprecationKeys.get(file);
  if (key === undefined) {
    key = JSON.stringify(fileDeprecations(file).definitions);
    deprecationKeys.set(file, key);
  }
  return key;
}

/**
 * `deprecatedAttributes`, reusing the map built for `root` last time when every file defines the same
 * attributes with the same deprecations as then (an edit elsewhere in a file leaves them alone). The
 * map is then the same object, which lets `checkDeprecatedRefsCached` keep unchanged files' hints.
 */
export function deprecatedAttributesCached(root: string, files: readonly ParsedFile[]): Map<string, AttributeDeprecation> {
  const memo = deprecationMemos.get(root);
  const keys: string[] = new Array<string>(files.length);
  let same = memo !== undefined && memo.files.length === files.length;
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as ParsedFile;
    if (same && memo && memo.files[i] === file) {
      keys[i] = memo.keys[i] as string;
      continue;
    }
    keys[i] = deprecationKey(file);
    if (same && memo && memo.keys[i] !== keys[i]) same = false;
  }
  if (same && memo) {
    memo.files = [...files];
    memo.keys = keys;
    return memo.deprecated;
  }
  deprecationMapCounter.builds++;
  const deprecated = deprecatedAttributes(files);
  deprecationMemos.set(root, { files: [...files], keys, deprecated });
  return deprecated;
}

const hintCache = new WeakMap<ParsedFile, { deprecated: ReadonlyMap<string, AttributeDeprecation>; found: RegistryDiagnostic[] }>();

/** `checkDeprecatedRefs`, reusing a file's hints while its parse and the deprecated map are unchanged. */
export function checkDeprecatedRefsCached(files: Iterable<ParsedFile>, deprecated: ReadonlyMap<string, AttributeDeprecation>): RegistryDiagnostic[] {
  const out: RegistryDiagnostic[] = [];
  if (deprecated.size === 0) return out;
  for (const file of files) {
    let entry = hintCache.get(file);
    if (!entry || entry.deprecated !== deprecated) {
      entry = { deprecated, found: checkDeprecatedRefs([file], deprecated) };
      hintCache.set(file, entry);
    }
    for (const d of entry.found) out.push(d);
  }
  return out;
}
