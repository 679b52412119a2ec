import type { Position } from '../../engine/diagnostic';
import type { LoadedRegistry } from '../loadRegistry';
import type { ParsedFile } from '../parsedFile';
import { fileSymbols } from './extract';
import type { AttributeSymbol, FileSymbols, GroupSymbol, Occurrence, ReferenceSymbol } from './types';

/**
 * Every symbol of a registry and its loaded dependencies, with lookups by id and by position.
 *
 * `update` is called with each freshly loaded registry: a file whose parse is the one indexed last
 * time is skipped, so after one edit only that file's contributions are removed and added again. The
 * per-id buckets are small (a popular attribute has a few hundred refs), so removing a file costs the
 * size of that file, never the size of the registry.
 */
export class SymbolIndex {
  private readonly files = new Map<string, FileSymbols>();
  /** Files of the registry itself (editable); the others belong to dependencies. */
  private local = new Set<string>();
  private readonly attributes = new Map<string, AttributeSymbol[]>();
  private readonly groups = new Map<string, GroupSymbol[]>();
  /** `kind:name` -> groups declaring that signal. */
  private readonly signals = new Map<string, GroupSymbol[]>();
  /** Attribute id -> `ref`s and `renamed_to`s naming it. */
  private readonly attributeRefs = new Map<string, ReferenceSymbol[]>();
  /** Group id (and `signal:kind:name`) -> `extends`, `ref_group`, `include`, refinements, events. */
  private readonly groupRefs = new Map<string, ReferenceSymbol[]>();
  private indexed = 0;
  private attributeChanges = 0;
  /** The registry the index reflects. */
  private last: LoadedRegistry | undefined;
  root = '';

  /** How many files were (re)indexed so far: lets tests prove an update after one edit reused the rest. */
  get indexedFiles(): number {
    return this.indexed;
  }

  /** Brings the index in line with a loaded registry; returns how many files were (re)indexed. */
  update(registry: LoadedRegistry): number {
    const swapped = this.updateSwapped(registry);
    if (swapped !== undefined) return swapped;
    this.root = registry.root;
    const current = new Map<string, ParsedFile>();
    const local = new Set<string>();
    for (const f of registry.files) {
      current.set(f.path, f);
      local.add(f.path);
    }
    collectDependencies(registry, current, new Set([registry.root]));
    this.local = local;

    let changed = 0;
    for (const [path, old] of this.files) {
      const next = current.get(path);
      if (next !== old.file) {
        this.remove(old);
        this.files.delete(path);
      }
    }
    for (const [path, file] of current) {
      if (this.files.has(path)) continue;
      const symbols = fileSymbols(file);
      this.files.set(path, symbols);
      this.add(symbols);
      changed++;
    }
    this.indexed += changed;
    this.last = registry;
    return changed;
  }

  /**
   * The registry indexed last with some files swapped for new parses in place (what
   * RegistryWorkspace#load gives after buffer edits: the same paths in the same order, the same
   * dependencies): re-indexes those files without walking the others; undefined for any other registry.
   */
  private updateSwapped(registry: LoadedRegistry): number | undefined {
    const last = this.last;
    if (!last || last.root !== registry.root || last.dependencies !== registry.dependencies || last.files.length !== registry.files.length) return undefined;
    const swapped: number[] = [];
    for (let i = 0; i < registry.files.length; i++) {
      if (registry.files[i] === last.files[i]) continue;
      if (registry.files[i]!.path !== last.files[i]!.path) return undefined;
      swapped.push(i);
    }
    for (const i of swapped) {
      const file = registry.files[i]!;
      const old = this.files.get(file.path);
      if (old) this.remove(old);
      const symbols = fileSymbols(file);
      this.files.set(file.path, symbols);
      this.add(symbols);
    }
    this.indexed += swapped.length;
    this.last = registry;
    return swapped.length;
  }

  isLocal(path: string): boolean {
    return this.local.has(path);
  }

  fileSymbols(path: string): FileSymbols | undefined {
    return this.files.get(path);
  }

  /** Every indexed file (the registry's and its dependencies'). */
  allFiles(): IterableIterator<FileSymbols> {
    return this.files.values();
  }

  /** UTF-16 offset of an LSP position in an indexed file (clamped to the text). */
  offsetAt(path: string, position: Position): number | undefined {
    const symbols = this.files.get(path);
    return symbols ? offsetIn(symbols.file, position) : undefined;
  }

  /** The definition or reference under the cursor: a binary search over the file's occurrences. */
  at(path: string, position: Position): Occurrence | undefined {
    const symbols = this.files.get(path);
    if (!symbols) return undefined;
    return occurrenceAt(symbols.occurrences, offsetIn(symbols.file, position));
  }

  attributeIds(): IterableIterator<string> {
    return this.attributes.keys();
  }

  /**
   * Changes whenever attribute definitions may have come or gone (a file defining attributes was
   * indexed or dropped): what is derived from `attributeIds()` can be kept while it stays the same.
   */
  get attributeIdsVersion(): number {
    return this.attributeChanges;
  }

  groupIds(): IterableIterator<string> {
    return this.groups.keys();
  }

