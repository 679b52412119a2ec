/**
 * The registry's symbols for the editor: definitions, references and lookups by id and position.
 */
export { SymbolIndex, offsetIn, occurrenceAt } from './symbolIndex';
export { fileSymbols } from './extract';
export { groupAttributes } from './groupAttributes';
export type { GroupAttribute } from './groupAttributes';
export { isAttributeReference } from './types';
export type {
  AttributeSymbol,
  DeprecationInfo,
  EnumMemberSymbol,
  FileSymbols,
  GroupEntry,
  GroupKind,
  GroupSymbol,
  Occurrence,
  OffsetSpan,
  ReferenceKind,
  ReferenceSymbol,
} from './types';
