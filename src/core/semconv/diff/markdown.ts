import type { SchemaChangesV1, SchemaItemChange } from './schemaChanges';

/** A readable report of a v1 diff (the editor opens it next to the JSON). */
export function diffMarkdown(diff: SchemaChangesV1): string {
  const lines = [`# Registry changes ${diff.baseline.semconv_version || 'baseline'} -> ${diff.head.semconv_version || 'head'}`, ''];
  const sections: Array<[string, SchemaItemChange[]]> = [
    ['Attributes', diff.changes.registry_attributes],
    ['Metrics', diff.changes.metrics],
    ['Events', diff.changes.events],
    ['Spans', diff.changes.spans],
    ['Entities', diff.changes.entities],
  ];
  for (const [title, changes] of sections) {
    lines.push(`## ${title} (${changes.length})`, '');
    if (changes.length === 0) lines.push('No changes.', '');
    for (const c of changes) lines.push(`- ${describe(c)}`);
    if (changes.length > 0) lines.push('');
  }
  return lines.join('\n');
}

function describe(c: SchemaItemChange): string {
  switch (c.type) {
    case 'added':
      return `added \`${c.name}\``;
    case 'removed':
      return `removed \`${c.name}\``;
    case 'renamed':
      return `renamed \`${c.old_name}\` to \`${c.new_name}\`${c.note ? `: ${c.note.trim()}` : ''}`;
    case 'obsoleted':
      return `obsoleted \`${c.name}\`${c.note ? `: ${c.note.trim()}` : ''}`;
    case 'uncategorized':
      return `deprecated \`${c.name}\`${c.note ? `: ${c.note.trim()}` : ''}`;
  }
}
