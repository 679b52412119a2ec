#!/usr/bin/env node
/**
 * Fuzzes the language server's editing features on broken registry files.
 *
 *   npm run fuzz -- [--iterations N] [--seed S] [--registry DIR]...
 *
 * Each iteration takes one YAML file of a registry under ../shared/registries (read-only: the mutated
 * text is an editor overlay, never written), mutates it (deletes or duplicates lines, breaks
 * indentation, inserts random bytes or control characters, truncates, switches to CRLF, lone-CR or mixed
 * line ends, inserts "billion laughs" alias bombs and deeply nested collections; sometimes writes it as
 * bytes in another encoding or with invalid UTF-8 and reads it back through the loader's decoder, whose
 * finding must lie on the decoded text), and sends every editing request (hover, definition,
 * references, prepareRename, rename, completion, document and workspace symbols, folding ranges, code
 * actions on the file's real findings) through the very handler functions server.ts registers, at
 * positions on symbols and at random ones, in and out of range; the file's diagnostics, as the server
 * would publish them, must lie on its text too.
 *
 * A failure is an exception other than the ResponseError a handler uses to refuse (e.g. an invalid
 * new name), a response that breaks the LSP shape (ranges outside the text, start after end, missing
 * fields), a request that takes more than 1 s, or a diagnostic that passes on a stack overflow or an
 * exhausted heap instead of saying what is wrong. The PRNG is seeded; the seed is printed first so a
 * failure can be replayed with --seed, and the mutated text of each failing iteration is saved under
 * test-results/fuzz/. The last line is `N passed, M failed`; the exit code is 1 when
 * anything failed.
 */
import { build } from 'esbuild';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { yamlEsmPlugin } from './buildPlugins.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TIME_LIMIT_MS = 1000;
const failuresDir = join(root, 'test-results', 'fuzz');

function usage(message) {
  console.error(`fuzz: ${message}\nusage: npm run fuzz -- [--iterations N] [--seed S] [--registry DIR]...`);
  process.exit(2);
}

function parseArgs(argv) {
  const options = { iterations: 1000, seed: Date.now() % 2 ** 31, registries: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--iterations' || arg === '--seed') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < (arg === '--seed' ? 0 : 1)) usage(`${arg} needs a ${arg === '--seed' ? 'non-negative' : 'positive'} integer, got '${value ?? ''}'`);
      options[arg.slice(2)] = n;
      i++;
    } else if (arg === '--registry') {
      if (!value) usage('--registry needs a folder');
      options.registries.push(resolve(value));
      i++;
    } else usage(`unknown option '${arg}'`);
  }
  if (options.registries.length === 0) {
    const shared = resolve(root, '..', 'shared', 'registries');
    options.registries.push(join(shared, 'semconv-main'), join(shared, 'semconv-v1.44.0'));
  }
  return options;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] };
}

// ------------------------------------------------------------------------------------------------
// Mutations

// A lone '\r' is a line break for LSP but not for the YAML parser: the features must convert.
const NASTY = ['\t', ':', ': ', '- ', '#', '"', "'", '[', ']', '{', '}', '&a', '*a', '|', '>', '\u0000', '\ud800', '\u00e9', '😀', '\r', '\r\n', '\n', '  ', 'ref: ', '---\n', '? '];

function randomBytes(rand) {
  let out = '';
  const n = 1 + rand.int(6);
  for (let i = 0; i < n; i++) out += rand.next() < 0.5 ? rand.pick(NASTY) : String.fromCharCode(rand.int(0x3000));
  return out;
}

