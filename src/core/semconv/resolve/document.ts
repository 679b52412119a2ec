import { stringify } from 'yaml';
import type { ResolvedRegistry } from '../resolved/types';
import { toWeaverJson } from './weaverJson';

export type ResolvedDocumentFormat = 'json' | 'yaml';

/**
 * The resolved registry as one document: weaver's resolved form (`registry` with catalog indices and
 * the `catalog` of attributes), in JSON or YAML.
 */
export function resolvedToDocument(registry: ResolvedRegistry, format: ResolvedDocumentFormat): string {
  const { registry: reg, catalog } = toWeaverJson(registry);
  const doc = { catalog: { attributes: catalog }, registry: reg };
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 });
}
