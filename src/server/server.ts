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

/**
 * The WeaverGen language server: checks the registry as you type. Started by the extension over
 * IPC (dist/server.js); all of its logic lives in DiagnosticsScheduler, this file only wires LSP.
 */

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let scheduler: DiagnosticsScheduler | undefined;
let features: RegistryLanguageService | undefined;
let registryRoot = '';

function isRegistryYaml(file: string): boolean {
  const rel = path.relative(registryRoot, file);
  return !!registryRoot && !rel.startsWith('..') && !path.isAbsolute(rel) && /\.ya?ml$/i.test(file);
}

function filePath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
  const options = params.initializationOptions;
  if (!isServerInitOptions(options)) {
    return new ResponseError<InitializeError>(
      -32602,
      'WeaverGen language server: initializationOptions must be { registryRoot: absolute path, debounceMs: 0..10000 }',
      { retry: false },
    );
  }
  registryRoot = path.resolve(options.registryRoot);
  // One workspace for checks and editing features: both see the same buffers and share its parse cache.
  const workspace = new RegistryWorkspace(registryRoot);
  features = new RegistryLanguageService(workspace);
  scheduler = new DiagnosticsScheduler({
    checker: workspace,
    debounceMs: options.debounceMs,
    log: { info: (m) => connection.console.info(m), error: (m) => connection.console.error(m) },
    publish: (file, diagnostics, version) => {
      void connection.sendDiagnostics({
        uri: pathToFileURL(file).href,
        ...(version === undefined ? {} : { version }),
        diagnostics: diagnostics.map(toLspDiagnostic),
      });
    },
  });
  return {
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, ...EDITING_CAPABILITIES },
    serverInfo: { name: 'weavergen' },
  };
});

connection.onInitialized(() => {
  connection.console.info(`WeaverGen language server checking ${registryRoot}`);
});

documents.onDidChangeContent(({ document }) => {
  const file = filePath(document.uri);
  if (file && isRegistryYaml(file)) scheduler?.update(file, document.version, document.getText());
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
  if (isServerSettings(settings)) scheduler?.setDebounce(settings.debounceMs);
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

connection.onShutdown(() => scheduler?.dispose());

documents.listen(connection);
connection.listen();