const MUTATIONS = {
  deleteLines(text, rand) {
    const lines = text.split('\n');
    const at = rand.int(lines.length);
    lines.splice(at, 1 + rand.int(4));
    return lines.join('\n');
  },
  duplicateLines(text, rand) {
    const lines = text.split('\n');
    const at = rand.int(lines.length);
    const count = 1 + rand.int(3);
    lines.splice(at, 0, ...lines.slice(at, at + count));
    return lines.join('\n');
  },
  breakIndentation(text, rand) {
    const lines = text.split('\n');
    const at = rand.int(lines.length);
    const line = lines[at] ?? '';
    lines[at] = rand.next() < 0.5 ? ' '.repeat(1 + rand.int(5)) + line : line.replace(/^ {1,3}/, '');
    return lines.join('\n');
  },
  insertBytes(text, rand) {
    const at = rand.int(text.length + 1);
    return text.slice(0, at) + randomBytes(rand) + text.slice(at);
  },
  truncate(text, rand) {
    return text.slice(0, rand.int(text.length + 1));
  },
  windowsLineEnds(text) {
    return text.replace(/\r?\n/g, '\r\n');
  },
  /** Old Mac line ends everywhere, or a mix of the three kinds line by line. */
  loneCrLineEnds(text, rand) {
    if (rand.next() < 0.5) return text.replace(/\r?\n/g, '\r');
    return text.split(/\r?\n/).map((line, i) => (i === 0 ? '' : rand.pick(['\n', '\r', '\r\n'])) + line).join('');
  },
  /** C0 and C1 control characters, line and paragraph separators, a byte order mark, anywhere. */
  controlCharacters(text, rand) {
    const controls = ['\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001b[31m', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\ufeff', '\u200b'];
    let out = text;
    for (let i = 0, n = 1 + rand.int(4); i < n; i++) {
      const at = rand.int(out.length + 1);
      out = out.slice(0, at) + rand.pick(controls) + out.slice(at);
    }
    return out;
  },
  /** A "billion laughs" block (levels of anchors, each aliasing the previous several times) under a key of a random line. */
  aliasBomb(text, rand) {
    const lines = text.split('\n');
    const at = rand.int(lines.length);
    const indent = (/^\s*/.exec(lines[at] ?? '') ?? [''])[0].replace(/-/g, ' ');
    const levels = 4 + rand.int(10);
    const fan = 3 + rand.int(8);
    const bomb = [`${indent}bomb${rand.int(100)}:`, `${indent}  b0: &b0 [lol, lol, lol]`];
    for (let i = 1; i < levels; i++) bomb.push(`${indent}  b${i}: &b${i} [${Array(fan).fill(`*b${i - 1}`).join(', ')}]`);
    // Sometimes an alias inside its own anchor, which would expand forever.
    if (rand.next() < 0.3) bomb.push(`${indent}  loop: &loop {self: *loop}`);
    lines.splice(at, 0, ...bomb);
    return lines.join('\n');
  },
  /** Flow (`[[[...]]]`, `{a: {a: ...}}`) or block (`- - - ...`) nesting thousands of levels deep. */
  deepNesting(text, rand) {
    const lines = text.split('\n');
    const at = rand.int(lines.length);
    const depth = 100 + rand.int(rand.next() < 0.2 ? 50_000 : 2_000);
    const indent = (/^\s*/.exec(lines[at] ?? '') ?? [''])[0].replace(/-/g, ' ');
    const kind = rand.int(3);
    const value =
      kind === 0 ? '['.repeat(depth) + ']'.repeat(rand.next() < 0.8 ? depth : rand.int(depth)) : kind === 1 ? '{a: '.repeat(depth) + '1' + '}'.repeat(depth) : `\n${indent}  ${'- '.repeat(depth)}x`;
    lines.splice(at, 0, `${indent}deep${rand.int(100)}: ${value}`);
    return lines.join('\n');
  },
};

/**
 * The file as bytes in another encoding, or with bytes that are not UTF-8, read back through the
 * loader's decoder (what a file on disk goes through): UTF-16 LE/BE with a byte-order mark must decode
 * to the same text; a UTF-8 BOM is dropped; UTF-16 without a BOM, UTF-32 and invalid UTF-8 must give a
 * finding that lies on the decoded text (or none at all when no text is kept).
 */
function encode(text, rand) {
  const utf8 = Buffer.from(text, 'utf8');
  const utf16le = Buffer.from(text, 'utf16le');
  const swapped = () => Buffer.from(utf16le).swap16();
  const invalid = () => {
    const out = Buffer.from(utf8);
    const bad = [0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf5, 0xfe, 0xff];
    for (let i = 0, n = 1 + rand.int(3); i < n && out.length > 0; i++) out[rand.int(out.length)] = rand.pick(bad);
    return out;
  };
  const kinds = {
    'utf-16le-bom': () => Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]),
    'utf-16be-bom': () => Buffer.concat([Buffer.from([0xfe, 0xff]), swapped()]),
    'utf-8-bom': () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]),
    'utf-16le-no-bom': () => utf16le,
    'utf-32le': () => {
      const out = Buffer.alloc(4 + text.length * 4);
      out.writeUInt32LE(0xfeff, 0);
      for (let i = 0; i < text.length; i++) out.writeUInt32LE(text.charCodeAt(i), 4 + i * 4);
      return out;
    },
    'invalid-utf-8': invalid,
    'latin-1': () => Buffer.from(text.replace(/[^\u0000-\u00ff]/g, '?').replace(/[a-z]/, '\u00e9'), 'latin1'),
  };
  const kind = rand.pick(Object.keys(kinds));
  return { kind, bytes: kinds[kind]() };
}

