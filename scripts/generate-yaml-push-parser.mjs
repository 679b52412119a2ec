#!/usr/bin/env node
/**
 * Writes src/core/semconv/yamlPushParser.generated.ts: the `yaml` package's own Lexer and Parser
 * (browser/dist/parse/lexer.js and parser.js of the pinned version), with every generator turned into
 * a plain method that hands its tokens to a callback (`this.emit`) instead of yielding them.
 *
 * Why: the lexer and parser pass every token through three or four nested generators (`yield*`), and
 * resuming generators is most of what parsing costs in a fresh process, where the code has not been
 * optimised yet. The tokens, their order and every state change are the same: a `yield x` hands x to
 * the consumer before the producer goes on, and so does `this.emit(x)`; neither side reads the
 * other's state. test/unit/semconv/yamlPushParser.test.ts proves the documents equal, node for node,
 * on every YAML file of ../shared, and that this file is what this script makes of the installed yaml.
 *
 *   node scripts/generate-yaml-push-parser.mjs          write the file
 *   node scripts/generate-yaml-push-parser.mjs --check  exit 1 when the file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(root, 'src', 'core', 'semconv', 'yamlPushParser.generated.ts');
/** The transformation is checked against this version's sources; another version must be looked at first. */
const YAML_VERSION = '2.9.1';

/** Index just past the expression that starts at `from` and ends with a `;` outside brackets and strings. */
function expressionEnd(src, from) {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const ch = src[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < src.length && src[i] !== ch; i++) if (src[i] === '\\') i++;
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ';' && depth === 0) return i;
  }
  throw new Error(`no end of the yielded expression at ${from}`);
}

/** `*method(` -> `method(`, `yield* x` -> `x`, `yield x;` -> `this.emit(x);`; counts each kind. */
export function pushify(src, name) {
  const counts = { generators: 0, delegations: 0, yields: 0 };
  let out = src.replace(/^(\s+)\*(\w+)\(/gm, (_, indent, method) => {
    counts.generators++;
    return `${indent}${method}(`;
  });
  out = out.replace(/\byield\* /g, () => {
    counts.delegations++;
    return '';
  });
  for (let at = out.search(/\byield\b/); at !== -1; at = out.search(/\byield\b/)) {
    const start = at + 'yield'.length;
    const end = expressionEnd(out, start);
    const expression = out.slice(start, end).trim();
    out = `${out.slice(0, at)}this.emit(${expression || 'undefined'})${out.slice(end)}`;
    counts.yields++;
  }
  if (/\byield\b|function\s*\*|^\s+\*\w+\(/m.test(out)) throw new Error(`${name}: a generator survived the transformation`);
  return { out, counts };
}

export function generate() {
  const pkgDir = join(root, 'node_modules', 'yaml');
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  if (version !== YAML_VERSION) throw new Error(`yaml ${version} is installed; this transformation was checked against ${YAML_VERSION}`);
  // Block comments go: their examples mention generators, and the originals document the code.
  const read = (file) => readFileSync(join(pkgDir, 'browser', 'dist', 'parse', file), 'utf8').replace(/\/\*[\s\S]*?\*\/\n?/g, '');

  let lexer = read('lexer.js');
  lexer = lexer.replace("import { BOM, DOCUMENT, FLOW_END, SCALAR } from './cst.js';\n", '');
  lexer = lexer.replace('export { Lexer };\n', '');
  lexer = lexer.replace(/\bclass Lexer\b/, 'class PushLexer');
  const lexed = pushify(lexer, 'lexer.js');

  let parser = read('parser.js');
  parser = parser.replace("import { tokenType } from './cst.js';\nimport { Lexer } from './lexer.js';\n", '');
  parser = parser.replace('export { Parser };\n', '');
  parser = parser.replace(/\bclass Parser\b/, 'class PushParser');
  parser = parser.replace('this.lexer = new Lexer();', 'this.lexer = new PushLexer();');
  // The parser read the lexer's tokens from its generator; now the lexer hands each one over.
  const loop = 'for (const lexeme of this.lexer.lex(source, incomplete))\n            yield* this.next(lexeme);';
  if (!parser.includes(loop)) throw new Error('parser.js: the token loop of parse() is not where it was');
  parser = parser.replace(loop, 'this.lexer.emit = (lexeme) => this.next(lexeme);\n        this.lexer.lex(source, incomplete);');
  const parsed = pushify(parser, 'parser.js');

  const expected = { lexer: { generators: 18, delegations: 68, yields: 8 }, parser: { generators: 14, delegations: 39, yields: 6 } };
  const got = { lexer: lexed.counts, parser: parsed.counts };
  if (process.env.SHOW_COUNTS) console.log(JSON.stringify(got));
  if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`unexpected transformation counts ${JSON.stringify(got)}`);

  return [
    '// @ts-nocheck',
    `// Generated by scripts/generate-yaml-push-parser.mjs from yaml ${version} (ISC license, Eemeli Aro):`,
    '// its Lexer and Parser with generators turned into callbacks. Do not edit; run the script.',
    "import { CST } from 'yaml';",
    '',
    'const { BOM, DOCUMENT, FLOW_END, SCALAR, tokenType } = CST;',
    '',
    lexed.out.trimEnd(),
    '',
    parsed.out.trimEnd(),
    '',
    'export { PushLexer, PushParser };',
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = generate();
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUTPUT, 'utf8');
    if (current !== text) {
      console.error(`${OUTPUT} is out of date: run node scripts/generate-yaml-push-parser.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUTPUT, text);
    console.log(`wrote ${OUTPUT}`);
  }
}
