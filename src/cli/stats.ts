import { join } from 'node:path';
import type { CliIo } from './io';
import { emit, registryFolder, renderData, runReport, type DataFormat, type RunOptions } from './reportCommand';
import { EXIT_USAGE } from './io';

export interface StatsOptions extends RunOptions {
  registry: string;
  v2: boolean;
  format: DataFormat;
  /** `-o DIR`: weaver writes its stats into a folder; here the file `stats.json` / `stats.yaml` in it. */
  output?: string;
}

/** `weavergen registry stats`: runs registry_stats and prints weaver's statistics JSON (or YAML). */
export async function statsCommand(io: CliIo, options: StatsOptions): Promise<number> {
  const registryPath = await registryFolder(io, options.registry);
  if (!registryPath) return EXIT_USAGE;
  const report = await runReport(io, 'registry_stats', { registryPath, v2: options.v2 }, options);
  if (typeof report === 'number') return report;
  return emit(io, renderData(report, options.format), options.output ? join(options.output, `stats.${options.format}`) : undefined);
}
