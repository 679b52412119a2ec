import { mdCode, mdText } from '../../report/safeText';
import type { SchemaChangesV1, SchemaItemChange } from './schemaChanges';

/**
 * A readable report of a v1 diff (the editor opens it next to the JSON; `registry diff --format
 * markdown` prints it, often into a pull request comment). Names and versions come from the
 * registries: names are inline code and notes escaped text (safeText), so neither can add a link,
 * an image, HTML, a mention or a line.
 */
export function diffMarkdown(diff: SchemaChangesV1): string {
  const lines = [`# Registry changes ${version(diff.baseline.semconv_version, 'baseline')} -> ${version(diff.head.semconv_version, 'head')}`, ''];
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

function version(value: string | undefined, fallback: string): string {
  return value ? mdText(value) : fallback;
}

function note(text: string | undefined): string {
  return text ? `: ${mdText(text.trim())}` : '';
}

function describe(c: SchemaItemChange): string {
  switch (c.type) {
    case 'added':
      return `added ${mdCode(c.name)}`;
    case 'removed':
      return `removed ${mdCode(c.name)}`;
    case 'renamed':
      return `renamed ${mdCode(c.old_name)} to ${mdCode(c.new_name)}${note(c.note)}`;
    case 'obsoleted':
      return `obsoleted ${mdCode(c.name)}${note(c.note)}`;
    case 'uncategorized':
      return `deprecated ${mdCode(c.name)}${note(c.note)}`;
  }
}
