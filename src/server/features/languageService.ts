import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type CompletionItem,
  CompletionItemKind,
  CompletionItemTag,
  type CompletionList,
  type CompletionParams,
  type DefinitionParams,
  type DocumentSymbol,
  type DocumentSymbolParams,
  ErrorCodes,
  type FoldingRange,
  type FoldingRangeParams,
  type Hover,
  type HoverParams,
  type Location,
  type Position,
  MarkupKind,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  RenameFile,
  type RenameParams,
  ResponseError,
  type ServerCapabilities,
  SymbolKind,
  SymbolTag,
  type TextEdit,
  type WorkspaceEdit,
  type WorkspaceSymbol,
  type WorkspaceSymbolParams,
} from 'vscode-languageserver/node';
import type { LoadedRegistry } from '../../core/semconv/loadRegistry';
import type { SchemaKind } from '../../core/semconv/schemaValidator';
import { editorLineCounter } from '../../core/semconv/parsedFile';
import { positionAt } from '../../core/semconv/positions';
import { SymbolIndex, type FileSymbols } from '../../core/semconv/symbols';
import type { IdleCollector } from '../idleCollector';
import { complete, completionReadsIndex, type SuggestionKind } from './completion';
import { onlyIndentedKeyLinesChanged, onlyReferenceIdChanged } from './typedReference';
import { attributeMarkdown, hoverMarkdown } from './hover';
import { definitionsOf, referencesOf, type FileRange } from './navigation';
import { documentOutline, foldingRanges, workspaceSymbols, type OutlineNode } from './outline';
import { fromLspPosition, toLspPosition, toLspRange } from './lspPositions';
import { manifestQuickFixes, quickFixes, type QuickFix } from './quickFixes';
import { prepareRename, renameAttribute } from './rename';

/**
 * The editing features of the language server (hover, definition, references, rename, completion,
 * outline, workspace symbols, folding, quick fixes) as plain async functions of LSP params. The
 * connection in server.ts only forwards requests here, so tests and the fuzzer call the very same
 * functions without a socket.
 */

/** The part of RegistryWorkspace the features read: the registry as the editor currently shows it. */
export interface RegistrySource {
  load(signal?: AbortSignal): Promise<LoadedRegistry>;
  /**
   * Edit tracking (RegistryWorkspace has it): lets completion skip re-parsing a file whose only edit
   * since the index is the id being typed (see typedReference.ts).
   */
  readonly revision?: number;
  overlaysEditedSince?(revision: number): string[] | undefined;
  overlay?(path: string): string | undefined;
}

