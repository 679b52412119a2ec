import { stringify } from 'yaml';
import type { ResolvedRegistry } from '../resolved/types';
import { toResolvedV2 } from './resolvedV2';
import { toWeaverJson } from './weaverJson';

export type ResolvedDocumentFormat = 'json' | 'yaml';

/**
 * The resolved registry as one document, in JSON or YAML: weaver's resolved form (`registry` with
 * catalog indices and the `catalog` of attributes), or with `v2` its `resolved/2.0` form.
 */
export function resolvedToDocument(registry: ResolvedRegistry, format: ResolvedDocumentFormat, options: { v2?: boolean } = {}): string {
  let doc: unknown;
  if (options.v2) doc = toResolvedV2(registry);
  else {
    const { registry: reg, catalog } = toWeaverJson(registry);
    doc = { catalog: { attributes: catalog }, registry: reg };
  }
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0 });
}
