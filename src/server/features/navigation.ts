import type { Range } from '../../core/engine/diagnostic';
import type { Occurrence, SymbolIndex } from '../../core/semconv/symbols';

/** Go to definition and find references over the symbol index, in core terms (file + range). */

export interface FileRange {
  file: string;
  range: Range;
}

/** Where the thing under the cursor is defined (a definition's own name included). */
export function definitionsOf(index: SymbolIndex, occurrence: Occurrence): FileRange[] {
  switch (occurrence.kind) {
    case 'attribute':
      return index.attributeDefinitions(occurrence.symbol.id).map(({ file, range }) => ({ file, range }));
    case 'group':
      return index.groupDefinitions(occurrence.symbol.id).map(({ file, range }) => ({ file, range }));
    case 'reference': {
      const ref = occurrence.symbol;
      if (ref.kind === 'ref' || ref.kind === 'renamed_to') return index.attributeDefinitions(ref.target).map(({ file, range }) => ({ file, range }));
      return index.resolveGroupReference(ref).map(({ file, range }) => ({ file, range }));
    }
  }
}

/** Every use of the attribute or group under the cursor across the registry, definitions optional. */
export function referencesOf(index: SymbolIndex, occurrence: Occurrence, includeDeclaration: boolean): FileRange[] {
  const out: FileRange[] = [];
  const attributeId =
    occurrence.kind === 'attribute'
      ? occurrence.symbol.id
      : occurrence.kind === 'reference' && (occurrence.symbol.kind === 'ref' || occurrence.symbol.kind === 'renamed_to')
        ? occurrence.symbol.target
        : undefined;
  if (attributeId !== undefined) {
    if (includeDeclaration) for (const d of index.attributeDefinitions(attributeId)) out.push({ file: d.file, range: d.range });
    for (const r of index.attributeReferences(attributeId)) out.push({ file: r.file, range: r.range });
    return out;
  }
  const groups =
    occurrence.kind === 'group'
      ? index.groupDefinitions(occurrence.symbol.id)
      : occurrence.kind === 'reference'
        ? index.resolveGroupReference(occurrence.symbol)
        : [];
  if (groups.length === 0 && occurrence.kind === 'reference') {
    // An unresolved group reference: its siblings naming the same missing id are still worth listing.
    const missing = occurrence.symbol;
    return [...index.allFiles()]
      .flatMap((f) => f.references.filter((r) => r.kind === missing.kind && r.target === missing.target))
      .map((r) => ({ file: r.file, range: r.range }));
  }
  const seen = new Set<string>();
  for (const g of groups) {
    if (includeDeclaration) out.push({ file: g.file, range: g.range });
    for (const r of index.groupReferences(g)) {
      const key = `${r.file}:${r.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ file: r.file, range: r.range });
    }
  }
  return out;
}