/** Capabilities to announce for the handlers below. */
export const EDITING_CAPABILITIES: ServerCapabilities = {
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  completionProvider: { triggerCharacters: [' ', '.', ':'], resolveProvider: false },
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  foldingRangeProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

const COMPLETION_KINDS: Record<SuggestionKind, CompletionItemKind> = {
  attribute: CompletionItemKind.Field,
  group: CompletionItemKind.Class,
  value: CompletionItemKind.EnumMember,
  member: CompletionItemKind.EnumMember,
  key: CompletionItemKind.Property,
};

const OUTLINE_KINDS: Record<OutlineNode['kind'], SymbolKind> = {
  group: SymbolKind.Namespace,
  signal: SymbolKind.Class,
  attribute: SymbolKind.Field,
  ref: SymbolKind.Property,
  ref_group: SymbolKind.Module,
  member: SymbolKind.EnumMember,
};

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

const toUri = (file: string): string => pathToFileURL(file).href;


function schemaKindOf(symbols: FileSymbols): SchemaKind {
  const kind = symbols.file.kind;
  if (kind === 'v1' || kind === 'v2' || kind === 'manifest') return kind;
  return /^\s*file_format\s*:\s*definition\/2/m.test(symbols.file.text) ? 'v2' : 'v1';
}

/** `ref: id`, `id: id`, `renamed_to: id` (a list item or not), the id in group 2 at offset `index + group 1 length`. */
const ID_ON_LINE = /^(\s*(?:-\s+)?(?:ref|id|renamed_to)\s*:\s*)(['"]?)([\w.\-]+)\2\s*(?:#.*)?$/;

/**
 * Hover in a document too large to parse as you type: the attribute whose id sits under the cursor on
 * a `ref:`/`id:`/`renamed_to:` line, read from that line alone and looked up in the registry as
 * indexed (the other files, and this one as on disk). Costs a scan to the line, not a parse.
 */
function hoverOnLine(index: SymbolIndex, text: string, position: Position): Hover | null {
  const starts = lineStartsOf(text);
  const start = starts[position.line];
  if (start === undefined) return null;
  const end = starts[position.line + 1] ?? text.length;
  const lineText = text.slice(start, end).replace(/\r?\n$|\r$/, '');
  const m = ID_ON_LINE.exec(lineText);
  if (!m) return null;
  const from = m[1]!.length + m[2]!.length;
  const to = from + m[3]!.length;
  if (position.character < from || position.character > to) return null;
  const attribute = index.attribute(m[3]!);
  if (!attribute) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: attributeMarkdown(index, attribute) },
    range: { start: { line: position.line, character: from }, end: { line: position.line, character: to } },
  };
}

/** Line starts of the last large buffer hovered (one scan per version of the text, not per request). */
let lastLineStarts: { text: string; starts: readonly number[] } | undefined;

function lineStartsOf(text: string): readonly number[] {
  if (lastLineStarts?.text !== text) lastLineStarts = { text, starts: editorLineCounter(text).lineStarts };
  return lastLineStarts.starts;
}

export class RegistryLanguageService {
  readonly index = new SymbolIndex();

  /** Whether the client applies file renames in a workspace edit (`workspaceEdit.resourceOperations`). */
  canRenameFiles = false;

  /**
   * `idle`: a request that re-parsed an edited file (typing, then asking for completion) counts as
   * activity, so the garbage of that parse is collected in the pause before the next keystroke.
   */
  constructor(
    private readonly source: RegistrySource,
    private readonly idle?: IdleCollector,
    /**
     * The buffer of an open document checked for syntax only (too large, see
     * src/server/oversizedDocuments.ts), undefined for other files: the registry holds such a file as
     * on disk, not as the buffer shows it, so requests in it answer nothing, except hover on an
     * attribute id, read from the cursor line alone (`hoverOnLine`).
     */
    private readonly syntaxOnly: (path: string) => string | undefined = () => undefined,
  ) {}

  /** The source's revision the index was last brought in line with. */
  private indexedRevision: number | undefined;

  /** Loads the registry as currently edited (only changed files are parsed) and updates the index. */
  async refresh(): Promise<SymbolIndex> {
    const revision = this.source.revision;
    if (this.index.update(await this.source.load()) > 0) this.idle?.activity();
    this.indexedRevision = revision;
    return this.index;
  }

  /**
   * The indexed symbols of `path` and its text as edited now, when every edit since the index was
   * built is in that file and cannot change what completion there reads from the index: the reference
   * id being typed on the cursor line (definitions and the file's kind stay), or, where completion reads
   * only the file's kind (keys, schema values), keys being typed on indented lines.
   */
  private indexedWhileTyping(path: string, position: Position): { symbols: FileSymbols; text: string } | undefined {
    const { source } = this;
    if (this.indexedRevision === undefined || !source.overlaysEditedSince || !source.overlay) return undefined;
    const edited = source.overlaysEditedSince(this.indexedRevision);
    if (!edited || edited.some((p) => p !== path)) return undefined;
    const symbols = this.index.fileSymbols(path);
    const text = source.overlay(path) ?? symbols?.file.text;
    if (!symbols || text === undefined) return undefined;
    const { file } = symbols;
    const lineOf = (offset: number): number => toLspPosition(file, positionAt(file.lineCounter, offset)).line;
    if (onlyReferenceIdChanged(file, text, position.line, lineOf)) return { symbols, text };
    // The edit test first: it is cheaper than finding the cursor's context, which complete() does again.
    if (onlyIndentedKeyLinesChanged(file, text) && !completionReadsIndex(text, position.line, position.character)) return { symbols, text };
    return undefined;
  }

  /** A core range of any indexed file, as the editor counts lines. */
  private lspRange(file: string, range: Range): Range {
    return toLspRange(this.index.fileSymbols(file)?.file, range);
  }

  private toLocation({ file, range }: FileRange): Location {
    return { uri: toUri(file), range: this.lspRange(file, range) };
  }

  private workspaceEdit(edits: Map<string, Array<{ range: Range; newText: string }>>): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const [file, list] of edits) changes[toUri(file)] = list.map((e) => ({ range: this.lspRange(file, e.range), newText: e.newText }));
    return { changes };
  }

  /** The symbol under an editor position. */
  private occurrenceAt(symbols: FileSymbols, position: Position) {
    return this.index.at(symbols.file.path, fromLspPosition(symbols.file, position));
  }

  private async fileOf(uri: string): Promise<FileSymbols | undefined> {
    const path = uriToPath(uri);
    if (!path || this.syntaxOnly(path) !== undefined) return undefined;
    await this.refresh();
    return this.index.fileSymbols(path);
  }

  async hover(params: HoverParams): Promise<Hover | null> {
    const path = uriToPath(params.textDocument.uri);
    const large = path === undefined ? undefined : this.syntaxOnly(path);
    // Edits of such a document do not reach the registry, so bringing the index in line stays cheap.
    if (large !== undefined) return hoverOnLine(await this.refresh(), large, params.position);
    const symbols = await this.fileOf(params.textDocument.uri);
    if (!symbols) return null;
    const occurrence = this.occurrenceAt(symbols, params.position);
    if (!occurrence) return null;
    const value = hoverMarkdown(this.index, occurrence);
    if (!value) return null;
    return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(symbols.file, occurrence.symbol.range) };
  }

  async definition(params: DefinitionParams): Promise<Location[] | null> {
    const symbols = await this.fileOf(params.textDocument.uri);
    const occurrence = symbols && this.occurrenceAt(symbols, params.position);
    if (!occurrence) return null;
    const found = definitionsOf(this.index, occurrence);
    return found.length > 0 ? found.map((f) => this.toLocation(f)) : null;
  }

  async references(params: ReferenceParams): Promise<Location[]> {
    const symbols = await this.fileOf(params.textDocument.uri);
    const occurrence = symbols && this.occurrenceAt(symbols, params.position);
    if (!occurrence) return [];
    return referencesOf(this.index, occurrence, params.context.includeDeclaration).map((f) => this.toLocation(f));
  }

  /** The range and text to rename; a ResponseError (shown to the user) when nothing renamable is there. */
  async prepareRename(params: PrepareRenameParams): Promise<{ range: Range; placeholder: string } | null> {
    const symbols = await this.fileOf(params.textDocument.uri);
    if (!symbols) return null;
    const outcome = prepareRename(this.index, this.occurrenceAt(symbols, params.position));
    if (!outcome.ok) throw new ResponseError(ErrorCodes.InvalidRequest, outcome.message);
    return { range: toLspRange(symbols.file, outcome.value.range), placeholder: outcome.value.placeholder };
  }

  /** The edits renaming an attribute across the registry; a ResponseError naming what is wrong with the new name. */
  async rename(params: RenameParams): Promise<WorkspaceEdit | null> {
    const symbols = await this.fileOf(params.textDocument.uri);
    if (!symbols) return null;
    const outcome = renameAttribute(this.index, this.occurrenceAt(symbols, params.position), params.newName);
    if (!outcome.ok) throw new ResponseError(ErrorCodes.InvalidParams, outcome.message);
    return this.workspaceEdit(outcome.value);
  }

  async completion(params: CompletionParams): Promise<CompletionList> {
    const path = uriToPath(params.textDocument.uri);
    if (path && this.syntaxOnly(path) !== undefined) return { isIncomplete: false, items: [] };
    const typing = path ? this.indexedWhileTyping(path, params.position) : undefined;
    const symbols = typing?.symbols ?? (await this.fileOf(params.textDocument.uri));
    if (!symbols) return { isIncomplete: false, items: [] };
    const text = typing?.text ?? symbols.file.text;
    const answer = complete(this.index, schemaKindOf(symbols), text, params.position.line, params.position.character);
    if (!answer) return { isIncomplete: false, items: [] };
    const range: Range = { start: { line: answer.line, character: answer.start }, end: { line: answer.line, character: answer.end } };
    const width = String(answer.items.length).length;
    // answer.items is already cut to COMPLETION_LIMIT: typing more narrows the list, so the client asks again.
    const items = answer.items.map((s, i): CompletionItem => {
      const item: CompletionItem = {
        label: s.label,
        kind: COMPLETION_KINDS[s.kind],
        // The order is decided here (prefix, then namespace match): the client keeps it.
        sortText: String(i).padStart(width, '0'),
        filterText: s.label,
        textEdit: { range, newText: s.insertText },
      };
      if (s.detail) item.detail = s.detail;
      if (s.documentation) item.documentation = { kind: MarkupKind.Markdown, value: s.documentation };
      if (s.deprecated) item.tags = [CompletionItemTag.Deprecated];
      return item;
    });
    return { isIncomplete: answer.incomplete, items };
  }

  async documentSymbols(params: DocumentSymbolParams): Promise<DocumentSymbol[]> {
    const symbols = await this.fileOf(params.textDocument.uri);
    if (!symbols) return [];
    const convert = (node: OutlineNode): DocumentSymbol => {
      const out: DocumentSymbol = {
        name: node.name || '(empty)',
        kind: OUTLINE_KINDS[node.kind],
        range: toLspRange(symbols.file, node.range),
        selectionRange: toLspRange(symbols.file, node.selectionRange),
        children: node.children.map(convert),
      };
      if (node.detail) out.detail = node.detail;
      if (node.deprecated) out.tags = [SymbolTag.Deprecated];
      return out;
    };
    return documentOutline(symbols).map(convert);
  }

  async workspaceSymbols(params: WorkspaceSymbolParams): Promise<WorkspaceSymbol[]> {
    await this.refresh();
    return workspaceSymbols(this.index, params.query).map((hit) => {
      const out: WorkspaceSymbol = {
        name: hit.name,
        kind: hit.kind === 'attribute' ? SymbolKind.Field : hit.kind === 'signal' ? SymbolKind.Class : SymbolKind.Namespace,
        location: this.toLocation(hit),
      };
      if (hit.container) out.containerName = hit.container;
      return out;
    });
  }

  async foldingRanges(params: FoldingRangeParams): Promise<FoldingRange[]> {
    const symbols = await this.fileOf(params.textDocument.uri);
    if (!symbols) return [];
    const file = symbols.file;
    return foldingRanges(file, (offset) => toLspPosition(file, positionAt(file.lineCounter, offset)).line);
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const only = params.context.only;
    if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
    const diagnostics = params.context.diagnostics.map((d) => ({
      range: d.range,
      message: typeof d.message === 'string' ? d.message : d.message.value,
      ...(d.code !== undefined ? { code: d.code } : {}),
    }));
    const symbols = await this.fileOf(params.textDocument.uri);
    if (!symbols) {
      // Not an indexed definition file: the manifest has fixes of its own (renaming it, which only
      // clients that rename files can apply).
      const path = uriToPath(params.textDocument.uri);
      if (!path || !this.canRenameFiles) return [];
      return manifestQuickFixes(path, diagnostics).map((fix) => this.toCodeAction(fix, params, undefined));
    }
    // Finding ranges come back as the server published them (parser coordinates); the cursor is the editor's.
    const cursor = { start: fromLspPosition(symbols.file, params.range.start), end: fromLspPosition(symbols.file, params.range.end) };
    return quickFixes(this.index, symbols.file, diagnostics, cursor).map((fix) => this.toCodeAction(fix, params, symbols.file));
  }

  private toCodeAction(fix: QuickFix, params: CodeActionParams, file: FileSymbols['file'] | undefined): CodeAction {
    const action: CodeAction = {
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      edit: fix.renameFile
        ? { documentChanges: [RenameFile.create(toUri(fix.renameFile.from), toUri(fix.renameFile.to), { overwrite: false, ignoreIfExists: false })] }
        : { changes: { [params.textDocument.uri]: file ? fix.edits.map((e) => ({ range: toLspRange(file, e.range), newText: e.newText })) : [] } },
    };
    if (fix.isPreferred) action.isPreferred = true;
    if (fix.diagnostic) {
      const bound = fix.diagnostic;
      const original = params.context.diagnostics.find(
        (d) => (typeof d.message === 'string' ? d.message : d.message.value) === bound.message && d.range.start.line === bound.range.start.line,
      );
      if (original) action.diagnostics = [original];
    }
    return action;
  }
}
