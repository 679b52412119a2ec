import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, resolveEngine } from '../../../src/core/engine/index';

/**
 * Engine choice. The weaver binary cannot be installed here: where one must be found, the stand-in
 * that replays recorded weaver output (test/fixtures/weaver-replay, named as such) takes its place.
 * PATH is set per test so what the machine has installed does not matter.
 */

const REPLAY_BINARY = resolve(__dirname, '../../fixtures/weaver-replay/weaver-replay-recorded-output');
let emptyDir: string;
const noWeaver = () => ({ PATH: emptyDir, CARGO_HOME: emptyDir, HOME: emptyDir });
/** The stand-in, told to answer `--version` with `printed` (a recording with that stdout). */
let replaying: (printed: string) => Promise<{ weaver: { env: Record<string, string> } }>;

beforeAll(async () => {
  emptyDir = await mkdtemp(join(tmpdir(), 'weavergen-no-weaver-'));
  await chmod(REPLAY_BINARY, 0o755); // a checkout may drop the executable bit
  replaying = async (printed) => {
    const recording = await mkdtemp(join(tmpdir(), 'weavergen-version-'));
    await writeFile(join(recording, 'stdout'), printed);
    return { weaver: { env: { WEAVER_REPLAY_MODE: 'replay', WEAVER_REPLAY_RECORDING: recording } } };
  };
});

describe('resolveEngine', () => {
  it('native is native, whatever is installed', async () => {
    const r = await resolveEngine('native', { weaverPath: REPLAY_BINARY });
    expect(r.engine.kind).toBe('native');
    expect(r.reason).toMatch(/chosen by the engine setting/);
  });

  it('auto picks weaver when the setting names an executable that answers --version as weaver, and says which and where', async () => {
    const r = await resolveEngine('auto', { weaverPath: REPLAY_BINARY, env: noWeaver(), ...(await replaying('weaver 0.25.1\n')) });
    expect(r.engine.kind).toBe('weaver');
    expect(r.reason).toBe(`weaver engine: weaver 0.25.1 at ${REPLAY_BINARY} (found through weavergen.weaver.path; engine setting 'auto')`);
  });

  it('an older weaver is used, with a word about the version WeaverGen follows', async () => {
    const r = await resolveEngine('auto', { weaverPath: REPLAY_BINARY, env: noWeaver(), ...(await replaying('weaver 0.17.0\n')) });
    expect(r.engine.kind).toBe('weaver');
    expect(r.reason).toMatch(/^weaver engine: weaver 0\.17\.0 at .*; older than weaver 0\.25\.1, whose flags and findings WeaverGen follows/);
  });

  it('an executable that does not answer --version as weaver: auto checks natively and says why, weaver is an error', async () => {
    const options = { weaverPath: REPLAY_BINARY, env: noWeaver(), ...(await replaying('[{"error": "not a version"}]\n')) };
    const r = await resolveEngine('auto', options);
    expect(r.engine.kind).toBe('native');
    expect(r.reason).toMatch(/^native engine: engine setting 'auto' and '.*weaver-replay-recorded-output --version' printed '\[\{"error": "not a version"\}\]', not a weaver version: check that weavergen\.weaver\.path names the weaver executable$/);
    await expect(resolveEngine('weaver', options)).rejects.toThrow(/not a weaver version: check that weavergen\.weaver\.path names the weaver executable/);
  });

  it('auto finds weaver on the PATH', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'weavergen-path-'));
    // An executable named `weaver` on the PATH that answers --version as weaver does (a two-line script).
    await writeFile(join(bin, 'weaver'), '#!/bin/sh\necho "weaver 0.25.1"\n', { mode: 0o755 });
    const r = await resolveEngine('auto', { env: { PATH: bin, HOME: emptyDir } });
    expect(r.engine.kind).toBe('weaver');
    expect(r.reason).toContain(`weaver 0.25.1 at ${join(bin, 'weaver')} (found through the PATH`);
  });

  it('auto falls back to native when weaver is not found, and says why', async () => {
    const r = await resolveEngine('auto', { env: noWeaver(), baseDir: emptyDir });
    expect(r.engine.kind).toBe('native');
    expect(r.reason).toMatch(/^native engine: engine setting 'auto' and weaver was not found on the PATH nor in ~\/\.cargo\/bin/);
    const bad = await resolveEngine('auto', { weaverPath: './no-such-weaver', baseDir: emptyDir, env: noWeaver() });
    expect(bad.engine.kind).toBe('native');
    expect(bad.reason).toContain(`weavergen.weaver.path is set to './no-such-weaver' but '${join(emptyDir, 'no-such-weaver')}' is not an executable file`);
  });

  it('weaver without the binary is a clear error saying what to do', async () => {
    await expect(resolveEngine('weaver', { env: noWeaver() })).rejects.toThrow(/weaver executable was not found.*install weaver.*weavergen\.weaver\.path/);
    const r = await resolveEngine('weaver', { weaverPath: REPLAY_BINARY, ...(await replaying('weaver 0.25.1\n')) });
    expect(r.engine.kind).toBe('weaver');
  });

  it('an untrusted workspace always gets native, even with a weaver path set', async () => {
    for (const choice of ['auto', 'weaver', 'native'] as const) {
      const r = await resolveEngine(choice, { weaverPath: REPLAY_BINARY, trusted: false });
      expect(r.engine.kind).toBe('native');
      expect(r.reason).toMatch(/not trusted/);
    }
  });

  it('createEngine (synchronous) still answers for existing callers', () => {
    expect(createEngine('native').kind).toBe('native');
    expect(createEngine('auto').kind).toBe('native');
    expect(() => createEngine('weaver')).toThrow(/weaver binary was not found/);
  });
});
