import { SEARCH_TYPES, searchRegistry, type SearchType } from '../semconv/search/searchRegistry';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { REPORT } from './reportState';
import { loadedRegistryView } from './registryView';
import { ERR_INPUT_INVALID } from './reportErrors';
import { ServiceError } from './serviceError';

function optionalString(ctx: ServiceContext, name: string): string | undefined {
  const v = ctx.inputs[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ServiceError(`registry.search: the input "${name}" must be a string, got ${JSON.stringify(v)}`, ERR_INPUT_INVALID);
  return v;
}

/** `registry.search`: see catalog.ts. */
export async function registrySearch(ctx: ServiceContext): Promise<ServiceResult> {
  const query = optionalString(ctx, 'query') ?? '';
  const type = optionalString(ctx, 'searchType') ?? 'all';
  if (!(SEARCH_TYPES as readonly string[]).includes(type)) {
    throw new ServiceError(`registry.search: the input "searchType" is '${type}': use one of ${SEARCH_TYPES.join(', ')}`, ERR_INPUT_INVALID);
  }
  const rawLimit = ctx.inputs.limit;
  const limit = rawLimit === undefined ? 20 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ServiceError(`registry.search: the input "limit" must be a whole number of 1 or more, got ${JSON.stringify(rawLimit)}`, ERR_INPUT_INVALID);
  }
  const stability = optionalString(ctx, 'stability');
  const view = await loadedRegistryView(ctx, 'registry.search');
  const found = searchRegistry(view, { query, type: type as SearchType, limit, ...(stability ? { stability } : {}) });
  ctx.state.set(REPORT, { title: `registry search ${query}`.trim(), format: 'json', content: `${JSON.stringify(found, null, 2)}\n`, data: found });
  return { outputs: { query, total: found.total, resultCount: found.results.length, topResult: found.results[0]?.score ?? 0 } };
}
