import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './harness/paths';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import type { ProblemRow } from './harness/workbench';
import { copyExampleRegistry, locateOnce, type ScratchRegistry, type TextLocation } from './harness/workspace';

/**
 * A registry author with weaver configured (`weavergen.engine: weaver`, `weavergen.weaver.path`, a
 * trusted workspace) types a typo into a `ref` and saves: the language server runs `weaver registry
 * check`, puts weaver's findings on lines and merges them with its own. The weaver binary cannot be
 * installed here: `weavergen.weaver.path` names the stand-in that REPLAYS RECORDED WEAVER OUTPUT
 * (test/fixtures/weaver-replay/weaver-replay-recorded-output, NOT weaver). It learns which recording
 * to replay from WEAVER_REPLAY_RECORDING in code-server's environment, which the extension host, the
 * language server and the processes it starts inherit (nothing in the settings passes it).
 */

const REPLAY = join(repoRoot, 'test', 'fixtures', 'weaver-replay', 'weaver-replay-recorded-output');
const BACKCOMPAT_OUTPUT = join(repoRoot, '..', 'shared', 'conformance', 'weaver-policies', 'backwards-compatibility', 'tests', 'attribute', 'expected-diagnostic-output.json');

const SPANS = 'checkout/spans.yaml';
const ATTRIBUTES = 'checkout/registry.yaml';
const BACKCOMPAT_RULE = 'compatibility_stable_attribute_changed_type';
const BACKCOMPAT_DOCS = 'https://github.com/open-telemetry/opentelemetry-weaver-packages/tree/main/policies/check/backwards-compatibility';

/**
 * What weaver prints with `--diagnostic-format json --diagnostic-stdout` for this registry once the
 * ref is misspelt: a JSON array of `{ error, diagnostic }`.
 * - weaver's own output for the backwards-compatibility policy (../shared/conformance, the first
 *   violation of tests/attribute), with its attribute renamed to one the scratch registry defines
 *   with that type (`checkout.coupon.code`, a string). The native engine never reports it: the editor
 *   has no baseline registry, so the finding can only come from weaver.
 * - the resolver error for the misspelt ref, written from weaver's `Error::UnresolvedAttributeRef`
 *   (crates/weaver_resolver/src/error.rs: group_id, attribute_ref, provenance; its message is that
 *   variant's #[error] text), serialised the way the recorded resolver errors in
 *   ../shared/conformance/weaver-resolver are. The native engine reports the same ref itself.
 */
function recordedOutput(spansFile: string): string {
  const recorded = JSON.parse(readFileSync(BACKCOMPAT_OUTPUT, 'utf8').replaceAll('is.change_enum', 'checkout.coupon.code')) as Array<{
    error: { violation: { id: string } };
  }>;
  const changedType = recorded.find((e) => e.error.violation.id === BACKCOMPAT_RULE);
  if (!changedType) throw new Error(`${BACKCOMPAT_OUTPUT} no longer holds ${BACKCOMPAT_RULE}: pick another recorded violation`);
  const unresolved = {
    UnresolvedAttributeRef: {
      group_id: 'span.checkout.place_order',
      attribute_ref: 'payment.methd',
      provenance: { schema_url: 'https://example.com/schemas/checkout/1.0.0', path: spansFile },
    },
  };
  const message = `The following attribute reference is not resolved for the group 'span.checkout.place_order'.\nAttribute reference: payment.methd\nProvenance: ${spansFile}`;
  return JSON.stringify([changedType, { error: unresolved, diagnostic: { message, ansi_message: message } }], null, 2);
}

