import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { ERR_INPUT_INVALID } from './reportErrors';
import { ERR_INPUT_MISSING, ERR_REGISTRY_NOT_FOUND, ServiceError } from './serviceError';
import type { FileAccessOptions, FileLimits } from '../semconv/fileAccess';
import { FILE_ACCESS, LOADED_REGISTRY } from './stateKeys';

/** The fields of the `files` input that set a limit, and the limit each sets (fileAccess.ts). */
const LIMIT_FIELDS: ReadonlyArray<[string, keyof FileLimits]> = [
  ['maxFiles', 'maxFiles'],
  ['maxFileSize', 'maxFileBytes'],
  ['maxTotalSize', 'maxTotalBytes'],
  ['maxDepth', 'maxDepth'],
];

/** The optional `files` input (see catalog.ts) as loader options; what it does not set keeps its default. */
export function fileAccessFromInputs(inputs: Readonly<Record<string, unknown>>): FileAccessOptions {
  const files = inputs.files;
  if (files === undefined || files === null) return {};
  const bad = (why: string): never => {
    throw new ServiceError(`registry.load input "files" ${why}: give { followSymlinks?: boolean, maxFiles?, maxFileSize?, maxTotalSize?, maxDepth?: positive whole numbers }`, ERR_INPUT_INVALID);
  };
  if (typeof files !== 'object' || Array.isArray(files)) return bad('is not an object');
  const fields = files as Record<string, unknown>;
  const known = new Set(['followSymlinks', ...LIMIT_FIELDS.map(([f]) => f)]);
  for (const key of Object.keys(fields)) if (!known.has(key)) bad(`has an unknown field "${key}"`);
  if (fields.followSymlinks !== undefined && typeof fields.followSymlinks !== 'boolean') bad('has a followSymlinks that is not true or false');
  const limits: Partial<FileLimits> = {};
  for (const [field, limit] of LIMIT_FIELDS) {
    const value = fields[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) bad(`has ${field} ${JSON.stringify(value)}, not a positive whole number`);
    limits[limit] = value as number;
  }
  return { followSymlinks: fields.followSymlinks === true, limits };
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
