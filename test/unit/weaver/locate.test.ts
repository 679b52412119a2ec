import { symlink, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { locateWeaver } from '../../../src/core/weaver/locate';
import { compareVersions, parseWeaverVersion, TARGET_WEAVER_VERSION } from '../../../src/core/weaver/version';
import { ensureReplayExecutable, REPLAY_BINARY, tempDir } from './helpers';

/**
 * Discovery order: the setting, then PATH, then ~/.cargo/bin. The "weaver" found in these tests is a
 * link to the stand-in that replays recorded output (not weaver), placed in temporary folders.
 */

let root: string;
let pathDir: string;
let otherPathDir: string;
let home: string;
let emptyHome: string;

beforeAll(async () => {
  ensureReplayExecutable();
  root = await tempDir('weaver-locate');
  pathDir = join(root, 'bin');
  otherPathDir = join(root, 'other-bin');
  home = join(root, 'home');
  emptyHome = join(root, 'empty-home');
  await mkdir(pathDir, { recursive: true });
  await mkdir(otherPathDir, { recursive: true });
  await mkdir(join(home, '.cargo', 'bin'), { recursive: true });
  await mkdir(emptyHome, { recursive: true });
  await symlink(REPLAY_BINARY, join(pathDir, 'weaver'));
  await symlink(REPLAY_BINARY, join(home, '.cargo', 'bin', 'weaver'));
  // A `weaver` that is not executable must be passed over.
  await writeFile(join(otherPathDir, 'weaver'), 'not a program', { mode: 0o644 });
});

describe('locateWeaver', () => {
  it('finds weaver on the PATH, skipping a file that is not executable', async () => {
    const found = await locateWeaver({ env: { PATH: [otherPathDir, pathDir].join(':') }, homeDir: home, platform: 'linux' });
    expect(found).toEqual({ found: true, path: join(pathDir, 'weaver'), source: 'path' });
  });

  it('falls back to ~/.cargo/bin when the PATH has none', async () => {
    const found = await locateWeaver({ env: { PATH: otherPathDir }, homeDir: home, platform: 'linux' });
    expect(found).toEqual({ found: true, path: join(home, '.cargo', 'bin', 'weaver'), source: 'cargo' });
  });

  it('the setting wins over the PATH', async () => {
    const found = await locateWeaver({ settingPath: REPLAY_BINARY, env: { PATH: pathDir }, homeDir: home, platform: 'linux' });
    expect(found).toEqual({ found: true, path: REPLAY_BINARY, source: 'setting' });
  });

  it('a relative setting is relative to the workspace folder, ~ is the home folder', async () => {
    expect(await locateWeaver({ settingPath: 'bin/weaver', baseDir: root, env: {}, homeDir: home, platform: 'linux' })).toMatchObject({
      found: true,
      path: join(pathDir, 'weaver'),
    });
    expect(await locateWeaver({ settingPath: '~/.cargo/bin/weaver', env: {}, homeDir: home, platform: 'linux' })).toMatchObject({
      found: true,
      path: join(home, '.cargo', 'bin', 'weaver'),
      source: 'setting',
    });
  });

  it('a bare name in the setting is looked up on the PATH', async () => {
    expect(await locateWeaver({ settingPath: 'weaver', env: { PATH: pathDir }, homeDir: emptyHome, platform: 'linux' })).toMatchObject({
      found: true,
      source: 'setting',
    });
  });

  it('a wrong setting is reported, not silently replaced by the PATH', async () => {
    const result = await locateWeaver({ settingPath: join(root, 'nope', 'weaver'), env: { PATH: pathDir }, homeDir: home, platform: 'linux' });
    expect(result.found).toBe(false);
    if (!result.found) {
      expect(result.reason).toBe('setting-invalid');
      expect(result.message).toContain('weavergen.weaver.path is set to');
      expect(result.message).toContain('weavergen.engine to native');
      expect(result.searched).toEqual([join(root, 'nope', 'weaver')]);
    }
  });

  it('nothing anywhere: not found, with every path tried and what to do', async () => {
    const result = await locateWeaver({ env: { PATH: `${otherPathDir}:relative/bin` }, homeDir: emptyHome, platform: 'linux' });
    expect(result.found).toBe(false);
    if (!result.found) {
      expect(result.reason).toBe('not-found');
      // The relative PATH entry is never searched.
      expect(result.searched).toEqual([join(otherPathDir, 'weaver'), join(emptyHome, '.cargo', 'bin', 'weaver')]);
      expect(result.message).toMatch(/install weaver .* set weavergen\.weaver\.path .* set weavergen\.engine to native/);
    }
  });

  it('CARGO_HOME moves the cargo folder', async () => {
    const found = await locateWeaver({ env: { CARGO_HOME: join(home, '.cargo') }, homeDir: emptyHome, platform: 'linux' });
    expect(found).toMatchObject({ found: true, source: 'cargo' });
  });
});

describe('weaver --version output', () => {
  it('reads clap version lines', () => {
    expect(parseWeaverVersion('weaver 0.25.1\n')).toEqual({ major: 0, minor: 25, patch: 1, text: '0.25.1', raw: 'weaver 0.25.1' });
    expect(parseWeaverVersion('weaver 0.26.0-rc.1')?.text).toBe('0.26.0-rc.1');
    expect(parseWeaverVersion('cargo 1.80.0')).toBeUndefined();
  });

  it('orders versions', () => {
    const v = parseWeaverVersion('weaver 0.24.2')!;
    expect(compareVersions(v, TARGET_WEAVER_VERSION)).toBeLessThan(0);
    expect(compareVersions(parseWeaverVersion('weaver 0.25.1')!, TARGET_WEAVER_VERSION)).toBe(0);
  });
});
