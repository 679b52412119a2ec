import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { DEFAULT_MAX_DOCUMENT_SIZE, isSyntaxOnlyDocumentsParams, SYNTAX_ONLY_NOTIFICATION, type ServerInitOptions, type ServerSettings, type ServerWeaverOptions, type SyntaxOnlyDocumentsParams } from '../protocol/server';
import type { ProblemsCollection } from './problems';
import type { FileAccessOptions } from '../core/semconv/fileAccess';

/**
 * Node flags of the language server process (bench/lsp.bench.mjs measures with the same):
 * - `--expose-gc`: the server collects garbage in the pauses between keystrokes
 *   (IdleCollector, src/server/idleCollector.ts);
 * - `--min-semi-space-size=16`: the young generation starts at 16 MB instead of growing from 1 MB, so
 *   the initial load (which allocates ~100 MB of parse trees, most short-lived) runs far fewer
 *   scavenges: 5-15 % off a cold parse of semconv-main, for up to 32 MB more resident memory.
 */
export const SERVER_NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=16'] as const;

/**
 * Starts dist/server.js over IPC for the YAML files under the registry root. The server's
 * diagnostics are routed into the shared "weavergen" collection (not the client's own), so a
 * live result for a file replaces the Check Registry command's result for that file.
 */
export class RegistryLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly serverModule: string,
    private readonly registryRoot: string,
    private readonly problems: ProblemsCollection,
    private readonly log: vscode.LogOutputChannel,
    private debounceMs: number,
    /** What the server needs to run weaver on save (binary found by the extension, trust, engine setting). */
    private weaver: ServerWeaverOptions,
    /** Absolute path of the baseline registry for the backwards-compatibility policies as you type; null: none. */
    private baselineRegistry: string | null,
    /** How the server reads registry files (`weavergen.files.*`, trust applied). */
    private readonly files: FileAccessOptions | undefined,
    /** `weavergen.server.maxDocumentSize`. */
    private maxDocumentSize: number = DEFAULT_MAX_DOCUMENT_SIZE,
    /** Whether `weavergen.check.policies` names policy packages: the idle pass runs them only then. */
    private readonly policies: boolean = false,
    /** Told which open documents the server checks for syntax only (the status item shows it). */
    private readonly onSyntaxOnly?: (params: SyntaxOnlyDocumentsParams) => void,
  ) {}

  get isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  /** Idempotent: the first registry YAML opened starts the server; later calls wait for that start. */
  start(): Promise<void> {
    this.starting ??= this.doStart().catch((err: unknown) => {
      this.starting = undefined;
      this.log.error(`language server failed to start: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
      debug: { module: this.serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
    };
    const base = vscode.Uri.file(this.registryRoot).toString();
    const initializationOptions: ServerInitOptions = {
      registryRoot: this.registryRoot,
      debounceMs: this.debounceMs,
      weaver: this.weaver,
      baselineRegistry: this.baselineRegistry,
      ...(this.files ? { files: this.files } : {}),
      maxDocumentSize: this.maxDocumentSize,
      policies: this.policies,
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', pattern: { baseUri: base, pattern: '**/*.yaml' } },
        { scheme: 'file', pattern: { baseUri: base, pattern: '**/*.yml' } },
      ],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(this.registryRoot), '**/*.{yaml,yml}')),
      },
      initializationOptions,
      outputChannel: this.log,
      middleware: {
        handleDiagnostics: (uri, diagnostics) => {
          this.problems.setFile(uri, diagnostics);
        },
      },
    };
    this.client = new LanguageClient('weavergen', 'WeaverGen Language Server', serverOptions, clientOptions);
    await this.client.start();
    this.client.onNotification(SYNTAX_ONLY_NOTIFICATION, (params: unknown) => {
      if (isSyntaxOnlyDocumentsParams(params)) this.onSyntaxOnly?.(params);
    });
    this.log.info(`language server started for ${this.registryRoot}`);
  }

  /** Live settings go to the running server; a server not yet started reads them at start. */
  async updateSettings(settings: ServerSettings): Promise<void> {
    this.debounceMs = settings.debounceMs;
    if (settings.weaver) this.weaver = settings.weaver;
    if (settings.baselineRegistry !== undefined) this.baselineRegistry = settings.baselineRegistry;
    if (settings.maxDocumentSize !== undefined) this.maxDocumentSize = settings.maxDocumentSize;
    if (this.client?.isRunning()) {
      const full: ServerSettings = { debounceMs: this.debounceMs, weaver: this.weaver, baselineRegistry: this.baselineRegistry, maxDocumentSize: this.maxDocumentSize };
      await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: full });
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client) await client.dispose();
  }

  dispose(): void {
    void this.stop();
  }
}
