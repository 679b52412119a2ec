import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineChoice } from '../core/engine/registryEngine';
import type { FileAccessOptions, FileLimits } from '../core/semconv/fileAccess';
import { DEFAULT_DEBOUNCE_MS, DEFAULT_MAX_DOCUMENT_SIZE, MAX_DEBOUNCE_MS, MIN_MAX_DOCUMENT_SIZE } from '../protocol/server';

/** The settings under `weavergen.*`, read once per change and typed. */
export const SECTION = 'weavergen';

/**
 * Settings whose change means the registry root or the engine changes: the language server is
 * restarted and the engine re-created. Other settings apply live.
 */
const RESTART_KEYS = ['registryPath', 'engine', 'weaver.path', 'files', 'check.policies'] as const;

const MiB = 1024 * 1024;

/** `weavergen.files.*` limit settings: the limit each sets and the unit it is written in. */
const LIMIT_SETTINGS: ReadonlyArray<[string, keyof FileLimits, number]> = [
  ['files.maxFiles', 'maxFiles', 1],
  ['files.maxFileSize', 'maxFileBytes', MiB],
  ['files.maxTotalSize', 'maxTotalBytes', MiB],
  ['files.maxDepth', 'maxDepth', 1],
];

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
  /** `weavergen.files.followSymlinks` as set (an untrusted workspace never follows: see fileAccess). */
  readonly followSymlinks: boolean;
  /** `weavergen.files.max*`, in the loader's units (bytes); unset or invalid ones keep the default. */
  readonly limits: Partial<FileLimits>;
  /** `weavergen.server.maxDocumentSize`: above it an open document gets YAML syntax checks only. */
  readonly maxDocumentSize: number;
  /** `weavergen.check.policies` as written (workspace-relative or absolute); empty: no policy runs, as with weaver. */
  readonly policies: readonly string[];

  private constructor(section: vscode.WorkspaceConfiguration) {
    const engine = section.get<string>('engine', 'auto');
    this.engine = ENGINE_CHOICES.includes(engine as EngineChoice) ? (engine as EngineChoice) : 'auto';
    this.registryPath = (section.get<string>('registryPath', '') ?? '').trim();
    this.weaverPath = (section.get<string>('weaver.path', '') ?? '').trim();
    this.baselineRegistry = (section.get<string>('check.baselineRegistry', '') ?? '').trim();
    this.followSymlinks = section.get<boolean>('files.followSymlinks', false) === true;
    const limits: Partial<FileLimits> = {};
    for (const [key, limit, unit] of LIMIT_SETTINGS) {
      const value = section.get<number>(key);
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[limit] = Math.floor(value * unit);
    }
    this.limits = limits;
    const debounce = section.get<number>('check.debounceMs', DEFAULT_DEBOUNCE_MS);
    this.debounceMs =
      typeof debounce === 'number' && Number.isFinite(debounce)
        ? Math.min(Math.max(0, Math.round(debounce)), MAX_DEBOUNCE_MS)
        : DEFAULT_DEBOUNCE_MS;
    const policies = section.get<unknown>('check.policies', []);
    this.policies = Array.isArray(policies) ? policies.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : [];
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

  /**
   * How registry files are read. A link leaving the registry could point at anything on the machine,
   * so an untrusted workspace never follows one, whatever its settings say.
   */
  fileAccess(trusted: boolean): FileAccessOptions {
    return { followSymlinks: trusted && this.followSymlinks, limits: { ...this.limits } };
  }

  /** `weavergen.check.policies` as absolute paths (relative ones against the first workspace folder). */
  policyPaths(): string[] {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return this.policies.map((p) => (base ? path.resolve(base, p) : p));
  }

  /**
   * The same, as registry.load's `files` input (catalog.ts): every editor run reads files as the
   * language server does, and Run Workflow never asks the user for it.
   */
  filesInput(trusted: boolean): Record<string, unknown> {
    const files = this.fileAccess(trusted);
    return {
      ...(files.followSymlinks ? { followSymlinks: true } : {}),
      ...(files.limits?.maxFiles ? { maxFiles: files.limits.maxFiles } : {}),
      ...(files.limits?.maxFileBytes ? { maxFileSize: files.limits.maxFileBytes } : {}),
      ...(files.limits?.maxTotalBytes ? { maxTotalSize: files.limits.maxTotalBytes } : {}),
      ...(files.limits?.maxDepth ? { maxDepth: files.limits.maxDepth } : {}),
    };
  }

  static needsRestart(event: vscode.ConfigurationChangeEvent): boolean {
    return RESTART_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  }

  static affectsLiveSettings(event: vscode.ConfigurationChangeEvent): boolean {
    return LIVE_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`));
  }
}
