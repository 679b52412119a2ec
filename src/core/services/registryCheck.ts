import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_NO_REGISTRY_LOADED, ServiceError } from './serviceError';
import { CHECK_RESULT, LOADED_REGISTRY } from './stateKeys';

/** `registry.check`: see catalog.ts. */
export async function registryCheck(ctx: ServiceContext): Promise<ServiceResult> {
  const handle = ctx.state.get(LOADED_REGISTRY);
  if (!handle) {
    throw new ServiceError(
      `registry.check has no registry to check: put a registry.load task before "${ctx.activity.name}" in the workflow`,
      ERR_NO_REGISTRY_LOADED,
    );
  }
  const result = await ctx.host.engine.check(handle, ctx.signal);
  ctx.state.set(CHECK_RESULT, result);
  let errorCount = 0;
  let warningCount = 0;
  for (const d of result.diagnostics) {
    if (d.severity === 'error') errorCount++;
    else if (d.severity === 'warning') warningCount++;
  }
  return {
    outputs: {
      summary: { ...result.summary },
      diagnosticCount: result.diagnostics.length,
      errorCount,
      warningCount,
      hasErrors: errorCount > 0,
    },
  };
}
