import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compareDiagnostics, type RegistryDiagnostic } from '../core/engine/diagnostic';
import { formatGithubAnnotations } from '../core/report/githubAnnotations';
import { formatSarif } from '../core/report/sarif';
import { parseWeaverDiagnostics } from '../core/weaver/diagnostics';
import { loadPlacementContext, placeFindings, type PlacedDiagnostic } from '../core/weaver/placement/index';
import { countSeverities, formatDiagnosticsText } from './format';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliIo } from './io';

/**
 * `weavergen diagnostics locate`: reads what `weaver registry check --diagnostic-format json` wrote
 * (in CI, where weaver runs) and places each finding on its line through the native model of the
 * registry, then prints it for people (text), tools (json), code scanning (sarif) or GitHub Actions
 * annotations (github). Exit 1 when a finding is an error, as weaver itself does.
 */

export type LocateFormat = 'text' | 'json' | 'sarif' | 'github';
export const LOCATE_FORMATS: readonly LocateFormat[] = ['text', 'json', 'sarif', 'github'];

export interface DiagnosticsLocateOptions {
  registry: string;
  /** The file weaver's JSON diagnostics were saved to. */
  weaverJson: string;
  format: LocateFormat;
  /** The folder weaver ran in (its relative paths are relative to it); default: the working directory. */
  weaverCwd?: string;
}

export async function diagnosticsLocateCommand(io: CliIo, options: DiagnosticsLocateOptions): Promise<number> {
  const registryPath = resolve(io.cwd, options.registry);
  const registryKind = await stat(registryPath).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing',
  );
  if (registryKind !== 'folder') {
    const what = registryKind === 'missing' ? 'registry folder not found' : 'the registry must be a folder, not a file';
    return usage(io, `${what}: ${registryPath}. Pass --registry with the folder weaver checked.`);
  }

  const jsonPath = resolve(io.cwd, options.weaverJson);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (err) {
    return usage(io, `cannot read the weaver output ${jsonPath}: ${err instanceof Error ? err.message : String(err)}. Save it with \`weaver registry check ... --diagnostic-format json --diagnostic-stdout > FILE\`.`);
  }
  const parsed = parseWeaverDiagnostics(text);
  if (!parsed.ok) {
    return usage(io, `${jsonPath}: ${parsed.reason}. Run weaver with \`--diagnostic-format json\` and pass the file it wrote.`);
  }

  const context = await loadPlacementContext(registryPath, { cwd: resolve(io.cwd, options.weaverCwd ?? '.') });
  const placed = placeFindings(parsed.findings, context);
  const diagnostics = placed.map((p) => p.diagnostic).sort(compareDiagnostics);

  switch (options.format) {
    case 'text':
      io.stdout(formatDiagnosticsText(diagnostics, io.cwd));
      break;
    case 'json':
      io.stdout(formatLocatedJson(diagnostics));
      break;
    case 'sarif':
      io.stdout(formatSarif(diagnostics, { registryRoot: registryPath }));
      break;
    case 'github':
      io.stdout(formatGithubAnnotations(diagnostics, { relativeTo: io.cwd }));
      break;
  }
  io.stderr(placementSummary(placed));
  return countSeverities(diagnostics).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** RegistryDiagnostic[] as JSON: 0-based positions, absolute paths, `url` when weaver gave one. */
export function formatLocatedJson(diagnostics: readonly RegistryDiagnostic[]): string {
  const out = diagnostics.map((d) => ({
    file: d.file,
    range: { start: { ...d.range.start }, end: { ...d.range.end } },
    severity: d.severity,
    code: d.code,
    message: d.message,
    source: d.source,
    ...(d.url ? { url: d.url } : {}),
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The closing line on stderr: how many findings landed on a line, at a file's top, or nowhere. */
export function placementSummary(placed: readonly PlacedDiagnostic[]): string {
  const count = (kind: string) => placed.filter((p) => p.placement.kind === kind).length;
  return (
    `diagnostics locate: ${placed.length} weaver finding${placed.length === 1 ? '' : 's'}: ` +
    `${count('exact')} placed on their line, ${count('file')} at the top of the file weaver names, ${count('unplaced')} could not be placed\n`
  );
}

function usage(io: CliIo, message: string): number {
  io.stderr(`weavergen: ${message}\n`);
  return EXIT_USAGE;
}
