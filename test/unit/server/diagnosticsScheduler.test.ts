import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { RegistryWorkspace } from '../../../src/core/engine/index';
import { DiagnosticsScheduler, type IncrementalChecker } from '../../../src/server/diagnosticsScheduler';
import { IdleCollector } from '../../../src/server/idleCollector';
import { toLspDiagnostic } from '../../../src/server/lspDiagnostics';

/**
 * The language server's logic (DiagnosticsScheduler) driven the way the LSP connection drives it,
 * on the real RegistryWorkspace: the bundled example registry and the OpenTelemetry registry.
 */

const repoRoot = resolve(__dirname, '../../..');
const example = join(repoRoot, 'examples', 'registry');
const semconv = resolve(repoRoot, '../shared/registries/semconv-main');

interface Publication {
  file: string;
  diagnostics: readonly RegistryDiagnostic[];
  version: number | undefined;
}

/** Counts the real checker's checks, so tests can tell "not checked again" from "checked, same result". */
class CountingChecker implements IncrementalChecker {
  checks = 0;
  /** The options of every check, in order. */
  readonly asked: Array<{ policies?: boolean; resolve?: boolean } | undefined> = [];
  constructor(readonly inner: RegistryWorkspace) {}
  setOverlay(path: string, text: string): void {
    this.inner.setOverlay(path, text);
  }
  deleteOverlay(path: string): void {
    this.inner.deleteOverlay(path);
  }
  invalidate(path: string): void {
    this.inner.invalidate(path);
  }
  check(signal?: AbortSignal, options?: { policies?: boolean; resolve?: boolean }): ReturnType<IncrementalChecker['check']> {
    this.checks++;
    this.asked.push(options);
    return this.inner.check(signal, options);
  }
}

function setup(root: string, debounceMs = 0, policyDelayMs?: number, policyPackages?: boolean) {
  const checker = new CountingChecker(new RegistryWorkspace(root));
  const published: Publication[] = [];
  const errors: string[] = [];
  const scheduler = new DiagnosticsScheduler({
    checker,
    debounceMs,
    ...(policyDelayMs === undefined ? {} : { policyDelayMs }),
    ...(policyPackages === undefined ? {} : { policyPackages }),
    publish: (file, diagnostics, version) => published.push({ file, diagnostics, version }),
    log: { info: () => {}, error: (m) => errors.push(m) },
  });
  return { checker, published, errors, scheduler };
}

/** 0-based line of the only occurrence of `needle` (fails loudly if it is not unique). */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0 || text.indexOf(needle, at + 1) >= 0) throw new Error(`expected exactly one "${needle}"`);
  return text.slice(0, at).split('\n').length - 1;
}

let scheduler: DiagnosticsScheduler | undefined;
let scratch: string | undefined;

