import * as vscode from 'vscode';
import { resolveEngine, type ResolvedEngine } from '../core/engine/index';
import type { EngineKind, RegistryEngine } from '../core/engine/registryEngine';
import { locateWeaver } from '../core/weaver/locate';
import type { ServerWeaverOptions } from '../protocol/server';
import { baselineFromSetting } from './commands/reportPlan';
import { WeaverGenConfig } from './config';
import { ProblemsCollection } from './problems';
import { locateRegistry, type RegistryLocation } from './registryLocator';
import { RegistrySession } from './registrySession';
import { RunHistory } from './runHistory';
import { RunViewPanel } from './runViewPanel';

/**
 * The one object that owns every disposable of the extension: the log, the problems collection,
 * the run history, and the registry session (status bar + language server) when there is a
 * registry. Commands receive it; nothing else holds extension state.
 */
export class WeaverGenContext implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly problems: ProblemsCollection;
  readonly history: RunHistory;
  config: WeaverGenConfig;
  private location: RegistryLocation | undefined;
  private sessionValue: RegistrySession | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The running Check Registry, so a second one cancels the first instead of racing it. */
  activeRun: AbortController | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('WeaverGen', { log: true }));
    this.problems = this.own(new ProblemsCollection());
    this.history = this.own(new RunHistory(extension.storageUri ?? extension.globalStorageUri, this.log));
    this.config = WeaverGenConfig.read();
    this.own(this.history.onDidRecord((run) => RunViewPanel.refresh(run)));
  }

  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  ownAll(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  get session(): RegistrySession | undefined {
    return this.sessionValue;
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The registry of this workspace, located once and again after a relevant change. */
  async registry(): Promise<RegistryLocation> {
    this.location ??= await locateRegistry(this.config);
    return this.location;
  }

  /**
   * A fresh engine for one run, honouring workspace trust (`auto` looks for the weaver binary).
   * Rejects with a message saying what to do when the chosen engine is not available (e.g. `weaver`
   * without the binary).
   */
  async engine(): Promise<RegistryEngine> {
    return (await this.resolveEngine()).engine;
  }

  /** The engine a run would use and why (the setting, where weaver was found, trust). */
  resolveEngine(): Promise<ResolvedEngine> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return resolveEngine(this.config.engine, {
      trusted: this.trusted,
      ...(this.trusted && this.config.weaverPath ? { weaverPath: this.config.weaverPath } : {}),
      ...(folder ? { baseDir: folder } : {}),
    });
  }

  /**
   * What the language server needs to run `weaver registry check` on save. An untrusted workspace
   * is never searched: its settings may name any executable.
   */
  async weaverServerOptions(): Promise<ServerWeaverOptions> {
    const engine = this.config.engine;
    if (!this.trusted) return { engine, binaryPath: null, trusted: false };
    if (engine === 'native') return { engine, binaryPath: null, trusted: true };
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const located = await locateWeaver({
      ...(this.config.weaverPath ? { settingPath: this.config.weaverPath } : {}),
      ...(folder ? { baseDir: folder } : {}),
    });
    return located.found ? { engine, binaryPath: located.path, trusted: true } : { engine, binaryPath: null, trusted: true, missingReason: located.message };
  }

  /**
   * `weavergen.check.baselineRegistry` as an absolute path (against the registry's workspace folder), for
   * Check Registry and the language server alike; null when unset or when there is no registry.
   */
  baselineRegistryPath(): string | null {
    const location = this.location;
    if (location?.kind !== 'found') return null;
    return baselineFromSetting(this.config.baselineRegistry, location.folder?.uri.fsPath ?? location.root) ?? null;
  }

  /** The engine name the status bar shows: the kind a run would use, or why there is none. */
  async engineLabel(): Promise<EngineKind | string> {
    try {
      const resolved = await this.resolveEngine();
      this.log.info(resolved.reason);
      return resolved.engine.kind;
    } catch (err) {
      this.log.warn(`engine: ${err instanceof Error ? err.message : String(err)}`);
      return `${this.config.effectiveEngine(this.trusted)} (not available)`;
    }
  }

  /**
   * (Re)locates the registry and starts or replaces the session. Called at activation, when a
   * restart setting changes, on trust changes and when a manifest appears.
   */
  async refresh(reason: string): Promise<void> {
    this.config = WeaverGenConfig.read();
    this.location = undefined;
    const location = await this.registry();
    const previous = this.sessionValue;
    this.sessionValue = undefined;
    if (previous) {
      await previous.client.stop();
      previous.dispose();
    }
    if (location.kind === 'missing') {
      this.log.info(`${reason}: staying idle. ${location.reason}`);
      return;
    }
    const engine = await this.engineLabel();
    const weaver = await this.weaverServerOptions();
    this.log.info(
      `${reason}: registry ${location.root}, engine ${engine}` +
        (this.trusted ? '' : ' (untrusted workspace: native engine only, workspace workflows not loaded)'),
    );
    this.sessionValue = new RegistrySession(
      location.root,
      this.extension.asAbsolutePath('dist/server.js'),
      this.config,
      engine,
      weaver,
      this.baselineRegistryPath(),
      this.problems,
      this.log,
      this.config.fileAccess(this.trusted),
    );
  }

  dispose(): void {
    this.activeRun?.abort();
    this.sessionValue?.dispose();
    this.sessionValue = undefined;
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
