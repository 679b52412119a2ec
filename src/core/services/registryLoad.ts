import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_MISSING, ERR_REGISTRY_NOT_FOUND, ServiceError } from './serviceError';
import type { FileAccessOptions, FileLimits } from '../semconv/fileAccess';
import { FILE_ACCESS, LOADED_REGISTRY } from './stateKeys';

/** Run inputs that set how files are read (fileAccess.ts); what is not given keeps its default. */
const LIMIT_INPUTS: ReadonlyArray<[string, keyof FileLimits]> = [
  ['maxFiles', 'maxFiles'],
  ['maxFileSize', 'maxFileBytes'],
  ['maxTotalSize', 'maxTotalBytes'],
  ['maxDepth', 'maxDepth'],
];

export function fileAccessFromInputs(inputs: Readonly<Record<string, unknown>>): FileAccessOptions {
  const limits: Partial<FileLimits> = {};
  for (const [input, limit] of LIMIT_INPUTS) {
    const value = inputs[input];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new ServiceError(`registry.load input "${input}" must be a positive whole number, not ${JSON.stringify(value)}`, ERR_INPUT_MISSING);
    }
    limits[limit] = value;
  }
  return { followSymlinks: inputs.followSymlinks === true, limits };
}

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
  const files = fileAccessFromInputs(ctx.inputs);
  const handle = await ctx.host.engine.load({ registryPath, overlays: ctx.host.overlays, signal: ctx.signal, files });
  ctx.state.set(LOADED_REGISTRY, handle);
  ctx.state.set(FILE_ACCESS, files);
  ctx.log.debug(`registry.load: ${handle.summary.files} files, ${handle.summary.groups} groups from ${registryPath}`);
  return { outputs: { summary: { ...handle.summary } } };
}
