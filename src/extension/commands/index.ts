import * as vscode from 'vscode';
import { AVAILABLE_SCHEMA_KINDS } from '../../core/semconv/jsonSchema/schemaExport';
import { SEARCH_TYPES } from '../../core/semconv/search/searchRegistry';
import type { WeaverGenContext } from '../context';
import { reportDocumentsFor } from '../reportDocuments';
import { baselineFromSetting, REPORT_COMMANDS, type DiffDocumentFormat, type ReportCommandId } from './reportPlan';
import { runReportCommand } from './runReport';

/**
 * The reporting palette commands: "WeaverGen: Registry Stats", "Search Registry", "Diff Against
 * Baseline", "Export JSON Schema". Each gathers its options (quick picks, settings), starts its
 * workflow and opens the report as a read-only document (see reportDocuments.ts).
 */

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function registryRoot(ctx: WeaverGenContext): Promise<string | undefined> {
  const location = await ctx.registry();
  if (location.kind === 'missing') {
    ctx.log.warn(location.reason);
    void vscode.window.showWarningMessage(`WeaverGen: ${location.reason}`);
    return undefined;
  }
  return location.root;
}

async function registryStats(ctx: WeaverGenContext): Promise<void> {
  const registryPath = await registryRoot(ctx);
  if (!registryPath) return;
  await runReportCommand(ctx, REPORT_COMMANDS['weavergen.registryStats'], { registryPath });
}

async function searchRegistry(ctx: WeaverGenContext): Promise<void> {
  const registryPath = await registryRoot(ctx);
  if (!registryPath) return;
  const query = await vscode.window.showInputBox({ title: 'WeaverGen: Search Registry', prompt: 'Attribute key, metric name, span or event, or words of a brief', placeHolder: 'http.request.method' });
  if (query === undefined) return;
  const picked = await vscode.window.showQuickPick(
    SEARCH_TYPES.map((t) => ({ label: t, description: t === 'all' ? 'attributes, metrics, spans, events and entities' : undefined })),
    { title: 'Search which kind of item?' },
  );
  if (!picked) return;
  await runReportCommand(ctx, REPORT_COMMANDS['weavergen.searchRegistry'], { registryPath, query, searchType: picked.label, limit: 50 });
}

async function diffAgainstBaseline(ctx: WeaverGenContext): Promise<void> {
  const registryPath = await registryRoot(ctx);
  if (!registryPath) return;
  const settings = vscode.workspace.getConfiguration('weavergen.diff');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let baseline = baselineFromSetting(settings.get<string>('baselineRegistry', ''), folder);
  if (!baseline) {
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use as baseline', title: 'WeaverGen: baseline registry folder' });
    baseline = chosen?.[0]?.fsPath;
    if (!baseline) return;
  }
  const format = settings.get<DiffDocumentFormat>('format', 'json');
  await runReportCommand(ctx, REPORT_COMMANDS['weavergen.diffAgainstBaseline'], { registryPath, baselineRegistryPath: baseline }, { preferMarkdown: format === 'markdown' });
}

async function exportJsonSchema(ctx: WeaverGenContext): Promise<void> {
  const picked = await vscode.window.showQuickPick(AVAILABLE_SCHEMA_KINDS.map((k) => ({ label: k })), { title: 'WeaverGen: which JSON schema?' });
  if (!picked) return;
  await runReportCommand(ctx, REPORT_COMMANDS['weavergen.exportJsonSchema'], { jsonSchema: picked.label });
}

const HANDLERS: Record<ReportCommandId, (ctx: WeaverGenContext) => Promise<void>> = {
  'weavergen.registryStats': registryStats,
  'weavergen.searchRegistry': searchRegistry,
  'weavergen.diffAgainstBaseline': diffAgainstBaseline,
  'weavergen.exportJsonSchema': exportJsonSchema,
};

export function registerReportCommands(ctx: WeaverGenContext): void {
  // The weavergen-report: documents must be readable from activation on: VS Code restores open
  // report tabs with the window and asks their provider for the text.
  reportDocumentsFor(ctx);
  for (const [id, handler] of Object.entries(HANDLERS) as Array<[ReportCommandId, (c: WeaverGenContext) => Promise<void>]>) {
    const title = REPORT_COMMANDS[id].title;
    ctx.own(
      vscode.commands.registerCommand(id, async () => {
        try {
          await handler(ctx);
        } catch (err) {
          ctx.log.error(`${title}: ${errorText(err)}`);
          void vscode.window.showErrorMessage(`WeaverGen: ${title}: ${errorText(err)}`);
        }
      }),
    );
  }
}
