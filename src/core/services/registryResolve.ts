import { relative } from 'node:path';
import { loadRegistry } from '../semconv/loadRegistry';
import { loadPublishedDependencies } from '../semconv/resolve/published';
import { resolveRegistry } from '../semconv/resolve/resolveRegistry';
import type { ResolvedRegistry } from '../semconv/resolved/types';
import { textField } from '../report/safeText';
import type { ServiceContext, ServiceResult, StateKey } from '../workflow/types';
import { ERR_NO_REGISTRY_LOADED, ServiceError } from './serviceError';
import { warnFileProblems } from './fileProblems';
import { FILE_ACCESS, LOADED_REGISTRY } from './stateKeys';

/** The registry has references, extends or duplicates that weaver would refuse to resolve. */
export const ERR_RESOLUTION_FAILED = 'RESOLUTION_FAILED';

/** Set by `registry.resolve`, read by `output.write`. */
export const RESOLVED_REGISTRY: StateKey<ResolvedRegistry> = { name: 'resolvedRegistry' };

/** How many resolution errors a failure message lists before summarising the rest. */
const LISTED_ERRORS = 20;

/**
 * `registry.resolve`: see catalog.ts. Resolution is native whatever the run's engine: the engine
 * contract has no resolve step, and the native resolver answers exactly what `weaver registry
 * resolve` answers on the cases it passes (see `npm run conformance`).
 */
export async function registryResolve(ctx: ServiceContext): Promise<ServiceResult> {
  const handle = ctx.state.get(LOADED_REGISTRY);
  if (!handle) {
    throw new ServiceError(
      `registry.resolve has no registry to resolve: put a registry.load task before "${ctx.activity.name}" in the workflow`,
      ERR_NO_REGISTRY_LOADED,
    );
  }
  const root = handle.summary.registryPath;
  const files = ctx.state.get(FILE_ACCESS);
  const loadOptions = { ...(ctx.host.overlays ? { overlays: ctx.host.overlays } : {}), signal: ctx.signal, ...(files ? { files } : {}) };
  const loaded = await loadRegistry(root, loadOptions);
  warnFileProblems(ctx, 'registry.resolve', loaded);
  const published = await loadPublishedDependencies(loaded, undefined, files);
  // The resolved/2.0 form resolves references to published attributes by their definitions.
  const v2 = ctx.inputs.v2 === true;
  const result = resolveRegistry(loaded, { registryUrl: root, published, publishedAttributeRoots: v2 ? 'definitions' : 'signals' });
  if (!result.registry) {
    const lines = result.errors.slice(0, LISTED_ERRORS).map((e) => {
      const where = `${relative(root, e.location.file) || e.location.file}:${e.location.range.start.line + 1}:${e.location.range.start.character + 1}`;
      // One line per error whatever its path or message holds: the CLI prints these lines as they are.
      return `  ${textField(where)} ${e.kind}: ${textField(e.message)}`;
    });
    const more = result.errors.length > LISTED_ERRORS ? `\n  ...and ${result.errors.length - LISTED_ERRORS} more` : '';
    throw new ServiceError(`the registry cannot be resolved (${result.errors.length} error(s)):\n${lines.join('\n')}${more}`, ERR_RESOLUTION_FAILED);
  }
  ctx.state.set(RESOLVED_REGISTRY, result.registry);
  const names = new Set<string>();
  for (const g of result.registry.groups) for (const a of g.attributes) names.add(a.name);
  return { outputs: { resolvedGroups: result.registry.groups.length, resolvedAttributes: names.size } };
}
