import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_NO_CHECK_RESULT, ServiceError } from './serviceError';
import { CHECK_RESULT } from './stateKeys';

/** `output.publishDiagnostics`: see catalog.ts. */
export async function publishDiagnostics(ctx: ServiceContext): Promise<ServiceResult> {
  const result = ctx.state.get(CHECK_RESULT);
  if (!result) {
    throw new ServiceError(
      `output.publishDiagnostics has nothing to publish: put a registry.check task before "${ctx.activity.name}" in the workflow`,
      ERR_NO_CHECK_RESULT,
    );
  }
  await ctx.host.publishDiagnostics(result.diagnostics, result.summary);
  return { outputs: { publishedCount: result.diagnostics.length } };
}