function mutate(text, rand) {
  const applied = [];
  let out = text;
  const n = 1 + rand.int(3);
  for (let i = 0; i < n; i++) {
    const name = rand.pick(Object.keys(MUTATIONS));
    out = MUTATIONS[name](out, rand);
    applied.push(name);
  }
  return { text: out, applied };
}

// ------------------------------------------------------------------------------------------------
// Response checks

class Invalid extends Error {}

function lineLengths(text) {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** A range inside the document: non-negative integers, start <= end, within the lines of the text. */
function checkRange(range, lengths, what) {
  const ok = (p) => p && Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0;
  if (!range || !ok(range.start) || !ok(range.end)) throw new Invalid(`${what}: malformed range ${JSON.stringify(range)}`);
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) throw new Invalid(`${what}: start after end ${JSON.stringify(range)}`);
  if (lengths) {
    for (const p of [start, end]) {
      if (p.line >= lengths.length || p.character > lengths[p.line]) throw new Invalid(`${what}: ${JSON.stringify(p)} is outside the text`);
    }
  }
}

function checkLocations(list, textsByUri, what) {
  if (list === null) return;
  if (!Array.isArray(list)) throw new Invalid(`${what}: expected an array or null`);
  for (const loc of list) {
    if (typeof loc.uri !== 'string' || !loc.uri.startsWith('file:')) throw new Invalid(`${what}: bad uri ${loc.uri}`);
    checkRange(loc.range, textsByUri(loc.uri), what);
  }
}

function checkWorkspaceEdit(edit, textsByUri, what) {
  if (edit === null) return;
  if (typeof edit !== 'object' || typeof edit.changes !== 'object') throw new Invalid(`${what}: expected { changes }`);
  for (const [uri, edits] of Object.entries(edit.changes)) {
    if (!Array.isArray(edits)) throw new Invalid(`${what}: edits of ${uri} are not an array`);
    const lengths = textsByUri(uri);
    for (const e of edits) {
      if (typeof e.newText !== 'string') throw new Invalid(`${what}: edit without newText`);
      checkRange(e.range, lengths, what);
    }
  }
}

