import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  DidChangeWatchedFilesNotification,
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
import { isServerInitOptions, isServerSettings, SYNTAX_ONLY_NOTIFICATION, DEFAULT_MAX_DOCUMENT_SIZE, type SyntaxOnlyDocumentsParams } from '../protocol/server';
import { BaselineWatcher } from './baselineWatcher';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { EDITING_CAPABILITIES, RegistryLanguageService } from './features/languageService';
import { IdleCollector } from './idleCollector';
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
let idle: IdleCollector | undefined;
let weaverOnSave: WeaverOnSave | undefined;
let workspace: RegistryWorkspace | undefined;
let baselineWatcher: BaselineWatcher | undefined;
/** False when the client cannot watch a folder it was not started with (no dynamic relative-pattern watchers). */
let canWatchBaseline = false;
let registryRoot = '';
let initialBaseline: string | null = null;

function isRegistryYaml(file: string): boolean {
  const rel = path.relative(registryRoot, file);
  return !!registryRoot && !rel.startsWith('..') && !path.isAbsolute(rel) && /\.ya?ml$/i.test(file);
}

/** V8's `gc` when the process runs with --expose-gc. */
function exposedGc(): ((options: { type: 'minor' }) => void) | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === 'function' ? (gc as (options: { type: 'minor' }) => void) : undefined;
}

/** A YAML file of the baseline registry (a folder that may lie outside the registry and the workspace). */
function isBaselineYaml(file: string): boolean {
  return /\.ya?ml$/i.test(file) && (workspace?.inBaseline(file) ?? false);
}

/**
 * Applies the baseline setting; when it changed, watches the new folder and checks again. Findings in
 * the baseline's files (something removed is shown at its old definition) are published for files
 * outside the registry and possibly the workspace, which LSP allows and the client shows.
 */
function setBaseline(baseline: string | null | undefined): void {
  if (!workspace?.setBaselineRegistry(baseline ?? undefined)) return;
  const folder = workspace.baselineRegistry;
  connection.console.info(
    folder === undefined
      ? 'no baseline registry: the backwards-compatibility policies do not run as you type'
      : `the backwards-compatibility policies compare against the baseline registry ${folder} when idle`,
  );
  if (canWatchBaseline) baselineWatcher?.watch(folder);
  else if (folder !== undefined) connection.console.info('the client cannot watch the baseline folder: its changes on disk are seen after the setting changes or a restart');
  scheduler?.recheck();
}

function filePath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

connection.onInitialize((params): InitializeResult | ResponseError<InitializeError> => {
  const options = params.initializationOptions;
  if (!isServerInitOptions(options)) {
    return new ResponseError<InitializeError>(
      -32602,
      'WeaverGen language server: initializationOptions must be { registryRoot: absolute path, debounceMs: 0..10000, weaver?: { engine, binaryPath, trusted }, baselineRegistry?: absolute path | null }',
      { retry: false },
    );
  }
  registryRoot = path.resolve(options.registryRoot);
  initialBaseline = options.baselineRegistry ?? null;
  // One workspace for checks and editing features: both see the same buffers and share its parse cache.
  const ws = new RegistryWorkspace(registryRoot, { log: (m) => connection.console.warn(m), ...(options.files ? { files: options.files } : {}) });
  workspace = ws;
  const gc = exposedGc();
  // The client starts the server with --expose-gc for this (src/extension/languageClient.ts).
  idle = gc ? new IdleCollector(gc) : undefined;
  features = new RegistryLanguageService(ws, idle, (file) => scheduler?.syntaxOnlyText(file));
  features.canRenameFiles = params.capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('rename') === true;
  const log = { info: (m: string) => connection.console.info(m), error: (m: string) => connection.console.error(m) };
  const watched = params.capabilities.workspace?.didChangeWatchedFiles;
  canWatchBaseline = watched?.dynamicRegistration === true && watched.relativePatternSupport === true;
  baselineWatcher = new BaselineWatcher((watchers) => connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }), log);
  // Every publication goes through the weaver merge, so a native re-check keeps weaver's findings.
  const onSave = new WeaverOnSave({
    registryRoot,
    baselineRegistry: () => workspace?.baselineRegistry,
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
    checker: ws,
    debounceMs: options.debounceMs,
    // As weaver: no policy package runs unless named (weavergen.check.policies).
    policyPackages: options.policies === true,
    log,
    publish: (file, diagnostics, version) => onSave.publishNative(file, diagnostics, version),
    ...(idle ? { idle } : {}),
    ...(options.maxDocumentSize !== undefined ? { maxDocumentSize: options.maxDocumentSize } : {}),
    ...(options.files?.limits?.maxFileBytes !== undefined ? { maxParseSize: options.files.limits.maxFileBytes } : {}),
    onSyntaxOnly: (docs) => {
      const params: SyntaxOnlyDocumentsParams = {
        documents: docs.map((d) => ({ uri: pathToFileURL(d.path).href, size: d.size })),
        maxDocumentSize: scheduler?.maxDocumentSize ?? options.maxDocumentSize ?? DEFAULT_MAX_DOCUMENT_SIZE,
      };
      if (docs.length > 0) connection.console.info(`checking YAML syntax only in ${docs.map((d) => d.path).join(', ')}: larger than weavergen.server.maxDocumentSize`);
      void connection.sendNotification(SYNTAX_ONLY_NOTIFICATION, params);
    },
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
  // Dynamic registration (the baseline's watcher) is allowed only once the client is initialized.
  setBaseline(initialBaseline);
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
    if (file && (isRegistryYaml(file) || isBaselineYaml(file)) && !documents.get(change.uri)) scheduler?.fileChanged(file);
  }
});

connection.onDidChangeConfiguration(({ settings }) => {
  if (!isServerSettings(settings)) return;
  scheduler?.setDebounce(settings.debounceMs);
  if (settings.maxDocumentSize !== undefined) scheduler?.setMaxDocumentSize(settings.maxDocumentSize);
  if (settings.weaver) weaverOnSave?.updateSettings(settings.weaver);
  if (settings.baselineRegistry !== undefined) setBaseline(settings.baselineRegistry);
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
  idle?.dispose();
  weaverOnSave?.dispose();
  baselineWatcher?.dispose();
});

documents.listen(connection);
connection.listen();
