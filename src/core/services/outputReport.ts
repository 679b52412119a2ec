import type { ServiceContext, ServiceResult } from '../workflow/types';
import { REPORT } from './reportState';
import { ERR_NO_REPORT } from './reportErrors';
import { ServiceError } from './serviceError';

/** `output.report`: see catalog.ts. */
export async function outputReport(ctx: ServiceContext): Promise<ServiceResult> {
  const report = ctx.state.get(REPORT);
  if (!report) {
    throw new ServiceError(
      `output.report has nothing to hand over: put a reporting task (registry.stats, registry.search, registry.diff, registry.jsonSchema, cli.completion) before "${ctx.activity.name}"`,
      ERR_NO_REPORT,
    );
  }
  if (!ctx.host.publishReport) {
    ctx.log.info(`output.report: the host takes no reports; "${report.title}" stays in the run outputs only`);
    return { outputs: { reportPublished: false, reportTitle: report.title } };
  }
  await ctx.host.publishReport(report);
  return { outputs: { reportPublished: true, reportTitle: report.title, reportFormat: report.format } };
}