function checkDocumentSymbols(list, lengths, what) {
  if (!Array.isArray(list)) throw new Invalid(`${what}: expected an array`);
  const inside = (outer, inner) =>
    (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
    (inner.end.line < outer.end.line || (inner.end.line === outer.end.line && inner.end.character <= outer.end.character));
  const visit = (s) => {
    if (typeof s.name !== 'string' || s.name === '' || !Number.isInteger(s.kind)) throw new Invalid(`${what}: symbol without name or kind`);
    checkRange(s.range, lengths, what);
    checkRange(s.selectionRange, lengths, what);
    if (!inside(s.range, s.selectionRange)) throw new Invalid(`${what}: selectionRange of '${s.name}' is outside its range`);
    for (const c of s.children ?? []) {
      if (!inside(s.range, c.range)) throw new Invalid(`${what}: child '${c.name}' is outside '${s.name}'`);
      visit(c);
    }
  };
  list.forEach(visit);
}

// ------------------------------------------------------------------------------------------------

async function bundle(work) {
  const out = join(work, 'fuzz-target.cjs');
  await build({
    stdin: {
      contents: [
        "export { RegistryWorkspace } from './src/core/semconv/workspace';",
        "export { RegistryLanguageService } from './src/server/features/languageService';",
        "export { toLspDiagnostic } from './src/server/lspDiagnostics';",
        "export { ResponseError } from 'vscode-languageserver/node';",
        "export { decodeRegistryText } from './src/core/semconv/fileAccess';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
      sourcefile: 'fuzz-entry.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // As the product's server bundle resolves `yaml`: fuzz what ships.
    plugins: [yamlEsmPlugin],
    outfile: out,
    logLevel: 'error',
  });
  return createRequire(import.meta.url)(out);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  console.log(`fuzz: seed ${options.seed}, ${options.iterations} iterations, registries ${options.registries.map((r) => relative(root, r)).join(', ')}`);
  const rand = prng(options.seed);
  const work = await mkdtemp(join(tmpdir(), 'weavergen-fuzz-'));
  let passed = 0;
  let failed = 0;
  /** Slowest response per request, reported at the end. */
  const slowest = {};
  try {
    const lib = await bundle(work);
    const targets = [];
    for (const registry of options.registries) {
      const ws = new lib.RegistryWorkspace(registry);
      const ls = new lib.RegistryLanguageService(ws);
      const loaded = await ws.load();
      const files = loaded.files.map((f) => f.path);
      if (files.length === 0) usage(`no registry files under ${registry}`);
      await ws.check();
      targets.push({ registry, ws, ls, files });
    }
    const diskTexts = new Map();
    const original = async (file) => {
      if (!diskTexts.has(file)) diskTexts.set(file, await readFile(file, 'utf8'));
      return diskTexts.get(file);
    };

    for (let iteration = 1; iteration <= options.iterations; iteration++) {
      const target = rand.pick(targets);
      const file = rand.pick(target.files);
      const uri = pathToFileURL(file).href;
      const mutated = mutate(await original(file), rand);
      const { applied } = mutated;
      let text = mutated.text;
      const failures = [];
      // Sometimes the mutated text goes to disk in another encoding: it is read back through the decoder.
      if (rand.next() < 0.15) {
        // A lone surrogate has no bytes in any of these encodings: a file on disk never holds one.
        text = text.toWellFormed();
        const { kind, bytes } = encode(text, rand);
        applied.push(`encoding ${kind}`);
        const read = lib.decodeRegistryText(file, bytes);
        const withBom = ['utf-16le-bom', 'utf-16be-bom', 'utf-8-bom'].includes(kind);
        const noBom = (s) => s.replace(/^\ufeff/, '');
        // NUL characters make UTF-8 bytes unreadable as text (a finding); UTF-16 carries them.
        const readable = kind !== 'utf-8-bom' || !text.includes('\u0000');
        if (withBom && readable && (read.text === null || noBom(read.text) !== noBom(text))) failures.push(`decode: ${kind} did not decode to the text written`);
        if (withBom && !readable && read.problem?.code !== 'file-encoding') failures.push(`decode: ${kind} with NUL characters gave no file-encoding finding`);
        if (!withBom && !read.problem && read.text !== text) failures.push(`decode: ${kind} gave no finding`);
        if (read.problem) {
          try {
            checkRange(read.problem.range, read.text === null ? [0] : lineLengths(read.text), `decode (${read.problem.code})`);
          } catch (err) {
            failures.push(err instanceof Invalid ? err.message : `decode: validation threw ${err}`);
          }
        }
        if (read.text !== null) text = read.text;
      }
      target.ws.setOverlay(file, text);
      const lengths = lineLengths(text);
      const textsByUri = (u) => (u === uri ? lengths : undefined);

      const timed = async (name, fn, validate) => {
        const started = performance.now();
        let result;
        try {
          result = await fn();
        } catch (err) {
          if (err instanceof lib.ResponseError && typeof err.message === 'string' && err.message.length > 0) return undefined;
          failures.push(`${name}: threw ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          return undefined;
        }
        const ms = performance.now() - started;
        slowest[name] = Math.max(slowest[name] ?? 0, ms);
        if (ms > TIME_LIMIT_MS && name !== 'check') failures.push(`${name}: took ${Math.round(ms)} ms`);
        try {
          validate?.(result);
        } catch (err) {
          failures.push(err instanceof Invalid ? err.message : `${name}: validation threw ${err}`);
        }
        return result;
      };

      const ls = target.ls;
      const doc = { uri };
      // Positions on symbols of the mutated file (where the real work happens), then random ones.
      const index = await ls.refresh();
      const occurrences = index.fileSymbols(file)?.occurrences ?? [];
      const positions = [];
      const symbolsFile = index.fileSymbols(file)?.file;
      for (let i = 0; i < 3 && occurrences.length > 0 && symbolsFile; i++) {
        const occ = rand.pick(occurrences);
        const offset = occ.span.start + rand.int(occ.span.end - occ.span.start + 1);
        const before = symbolsFile.text.slice(0, offset);
        const line = (before.match(/\r\n|\r|\n/g) ?? []).length;
        positions.push({ line, character: offset - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) - 1 });
      }
      for (let i = 0; i < 3; i++) positions.push({ line: rand.int(lengths.length + 2), character: rand.int(120) });

      for (const position of positions) {
        const at = { textDocument: doc, position };
        await timed('hover', () => ls.hover(at), (h) => {
          if (h === null) return;
          if (h.contents?.kind !== 'markdown' || typeof h.contents.value !== 'string') throw new Invalid('hover: contents must be markdown');
          if (h.range) checkRange(h.range, lengths, 'hover');
        });
        await timed('definition', () => ls.definition(at), (l) => checkLocations(l, textsByUri, 'definition'));
        await timed('references', () => ls.references({ ...at, context: { includeDeclaration: rand.next() < 0.5 } }), (l) => checkLocations(l, textsByUri, 'references'));
        await timed('prepareRename', () => ls.prepareRename(at), (r) => {
          if (r === null) return;
          if (typeof r.placeholder !== 'string') throw new Invalid('prepareRename: placeholder missing');
          checkRange(r.range, lengths, 'prepareRename');
        });
        const newName = rand.pick(['fuzz.renamed_attr', 'Not Valid', '', 'a..b', 'http.request.method', `fuzz.${rand.int(1000)}`]);
        await timed('rename', () => ls.rename({ ...at, newName }), (e) => checkWorkspaceEdit(e, textsByUri, 'rename'));
        await timed('completion', () => ls.completion(at), (c) => {
          if (typeof c?.isIncomplete !== 'boolean' || !Array.isArray(c.items)) throw new Invalid('completion: expected a CompletionList');
          for (const item of c.items) {
            if (typeof item.label !== 'string' || item.label === '') throw new Invalid('completion: item without label');
            if (item.textEdit) {
              checkRange(item.textEdit.range, lengths, 'completion');
              if (item.textEdit.range.start.line !== position.line) throw new Invalid('completion: edit not on the cursor line');
            }
          }
        });
      }
      await timed('documentSymbols', () => ls.documentSymbols({ textDocument: doc }), (s) => checkDocumentSymbols(s, lengths, 'documentSymbols'));
      await timed('foldingRanges', () => ls.foldingRanges({ textDocument: doc }), (list) => {
        if (!Array.isArray(list)) throw new Invalid('foldingRanges: expected an array');
        for (const r of list) {
          if (!Number.isInteger(r.startLine) || !Number.isInteger(r.endLine) || r.startLine < 0 || r.endLine < r.startLine || r.endLine >= lengths.length) {
            throw new Invalid(`foldingRanges: bad range ${JSON.stringify(r)}`);
          }
        }
      });
      const query = rand.pick(['', 'http', 'serv', 'x', randomBytes(rand), 'messaging.', 'zzzz']);
      await timed('workspaceSymbols', () => ls.workspaceSymbols({ query }), (list) => {
        if (!Array.isArray(list)) throw new Invalid('workspaceSymbols: expected an array');
        for (const s of list) {
          if (typeof s.name !== 'string') throw new Invalid('workspaceSymbols: symbol without name');
          checkLocations([s.location], () => undefined, 'workspaceSymbols');
        }
      });
      // Code actions on the file's real findings. The check itself is the diagnostics pipeline, not an
      // editing request: its exceptions count, its time is only reported.
      const checked = await timed('check', () => target.ws.check());
      const diagnostics = (checked?.byFile.get(file) ?? []).map(lib.toLspDiagnostic);
      // What the server would publish for the file: every range on the file's text.
      try {
        for (const d of diagnostics) {
          checkRange(d.range, lengths, `diagnostics (${d.code})`);
          if (/Maximum call stack|RangeError|heap out of memory/i.test(d.message)) throw new Invalid(`diagnostics (${d.code}): a resource error reached the user: ${d.message.slice(0, 120)}`);
          for (const r of d.relatedInformation ?? []) checkLocations([r.location], textsByUri, `diagnostics (${d.code}) related`);
        }
      } catch (err) {
        failures.push(err instanceof Invalid ? err.message : `diagnostics: validation threw ${err}`);
      }
      if (diagnostics.length > 0) {
        const picked = diagnostics.slice(0, 5);
        await timed('codeActions', () => ls.codeActions({ textDocument: doc, range: picked[0].range, context: { diagnostics: picked } }), (actions) => {
          if (!Array.isArray(actions)) throw new Invalid('codeActions: expected an array');
          for (const a of actions) {
            if (typeof a.title !== 'string' || a.title === '') throw new Invalid('codeActions: action without title');
            checkWorkspaceEdit(a.edit, textsByUri, 'codeActions');
          }
        });
      }
      await timed('codeActions', () => ls.codeActions({ textDocument: doc, range: { start: positions[0], end: positions[0] }, context: { diagnostics: [] } }), (a) => {
        if (!Array.isArray(a)) throw new Invalid('codeActions: expected an array');
      });

      target.ws.deleteOverlay(file);
      if (failures.length === 0) passed++;
      else {
        failed++;
        // The mutated text goes next to the report, so the failure can be opened and replayed as is.
        const saved = join(failuresDir, `seed-${options.seed}-iteration-${iteration}.yaml`);
        await mkdir(failuresDir, { recursive: true });
        await writeFile(saved, text);
        console.log(`iteration ${iteration} FAILED on ${relative(target.registry, file)} after ${applied.join(', ')} (text: ${relative(root, saved)}):`);
        for (const f of failures.slice(0, 5)) console.log(`  ${f}`);
      }
      if (iteration % 500 === 0) console.log(`fuzz: ${iteration}/${options.iterations} (${failed} failed so far)`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(`fuzz: slowest response per request (ms): ${Object.entries(slowest).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
