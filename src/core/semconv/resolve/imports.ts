import type { ParsedFile } from '../parsedFile';
import { asMap, getNode } from '../yamlNodes';
import { plainValue } from './groupSpec';

/**
 * A registry's `imports:` (v1 and v2 files alike): which signals of its dependencies it re-exposes.
 * Patterns are globs (`example.*`) matched the way weaver matches them: against the signal name, and
 * for v2 groups also against the id and the id without its `span.`/`metric.`... prefix.
 */

export type ImportField = 'metrics' | 'events' | 'spans' | 'entities' | 'attribute_groups';

const FIELDS: readonly ImportField[] = ['metrics', 'events', 'spans', 'entities', 'attribute_groups'];

export type ImportPatterns = Record<ImportField, RegExp[]>;

export function emptyImports(): ImportPatterns {
  return { metrics: [], events: [], spans: [], entities: [], attribute_groups: [] };
}

/** A glob as weaver's globset reads it here: `*` any run of characters, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const ch of glob) {
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Adds the `imports:` patterns of one file. */
export function collectImports(file: ParsedFile, into: ImportPatterns): void {
  const root = asMap(file.doc, file.doc.contents);
  if (!root) return;
  const imports = plainValue(file, getNode(file.doc, root, 'imports'));
  if (!imports || typeof imports !== 'object' || Array.isArray(imports)) return;
  for (const field of FIELDS) {
    const list = imports[field];
    if (!Array.isArray(list)) continue;
    for (const pattern of list) if (typeof pattern === 'string') into[field].push(globToRegExp(pattern));
  }
}

/** Which `imports` field can name a group of this type. */
export function importFieldOf(type: string): ImportField | undefined {
  switch (type) {
    case 'metric':
      return 'metrics';
    case 'event':
      return 'events';
    case 'span':
      return 'spans';
    case 'entity':
      return 'entities';
    case 'attribute_group':
      return 'attribute_groups';
    default:
      return undefined;
  }
}

const V2_PREFIX: Record<ImportField, string> = {
  metrics: 'metric.',
  events: 'event.',
  spans: 'span.',
  entities: 'entity.',
  attribute_groups: 'attribute_group.',
};

/** The strings an import pattern can name a group by (weaver's `import_match_keys`). */
export function importKeys(group: { id: string; type: string; name?: string; metricName?: string; v2: boolean }): string[] {
  const field = importFieldOf(group.type);
  if (!field) return [];
  if (group.v2) {
    const keys = [group.id];
    const signalName = field === 'metrics' ? group.metricName : field === 'attribute_groups' ? undefined : group.name;
    if (signalName) keys.push(signalName);
    if (field === 'attribute_groups' && group.id.startsWith('registry.')) keys.push(group.id.slice('registry.'.length));
    if (group.id.startsWith(V2_PREFIX[field])) keys.push(group.id.slice(V2_PREFIX[field].length));
    return keys;
  }
  switch (field) {
    case 'attribute_groups':
    case 'spans':
      return [group.id];
    case 'events':
      return group.name ? [group.name] : [];
    case 'metrics':
      return group.metricName ? [group.metricName] : [];
    case 'entities': {
      const keys = [group.id];
      if (group.id.startsWith('entity.')) keys.push(group.id.slice('entity.'.length));
      if (group.name && !keys.includes(group.name)) keys.push(group.name);
      return keys;
    }
  }
}

export function isImported(patterns: ImportPatterns, group: Parameters<typeof importKeys>[0]): boolean {
  const field = importFieldOf(group.type);
  if (!field) return false;
  const list = patterns[field];
  if (list.length === 0) return false;
  return importKeys(group).some((key) => list.some((re) => re.test(key)));
}
