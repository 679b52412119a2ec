import { registryStatsV1, registryStatsV2 } from '../semconv/stats/registryStats';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { REPORT } from './reportState';
import { loadedRegistryView } from './registryView';

/** `registry.stats`: see catalog.ts. */
export async function registryStats(ctx: ServiceContext): Promise<ServiceResult> {
  const view = await loadedRegistryView(ctx, 'registry.stats');
  const v2 = ctx.inputs.v2 === true;
  const stats = v2 ? registryStatsV2(view) : registryStatsV1(view);
  ctx.state.set(REPORT, { title: 'registry stats', format: 'json', content: `${JSON.stringify(stats, null, 2)}\n`, data: stats });
  const byType: Record<string, number> = {};
  for (const g of view.groups) byType[g.type] = (byType[g.type] ?? 0) + 1;
  return { outputs: { source: view.source, fileCount: view.fileCount, groupCount: view.groups.length, attributeCount: view.attributes.length, groupsByType: byType } };
}