/** Every file under `dir` (VS Code's logs: one folder per session, window and extension). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('weaver registry check on save', () => {
  let registry: ScratchRegistry;
  let session: Session;
  let argvFile: string;
  /** Where the misspelt ref's id starts, as the Problems panel shows it. */
  let refAt: TextLocation;
  /** Where `checkout.coupon.code` is defined, as the Problems panel shows it. */
  let couponAt: TextLocation;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    // Outside the registry folder (its parent is the scratch folder), so neither is part of the registry.
    const scratch = dirname(registry.root);
    const binary = join(scratch, 'bin', 'weaver-replay-recorded-output');
    mkdirSync(dirname(binary), { recursive: true });
    copyFileSync(REPLAY, binary);
    chmodSync(binary, 0o755);
    const recording = join(scratch, 'recording');
    mkdirSync(recording, { recursive: true });
    writeFileSync(join(recording, 'stdout'), recordedOutput(join(registry.root, SPANS)));
    // weaver exits non-zero when it reports findings.
    writeFileSync(join(recording, 'exit-code'), '1');
    argvFile = join(scratch, 'weaver-argv.json');

    const spansText = readFileSync(join(registry.root, SPANS), 'utf8');
    const ref = locateOnce(spansText, '- ref: payment.method\n', SPANS);
    refAt = { line: ref.line, column: ref.column + '- ref: '.length };
    const coupon = locateOnce(readFileSync(join(registry.root, ATTRIBUTES), 'utf8'), '- id: checkout.coupon.code\n', ATTRIBUTES);
    couponAt = { line: coupon.line, column: coupon.column + '- id: '.length };

    mkdirSync(join(registry.root, '.vscode'), { recursive: true });
    writeFileSync(
      join(registry.root, '.vscode', 'settings.json'),
      JSON.stringify({ 'weavergen.engine': 'weaver', 'weavergen.weaver.path': binary }, null, 2),
    );
    session = await openSession('weaver-on-save', registry.root, {
      // The server asks `--version` before its first run and runs only what answers as weaver.
      env: { WEAVER_REPLAY_MODE: 'replay', WEAVER_REPLAY_VERSION: 'weaver 0.25.1', WEAVER_REPLAY_RECORDING: recording, WEAVER_REPLAY_ARGV_FILE: argvFile },
    });
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  /** The text of the extension's logs so far (the language server logs through the WeaverGen channel). */
  function logText(): string {
    return filesUnder(join(session.server.home, 'user-data', 'logs'))
      .filter((f) => f.endsWith('.log'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
  }

  /** The source and code the panel shows after the message: `... weaver <code> [Ln 34, Col 13]`. */
  const sourceAndCode = (r: ProblemRow): [string, string] | undefined => {
    const m = / (\S+) (\S+) \[Ln \d+, Col \d+\]$/.exec(r.text);
    return m ? [m[1]!, m[2]!] : undefined;
  };
  const fromWeaver = (r: ProblemRow) => sourceAndCode(r)?.[0] === 'weaver';
  const isRef = (r: ProblemRow) => r.text.includes('payment.methd');
  const isCompat = (r: ProblemRow) => r.text.includes(BACKCOMPAT_RULE);

  it('typing a misspelt ref gives the native finding; weaver has not run', async () => {
    const wb = session.workbench;
    await wb.step('open spans.yaml', () => wb.openFile(SPANS));
    await wb.step('the server says weaver runs on save', () =>
      expect.poll(logText, { timeout: 60_000, interval: 500 }).toContain('weaver registry check runs on save'),
    );
    await wb.step('misspell payment.method as payment.methd', async () => {
      await wb.goToLine(refAt.line);
      await wb.page.keyboard.press('End');
      // `payment.method|` -> `payment.meth|d` -> `payment.methd`
      await wb.page.keyboard.press('ArrowLeft');
      await wb.page.keyboard.press('Backspace');
      await wb.page.locator('.tab.active.dirty[aria-label^="spans.yaml"]').waitFor({ state: 'visible', timeout: 10_000 });
    });
    const row = await wb.step('the native finding shows', () => wb.waitForProblem(isRef, 60_000));
    expect(row.file).toBe('spans.yaml');
    expect([row.line, row.column]).toEqual([refAt.line, refAt.column]);
    expect(sourceAndCode(row)).toEqual(['weavergen', 'unresolved-ref']);
    // Nothing has run `registry check` yet: what follows can only come from the save. (The extension
    // may have asked the stand-in `--version` when it resolved the engine; the file keeps the last call.)
    const lastCall = existsSync(argvFile) ? (JSON.parse(readFileSync(argvFile, 'utf8')) as string[]) : [];
    expect(lastCall.slice(0, 2)).not.toEqual(['registry', 'check']);
    expect((await wb.problems()).filter(fromWeaver)).toEqual([]);
  });

  it('File: Save runs `weaver registry check`; its finding shows with source weaver, the shared one once', async () => {
    const wb = session.workbench;
    await wb.step('save', async () => {
      await wb.page.locator('.tab[aria-label^="spans.yaml"]').click();
      await wb.runCommand('File: Save');
      await wb.page.locator('.tab.active[aria-label^="spans.yaml"]:not(.dirty)').waitFor({ state: 'visible', timeout: 20_000 });
    });
    const compat = await wb.step('the weaver finding shows', () => wb.waitForProblem(isCompat, 90_000));
    expect(compat.file).toBe('registry.yaml');
    expect([compat.line, compat.column]).toEqual([couponAt.line, couponAt.column]);
    expect(compat.text).toContain("Attribute 'checkout.coupon.code' was enum, but has new type 'string'");
    expect(sourceAndCode(compat)).toEqual(['weaver', BACKCOMPAT_RULE]);
    // The code links to the rule's policy package.
    const link = wb.page.locator('.markers-panel .monaco-list-row').filter({ hasText: BACKCOMPAT_RULE }).locator('a', { hasText: BACKCOMPAT_RULE });
    const target = [await link.getAttribute('href'), await link.getAttribute('title')];
    expect(target).toContain(BACKCOMPAT_DOCS);

    // The run the server made: weaver's registry check on the registry, its findings as JSON on stdout.
    expect(JSON.parse(readFileSync(argvFile, 'utf8'))).toEqual([
      'registry',
      'check',
      '--registry',
      registry.root,
      '--diagnostic-format',
      'json',
      '--diagnostic-stdout',
    ]);
    // Weaver's output placed both findings (the misspelt ref too), so one ref row below is the merge.
    await wb.step('the run is in the log', () =>
      expect.poll(logText, { timeout: 30_000, interval: 500 }).toMatch(/weaver registry check on save: 2 findings in 2 files \(\d+ ms\)/),
    );
    // Both files were published in the run's one pass, before the log line; read the panel until two
    // reads a second apart agree, so a late row would be seen.
    let rows: ProblemRow[] = [];
    await expect
      .poll(
        async () => {
          const before = JSON.stringify(await wb.problems());
          await wb.page.waitForTimeout(1_000);
          rows = await wb.problems();
          return JSON.stringify(rows) === before;
        },
        { timeout: 30_000, interval: 0 },
      )
      .toBe(true);
    const refs = rows.filter(isRef);
    expect(refs).toHaveLength(1);
    expect(refs[0]!.file).toBe('spans.yaml');
    expect([refs[0]!.line, refs[0]!.column]).toEqual([refAt.line, refAt.column]);
    expect(sourceAndCode(refs[0]!)).toEqual(['weavergen', 'unresolved-ref']);
    expect(rows.filter(fromWeaver)).toEqual([compat]);
  });
});
