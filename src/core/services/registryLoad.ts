import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_MISSING, ERR_REGISTRY_NOT_FOUND, ServiceError } from './serviceError';
import { LOADED_REGISTRY } from './stateKeys';

/** `registry.load`: see catalog.ts. */
export async function registryLoad(ctx: ServiceContext): Promise<ServiceResult> {
  const input = ctx.inputs.registryPath;
  if (typeof input !== 'string' || input.trim() === '') {
    throw new ServiceError('registry.load needs the input "registryPath": the path of a registry folder', ERR_INPUT_MISSING);
  }
  const registryPath = resolve(input);
  let isDir = false;
  try {
    isDir = (await stat(registryPath)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ServiceError(
      `Registry folder not found: ${registryPath}. Point registryPath at the folder holding the registry's YAML files.`,
      ERR_REGISTRY_NOT_FOUND,
    );
  }
  const handle = await ctx.host.engine.load({ registryPath, overlays: ctx.host.overlays, signal: ctx.signal });
  ctx.state.set(LOADED_REGISTRY, handle);
  ctx.log.debug(`registry.load: ${handle.summary.files} files, ${handle.summary.groups} groups from ${registryPath}`);
  return { outputs: { summary: { ...handle.summary } } };
}
