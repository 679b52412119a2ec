import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleRegistry } from './paths';

/**
 * Scratch copies of the bundled example registry. Tests change their copy, never examples/ itself.
 */

export interface ScratchRegistry {
  /** Absolute path of the copied registry (the folder the workbench opens). */
  readonly root: string;
  remove(): void;
}

export function copyExampleRegistry(): ScratchRegistry {
  const parent = mkdtempSync(join(tmpdir(), 'weavergen-e2e-ws-'));
  // The folder keeps the example's name so the explorer and the Problems panel read naturally.
  const root = join(parent, 'registry');
  cpSync(exampleRegistry, root, { recursive: true });
  return { root, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

export interface TextLocation {
  /** 1-based, as the Problems panel shows it. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The 1-based line and column of the only occurrence of `needle` in `text`; throws otherwise. */
export function locateOnce(text: string, needle: string, where: string): TextLocation {
  const first = text.indexOf(needle);
  if (first < 0) throw new Error(`"${needle}" does not occur in ${where}: the example registry changed; update the test`);
  if (text.indexOf(needle, first + 1) >= 0) {
    throw new Error(`"${needle}" occurs more than once in ${where}: pick a unique line to change`);
  }
  const before = text.slice(0, first).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Replaces the only occurrence of `original` in a registry file and returns where the replacement
 * starts, read from the file itself so the expected line follows the example if it changes.
 */
export function plantEdit(registry: ScratchRegistry, relativeFile: string, original: string, replacement: string): TextLocation {
  const file = join(registry.root, relativeFile);
  const text = readFileSync(file, 'utf8');
  const at = locateOnce(text, original, file);
  writeFileSync(file, text.replace(original, replacement));
  return at;
}
