import * as path from 'node:path';
import * as vscode from 'vscode';
import { isRegistryFolder } from '../core/engine/index';
import type { WeaverGenConfig } from './config';

/**
 * Finds the registry folder of the workspace: `weavergen.registryPath` when set, else the first
 * workspace folder that is a registry, else the shallowest registry below one. The activation
 * events match any `manifest.yaml`, so every candidate is confirmed with isRegistryFolder.
 */

export type RegistryLocation =
  | { kind: 'found'; root: string; folder: vscode.WorkspaceFolder | undefined }
  | { kind: 'missing'; reason: string };

const MANIFEST_GLOB = '**/{registry_manifest.yaml,manifest.yaml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out}/**';
/** Enough to find a registry in a monorepo without walking a huge tree on every activation. */
const MAX_CANDIDATES = 50;

export async function locateRegistry(config: WeaverGenConfig): Promise<RegistryLocation> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    return { kind: 'missing', reason: 'No folder is open. Open the folder that holds your registry_manifest.yaml.' };
  }

  if (config.registryPath) {
    for (const folder of folders) {
      const root = path.resolve(folder.uri.fsPath, config.registryPath);
      if (await isRegistryFolder(root)) return { kind: 'found', root, folder };
    }
    return {
      kind: 'missing',
      reason: `weavergen.registryPath is "${config.registryPath}", but no workspace folder holds a registry there (a folder with registry_manifest.yaml or manifest.yaml). Fix the setting or clear it to detect the registry.`,
    };
  }

  for (const folder of folders) {
    if (folder.uri.scheme === 'file' && (await isRegistryFolder(folder.uri.fsPath))) {
      return { kind: 'found', root: folder.uri.fsPath, folder };
    }
  }

  const manifests = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDE_GLOB, MAX_CANDIDATES);
  const candidates = [...new Set(manifests.filter((u) => u.scheme === 'file').map((u) => path.dirname(u.fsPath)))].sort(
    (a, b) => a.split(path.sep).length - b.split(path.sep).length || a.localeCompare(b),
  );
  for (const dir of candidates) {
    if (await isRegistryFolder(dir)) {
      return { kind: 'found', root: dir, folder: vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir)) };
    }
  }
  return {
    kind: 'missing',
    reason:
      'No registry was found in this workspace: no folder holds a registry_manifest.yaml or manifest.yaml of a semantic-convention registry. Open the registry folder or set weavergen.registryPath.',
  };
}