  /** Definitions of an attribute id; the registry's own come before its dependencies'. */
  attributeDefinitions(id: string): AttributeSymbol[] {
    return this.localFirst(this.attributes.get(id) ?? []);
  }

  attribute(id: string): AttributeSymbol | undefined {
    return this.attributeDefinitions(id)[0];
  }

  groupDefinitions(id: string): GroupSymbol[] {
    return this.localFirst(this.groups.get(id) ?? []);
  }

  group(id: string): GroupSymbol | undefined {
    return this.groupDefinitions(id)[0];
  }

  /** What a group-level reference points at: the group id, else a signal of the kind and name written. */
  resolveGroupReference(ref: ReferenceSymbol): GroupSymbol[] {
    const direct = this.groupDefinitions(ref.target);
    if (direct.length > 0 || !ref.signalKind) return direct;
    return this.localFirst(this.signals.get(`${ref.signalKind}:${ref.written}`) ?? []);
  }

  /** `ref`s and `renamed_to`s naming an attribute, sorted by file and position. */
  attributeReferences(id: string): ReferenceSymbol[] {
    return sortReferences(this.attributeRefs.get(id) ?? []);
  }

  /** References to a group, by id or (refinements, span events) by its signal name. */
  groupReferences(group: GroupSymbol): ReferenceSymbol[] {
    const out = new Set(this.groupRefs.get(group.id) ?? []);
    if (group.signal) for (const r of this.groupRefs.get(`signal:${group.signal.kind}:${group.signal.name}`) ?? []) out.add(r);
    return sortReferences([...out]);
  }

  allAttributes(): AttributeSymbol[] {
    return [...this.attributes.values()].flat();
  }

  allGroups(): GroupSymbol[] {
    return [...this.groups.values()].flat();
  }

  private localFirst<T extends { file: string }>(list: T[]): T[] {
    if (list.length < 2) return list;
    return [...list].sort((a, b) => Number(!this.local.has(a.file)) - Number(!this.local.has(b.file)) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  private add(symbols: FileSymbols): void {
    if (symbols.attributes.length > 0) this.attributeChanges++;
    for (const a of symbols.attributes) push(this.attributes, a.id, a);
    for (const g of symbols.groups) {
      push(this.groups, g.id, g);
      if (g.signal) push(this.signals, `${g.signal.kind}:${g.signal.name}`, g);
    }
    for (const r of symbols.references) {
      if (r.kind === 'ref' || r.kind === 'renamed_to') push(this.attributeRefs, r.target, r);
      else {
        push(this.groupRefs, r.target, r);
        if (r.signalKind) push(this.groupRefs, `signal:${r.signalKind}:${r.written}`, r);
      }
    }
  }

  private remove(symbols: FileSymbols): void {
    const path = symbols.file.path;
    if (symbols.attributes.length > 0) this.attributeChanges++;
    for (const a of symbols.attributes) pull(this.attributes, a.id, path);
    for (const g of symbols.groups) {
      pull(this.groups, g.id, path);
      if (g.signal) pull(this.signals, `${g.signal.kind}:${g.signal.name}`, path);
    }
    for (const r of symbols.references) {
      if (r.kind === 'ref' || r.kind === 'renamed_to') pull(this.attributeRefs, r.target, path);
      else {
        pull(this.groupRefs, r.target, path);
        if (r.signalKind) pull(this.groupRefs, `signal:${r.signalKind}:${r.written}`, path);
      }
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<T extends { file: string }>(map: Map<string, T[]>, key: string, file: string): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter((x) => x.file !== file);
  if (kept.length === 0) map.delete(key);
  else map.set(key, kept);
}

function collectDependencies(registry: LoadedRegistry, into: Map<string, ParsedFile>, seen: Set<string>): void {
  for (const dep of registry.dependencies) {
    if (!dep.registry || seen.has(dep.registry.root)) continue;
    seen.add(dep.registry.root);
    for (const f of dep.registry.files) if (!into.has(f.path)) into.set(f.path, f);
    collectDependencies(dep.registry, into, seen);
  }
}

function sortReferences(list: ReferenceSymbol[]): ReferenceSymbol[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
}

/** UTF-16 offset of a 0-based line/character in a parsed file, clamped to the line and the text. */
export function offsetIn(file: ParsedFile, position: Position): number {
  const starts = file.lineCounter.lineStarts;
  if (starts.length === 0) return Math.min(Math.max(0, position.character), file.text.length);
  const line = Math.min(Math.max(0, position.line), starts.length - 1);
  const start = starts[line]!;
  const next = line + 1 < starts.length ? starts[line + 1]! - 1 : file.text.length;
  return Math.min(start + Math.max(0, position.character), Math.max(start, next));
}

/** The occurrence whose span holds `offset` (its end included, so a cursor right after a word finds it). */
export function occurrenceAt(occurrences: readonly Occurrence[], offset: number): Occurrence | undefined {
  let lo = 0;
  let hi = occurrences.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (occurrences[mid]!.span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const hit = occurrences[found]!;
  return offset <= hit.span.end ? hit : undefined;
}
