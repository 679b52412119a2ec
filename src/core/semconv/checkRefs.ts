import type { RegistryDiagnostic } from '../engine/diagnostic';
import { didYouMean } from './closestMatch';
import { CHECK_CODES, diagnostic, type CheckCode } from './diagnostics';
import type { FileModel, GroupReference, SignalKind } from './model';

/** Everything a reference can resolve to: this registry's definitions plus its loaded dependencies'. */
export interface DefinitionIndex {
  attributeIds: Set<string>;
  groupIds: Set<string>;
  /** Signal names by kind (`metric` -> metric names), for refinements written as `ref: <name>`. */
  signalNames: Record<SignalKind, Set<string>>;
}

export function emptyIndex(): DefinitionIndex {
  return {
    attributeIds: new Set(),
    groupIds: new Set(),
    signalNames: { span: new Set(), metric: new Set(), event: new Set(), entity: new Set() },
  };
}

export function addToIndex(index: DefinitionIndex, model: FileModel): void {
  for (const a of model.attributes) index.attributeIds.add(a.id);
  for (const g of model.groups) {
    index.groupIds.add(g.id);
    if (g.signal) index.signalNames[g.signal.kind].add(g.signal.name);
  }
}

/**
 * `ref`s to attributes and references to groups (`extends`, `ref_group`, refinement `ref`, span
 * `events`) that name nothing in the registry or its loaded dependencies. v1 and v2 files share one
 * namespace: a v2 file may reference an attribute defined in a v1 file and the other way round.
 */
export function checkRefs(models: ReadonlyArray<FileModel>, index: DefinitionIndex, hasDependencies: boolean): RegistryDiagnostic[] {
  const scope = hasDependencies ? 'in this registry or its dependencies' : 'in this registry';
  return undefinedRefs(models, index, {
    attribute: (ref) => [
      CHECK_CODES.unresolvedRef,
      `attribute '${ref.ref}' referenced by ${ref.usedIn} is not defined ${scope}${didYouMean(ref.ref, index.attributeIds)}: fix the reference or define the attribute`,
    ],
    group: (ref) => [CHECK_CODES.unresolvedGroupRef, groupRefMessage(ref, index, scope)],
  });
}

/**
 * With a dependency not loaded (not fetched, not found, not read), a reference defined nowhere the
 * check sees may be defined in that dependency, or may be a typo: either way it was not checked, and
 * saying nothing would let a misspelled ref pass. Each such reference is an error on the ref naming
 * the dependencies it could not be checked against. `unavailable` describes them (non-empty).
 */
export function uncheckedRefs(models: ReadonlyArray<FileModel>, index: DefinitionIndex, unavailable: readonly string[]): RegistryDiagnostic[] {
  const against = unavailable.length === 1 ? `dependency ${unavailable[0]}` : `dependencies ${unavailable.join(', ')}`;
  const todo = 'fix it if it is a typo; else make the dependency available (a local registry_path) or check with --engine weaver, which fetches it';
  return undefinedRefs(models, index, {
    attribute: (ref) => [
      CHECK_CODES.refNotChecked,
      `attribute '${ref.ref}' referenced by ${ref.usedIn} is not defined in this registry and could not be checked against ${against}${didYouMean(ref.ref, index.attributeIds)}: ${todo}`,
    ],
    group: (ref) => [
      CHECK_CODES.refNotChecked,
      `${ref.via === 'refinement' ? (ref.signalKind ?? 'signal') : 'group'} '${ref.written}' (${ref.via}) used by ${ref.usedIn} is not defined in this registry and could not be checked against ${against}${didYouMean(ref.written, index.groupIds)}: ${todo}`,
    ],
  });
}

type AttributeRef = FileModel['attributeRefs'][number];

