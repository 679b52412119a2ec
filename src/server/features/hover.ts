import { relative } from 'node:path';
import { mdCode, mdText, textKeepingBreaks } from '../../core/report/safeText';
import { groupAttributes, type AttributeSymbol, type GroupSymbol, type Occurrence, type ReferenceSymbol, type SymbolIndex } from '../../core/semconv/symbols';

/**
 * Hover text (Markdown) for what is under the cursor: an attribute (its definition, or a `ref` to
 * it), a group or signal with every attribute it ends up with, or a group-level reference.
 *
 * The registry may be hostile. Ids, values, types and paths are inline code (mdCode: no link, no
 * HTML, no command URI, controls spelled out); stabilities, levels and kinds escaped text. Briefs
 * and notes stay Markdown as their authors wrote them (semconv links to specifications), with ESC,
 * bidi and other invisible controls spelled out: the client renders hovers untrusted, so command
 * links and raw HTML in them do nothing.
 */

const MAX_MEMBERS = 30;
const MAX_GROUP_ATTRIBUTES = 80;

function code(text: string): string {
  return mdCode(text);
}

/** A brief or a note: Markdown as written, controls other than line breaks spelled out (no bidi reordering). */
function prose(text: string): string {
  return textKeepingBreaks(text);
}

/** Inline code in a table row: pipes escaped too. */
function cellCode(text: string): string {
  return mdCode(text, { inTable: true });
}

/** A step of where an attribute comes from, `extends <group id>`: the keyword, then the id as code. */
function viaCell(step: string): string {
  const space = step.indexOf(' ');
  // The keyword is ours (groupAttributes writes it); the id is the registry's.
  return space < 0 ? cellCode(step) : `${step.slice(0, space)} ${cellCode(step.slice(space + 1))}`;
}

/** Table cells: pipes and line breaks (CR included) would break the row. */
function cell(text: string): string {
  return textKeepingBreaks(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ');
}

export function where(index: SymbolIndex, file: string, line: number): string {
  const rel = relative(index.root, file) || file;
  return `${code(`${rel.startsWith('..') ? file : rel}:${line + 1}`)}`;
}

export function attributeMarkdown(index: SymbolIndex, attribute: AttributeSymbol, usage?: ReferenceSymbol): string {
  const lines: string[] = [];
  const stability = attribute.stability ? ` · ${mdText(attribute.stability)}` : '';
  lines.push(`**attribute** ${code(attribute.id)}${stability}`, '');
  if (attribute.type) lines.push(`**Type:** ${code(attribute.type)}`, '');
  if (attribute.brief) lines.push(prose(attribute.brief), '');
  if (attribute.note) lines.push(prose(attribute.note), '');
  if (attribute.members.length > 0) {
    lines.push('| member | value | stability |', '| --- | --- | --- |');
    for (const m of attribute.members.slice(0, MAX_MEMBERS)) {
      const brief = m.brief ? ` — ${m.brief}` : '';
      lines.push(`| ${cellCode(m.id)}${cell(brief)}${m.deprecated ? ' (deprecated)' : ''} | ${cellCode(m.value)} | ${mdText(m.stability ?? '')} |`);
    }
    if (attribute.members.length > MAX_MEMBERS) lines.push(`| … ${attribute.members.length - MAX_MEMBERS} more | | |`);
    lines.push('');
  }
  if (attribute.examples.length > 0) lines.push(`**Examples:** ${attribute.examples.map(code).join(', ')}`, '');
  const level = usage?.requirementLevel ?? attribute.requirementLevel;
  if (level) lines.push(`**Requirement level:** ${mdText(level)}${usage?.requirementLevel ? ' (set by this reference)' : ''}`, '');
  if (attribute.deprecated) {
    const d = attribute.deprecated;
    const parts = [`**Deprecated**${d.reason ? ` (${mdText(d.reason.trim())})` : ''}`];
    if (d.renamedTo) parts.push(`use ${code(d.renamedTo)} instead`);
    lines.push(parts.join(': '), '');
    if (d.note) lines.push(prose(d.note.trim()), '');
  }
  const owner = attribute.groupId ? ` in group ${code(attribute.groupId)}` : '';
  lines.push(`Defined in ${where(index, attribute.file, attribute.range.start.line)}${owner}`);
  return lines.join('\n');
}

export function groupMarkdown(index: SymbolIndex, group: GroupSymbol): string {
  const lines: string[] = [];
  const stability = group.stability ? ` · ${mdText(group.stability)}` : '';
  lines.push(`**${mdText(group.kind.replace(/_/g, ' '))}** ${code(group.format === 'v2' ? group.name : group.id)}${stability}`, '');
  if (group.format === 'v2' && group.id !== group.name) lines.push(`Group id: ${code(group.id)}`, '');
  if (group.brief) lines.push(prose(group.brief), '');
  for (const [label, value] of group.details) lines.push(`**${mdText(label)}:** ${code(value)}  `);
  if (group.details.length > 0) lines.push('');
  if (group.extends) lines.push(`**Extends:** ${code(group.extends)}`, '');
  if (group.refines) lines.push(`**Refines:** ${code(group.refines)}`, '');
  const attributes = groupAttributes(index, group);
  if (attributes.length > 0) {
    lines.push(`**Attributes (${attributes.length}):**`, '', '| attribute | type | requirement | from |', '| --- | --- | --- | --- |');
    for (const a of attributes.slice(0, MAX_GROUP_ATTRIBUTES)) {
      const from = a.via.length === 0 ? 'this group' : a.via.map(viaCell).join(' → ');
      const type = a.attribute?.type ? cellCode(a.attribute.type) : a.attribute ? '' : 'not defined';
      lines.push(`| ${cellCode(a.id)} | ${type} | ${mdText(a.requirementLevel ?? '')} | ${from} |`);
    }
    if (attributes.length > MAX_GROUP_ATTRIBUTES) lines.push(`| … ${attributes.length - MAX_GROUP_ATTRIBUTES} more | | | |`);
    lines.push('');
  }
  lines.push(`Defined in ${where(index, group.file, group.range.start.line)}`);
  return lines.join('\n');
}

const GROUP_REFERENCE_WORDS: Record<string, string> = {
  ref_group: 'attribute group',
  extends: 'extended group',
  include: 'included group',
  refinement: 'refined signal',
  events: 'event',
};

/** Markdown for an occurrence, or undefined when a reference names nothing known. */
export function hoverMarkdown(index: SymbolIndex, occurrence: Occurrence): string | undefined {
  switch (occurrence.kind) {
    case 'attribute':
      return attributeMarkdown(index, occurrence.symbol);
    case 'group':
      return groupMarkdown(index, occurrence.symbol);
    case 'reference': {
      const ref = occurrence.symbol;
      if (ref.kind === 'ref' || ref.kind === 'renamed_to') {
        const attribute = index.attribute(ref.target);
        if (!attribute) return `attribute ${code(ref.target)} is not defined in this registry or its loaded dependencies`;
        return attributeMarkdown(index, attribute, ref.kind === 'ref' ? ref : undefined);
      }
      const [group] = index.resolveGroupReference(ref);
      if (!group) return `${GROUP_REFERENCE_WORDS[ref.kind] ?? 'group'} ${code(ref.written)} is not defined in this registry or its loaded dependencies`;
      return groupMarkdown(index, group);
    }
  }
}
