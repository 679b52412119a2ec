import type { ParsedFile } from '../parsedFile';
import type { GroupSpec } from './groupSpec';

/** v2 (`file_format: definition/2`) files: not resolved natively yet, so they contribute no groups. */
export function v2GroupSpecs(_file: ParsedFile, _registryIndex: number): GroupSpec[] {
  void _file;
  void _registryIndex;
  return [];
}
