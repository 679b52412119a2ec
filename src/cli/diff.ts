import { join } from 'node:path';
import type { CliIo } from './io';
import { EXIT_USAGE } from './io';
import { emit, registryFolder, renderData, runReport, type RunOptions } from './reportCommand';

export type DiffFormat = 'json' | 'yaml' | 'markdown';

export interface DiffOptions extends RunOptions {
  registry: string;
  baselineRegistry: string;
  v2: boolean;
  format: DiffFormat;
  /** `-o DIR`: the report goes to `diff.<format>` in this folder. */
  output?: string;
}

/** `weavergen registry diff`: runs registry_diff and prints weaver's schema changes. */
export async function diffCommand(io: CliIo, options: DiffOptions): Promise<number> {
  const registryPath = await registryFolder(io, options.registry);
  if (!registryPath) return EXIT_USAGE;
  const baselineRegistryPath = await registryFolder(io, options.baselineRegistry, '--baseline-registry');
  if (!baselineRegistryPath) return EXIT_USAGE;
  const report = await runReport(io, 'registry_diff', { registryPath, baselineRegistryPath, v2: options.v2 }, options);
  if (typeof report === 'number') return report;
  let text: string;
  if (options.format === 'markdown') {
    if (!report.alternate) {
      io.stderr('weavergen: the markdown report exists for the v1 diff only: drop --v2 or use --format json\n');
      return EXIT_USAGE;
    }
    text = report.alternate.content;
  } else text = renderData(report, options.format);
  const ext = options.format === 'markdown' ? 'md' : options.format;
  return emit(io, text, options.output ? join(options.output, `diff.${ext}`) : undefined);
}
