import type { RegistryDiagnostic } from '../engine/diagnostic';
import { CHECK_CODES, diagnostic } from './diagnostics';
import type { ParsedFile } from './parsedFile';
import { rangeInText } from './positions';
import { LIMIT_CODES } from './yamlLimits';

/**
 * YAML syntax errors (and the parser's warnings) of one file, placed on the span the parser reports.
 * The parser's own messages end with a code excerpt when `prettyErrors` is on; parsing runs with it
 * off, so messages are one line and get a fix-it suffix here.
 */
export function checkSyntax(file: ParsedFile): RegistryDiagnostic[] {
  const out: RegistryDiagnostic[] = [];
  for (const error of file.doc.errors) {
    let [start, end] = error.pos;
    if (error.code === 'MISSING_CHAR' && /quote/i.test(error.message)) {
      // The parser reports an unclosed quote where the file ends; the opening quote is what to fix.
      const opening = openingQuote(file.text, start, error.message.includes("'") ? "'" : '"');
      if (opening !== undefined) [start, end] = opening;
    }
    // A zero-width span still needs one visible character.
    const range = rangeInText(file, start, end > start ? end : Math.min(start + 1, file.text.length));
    out.push(diagnostic(file.path, range, 'error', CHECK_CODES.yamlSyntax, `YAML syntax error: ${describe(error.code, error.message)}`));
  }
  for (const warning of file.doc.warnings) {
    const [start, end] = warning.pos;
    const range = rangeInText(file, start, end);
    out.push(diagnostic(file.path, range, 'warning', CHECK_CODES.yamlSyntax, `YAML: ${firstLine(warning.message)}`));
  }
  return out;
}

/** The last `quote` character before `before`, spanning to the end of its line. */
function openingQuote(text: string, before: number, quote: string): [number, number] | undefined {
  const at = text.lastIndexOf(quote, Math.max(0, before - 1));
  if (at < 0) return undefined;
  const lineEnd = text.indexOf('\n', at);
  return [at, lineEnd < 0 ? text.length : lineEnd];
}

function describe(code: string, message: string): string {
  switch (code) {
    case LIMIT_CODES.nesting:
    case LIMIT_CODES.aliases:
      // These messages name the limit and the fix already.
      return message;
    case 'MISSING_CHAR':
      if (/quote/i.test(message)) return 'this quoted text is never closed: add the closing quote';
      return `${firstLine(message)}: check the indentation and punctuation on this line`;
    default:
      return `${firstLine(message)}: ${hintFor(code)}`;
  }
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/\s+at line \d+, column \d+:?$/, '').replace(/[.:]\s*$/, '');
}

function hintFor(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'remove or rename one of the two keys';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and punctuation on this line';
    case 'MULTIPLE_DOCS':
      return 'keep one YAML document per registry file (remove the `---` separator)';
    case 'BAD_ALIAS':
      return 'define the anchor (`&name`) before using the alias (`*name`)';
    case 'RESOURCE_EXHAUSTION':
      return 'the file is too large or too deeply nested to read: split or flatten it';
    case 'MULTILINE_IMPLICIT_KEY':
      return 'quote the value or fold it with `>` so it does not read as a key';
    default:
      return 'fix the YAML so weaver can read the file';
  }
}
