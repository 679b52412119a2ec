import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../cliRun';

/**
 * `weavergen registry check` on registries built to attack it (as a CI job on an untrusted pull request
 * would run it): the secret a link points at never reaches any output format, nothing hangs, and a
 * check that could not cover everything exits 3 instead of passing.
 */

const run = promisify(execFile);
const SECRET = 'SECRET_TOKEN_9f86d081884c7d659a2feaa0c55ad015';
const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

const GROUP = 'groups:\n  - id: registry.demo\n    type: attribute_group\n    brief: Demo.\n    attributes:\n      - id: demo.a\n        type: string\n        brief: A.\n        stability: stable\n        examples: ["x"]\n';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-cli-hostile-'));
  await writeFile(join(work, '.env'), `${SECRET}=1\n`);
  await writeFile(join(work, 'secret.yaml'), `groups:\n  - id: ${SECRET}\n    type: attribute_group\n    brief: ${SECRET}\n`);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function registry(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

const check = (dir: string, ...flags: string[]) => runCli(['registry', 'check', '-r', dir, '--engine', 'native', ...flags], work);

describe('registry check on a hostile registry', () => {
  test('links to a secret outside are not followed: the secret is in no output format, and the check exits 3', async () => {
    const dir = await registry('links', { 'a.yaml': GROUP });
    await symlink(join(work, '.env'), join(dir, 'manifest.yaml'));
    await symlink(join(work, 'secret.yaml'), join(dir, 'b.yaml'));
    for (const format of FORMATS) {
      const { code, stdout, stderr } = await check(dir, '--diagnostic-format', format);
      expect({ format, code }).toEqual({ format, code: 3 });
      expect(stdout + stderr).not.toContain(SECRET);
      expect(stdout).toContain('symlink-skipped');
    }
  });

  test('--follow-symlinks follows them (the user trusts the target); the .env manifest is still not quoted', async () => {
    const dir = await registry('followed', { 'a.yaml': GROUP });
    await symlink(join(work, '.env'), join(dir, 'manifest.yaml'));
    for (const format of FORMATS) {
      const { code, stdout, stderr } = await check(dir, '--follow-symlinks', '--diagnostic-format', format);
      expect(code).toBe(1);
      expect(stdout).not.toContain('symlink-skipped');
      expect(stdout + stderr).not.toContain(SECRET);
    }
  });

  test('a FIFO named manifest.yaml is a finding and the command returns', async () => {
    const dir = await registry('fifo', { 'a.yaml': GROUP });
    await run('mkfifo', [join(dir, 'manifest.yaml')]);
    const { code, stdout } = await check(dir);
    expect(code).toBe(3);
    expect(stdout).toMatch(/manifest\.yaml:1:1: error not-a-regular-file: .*never opened/);
  });

  test('registry_path: / is refused at once with a clear error on the dependency line', async () => {
    const dir = await registry('root-dep', {
      'manifest.yaml': 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://example.com/d/1.0.0\n    registry_path: /\n',
      'a.yaml': GROUP,
    });
    const { code, stdout } = await check(dir);
    expect(code).toBe(3);
    expect(stdout).toMatch(/manifest\.yaml:4:20: error dependency-refused: dependency registry_path '\/' was not read: \/: it is the root of the file system/);
  });

  test('a URL dependency exits 3 with an error saying it was not fetched and what to do', async () => {
    const dir = await registry('url-dep', {
      'manifest.yaml': 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://example.com/d/1.0.0\n    registry_path: https://example.com/d.zip[model]\n',
      'a.yaml': GROUP,
    });
    const { code, stdout } = await check(dir);
    expect(code).toBe(3);
    expect(stdout).toMatch(/manifest\.yaml:4:20: error dependency-not-fetched: .*not fetched/);
  });

  test('a local dependency that is not there is an error (weaver fails there too), and the check says it is incomplete', async () => {
    const dir = await registry('missing-dep', {
      'manifest.yaml': 'schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://example.com/d/1.0.0\n    registry_path: ../no-such-registry\n',
      'a.yaml': GROUP,
    });
    const { code, stdout } = await check(dir);
    expect(code).toBe(3);
    expect(stdout).toMatch(/manifest\.yaml:4:20: error dependency-not-found: dependency registry_path '\.\.\/no-such-registry' is not a folder: looked for /);
  });

  test('--max-files stops the load with an error naming the limit and the flag; a bad value is a usage error', async () => {
    const dir = await registry('many', { 'a.yaml': GROUP, 'b.yaml': GROUP.replace(/registry\.demo/g, 'registry.b').replace('demo.a', 'demo.b') });
    const { code, stdout } = await check(dir, '--max-files', '1');
    expect(code).toBe(3);
    expect(stdout).toMatch(/b\.yaml:1:1: error limit-exceeded: .*the limit is 1 files \(maxFiles\).*--max-files/);
    expect((await check(dir, '--max-files', 'lots')).code).toBe(2);
    expect((await check(dir, '--max-file-size', '1MiB')).code).toBe(0);
    const small = await check(dir, '--max-file-size', '100');
    expect(small.code).toBe(3);
    expect(small.stdout).toContain('--max-file-size');
  });

  test("workflows take the same settings as registry.load's files input, and a malformed one is refused by name", async () => {
    const dir = await registry('workflow-input', { 'a.yaml': GROUP, 'b.yaml': GROUP.replace(/registry\.demo/g, 'registry.b').replace('demo.a', 'demo.b') });
    const limited = await runCli(['workflow', 'run', 'registry_check', '--input', `registryPath=${dir}`, '--input', 'files={"maxFiles":1}', '--engine', 'native'], work);
    expect(limited.stdout + limited.stderr).toContain('limit-exceeded');
    const bad = await runCli(['workflow', 'run', 'registry_check', '--input', `registryPath=${dir}`, '--input', 'files={"maxFiles":0}', '--engine', 'native'], work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/registry\.load input "files" has maxFiles 0, not a positive whole number/);
  });

  test('a clean registry still exits 0', async () => {
    const dir = await registry('clean', { 'a.yaml': GROUP });
    expect((await check(dir)).code).toBe(0);
  });
});

describe('the report commands on a registry they cannot read whole', () => {
  test('stats and resolve warn, naming what they left out', async () => {
    const dir = await registry('report-fifo', { 'a.yaml': GROUP });
    await run('mkfifo', [join(dir, 'x.yaml')]);
    for (const command of ['stats', 'resolve']) {
      const { stderr } = await runCli(['registry', command, '-r', dir, '--engine', 'native'], work);
      expect(stderr).toMatch(/could not be read, so this report leaves them out/);
      expect(stderr).toContain('x.yaml: not-a-regular-file');
    }
  });
});