afterEach(async () => {
  scheduler?.dispose();
  scheduler = undefined;
  vi.useRealTimers();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('DiagnosticsScheduler on the example registry', () => {
  const spans = join(example, 'checkout', 'spans.yaml');
  let original: string;

  beforeAll(async () => {
    original = await readFile(spans, 'utf8');
  });

  test('opening a file of a clean registry checks it and publishes nothing', async () => {
    const s = setup(example);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 1, original);
    const outcome = await s.scheduler.flush();
    expect(outcome?.summary.files).toBeGreaterThanOrEqual(3);
    expect(outcome?.published).toEqual([]);
    expect(s.published).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  test('typing a broken ref flags that line; fixing it clears the file', async () => {
    const s = setup(example);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 1, original);
    await s.scheduler.flush();

    const broken = original.replace('- ref: payment.method\n', '- ref: payment.methd\n');
    s.scheduler.update(spans, 2, broken);
    await s.scheduler.flush();
    expect(s.published.map((p) => p.file)).toEqual([spans]);
    const [first] = s.published;
    expect(first!.version).toBe(2);
    const unresolved = first!.diagnostics.filter((d) => d.code === 'unresolved-ref');
    expect(unresolved).toHaveLength(1);
    expect(unresolved[0]!.range.start.line).toBe(lineOf(broken, 'payment.methd'));
    expect(unresolved[0]!.message).toContain('payment.methd');
    expect(unresolved[0]!.severity).toBe('error');
    expect(s.scheduler.current(spans)).toEqual(first!.diagnostics);

    s.scheduler.update(spans, 3, original);
    await s.scheduler.flush();
    expect(s.published).toHaveLength(2);
    expect(s.published[1]).toEqual({ file: spans, diagnostics: [], version: 3 });
    expect(s.scheduler.current(spans)).toEqual([]);
  });

  test('the same document version is not checked twice', async () => {
    const s = setup(example);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 5, original);
    await s.scheduler.flush();
    expect(s.checker.checks).toBe(1);
    s.scheduler.update(spans, 5, original);
    expect(await s.scheduler.flush()).toBeUndefined();
    expect(s.checker.checks).toBe(1);
  });

  test('a result that an edit overtook is dropped, never published', async () => {
    const s = setup(example);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 1, original.replace('- ref: payment.method\n', '- ref: payment.methd\n'));
    const stale = s.scheduler.flush(); // the check starts now...
    s.scheduler.update(spans, 2, original); // ...and is overtaken before it returns
    expect(await stale).toBeUndefined();
    await s.scheduler.flush();
    expect(s.checker.checks).toBe(2);
    expect(s.published).toEqual([]);
  });

  test('closing a buffer makes the disk the truth again', async () => {
    const s = setup(example);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 1, original.replace('- ref: checkout.status\n', '- ref: checkout.stat\n'));
    await s.scheduler.flush();
    expect(s.scheduler.current(spans).map((d) => d.code)).toContain('unresolved-ref');
    s.scheduler.close(spans);
    await s.scheduler.flush();
    expect(s.published.at(-1)).toEqual({ file: spans, diagnostics: [], version: undefined });
  });

  test('an edit is checked once the debounce has passed, not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const s = setup(example, 200);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 1, original.replace('- ref: payment.method\n', '- ref: payment.methd\n'));
    vi.advanceTimersByTime(199);
    expect(s.checker.checks).toBe(0);
    // Another keystroke restarts the quiet period.
    s.scheduler.update(spans, 2, original.replace('- ref: payment.method\n', '- ref: payment.meth\n'));
    vi.advanceTimersByTime(199);
    expect(s.checker.checks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(s.checker.checks).toBe(1);
    await s.scheduler.flush(); // waits for the check the timer started
    expect(s.checker.checks).toBe(1);
    expect(s.published).toHaveLength(1);
    expect(s.published[0]!.diagnostics.map((d) => d.message).join('\n')).toContain('payment.meth');
  });

  test('a file changed on disk (watched-file event) is re-read and its findings published', async () => {
    scratch = await mkdtemp(join(tmpdir(), 'weavergen-server-'));
    await cp(example, scratch, { recursive: true });
    const payment = join(scratch, 'payment', 'payment.yaml');
    const s = setup(scratch);
    scheduler = s.scheduler;
    s.scheduler.fileChanged(payment);
    await s.scheduler.flush();
    expect(s.published).toEqual([]);

    const text = await readFile(payment, 'utf8');
    const broken = text.replace('- ref: payment.provider\n', '- ref: payment.providr\n');
    await writeFile(payment, broken);
    s.scheduler.fileChanged(payment);
    await s.scheduler.flush();
    expect(s.published.map((p) => p.file)).toEqual([payment]);
    const finding = s.published[0]!.diagnostics.find((d) => d.code === 'unresolved-ref');
    expect(finding?.range.start.line).toBe(lineOf(broken, 'payment.providr'));
  });
});

