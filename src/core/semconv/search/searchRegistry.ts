import type { Deprecation, RegistryView, ViewAttribute, ViewGroup } from '../stats/registryView';
import { scoreMatch } from './scoring';

/**
 * `registry search` on the native engine: weaver's search engine (crate weaver_search) over the
 * registry's attributes, metrics, spans, events and entities. Each result is weaver's
 * `SearchResult`: `result_type` and `score` next to the item's own fields (v2 names: `key` for
 * attributes, `name` for metrics and events, `type` for spans and entities). Results are sorted by
 * score, highest first; equal scores keep registry order (attributes, metrics, spans, events, entities).
 */

export type SearchType = 'all' | 'attribute' | 'metric' | 'span' | 'event' | 'entity';
export const SEARCH_TYPES: readonly SearchType[] = ['all', 'attribute', 'metric', 'span', 'event', 'entity'];

interface CommonFields {
  brief: string;
  note: string;
  stability?: string;
  deprecated?: Deprecation;
}

export type SearchResult =
  | ({ result_type: 'attribute'; score: number; key: string; type: string } & CommonFields)
  | ({ result_type: 'metric'; score: number; name: string; instrument?: string; unit?: string } & CommonFields)
  | ({ result_type: 'span'; score: number; type: string; kind?: string } & CommonFields)
  | ({ result_type: 'event'; score: number; name: string } & CommonFields)
  | ({ result_type: 'entity'; score: number; type: string } & CommonFields);

export interface SearchOptions {
  /** Empty or absent: browse mode, every item with score 0 in registry order. */
  query?: string;
  type?: SearchType;
  /** Only items of this stability (`stable`, `development`...). */
  stability?: string;
  /** Maximum number of results (default 20). */
  limit?: number;
}

export interface SearchOutput {
  query: string;
  /** How many items matched before `limit` was applied. */
  total: number;
  results: SearchResult[];
}

interface Item {
  kind: Exclude<SearchType, 'all'>;
  id: string;
  fields: CommonFields;
  result: (score: number) => SearchResult;
}

function commonOf(x: ViewAttribute | ViewGroup): CommonFields {
  const out: CommonFields = { brief: x.brief, note: x.note };
  if (x.stability) out.stability = x.stability;
  if (x.deprecated) out.deprecated = x.deprecated;
  return out;
}

function itemsOf(view: RegistryView): Item[] {
  const items: Item[] = [];
  for (const a of view.attributes) {
    const fields = commonOf(a);
    items.push({ kind: 'attribute', id: a.key, fields, result: (score) => ({ result_type: 'attribute', score, key: a.key, type: a.type, ...fields }) });
  }
  const signals = (type: ViewGroup['type']) => view.groups.filter((g) => g.type === type && g.signalName);
  for (const g of signals('metric')) {
    const fields = commonOf(g);
    const name = g.signalName as string;
    items.push({
      kind: 'metric',
      id: name,
      fields,
      result: (score) => ({ result_type: 'metric', score, name, ...(g.instrument ? { instrument: g.instrument } : {}), ...(g.unit !== undefined ? { unit: g.unit } : {}), ...fields }),
    });
  }
  for (const g of signals('span')) {
    const fields = commonOf(g);
    const type = g.signalName as string;
    items.push({ kind: 'span', id: type, fields, result: (score) => ({ result_type: 'span', score, type, ...(g.spanKind ? { kind: g.spanKind } : {}), ...fields }) });
  }
  for (const g of signals('event')) {
    const fields = commonOf(g);
    const name = g.signalName as string;
    items.push({ kind: 'event', id: name, fields, result: (score) => ({ result_type: 'event', score, name, ...fields }) });
  }
  for (const g of signals('entity')) {
    const fields = commonOf(g);
    const type = g.signalName as string;
    items.push({ kind: 'entity', id: type, fields, result: (score) => ({ result_type: 'entity', score, type, ...fields }) });
  }
  return items;
}

export function searchRegistry(view: RegistryView, options: SearchOptions = {}): SearchOutput {
  const type = options.type ?? 'all';
  const limit = Math.max(0, options.limit ?? 20);
  const query = options.query?.trim() ?? '';
  let items = itemsOf(view).filter((i) => type === 'all' || i.kind === type);
  if (options.stability) items = items.filter((i) => i.fields.stability === options.stability);
  if (query === '') {
    return { query, total: items.length, results: items.slice(0, limit).map((i) => i.result(0)) };
  }
  const scored = items
    .map((item, index) => ({ item, index, score: scoreMatch(query, item.id, item.fields.brief, item.fields.note, item.fields.deprecated !== undefined) }))
    .filter((s) => s.score > 0)
    .sort((x, y) => y.score - x.score || x.index - y.index);
  return { query, total: scored.length, results: scored.slice(0, limit).map((s) => s.item.result(s.score)) };
}
