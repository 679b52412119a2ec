import { isFolder } from '../folders';
import { resolve } from 'node:path';
import { loadRegistry } from '../semconv/loadRegistry';
import { ParseCache } from '../semconv/parseCache';
import { resolveRegistry } from '../semconv/resolve/resolveRegistry';
import { registryView, type RegistryView } from '../semconv/stats/registryView';
import { resolvedRegistryView } from '../semconv/stats/resolvedView';
import type { ServiceContext } from '../workflow/types';
import { REGISTRY_VIEW } from './reportState';
import { ERR_NO_REGISTRY_LOADED, ERR_REGISTRY_NOT_FOUND, ServiceError } from './serviceError';
import { warnFileProblems } from './fileProblems';
import { FILE_ACCESS, LOADED_REGISTRY } from './stateKeys';

/**
 * The reporting services (stats, search, diff) work on the native model whatever engine loaded
 * the registry: they read the folder `registry.load` loaded, through one parse cache per process,
 * so a second report on an unchanged registry re-parses nothing. They report on the resolved
 * registry, as weaver does; a registry that does not resolve (unresolved references...) is reported
 * on as written, with a warning in the log, so stats and search still help while it is broken.
 */
const cache = new ParseCache();

/** The view of the registry `registry.load` loaded in this run (editor buffers included). */
export async function loadedRegistryView(ctx: ServiceContext, service: string): Promise<RegistryView> {
  const known = ctx.state.get(REGISTRY_VIEW);
  if (known) return known;
  const handle = ctx.state.get(LOADED_REGISTRY);
  if (!handle) {
    throw new ServiceError(
      `${service} has no registry to read: put a registry.load task before "${ctx.activity.name}" in the workflow`,
      ERR_NO_REGISTRY_LOADED,
    );
  }
  const view = await viewOfFolder(ctx, handle.summary.registryPath);
  ctx.state.set(REGISTRY_VIEW, view);
  return view;
}

/** The view of any registry folder (a diff's baseline), or REGISTRY_NOT_FOUND naming the input. */
export async function viewOfFolder(ctx: ServiceContext, path: string, input = 'registryPath'): Promise<RegistryView> {
  const folder = resolve(path);
  if (!(await isFolder(folder))) {
    throw new ServiceError(`Registry folder not found: ${folder} (input "${input}"). Point it at the folder holding the registry's YAML files.`, ERR_REGISTRY_NOT_FOUND);
  }
  const files = ctx.state.get(FILE_ACCESS);
  const loaded = await loadRegistry(folder, { cache, ...(ctx.host.overlays ? { overlays: ctx.host.overlays } : {}), signal: ctx.signal, ...(files ? { files } : {}) });
  warnFileProblems(ctx, `${ctx.activity.name} (${folder})`, loaded);
  const definitions = registryView(loaded);
  const resolved = resolveRegistry(loaded);
  if (resolved.registry && resolved.errors.length === 0) return resolvedRegistryView(resolved.registry, definitions);
  const first = resolved.errors[0];
  ctx.log.warn(
    `${folder} does not resolve (${resolved.errors.length} error(s)${first ? `, first: ${first.message}` : ''}): reporting on its definitions as written; run registry check for the details`,
  );
  return definitions;
}
