import { countChanges, diffRegistriesV1, diffRegistriesV2 } from '../semconv/diff/schemaChanges';
import { diffMarkdown } from '../semconv/diff/markdown';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { REPORT } from './reportState';
import { loadedRegistryView, viewOfFolder } from './registryView';
import { ERR_INPUT_MISSING, ServiceError } from './serviceError';

/** `registry.diff`: see catalog.ts. */
export async function registryDiff(ctx: ServiceContext): Promise<ServiceResult> {
  const baselinePath = ctx.inputs.baselineRegistryPath;
  if (typeof baselinePath !== 'string' || baselinePath.trim() === '') {
    throw new ServiceError('registry.diff needs the input "baselineRegistryPath": the folder of the older registry to compare against', ERR_INPUT_MISSING);
  }
  const head = await loadedRegistryView(ctx, 'registry.diff');
  const baseline = await viewOfFolder(ctx, baselinePath, 'baselineRegistryPath');
  if (ctx.inputs.v2 === true) {
    const diff = diffRegistriesV2(head, baseline);
    ctx.state.set(REPORT, { title: 'registry diff', format: 'json', content: `${JSON.stringify(diff, null, 2)}\n`, data: diff });
    return { outputs: { changes: countChanges(Object.values(diff.registry)) } };
  }
  const diff = diffRegistriesV1(head, baseline);
  ctx.state.set(REPORT, {
    title: 'registry diff',
    format: 'json',
    content: `${JSON.stringify(diff, null, 2)}\n`,
    data: diff,
    alternate: { format: 'markdown', content: diffMarkdown(diff) },
  });
  return { outputs: { headVersion: diff.head.semconv_version, baselineVersion: diff.baseline.semconv_version, changes: countChanges(Object.values(diff.changes)) } };
}
