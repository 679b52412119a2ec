import * as vscode from 'vscode';
import type { EngineChoice } from '../core/engine/registryEngine';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_MAX_DOCUMENT_SIZE, MAX_DEBOUNCE_MS, MIN_MAX_DOCUMENT_SIZE } from '../protocol/server';

/** The settings under `weavergen.*`, read once per change and typed. */
export const SECTION = 'weavergen';

/**
 * Settings whose change means the registry root or the engine changes: the language server is
 * restarted and the engine re-created. Other settings apply live.
 */
const RESTART_KEYS = ['registryPath', 'engine', 'weaver.path'] as const;

/** Settings the running language server takes over without a restart (ServerSettings). */
const LIVE_KEYS = ['check.debounceMs', 'check.baselineRegistry', 'server.maxDocumentSize'] as const;

const ENGINE_CHOICES: readonly EngineChoice[] = ['auto', 'native', 'weaver'];

export class WeaverGenConfig {
  /** `weavergen.engine` as the user set it (an untrusted workspace still runs native only). */
  readonly engine: EngineChoice;
  /** `weavergen.registryPath`: a folder relative to the workspace folder; empty means detect. */
  readonly registryPath: string;
  /** `weavergen.weaver.path`: the weaver executable; empty means look it up on PATH. */
  readonly weaverPath: string;
  /** `weavergen.check.debounceMs`. */
  readonly debounceMs: number;
  /** `weavergen.check.baselineRegistry` as written (relative to the workspace folder); empty means none. */
  readonly baselineRegistry: string;
  /** `weavergen.server.maxDocumentSize`: above it an open document gets YAML syntax checks only. */
  readonly maxDocumentSize: number;

  private constructor(section: vscode.WorkspaceConfiguration) {
    const engine = section.get<string>('engine', 'auto');
    this.engine = ENGINE_CHOICES.includes(engine as EngineChoice) ? (engine as EngineChoice) : 'auto';
    this.registryPath = (section.get<string>('registryPath', '') ?? '').trim();
    this.weaverPath = (section.get<string>('weaver.path', '') ?? '').trim();
    this.baselineRegistry = (section.get<string>('check.baselineRegistry', '') ?? '').trim();
    const debounce = section.get<number>('check.debounceMs', DEFAULT_DEBOUNCE_MS);
    this.debounceMs =
      typeof debounce === 'number' && Number.isFinite(debounce)
        ? Math.min(Math.max(0, Math.round(debounce)), MAX_DEBOUNCE_MS)
        : DEFAULT_DEBOUNCE_MS;
    const maxSize = section.get<number>('server.maxDocumentSize', DEFAULT_MAX_DOCUMENT_SIZE);
    this.maxDocumentSize =
      typeof maxSize === 'number' && Number.isFinite(maxSize) ? Math.max(MIN_MAX_DOCUMENT_SIZE, Math.min(Math.round(maxSize), Number.MAX_SAFE_INTEGER)) : DEFAULT_MAX_DOCUMENT_SIZE;
  }

  static read(scope?: vscode.ConfigurationScope): WeaverGenConfig {
    return new WeaverGenConfig(vscode.workspace.getConfiguration(SECTION, scope));
  }

  /**
   * The engine a run may use. Workspace settings can point `weavergen.weaver.path` at any
   * executable, so an untrusted workspace never starts one: it gets the in-process engine.
   */
  effectiveEngine(trusted: boolean): EngineChoice {
    return trusted ? this.engine : 'native';
  }

  static needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
    return RESTART_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  }

  static affectsLiveSettings(event: vscode.ConfigurationChangeEvent): boolean {
    return LIVE_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  }
}
