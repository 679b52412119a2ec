import { safeJson, safeYaml } from '../../report/safeText';
import type { ResolvedRegistry } from '../resolved/types';
import { toResolvedV2 } from './resolvedV2';
import { toWeaverJson } from './weaverJson';

export type ResolvedDocumentFormat = 'json' | 'yaml';

/**
 * The resolved registry as one document, in JSON or YAML: weaver's resolved form (`registry` with
 * catalog indices and the `catalog` of attributes), or with `v2` its `resolved/2.0` form. Both parse
 * back to the registry's strings; what would fool a terminal or a CI log is escaped (safeText).
 */
export function resolvedToDocument(registry: ResolvedRegistry, format: ResolvedDocumentFormat, options: { v2?: boolean } = {}): string {
  let doc: unknown;
  if (options.v2) doc = toResolvedV2(registry);
  else {
    const { registry: reg, catalog } = toWeaverJson(registry);
    doc = { catalog: { attributes: catalog }, registry: reg };
  }
  return format === 'json' ? `${safeJson(JSON.stringify(doc, null, 2))}\n` : safeYaml(doc);
}