describe('DiagnosticsScheduler on the OpenTelemetry semantic-conventions registry', () => {
  test('a broken ref in one file publishes that file only, on the edited line; the fix clears it', async () => {
    const file = join(semconv, 'http', 'common.yaml');
    const text = await readFile(file, 'utf8');
    const s = setup(semconv);
    scheduler = s.scheduler;
    s.scheduler.update(file, 1, text);
    const first = await s.scheduler.flush();
    expect(first?.summary.files).toBeGreaterThan(200);
    // The official registry checks clean, so opening a file publishes nothing but hints (deprecated refs).
    expect(s.published.flatMap((p) => p.diagnostics).filter((d) => d.severity !== 'hint')).toEqual([]);
    const opened = s.published.length;

    const broken = text.replace('      - ref: http.request.method\n', '      - ref: http.request.methd\n');
    expect(broken).not.toBe(text);
    s.scheduler.update(file, 2, broken);
    await s.scheduler.flush();
    expect(s.published.slice(opened).map((p) => p.file)).toEqual([file]);
    const finding = s.published[opened]!.diagnostics.find((d) => d.code === 'unresolved-ref');
    expect(finding?.range.start.line).toBe(lineOf(broken, 'http.request.methd'));

    s.scheduler.update(file, 3, text);
    await s.scheduler.flush();
    expect(s.published.at(-1)).toEqual({ file, diagnostics: [], version: 3 });
  });
});

describe('policy findings: a second, idle-time pass', () => {
  test('appear after the fast checks, leave an edited file until the next pass, and come back', async () => {
    const payment = join(example, 'payment', 'payment.yaml');
    const original = await readFile(payment, 'utf8');
    // An enum member id must be snake_case: a naming-convention policy finding, not a fast check.
    const broken = original.replace('        - id: wallet\n', '        - id: Wallet\n');
    expect(broken).not.toBe(original);
    const s = setup(example, 0, 20);
    scheduler = s.scheduler;
    const policyFinding = () => s.scheduler.current(payment).find((d) => d.code === 'naming_convention_enum_id');
    const waitFor = async (ok: () => boolean) => {
      for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    };

    s.scheduler.update(payment, 1, broken);
    await s.scheduler.flush();
    // The fast pass published without it...
    expect(policyFinding()).toBeUndefined();
    // ...the idle-time pass adds it, on the member's line.
    await waitFor(() => policyFinding() !== undefined);
    expect(policyFinding()?.range.start.line).toBe(lineOf(broken, '- id: Wallet'));

    // An edit elsewhere in the file: the fast pass drops the old finding (its line may have moved)...
    const edited = `# a comment\n${broken}`;
    s.scheduler.update(payment, 2, edited);
    await s.scheduler.flush();
    expect(policyFinding()).toBeUndefined();
    // ...and the next idle pass puts it back on the moved line.
    await waitFor(() => policyFinding() !== undefined);
    expect(policyFinding()?.range.start.line).toBe(lineOf(edited, '- id: Wallet'));
  });
});

describe('policy packages only when named, as with weaver', () => {
  test('without them the idle pass resolves the registry but publishes no policy finding', async () => {
    const payment = join(example, 'payment', 'payment.yaml');
    const original = await readFile(payment, 'utf8');
    const broken = original.replace('        - id: wallet\n', '        - id: Wallet\n');
    const s = setup(example, 0, 20, false);
    scheduler = s.scheduler;
    s.scheduler.update(payment, 1, broken);
    await s.scheduler.flush();
    // The idle pass runs (resolution, weaver's own errors) without the packages...
    for (let i = 0; i < 200 && !s.checker.asked.some((o) => o?.resolve === true); i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.checker.asked.filter((o) => o?.resolve === true)).toEqual([{ policies: false, resolve: true }]);
    await s.scheduler.flush();
    // ...so the naming finding the packages would give is not there.
    expect(s.scheduler.current(payment).filter((d) => d.code.startsWith('naming_convention'))).toEqual([]);
  });
});

