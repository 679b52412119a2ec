import { textField, textLine } from '../core/report/safeText';
import type { SearchOutput } from '../core/semconv/search/searchRegistry';
import type { CliIo } from './io';
import { EXIT_OK, EXIT_USAGE } from './io';
import { registryFolder, renderData, runReport, type RunOptions } from './reportCommand';

export type SearchFormat = 'text' | 'json';

export interface SearchOptions extends RunOptions {
  registry: string;
  type: string;
  stability?: string;
  limit: number;
  format: SearchFormat;
}

function idOf(r: SearchOutput['results'][number]): string {
  return 'key' in r ? r.key : 'name' in r ? r.name : r.type;
}

/**
 * One line per result: score, kind, id, brief (first line), like a terminal search list. Ids and
 * briefs come from the registry: spelled out where they hold controls, so a result stays one line.
 */
export function searchText(found: SearchOutput): string {
  if (found.results.length === 0) return `${textLine(`no match for "${textField(found.query)}"`)}\n`;
  const lines = found.results.map((r) => {
    const brief = textField((r.brief.split(/\r?\n/)[0] ?? '').slice(0, 80));
    return textLine(`${String(r.score).padStart(3)}  ${textField(r.result_type).padEnd(9)}  ${textField(idOf(r))}${r.deprecated ? ' (deprecated)' : ''}  ${brief}`);
  });
  const more = found.total > found.results.length ? `\n${found.total - found.results.length} more; raise --limit to see them\n` : '\n';
  return `${lines.join('\n')}${more}`;
}

/** `weavergen registry search [QUERY]`: runs registry_search and prints the ranked results. */
export async function searchCommand(io: CliIo, query: string | undefined, options: SearchOptions): Promise<number> {
  const registryPath = await registryFolder(io, options.registry);
  if (!registryPath) return EXIT_USAGE;
  const inputs: Record<string, unknown> = { registryPath, query: query ?? '', searchType: options.type, limit: options.limit };
  if (options.stability) inputs.stability = options.stability;
  const report = await runReport(io, 'registry_search', inputs, options);
  if (typeof report === 'number') return report;
  io.stdout(options.format === 'json' ? renderData(report, 'json') : searchText(report.data as SearchOutput));
  return EXIT_OK;
}
