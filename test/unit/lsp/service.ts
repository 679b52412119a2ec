import type { Position } from 'vscode-languageserver/node';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { RegistryLanguageService } from '../../../src/server/features/languageService';
import { uri } from './helpers';

/** The language service on a real RegistryWorkspace, as server.ts wires it (no socket). */
export function service(root: string): { ws: RegistryWorkspace; ls: RegistryLanguageService } {
  const ws = new RegistryWorkspace(root);
  return { ws, ls: new RegistryLanguageService(ws) };
}

export const at = (file: string, position: Position) => ({ textDocument: { uri: uri(file) }, position });

export function hoverText(hover: Awaited<ReturnType<RegistryLanguageService['hover']>>): string {
  const contents = hover?.contents;
  return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}
