import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  type DidChangeWatchedFilesParams,
  type InitializeError,
  type InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RegistryWorkspace } from '../core/engine/index';
import { isServerInitOptions, isServerSettings } from '../protocol/server';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { EDITING_CAPABILITIES, RegistryLanguageService } from './features/languageService';
import { toLspDiagnostic } from './lspDiagnostics';
import { WeaverOnSave } from './weaverOnSave';

/**
 * The WeaverGen language server: checks the registry as you type. Started by the extension over
 * IPC (dist/server.js); all of its logic lives in DiagnosticsScheduler, this file only wires LSP.
 */

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let scheduler: DiagnosticsScheduler | undefined;
let features: RegistryLanguageService | undefined;
let weaverOnSave: WeaverOnSave | undefined;
let registryRoot = '';

function isRegistryYaml(file: string): boolean {
  const rel = path.relative(registryRoot, file);
  return !!registryRoot && !rel.startsWith('..') && !path.isAbsolute(rel) && /\.ya?ml$/i.test(file);
}

/** V8's `gc` when the process runs with --expose-gc. */
function exposedGc(): ((options: { type: 'minor' }) => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as (options: { type: 'minor' }) => void) : undefined;
}

function filePath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
  const options = params.initializationOptions;
  if (!isServerInitOptions(options)) {
    return new ResponseError<InitializeError>(
      -32602,
      'WeaverGen language server: initializationOptions must be { registryRoot: absolute path, debounceMs: 0..10000, weaver?: { engine, binaryPath, trusted } }',
      { retry: false },
    );
  }
  registryRoot = path.resolve(options.registryRoot);
  // One workspace for checks and editing features: both see the same buffers and share its parse cache.
  const workspace = new RegistryWorkspace(registryRoot);
  features = new RegistryLanguageService(workspace);
  features.canRenameFiles = params.capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('rename') === true;
  const log = { info: (m: string) => connection.console.info(m), error: (m: string) => connection.console.error(m) };
  // Every publication goes through the weaver merge, so a native re-check keeps weaver's findings.
  const onSave = new WeaverOnSave({
    registryRoot,
    ...(options.weaver ? { settings: options.weaver } : {}),
    versionOf: (file) => documents.all().find((d) => filePath(d.uri) === file)?.version,
    log,
    notify: (message) => void connection.window.showWarningMessage(message),
    publish: (file, diagnostics, version) => {
      void connection.sendDiagnostics({
        uri: pathToFileURL(file).href,
        ...(version === undefined ? {} : { version }),
        diagnostics: diagnostics.map(toLspDiagnostic),
      });
    },
  });
  weaverOnSave = onSave;
  scheduler = new DiagnosticsScheduler({
    checker: workspace,
    debounceMs: options.debounceMs,
    log,
    publish: (file, diagnostics, version) => onSave.publishNative(file, diagnostics, version),
    // The client starts the server with --expose-gc for this (src/extension/languageClient.ts).
    ...(exposedGc() ? { idleCollect: exposedGc() } : {}),
  });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      ...EDITING_CAPABILITIES,
    },
    serverInfo: { name: 'weavergen' },
  };
});

connection.onInitialized(() => {
  connection.console.info(`WeaverGen language server checking ${registryRoot}`);
  const off = weaverOnSave?.disabledReason;
  connection.console.info(off === undefined ? 'weaver registry check runs on save' : `weaver registry check does not run on save: ${off}`);
});

documents.onDidChangeContent(({ document }) => {
  const file = filePath(document.uri);
  if (file && isRegistryYaml(file)) scheduler?.update(file, document.version, document.getText());
});

documents.onDidSave(({ document }) => {
  const file = filePath(document.uri);
  if (file && isRegistryYaml(file)) void weaverOnSave?.saved(file);
});

documents.onDidClose(({ document }) => {
  const file = filePath(document.uri);
  if (file) scheduler?.close(file);
});

connection.onDidChangeWatchedFiles((params: DidChangeWatchedFilesParams) => {
  for (const change of params.changes) {
    const file = filePath(change.uri);
    // An open buffer shadows the disk: its overlay already is what the user sees.
    if (file && isRegistryYaml(file) && !documents.get(change.uri)) scheduler?.fileChanged(file);
  }
});

connection.onDidChangeConfiguration(({ settings }) => {
  if (!isServerSettings(settings)) return;
  scheduler?.setDebounce(settings.debounceMs);
  if (settings.weaver) weaverOnSave?.updateSettings(settings.weaver);
});

// Editing features: each handler reads the registry as the open buffers show it (see features/).
connection.onHover((params) => features?.hover(params) ?? null);
connection.onDefinition((params) => features?.definition(params) ?? null);
connection.onReferences((params) => features?.references(params) ?? []);
connection.onPrepareRename((params) => features?.prepareRename(params) ?? null);
connection.onRenameRequest((params) => features?.rename(params) ?? null);
connection.onCompletion((params) => features?.completion(params) ?? { isIncomplete: false, items: [] });
connection.onDocumentSymbol((params) => features?.documentSymbols(params) ?? []);
connection.onWorkspaceSymbol((params) => features?.workspaceSymbols(params) ?? []);
connection.onFoldingRanges((params) => features?.foldingRanges(params) ?? []);
connection.onCodeAction((params) => features?.codeActions(params) ?? []);

connection.onShutdown(() => {
  scheduler?.dispose();
  weaverOnSave?.dispose();
});

documents.listen(connection);
connection.listen();
