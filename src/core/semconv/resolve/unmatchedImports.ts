import { isScalar, isSeq } from 'yaml';
import type { ParsedFile } from '../parsedFile';
import { nodeRange } from '../positions';
import { asMap, getNode, resolveNode } from '../yamlNodes';
import type { ResolveError } from './errors';
import { globToRegExp, type ImportField } from './imports';

/**
 * Weaver's `UnmatchedImport { pattern, signal }` warning: an `imports` pattern that names none of the
 * groups the dependencies offer, nearly always a typo or a stale name. Patterns are matched across all
 * dependencies at once, as weaver does: naming nothing in one dependency is fine when another has it.
 */

const FIELDS: readonly ImportField[] = ['metrics', 'events', 'spans', 'entities', 'attribute_groups'];

/** A group a dependency offers for import: the field that can name it, and the strings it answers to. */
export interface ImportCandidate {
  field: ImportField;
  keys: readonly string[];
}

export function unmatchedImports(files: readonly ParsedFile[], candidates: readonly ImportCandidate[]): ResolveError[] {
  const out: ResolveError[] = [];
  for (const file of files) {
    if (file.kind !== 'v1' && file.kind !== 'v2') continue;
    const root = asMap(file.doc, file.doc.contents);
    const imports = root ? asMap(file.doc, getNode(file.doc, root, 'imports')) : undefined;
    if (!imports) continue;
    for (const field of FIELDS) {
      const list = resolveNode(file.doc, imports.get(field, true));
      if (!isSeq(list)) continue;
      for (const item of list.items) {
        const node = resolveNode(file.doc, item);
        if (!isScalar(node) || typeof node.value !== 'string') continue;
        const pattern = node.value;
        const re = globToRegExp(pattern);
        if (candidates.some((c) => c.field === field && c.keys.some((k) => re.test(k)))) continue;
        out.push({
          kind: 'UnmatchedImport',
          fields: { pattern, signal: field },
          message: `The import pattern '${pattern}' names no ${field.replace(/_/g, ' ')} of the dependencies: fix the name or remove it.`,
          location: { file: file.path, range: nodeRange(file.lineCounter, node) },
        });
      }
    }
  }
  return out;
}
