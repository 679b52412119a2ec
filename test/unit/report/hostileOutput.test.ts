import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { textField } from '../../../src/core/report/safeText';
import { runCli } from '../cliRun';
import { at, hoverText, service } from '../lsp/service';
import { positionOf } from '../lsp/helpers';
import { ALL, buildHostileRegistries, COMMAND, HOSTILE_ATTRIBUTE, HOSTILE_FILES, LINE_ERASE, MARKDOWN, type HostileRegistries } from './hostileRegistry';
import { markdownTokens, type MarkdownToken } from './markdownTokens';

const repoRoot = resolve(__dirname, '../../..');

/**
 * Every output format of the CLI (and the hover markdown) on a registry whose file names, ids,
 * briefs and notes are hostile: the human-readable formats print each finding on one line, no
 * line a GitHub runner would read as a workflow command, no raw ESC / CR / bidi character, and
 * markdown without injected links, images or HTML; JSON, SARIF and YAML parse back to the
 * registry's own strings.
 */


/** Characters no human-readable output may print raw (LF aside, which ends a line). */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** A line a GitHub runner acts on: `::` after whitespace at the start, or the legacy `##[` (Azure: `##vso[`) anywhere. */
function isWorkflowCommand(line: string): boolean {
  return /^\s*::/.test(line) || /##(vso)?\[/.test(line);
}

function linesOf(text: string): string[] {
  return text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);
}

/** No raw unsafe character, and no line that would run a workflow command. */
function expectInert(text: string): void {
  expect(text).not.toMatch(RAW_UNSAFE);
  for (const line of linesOf(text)) expect(isWorkflowCommand(line), line).toBe(false);
}

/** Markdown whose rendering has no link (autolinks included), image or HTML. */
function expectNoMarkup(md: string): MarkdownToken[] {
  const tokens = markdownTokens(md);
  const active = tokens.filter((t) => ['link_open', 'image', 'html_inline', 'html_block'].includes(t.type));
  expect(active.map((t) => `${t.type} ${t.content}`)).toEqual([]);
  return tokens;
}

let reg: HostileRegistries;
/** What `registry check --diagnostic-format json` reports: the reference for every other format. */
let findings: Array<{ file: string; message: string; range: { start: { line: number; character: number } } }>;

const NATIVE = ['--engine', 'native'];

beforeAll(async () => {
  reg = await buildHostileRegistries();
  const r = await runCli(['registry', 'check', '-r', 'head', '--diagnostic-format', 'json', ...NATIVE], reg.work);
  expect(r.code).toBe(1);
  findings = JSON.parse(r.stdout);
}, 60_000);

afterAll(async () => {
  await rm(reg.work, { recursive: true, force: true });
});

