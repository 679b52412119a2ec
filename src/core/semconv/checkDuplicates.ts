import { relative } from 'node:path';
import type { RegistryDiagnostic } from '../engine/diagnostic';
import { CHECK_CODES, diagnostic } from './diagnostics';
import type { AttributeDefinition, FileModel, GroupDefinition } from './model';
import { describeLocation } from './positions';

/**
 * Group ids and attribute ids defined more than once in the registry. The first definition (in file
 * path order, then position) is the original; each later one is reported, naming where the first is.
 * Attribute ids are compared among attribute groups only, as weaver does (see AttributeDefinition).
 */
export function checkDuplicates(root: string, models: ReadonlyArray<FileModel>): RegistryDiagnostic[] {
  const out: RegistryDiagnostic[] = [];
  const groups = new Map<string, GroupDefinition>();
  const attributes = new Map<string, AttributeDefinition>();
  const where = (file: string, line: { line: number; character: number }): string =>
    describeLocation(relative(root, file) || file, line);

  for (const model of models) {
    for (const group of inSourceOrder(model.groups)) {
      const first = groups.get(group.id);
      if (!first) {
        groups.set(group.id, group);
        continue;
      }
      const sameWording = first.label === group.label;
      const subject = sameWording ? `group id '${group.id}'` : `${group.label} (group id '${group.id}')`;
      const original = sameWording ? '' : ` by ${first.label}`;
      out.push(
        diagnostic(
          group.file,
          group.range,
          'error',
          CHECK_CODES.duplicateGroupId,
          `${subject} is already defined at ${where(first.file, first.range.start)}${original}: give one of them a different id`,
          [{ file: first.file, range: first.range, message: `group id '${group.id}' first defined here` }],
        ),
      );
    }
    for (const attribute of inSourceOrder(model.attributes)) {
      if (!attribute.registry) continue;
      const first = attributes.get(attribute.id);
      if (!first) {
        attributes.set(attribute.id, attribute);
        continue;
      }
      out.push(
        diagnostic(
          attribute.file,
          attribute.range,
          'error',
          CHECK_CODES.duplicateAttributeId,
          `attribute '${attribute.id}' is already defined at ${where(first.file, first.range.start)} (in ${first.owner}): ` +
            `define it once and use \`ref: ${attribute.id}\` where it is needed`,
          [{ file: first.file, range: first.range, message: `attribute '${attribute.id}' first defined here` }],
        ),
      );
    }
  }
  return out;
}

/** v2 definitions are extracted section by section; "first" must mean first in the file. */
function inSourceOrder<T extends { range: { start: { line: number; character: number } } }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

const duplicateKeys = new WeakMap<FileModel, string>();

/** Everything of a file that `checkDuplicates` reads, as one string: equal keys mean equal findings. */
function duplicateKey(model: FileModel): string {
  let key = duplicateKeys.get(model);
  if (key === undefined) {
    const at = (r: { start: { line: number; character: number }; end: { line: number; character: number } }): string =>
      `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
    const parts: string[] = [];
    for (const g of model.groups) parts.push(`g\t${g.id}\t${g.label}\t${g.file}\t${at(g.range)}`);
    for (const a of model.attributes) if (a.registry) parts.push(`a\t${a.id}\t${a.owner}\t${a.file}\t${at(a.range)}`);
    key = parts.join('\n');
    duplicateKeys.set(model, key);
  }
  return key;
}

interface DuplicatesMemo {
  models: FileModel[];
  found: RegistryDiagnostic[];
}

const duplicateMemos = new Map<string, DuplicatesMemo>();

/** Runs of the duplicate check (cache misses); lets tests prove a re-check reused the last findings. */
export const duplicateCheckCounter = { runs: 0 };

/**
 * `checkDuplicates`, reusing the findings for `root` from last time when every file still defines the
 * same ids, with the same wording, at the same places: typing inside a brief or a ref changes none.
 */
export function checkDuplicatesCached(root: string, models: ReadonlyArray<FileModel>): RegistryDiagnostic[] {
  const memo = duplicateMemos.get(root);
  if (memo && memo.models.length === models.length) {
    let same = true;
    for (let i = 0; i < models.length && same; i++) {
      const before = memo.models[i] as FileModel;
      const now = models[i] as FileModel;
      same = before === now || duplicateKey(before) === duplicateKey(now);
    }
    if (same) {
      memo.models = [...models];
      return memo.found;
    }
  }
  duplicateCheckCounter.runs++;
  const found = checkDuplicates(root, models);
  duplicateMemos.set(root, { models: [...models], found });
  return found;
}
