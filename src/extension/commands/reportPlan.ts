import * as path from 'node:path';
import type { RunReport } from '../../core/workflow/types';

/**
 * The parts of the report commands that need no editor: which workflow a command starts with
 * which inputs, and which document a report becomes. Kept free of `vscode` so they are unit-tested.
 */

export interface ReportCommandSpec {
  /** Palette title after "WeaverGen: ". */
  title: string;
  workflow: string;
  /** Whether the workflow reads the workspace registry (`registryPath` input). */
  needsRegistry: boolean;
}

export const REPORT_COMMANDS = {
  'weavergen.registryStats': { title: 'Registry Stats', workflow: 'registry_stats', needsRegistry: true },
  'weavergen.searchRegistry': { title: 'Search Registry', workflow: 'registry_search', needsRegistry: true },
  'weavergen.diffAgainstBaseline': { title: 'Diff Against Baseline', workflow: 'registry_diff', needsRegistry: true },
  'weavergen.exportJsonSchema': { title: 'Export JSON Schema', workflow: 'registry_json_schema', needsRegistry: false },
} as const satisfies Record<string, ReportCommandSpec>;

export type ReportCommandId = keyof typeof REPORT_COMMANDS;

export type DiffDocumentFormat = 'json' | 'markdown';

/** The baseline setting resolved against the workspace folder; undefined when unset. */
export function baselineFromSetting(setting: string, workspaceFolder: string | undefined): string | undefined {
  const value = setting.trim();
  if (value === '') return undefined;
  if (path.isAbsolute(value) || !workspaceFolder) return path.resolve(value);
  return path.resolve(workspaceFolder, value);
}

/** The language ids report documents open with (`yaml` for hosts that hand over YAML documents). */
export type ReportDocumentLanguage = 'json' | 'yaml' | 'markdown' | 'plaintext';

export interface ReportDocument {
  language: ReportDocumentLanguage;
  content: string;
}

/** The document a report opens as; `preferMarkdown` picks a report's markdown rendering when it has one. */
export function reportDocument(report: RunReport, preferMarkdown = false): ReportDocument {
  if (preferMarkdown && report.alternate?.format === 'markdown') return { language: 'markdown', content: report.alternate.content };
  if (report.format === 'json') return { language: 'json', content: report.content };
  if (report.format === 'markdown') return { language: 'markdown', content: report.content };
  return { language: 'plaintext', content: report.content };
}
