import { relative } from 'node:path';
import type { Range } from '../../core/engine/diagnostic';
import type { Occurrence, SymbolIndex } from '../../core/semconv/symbols';

/**
 * Renaming an attribute id: its definition (v1 `id` under the group prefix, or v2 `key`) and every
 * `ref` and `renamed_to` naming it, across all files of the registry.
 */

/** Weaver's naming rule for attribute ids: lowercase words joined by `.` (namespaces) or `_`. */
const ATTRIBUTE_ID = /^[a-z][a-z0-9]*([._][a-z0-9]+)*$/;

export interface RenameTarget {
  /** The attribute id being renamed. */
  id: string;
  /** The range under the cursor the editor highlights, and the text it offers to edit. */
  range: Range;
  placeholder: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

function attributeIdAt(occurrence: Occurrence): { id: string; range: Range; prefix: string } | undefined {
  if (occurrence.kind === 'attribute') return { id: occurrence.symbol.id, range: occurrence.symbol.range, prefix: occurrence.symbol.prefix };
  if (occurrence.kind === 'reference' && (occurrence.symbol.kind === 'ref' || occurrence.symbol.kind === 'renamed_to')) {
    return { id: occurrence.symbol.target, range: occurrence.symbol.range, prefix: '' };
  }
  return undefined;
}

export function prepareRename(index: SymbolIndex, occurrence: Occurrence | undefined): Outcome<RenameTarget> {
  const target = occurrence && attributeIdAt(occurrence);
  if (!target) return { ok: false, message: 'Only attribute ids can be renamed: put the cursor on an attribute id, key, ref or renamed_to.' };
  const definitions = index.attributeDefinitions(target.id);
  if (definitions.length === 0) return { ok: false, message: `Attribute '${target.id}' is not defined in this registry: there is nothing to rename.` };
  const foreign = definitions.find((d) => !index.isLocal(d.file));
  if (foreign && !definitions.some((d) => index.isLocal(d.file))) {
    return { ok: false, message: `Attribute '${target.id}' is defined by a dependency (${foreign.file}): rename it in that registry.` };
  }
  // A v1 definition under a group prefix shows only the suffix; the editor offers the full id anyway.
  return { ok: true, value: { id: target.id, range: target.range, placeholder: target.id } };
}

/** The edits of a rename, per file; or why the new name is refused. */
export function renameAttribute(index: SymbolIndex, occurrence: Occurrence | undefined, newName: string): Outcome<Map<string, Array<{ range: Range; newText: string }>>> {
  const prepared = prepareRename(index, occurrence);
  if (!prepared.ok) return prepared;
  const { id } = prepared.value;
  const name = newName.trim();
  if (!ATTRIBUTE_ID.test(name)) {
    return {
      ok: false,
      message: `'${newName}' is not a valid attribute id: use lowercase letters and digits, '.' between namespaces and '_' between words (e.g. 'http.request.method').`,
    };
  }
  const edits = new Map<string, Array<{ range: Range; newText: string }>>();
  if (name === id) return { ok: true, value: edits };
  const clash = index.attribute(name);
  if (clash) {
    return { ok: false, message: `Attribute '${name}' already exists (${relative(index.root, clash.file)}:${clash.range.start.line + 1}): pick another id.` };
  }
  const add = (file: string, range: Range, newText: string): void => {
    const list = edits.get(file) ?? [];
    list.push({ range, newText });
    edits.set(file, list);
  };
  for (const def of index.attributeDefinitions(id)) {
    if (!index.isLocal(def.file)) continue;
    if (def.prefix) {
      if (!name.startsWith(`${def.prefix}.`)) {
        return {
          ok: false,
          message: `'${id}' is defined under the group prefix '${def.prefix}' (${relative(index.root, def.file)}:${def.range.start.line + 1}): the new id must start with '${def.prefix}.'.`,
        };
      }
      add(def.file, def.range, name.slice(def.prefix.length + 1));
    } else {
      add(def.file, def.range, name);
    }
  }
  for (const ref of index.attributeReferences(id)) if (index.isLocal(ref.file)) add(ref.file, ref.range, name);
  return { ok: true, value: edits };
}
