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
import { toLspDiagnostic } from './lspDiagnostics';

/**
 * The WeaverGen language server: checks the registry as you type. Started by the extension over
 * IPC (dist/server.js); all of its logic lives in DiagnosticsScheduler, this file only wires LSP.
 */

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let scheduler: DiagnosticsScheduler | undefined;
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
  scheduler = new DiagnosticsScheduler({
    checker: new RegistryWorkspace(registryRoot),
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
    capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
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

connection.onShutdown(() => scheduler?.dispose());

documents.listen(connection);
connection.listen();
