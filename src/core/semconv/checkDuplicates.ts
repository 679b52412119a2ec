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
