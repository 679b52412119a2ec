import type { SymbolIndex } from './symbolIndex';
import type { AttributeSymbol, GroupSymbol } from './types';

/**
 * The attributes a group ends up with: its own entries, then those it pulls in through `ref_group`
 * and `extends` (transitively, refinements through the signal they refine). An attribute listed
 * again further down the chain keeps its first (closest) appearance, as weaver's resolution does.
 */

export interface GroupAttribute {
  id: string;
  /** The definition, when the index knows it. */
  attribute?: AttributeSymbol;
  /** The group whose attribute list holds the entry. */
  from: GroupSymbol;
  /** How it got here, outermost first: `[]` for the group's own entries, else `extends x`, `ref_group y`. */
  via: string[];
  requirementLevel?: string;
}

export function groupAttributes(index: SymbolIndex, group: GroupSymbol): GroupAttribute[] {
  const out: GroupAttribute[] = [];
  const seenIds = new Set<string>();
  const visiting = new Set<GroupSymbol>();

  const visit = (g: GroupSymbol, via: string[]): void => {
    // A cycle (a extends b extends a) is reported by the checks; here it only must not loop.
    if (visiting.has(g)) return;
    visiting.add(g);
    for (const entry of g.entries) {
      if (entry.kind === 'ref_group') {
        const target = index.group(entry.id);
        if (target) visit(target, [...via, `ref_group ${entry.id}`]);
        continue;
      }
      if (seenIds.has(entry.id)) continue;
      seenIds.add(entry.id);
      const attribute = index.attribute(entry.id);
      const item: GroupAttribute = { id: entry.id, from: g, via };
      if (attribute) item.attribute = attribute;
      const level = entry.kind === 'ref' ? (entry.requirementLevel ?? attribute?.requirementLevel) : attribute?.requirementLevel;
      if (level !== undefined) item.requirementLevel = level;
      out.push(item);
    }
    const parent = g.extends ?? g.refines;
    if (parent) {
      const target = index.group(parent);
      if (target) visit(target, [...via, `${g.extends ? 'extends' : 'refines'} ${parent}`]);
    }
    visiting.delete(g);
  };
  visit(group, []);
  return out;
}
