import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Position, Range, TextEdit } from 'vscode-languageserver';

export const repoRoot = resolve(__dirname, '../../..');
/** Read-only reference registries (`../shared`), never copied into the repository. */
export const semconvMain = resolve(repoRoot, '../shared/registries/semconv-main');
export const mixedFixture = resolve(repoRoot, 'test/fixtures/registries/mixed');

export const uri = (path: string): string => pathToFileURL(path).href;

/** The 0-based position of the `nth` occurrence of `needle` in `text`, plus `offset` characters. */
export function positionOf(text: string, needle: string, offset = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" (occurrence ${nth}) not found`);
  }
  const before = text.slice(0, at + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

export async function read(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** The text a range covers. */
export function textAt(text: string, range: Range): string {
  return text.slice(offsetOf(text, range.start), offsetOf(text, range.end));
}

export function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return offset + position.character;
}

/** Applies LSP text edits the way an editor does (all ranges refer to the original text). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let out = text;
  for (const edit of sorted) {
    out = out.slice(0, offsetOf(text, edit.range.start)) + edit.newText + out.slice(offsetOf(text, edit.range.end));
  }
  return out;
}