/** One error per reference that names nothing the index holds, with the code and message `say` gives. */
function undefinedRefs(
  models: ReadonlyArray<FileModel>,
  index: DefinitionIndex,
  say: { attribute: (ref: AttributeRef) => [CheckCode, string]; group: (ref: GroupReference) => [CheckCode, string] },
): RegistryDiagnostic[] {
  const out: RegistryDiagnostic[] = [];
  for (const model of models) {
    for (const ref of model.attributeRefs) {
      if (index.attributeIds.has(ref.ref)) continue;
      const [code, message] = say.attribute(ref);
      out.push(diagnostic(ref.file, ref.range, 'error', code, message));
    }
    for (const ref of model.groupRefs) {
      if (resolves(ref, index)) continue;
      const [code, message] = say.group(ref);
      out.push(diagnostic(ref.file, ref.range, 'error', code, message));
    }
  }
  return out;
}

function resolves(ref: GroupReference, index: DefinitionIndex): boolean {
  if (index.groupIds.has(ref.target)) return true;
  return ref.signalKind !== undefined && index.signalNames[ref.signalKind].has(ref.written);
}

function groupRefMessage(ref: GroupReference, index: DefinitionIndex, scope: string): string {
  switch (ref.via) {
    case 'extends':
      return `group '${ref.written}' extended by ${ref.usedIn} is not defined ${scope}${didYouMean(ref.written, index.groupIds)}: fix the id or define the group`;
    case 'ref_group':
      return `attribute group '${ref.written}' included by ${ref.usedIn} is not defined ${scope}${didYouMean(ref.written, index.groupIds)}: fix the id or define the attribute group`;
    case 'refinement': {
      const kind = ref.signalKind ?? 'signal';
      const names = ref.signalKind ? signalCandidates(index, ref.signalKind) : index.groupIds;
      return `${kind} '${ref.written}' refined by ${ref.usedIn} is not defined ${scope}${didYouMean(ref.written, names)}: fix the name or define the ${kind}`;
    }
    case 'events':
      return `event '${ref.written}' listed by ${ref.usedIn} is not defined ${scope}${didYouMean(ref.written, index.groupIds)}: fix the event group id`;
  }
}

/** Names a refinement can refine: signal names of that kind, and group ids `<kind>.<name>` (v1 groups). */
function signalCandidates(index: DefinitionIndex, kind: SignalKind): Set<string> {
  const names = new Set(index.signalNames[kind]);
  const prefix = `${kind}.`;
  for (const id of index.groupIds) if (id.startsWith(prefix)) names.add(id.slice(prefix.length));
  return names;
}

/** What one file's refs gave against one index; reused while neither the parse nor the index changes. */
interface FileRefFindings {
  index: DefinitionIndex;
  hasDependencies: boolean;
  found: RegistryDiagnostic[];
}

const fileRefCache = new WeakMap<FileModel, FileRefFindings>();

/** Files whose refs were actually checked (cache misses); lets tests prove a re-check reused the rest. */
export const refCheckCounter = { files: 0 };

/**
 * `checkRefs`, file by file, reusing a file's findings when its model (one per parse) and the index
 * (one object per distinct set of definitions) are the ones it was checked against: on a keystroke
 * that leaves the definitions alone, only the edited file is checked again.
 */
export function checkRefsCached(models: ReadonlyArray<FileModel>, index: DefinitionIndex, hasDependencies: boolean): RegistryDiagnostic[] {
  const out: RegistryDiagnostic[] = [];
  for (const model of models) {
    let entry = fileRefCache.get(model);
    if (!entry || entry.index !== index || entry.hasDependencies !== hasDependencies) {
      refCheckCounter.files++;
      entry = { index, hasDependencies, found: checkRefs([model], index, hasDependencies) };
      fileRefCache.set(model, entry);
    }
    for (const d of entry.found) out.push(d);
  }
  return out;
}

const definitionKeys = new WeakMap<FileModel, string>();

/** What a file defines (attribute ids, group ids, signal names), as one string: equal keys mean equal contributions. */
export function definitionKey(model: FileModel): string {
  let key = definitionKeys.get(model);
  if (key === undefined) {
    const parts: string[] = [];
    // Derived ids are marked: the registry summary counts only the others.
    for (const a of model.attributes) parts.push(a.derived ? `d:${a.id}` : `a:${a.id}`);
    for (const g of model.groups) parts.push(g.signal ? `g:${g.id}\n${g.signal.kind}:${g.signal.name}` : `g:${g.id}`);
    key = parts.join('\n');
    definitionKeys.set(model, key);
  }
  return key;
}