describe('registry check', () => {
  test('json: every hostile file has its finding, paths and messages parse back to the registry strings', () => {
    const files = findings.map((f) => f.file);
    for (const name of HOSTILE_FILES) expect(files).toContain(join(reg.head, name));
    expect(findings.some((f) => f.message.includes(`missing0${COMMAND}`))).toBe(true);
  });

  test('json text holds no raw bidi or C1 character and no command prefix', async () => {
    const r = await runCli(['registry', 'check', '-r', 'head', '--diagnostic-format', 'json', ...NATIVE], reg.work);
    expectInert(r.stdout);
    expectInert(r.stderr);
  });

  test('text: one line per finding, ids and paths spelled out, no line a runner would act on (run from inside the registry, where a file name starts the line)', async () => {
    const r = await runCli(['registry', 'check', '-r', '.', ...NATIVE], reg.head);
    expect(r.code).toBe(1);
    const lines = linesOf(r.stdout);
    expect(lines).toHaveLength(findings.length);
    expectInert(r.stdout);
    expectInert(r.stderr);
    // Each line begins with its own file (spelled out) and position: nothing of the finding spilled onto another line.
    const expected = findings.map((f) => `${textField(relative(reg.head, f.file))}:${f.range.start.line + 1}:${f.range.start.character + 1}: `);
    const starts = lines.map((line) => expected.find((e) => line.replace(/^\\x3a/, ':').startsWith(e)));
    expect(starts.every((s) => s !== undefined)).toBe(true);
    expect(lines.find((l) => l.startsWith('\\x3a:error file=y::start.yaml:'))).toBeDefined();
    expect(r.stdout).toContain(`evil\\n::error file=x::pwned.yaml:`);
    expect(r.stdout).toContain('\\x1b]8;;http://evil\\x07click');
    expect(r.stdout).toContain('cr\\rfake.yaml');
    expect(r.stdout).toContain('\\u202eevil\\u2066x\\u2069');
  });

  test('github: one workflow command per finding and nothing else; data and properties escaped, the file faithful', async () => {
    const r = await runCli(['registry', 'check', '-r', 'head', '--diagnostic-format', 'github', ...NATIVE], reg.work);
    const lines = linesOf(r.stdout);
    expect(lines).toHaveLength(findings.length);
    expect(r.stdout).not.toMatch(RAW_UNSAFE);
    const files: string[] = [];
    for (const line of lines) {
      const m = /^::error file=([^,:]*),line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[^,:]*::([^\n]*)$/.exec(line);
      expect(m, line).not.toBeNull();
      // The runner's own unescaping of a property value.
      files.push(m![1]!.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'));
      // The data part holds no `::` a reader could take for another command's start and no raw control.
      expect(m![2]).not.toMatch(RAW_UNSAFE);
    }
    // Line breaks are %-escaped as the runner reads them; ESC and bidi are spelled out.
    for (const name of HOSTILE_FILES) expect(files).toContain(`head/${name}`.replace(/[^\r\n]/gu, (ch) => textField(ch)));
    expectInert(r.stderr);
  });

  test('sarif: parses back to the findings, artifact URIs decode to the hostile names, messages keep their brackets escaped', async () => {
    const r = await runCli(['registry', 'check', '-r', 'head', '--diagnostic-format', 'sarif', ...NATIVE], reg.work);
    expectInert(r.stdout);
    const log = JSON.parse(r.stdout) as { runs: Array<{ results: Array<{ message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const results = log.runs.flatMap((run) => run.results);
    expect(results).toHaveLength(findings.length);
    const uris = results.map((x) => decodeURIComponent(x.locations[0]!.physicalLocation.artifactLocation.uri));
    // Not a git repository: URIs start at the working directory, the folder holding `head`.
    for (const name of HOSTILE_FILES) expect(uris).toContain(`head/${name}`);
    const messages = results.map((x) => x.message.text.replace(/\\([[\]])/g, '$1'));
    expect(messages.sort()).toEqual(findings.map((f) => f.message).sort());
    // A bracket in a message is never the start of an embedded link (SARIF §3.11.6).
    for (const x of results) expect(x.message.text).not.toMatch(/(^|[^\\])\[/);
  });

  test('workflow run prints the same safe text', async () => {
    const r = await runCli(['workflow', 'run', 'registry_check', '--input', `registryPath=${reg.head}`, ...NATIVE], reg.head);
    expect(linesOf(r.stdout)).toHaveLength(findings.length);
    expectInert(r.stdout);
    expectInert(r.stderr);
  });

  test('stderr: a usage error quoting a hostile path is one inert line', async () => {
    const r = await runCli(['registry', 'check', '-r', `nope${COMMAND}\x1b[2K`, ...NATIVE], reg.work);
    expect(r.code).toBe(2);
    expect(linesOf(r.stderr)).toHaveLength(1);
    expectInert(r.stderr);
    expect(r.stderr).toContain('nope\\n::error file=x::pwned\\x1b[2K');
  });

  test("stderr: commander's own error quoting a hostile argument keeps each line inert", async () => {
    const r = await runCli(['registry', 'check', '-r', 'head', `--x${COMMAND}`], reg.work);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--x");
    expectInert(r.stderr);
  });
});

describe('registry search', () => {
  test('text: one line per result, hostile ids and briefs spelled out', async () => {
    const json = await runCli(['registry', 'search', 'evil', '-r', 'head', '--format', 'json', ...NATIVE], reg.work);
    const found = JSON.parse(json.stdout) as { results: Array<{ key?: string }> };
    expect(found.results.map((x) => x.key)).toContain(HOSTILE_ATTRIBUTE);
    expectInert(json.stdout);

    const r = await runCli(['registry', 'search', 'evil', '-r', 'head', ...NATIVE], reg.work);
    expect(r.code).toBe(0);
    expect(linesOf(r.stdout)).toHaveLength(found.results.length);
    expectInert(r.stdout);
    expectInert(r.stderr);
    expect(r.stdout).toContain('evil.attr\\n::error file=x::pwned  evil attribute\\x1b[2K');
  });

  test('a hostile query is echoed on one inert line', async () => {
    const r = await runCli(['registry', 'search', `zzz${COMMAND}`, '-r', 'head', ...NATIVE], reg.work);
    expect(linesOf(r.stdout)).toEqual(['no match for "zzz\\n::error file=x::pwned"']);
  });
});

describe('registry diff', () => {
  let changes: { changes: { registry_attributes: Array<Record<string, string>> } };

  beforeAll(async () => {
    const r = await runCli(['registry', 'diff', '-r', 'head', '--baseline-registry', 'baseline', ...NATIVE], reg.work);
    expect(r.code).toBe(0);
    expectInert(r.stdout);
    changes = JSON.parse(r.stdout);
  }, 60_000);

  test('json parses back to the hostile names and notes', () => {
    const attrs = changes.changes.registry_attributes;
    expect(attrs).toContainEqual({ type: 'removed', name: `evil.removed${ALL}` });
    expect(attrs).toContainEqual({ type: 'renamed', old_name: 'evil.old', new_name: `evil.new${MARKDOWN}`, note: `Renamed${ALL}` });
  });

  test('yaml parses back to the same value, with no line a runner would act on', async () => {
    const r = await runCli(['registry', 'diff', '-r', 'head', '--baseline-registry', 'baseline', '--format', 'yaml', ...NATIVE], reg.work);
    expectInert(r.stdout);
    expect(parseYaml(r.stdout)).toEqual(changes);
  });

  test('markdown: one list line per change, names as inline code, no link, image or HTML', async () => {
    const r = await runCli(['registry', 'diff', '-r', 'head', '--baseline-registry', 'baseline', '--format', 'markdown', ...NATIVE], reg.work);
    expectInert(r.stdout);
    expect(linesOf(r.stdout).filter((l) => l.startsWith('- '))).toHaveLength(changes.changes.registry_attributes.length);
    const tokens = expectNoMarkup(r.stdout);
    const code = tokens.filter((t) => t.type === 'code_inline').map((t) => t.content);
    expect(code).toContain(textField(`evil.removed${ALL}`));
    expect(code).toContain(textField(`evil.new${MARKDOWN}`));
  });

  test('markdown written with -o is the same safe text', async () => {
    const r = await runCli(['registry', 'diff', '-r', 'head', '--baseline-registry', 'baseline', '--format', 'markdown', '-o', 'out', ...NATIVE], reg.work);
    expect(r.code).toBe(0);
    const written = await readFile(join(reg.work, 'out', 'diff.md'), 'utf8');
    expectInert(written);
    expectNoMarkup(written);
  });
});

describe('registry stats and resolve', () => {
  test('stats: json and yaml parse to the same value; both inert', async () => {
    const json = await runCli(['registry', 'stats', '-r', 'head', ...NATIVE], reg.work);
    const yaml = await runCli(['registry', 'stats', '-r', 'head', '--format', 'yaml', ...NATIVE], reg.work);
    expectInert(json.stdout);
    expectInert(yaml.stdout);
    expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  test('resolve of a registry that does not resolve: each listed error on its own inert line', async () => {
    const r = await runCli(['registry', 'resolve', '-r', 'head', ...NATIVE], reg.work);
    expect(r.code).toBe(2);
    expectInert(r.stderr);
    // The header and one line per broken reference (7 files), nothing spilled onto extra lines.
    expect(linesOf(r.stderr)).toHaveLength(1 + HOSTILE_FILES.length);
  });

  test('resolve yaml and json of the baseline parse back to its hostile strings', async () => {
    const json = await runCli(['registry', 'resolve', '-r', 'baseline', '--format', 'json', ...NATIVE], reg.work);
    const yaml = await runCli(['registry', 'resolve', '-r', 'baseline', ...NATIVE], reg.work);
    expect(json.code).toBe(0);
    expectInert(json.stdout);
    expectInert(yaml.stdout);
    expect(parseYaml(yaml.stdout)).toEqual(JSON.parse(json.stdout));
    expect(json.stdout).toContain(JSON.stringify(`evil.removed${ALL}`).slice(1, 20));
  });
});

describe('workflow run and spans coverage', () => {
  test('a workflow file with a hostile name: the run line and the coverage table stay inert, the JSON keeps the name', async () => {
    const bpmn = join(reg.work, `wf${COMMAND}${LINE_ERASE}.bpmn`);
    await copyFile(join(repoRoot, 'workflows', 'registry_stats.bpmn'), bpmn);
    const run = await runCli(['workflow', 'run', bpmn, '--input', `registryPath=${reg.head}`, '--runs', 'runs', ...NATIVE], reg.work);
    expect(run.code).toBe(0);
    expectInert(run.stdout);
    expectInert(run.stderr);
    expect(run.stderr).toContain('workflow wf\\n::error file=x::pwned\\x1b[2K: succeeded');

    const text = await runCli(['spans', 'coverage', '--runs', 'runs'], reg.work);
    expectInert(text.stdout);
    expect(text.stdout).toContain('wf\\n::error file=x::pwned\\x1b[2K');
    const json = await runCli(['spans', 'coverage', '--runs', 'runs', '--format', 'json'], reg.work);
    expectInert(json.stdout);
    const coverage = JSON.parse(json.stdout) as { services: Array<{ service: string; workflows: string[] }> };
    expect(coverage.services.find((x) => x.service === 'registry.stats')!.workflows).toEqual([`wf${COMMAND}${LINE_ERASE}`]);
    // Every row of the table is one line: header, one per catalogued service, the closing line.
    expect(linesOf(text.stdout)).toHaveLength(2 + coverage.services.length + 1);
  });

  test('a run that fails at an activity with a hostile name: the failure is one inert line', async () => {
    const bpmn = join(reg.work, 'failing.bpmn');
    const xml = await readFile(join(repoRoot, 'workflows', 'registry_stats.bpmn'), 'utf8');
    // XML character references put a line break, an ESC and a bidi override into the name.
    await writeFile(bpmn, xml.replace('name="Load registry"', 'name="Load&#10;::error file=x::pwned&#27;[2K&#x202e;"'));
    const r = await runCli(['workflow', 'run', bpmn, '--input', `registryPath=${join(reg.work, 'no-such-registry')}`, ...NATIVE], reg.work);
    expect(r.code).toBe(2);
    expectInert(r.stderr);
    expect(linesOf(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('at "Load\\n::error file=x::pwned\\x1b[2K\\u202e" (registry.load)');
  });
});

describe('hover markdown', () => {
  const tableRows = (tokens: MarkdownToken[]) => {
    const rows: number[] = [];
    let cells = 0;
    for (const t of tokens) {
      if (t.type === 'tr_open') cells = 0;
      if (t.type === 'th_open' || t.type === 'td_open') cells++;
      if (t.type === 'tr_close') rows.push(cells);
    }
    return rows;
  };

  test('an attribute with a markdown id: the id is inline code, no link or HTML', async () => {
    const { ls } = service(reg.head);
    const file = join(reg.head, 'attributes.yaml');
    const text = await readFile(file, 'utf8');
    const md = hoverText(await ls.hover(at(file, positionOf(text, 'evil.md`[x]'))));
    const tokens = expectNoMarkup(md);
    expect(tokens.filter((t) => t.type === 'code_inline').map((t) => t.content)).toContain(`evil.md${MARKDOWN}`);
  });

  test('an enum with hostile members: the members table keeps its three columns, no link or HTML in it', async () => {
    const { ls } = service(reg.head);
    const file = join(reg.head, 'attributes.yaml');
    const text = await readFile(file, 'utf8');
    const md = hoverText(await ls.hover(at(file, positionOf(text, 'evil.enum'))));
    const tokens = expectNoMarkup(md);
    const rows = tableRows(tokens);
    expect(rows.length).toBe(2);
    expect(rows.every((n) => n === 3)).toBe(true);
  });

  test('completion of a renamed attribute: the new name in its documentation is inline code, no link or HTML', async () => {
    const { ws, ls } = service(reg.head);
    const file = join(reg.head, HOSTILE_FILES[0]!);
    const text = (await readFile(file, 'utf8')).replace('- ref: evil.plain', '- ref: evil.ol');
    ws.setOverlay(file, text);
    const list = await ls.completion(at(file, positionOf(text, 'evil.ol', 7)));
    const item = list.items.find((i) => i.label === 'evil.old');
    const doc = item?.documentation;
    const md = typeof doc === 'object' && doc !== null ? doc.value : '';
    expect(md).toContain('Deprecated: use');
    const tokens = expectNoMarkup(md);
    expect(tokens.filter((t) => t.type === 'code_inline').map((t) => t.content)).toContain(`evil.new${MARKDOWN}`);
  });

  test('a group with hostile attribute ids: its table keeps four columns on every row and the ids stay code', async () => {
    const { ls } = service(reg.head);
    const file = join(reg.head, HOSTILE_FILES[0]!);
    const text = await readFile(file, 'utf8');
    const md = hoverText(await ls.hover(at(file, positionOf(text, 'span.evil.f0'))));
    const tokens = markdownTokens(md);
    const rows = tableRows(tokens);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((n) => n === 4)).toBe(true);
    const inTable = tokens.slice(tokens.findIndex((t) => t.type === 'table_open'), tokens.findIndex((t) => t.type === 'table_close'));
    expect(inTable.filter((t) => ['link_open', 'image', 'html_inline'].includes(t.type))).toEqual([]);
    // The brief stays Markdown, with its ESC and bidi characters spelled out.
    expect(md).not.toMatch(/[\u001b\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(md).toContain('\\x1b]8;;http://evil\\x07click');
    expect(inTable.filter((t) => t.type === 'code_inline').map((t) => t.content)).toContain(textField(`missing0${COMMAND}\x1b]8;;http://evil\x07click\x1b]8;;\x07\u202eevil\u2066x\u2069`));
  });
});
