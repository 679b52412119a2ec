import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { resolvedToDocument, type ResolvedDocumentFormat } from '../semconv/resolve/document';
import type { ServiceContext, ServiceResult } from '../workflow/types';
import { RESOLVED_REGISTRY } from './registryResolve';
import { ERR_INPUT_MISSING, ServiceError } from './serviceError';

/** `output.write` has nothing to write: no registry.resolve ran before it. */
export const ERR_NOTHING_TO_WRITE = 'NOTHING_TO_WRITE';
/** The output path leaves the folder the user chose, or the format is unknown. */
export const ERR_OUTPUT_REFUSED = 'OUTPUT_REFUSED';

function formatOf(value: unknown): ResolvedDocumentFormat {
  if (value === undefined || value === 'yaml') return 'yaml';
  if (value === 'json') return 'json';
  throw new ServiceError(`output.write: format must be "json" or "yaml", not ${JSON.stringify(value)}`, ERR_OUTPUT_REFUSED);
}

/** The real path of the deepest existing folder on the way to `path` (symlinks must not lead out). */
async function realFolder(path: string): Promise<string> {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      return resolve(await realpath(dir), relative(dir, path));
    } catch {
      if (dirname(dir) === dir) return path;
    }
  }
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
}

/**
 * `output.write`: see catalog.ts. Writes the resolved registry to `outputPath`, which must lie inside
 * `outputRoot` (the folder the user chose); without `outputPath` the document goes to the host
 * (stdout in the CLI, a document in the editor).
 */
export async function outputWrite(ctx: ServiceContext): Promise<ServiceResult> {
  const registry = ctx.state.get(RESOLVED_REGISTRY);
  if (!registry) {
    throw new ServiceError(`output.write has nothing to write: put a registry.resolve task before "${ctx.activity.name}" in the workflow`, ERR_NOTHING_TO_WRITE);
  }
  const format = formatOf(ctx.inputs.format);
  const content = resolvedToDocument(registry, format, { v2: ctx.inputs.v2 === true });
  const outputPath = ctx.inputs.outputPath;

  if (outputPath === undefined || outputPath === null || outputPath === '') {
    if (!ctx.host.publishReport) {
      throw new ServiceError('output.write has no outputPath and the host takes no report: give the input "outputPath" (with "outputRoot")', ERR_INPUT_MISSING);
    }
    await ctx.host.publishReport({ title: 'registry resolve', format: format === 'json' ? 'json' : 'text', content });
    return { outputs: { written: 'host', bytes: Buffer.byteLength(content) } };
  }
  if (typeof outputPath !== 'string') throw new ServiceError('output.write: "outputPath" must be a string path', ERR_INPUT_MISSING);
  const rootInput = ctx.inputs.outputRoot;
  if (typeof rootInput !== 'string' || rootInput === '') {
    throw new ServiceError('output.write needs the input "outputRoot": the folder the user chose, which the output must stay inside', ERR_INPUT_MISSING);
  }
  const root = await realFolder(resolve(rootInput));
  const target = await realFolder(resolve(rootInput, outputPath));
  if (!inside(root, target)) {
    throw new ServiceError(`output.write refuses ${target}: it is outside the chosen folder ${root}. Pick an output path inside that folder.`, ERR_OUTPUT_REFUSED);
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content, 'utf8');
  return { outputs: { written: target, bytes: Buffer.byteLength(content) } };
}