describe('toLspDiagnostic', () => {
  test('keeps range, code and source, and maps the severity to LSP numbers', async () => {
    const spans = join(example, 'checkout', 'spans.yaml');
    const original = await readFile(spans, 'utf8');
    const s = setup(example);
    scheduler = s.scheduler;
    s.scheduler.update(spans, 1, original.replace('- ref: payment.method\n', '- ref: payment.methd\n'));
    await s.scheduler.flush();
    const finding = s.scheduler.current(spans).find((d) => d.code === 'unresolved-ref')!;
    const lsp = toLspDiagnostic(finding);
    expect(lsp).toEqual({
      range: finding.range,
      severity: 1,
      code: 'unresolved-ref',
      source: finding.source,
      message: finding.message,
    });
    expect(toLspDiagnostic({ ...finding, severity: 'warning' }).severity).toBe(2);
    expect(toLspDiagnostic({ ...finding, severity: 'information' }).severity).toBe(3);
    expect(toLspDiagnostic({ ...finding, severity: 'hint' }).severity).toBe(4);
    const linked = { ...finding, url: 'https://opentelemetry.io/docs/specs/semconv/' };
    expect(toLspDiagnostic(linked).codeDescription).toEqual({ href: linked.url });
  });
});

describe('collection in the quiet after a check', () => {
  /** Stands in for V8's gc() (vitest does not run with --expose-gc): records when it was asked to collect. */
  function recordingCollector() {
    const calls: Array<{ type: string; at: number }> = [];
    return { calls, collect: (options: { type: 'minor' }) => calls.push({ type: options.type, at: Date.now() }) };
  }

  test('a minor collection follows a check once nothing happens for the delay, and never during typing', async () => {
    const collector = recordingCollector();
    const idle = new IdleCollector(collector.collect, 40);
    const scheduler = new DiagnosticsScheduler({
      checker: new RegistryWorkspace(example),
      debounceMs: 20,
      policyDelayMs: 60_000,
      publish: () => {},
      idle,
    });
    const spans = join(example, 'checkout', 'spans.yaml');
    const text = await readFile(spans, 'utf8');
    scheduler.update(spans, 1, text);
    await scheduler.flush();
    // Keystrokes every 10 ms are activity: no collection in between.
    for (let v = 2; v < 8; v++) {
      scheduler.update(spans, v, text.replace('brief: ', `brief: ${'x'.repeat(v)}`));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(collector.calls).toEqual([]);
    const done = Date.now();
    await scheduler.flush();
    await expect.poll(() => collector.calls.length, { timeout: 2_000, interval: 20 }).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(collector.calls.map((c) => c.type)).toEqual(['minor']);
    expect(collector.calls[0]!.at - done).toBeGreaterThanOrEqual(35);
    scheduler.dispose();
    idle.dispose();
  });

  test('no collection while a check runs: the quiet after it is the one used', async () => {
    const collector = recordingCollector();
    const idle = new IdleCollector(collector.collect, 20);
    const ws = new RegistryWorkspace(example);
    // The real workspace, its check held until the test lets it go.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const heldChecker: IncrementalChecker = {
      setOverlay: (p, t) => ws.setOverlay(p, t),
      deleteOverlay: (p) => ws.deleteOverlay(p),
      invalidate: (p) => ws.invalidate(p),
      check: async (signal, options) => {
        await gate;
        return ws.check(signal, options);
      },
    };
    const scheduler = new DiagnosticsScheduler({ checker: heldChecker, debounceMs: 0, policyDelayMs: 60_000, publish: () => {}, idle });
    const spans = join(example, 'checkout', 'spans.yaml');
    scheduler.update(spans, 1, await readFile(spans, 'utf8'));
    const flushed = scheduler.flush();
    await new Promise((r) => setTimeout(r, 120));
    expect(collector.calls).toEqual([]);
    const released = Date.now();
    release();
    await flushed;
    await expect.poll(() => collector.calls.length, { timeout: 2_000, interval: 10 }).toBe(1);
    expect(collector.calls[0]!.at - released).toBeGreaterThanOrEqual(15);
    scheduler.dispose();
    idle.dispose();
  });
});
