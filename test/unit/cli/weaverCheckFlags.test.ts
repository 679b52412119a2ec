import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliRun';
import { UNSUPPORTED_CHECK_FLAGS } from '../../../src/cli/weaverCheckFlags';

/**
 * `weavergen registry check --help` lists every flag weaver's `registry check` has (read from weaver's
 * own CLI reference), and a flag we cannot honour fails with its reason instead of being ignored.
 */

const USAGE = resolve(__dirname, '../../../../shared/reference/weaver/docs/usage.md');
/** Flags the parallel work on policies, --v2 and extra checks adds: not listed by this part yet. */
const ADDED_ELSEWHERE = new Set(['--policy', '--v2']);

/** The long flags of the `weaver registry check` section of weaver's usage.md. */
function weaverCheckFlags(): string[] {
  const text = readFileSync(USAGE, 'utf8');
  const start = text.indexOf('## `weaver registry check`');
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end);
  return [...section.matchAll(/^\* (?:`-\w`, )?`(--[a-z0-9-]+)/gm)].map((m) => m[1]!);
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-check-flags-'));
  await writeFile(join(work, 'attributes.yaml'), 'groups: []\n');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('registry check --help', () => {
  it("lists every flag of weaver's registry check", async () => {
    const flags = weaverCheckFlags();
    expect(flags).toContain('--registry');
    expect(flags).toContain('--diagnostic-template');
    const { stdout } = await runCli(['registry', 'check', '--help'], work);
    for (const flag of flags) if (!ADDED_ELSEWHERE.has(flag)) expect(stdout, flag).toContain(flag);
    expect(stdout).toContain('--sarif-root');
  });
});

describe("weaver's flags the native check cannot honour", () => {
  for (const flag of UNSUPPORTED_CHECK_FLAGS) {
    const long = flag.flags.split(' ')[0]!;
    it(`${long} exits 2 naming the flag and docs/cli.md, and checks nothing`, async () => {
      const args = ['registry', 'check', '-r', '.', '--engine', 'native', long, ...(flag.flags.includes('<') ? ['templates'] : [])];
      const { code, stdout, stderr } = await runCli(args, work);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`${long} is a weaver flag that weavergen registry check does not support`);
      expect(stderr).toContain('docs/cli.md');
    });
  }

  it('a Git URL registry is refused with what to do, not looked up as a folder', async () => {
    const { code, stderr } = await runCli(['registry', 'check', '-r', 'https://github.com/open-telemetry/semantic-conventions.git[model]', '--engine', 'native'], work);
    expect(code).toBe(2);
    expect(stderr).toContain('does not fetch Git or archive URLs');
  });

  it("-s and --follow-symlinks=false are weaver's spellings of the link flag; another value is a usage error", async () => {
    const { symlink } = await import('node:fs/promises');
    const outside = await mkdtemp(join(tmpdir(), 'weavergen-check-flags-outside-'));
    try {
      await writeFile(join(outside, 'linked.yaml'), 'groups: []\n');
      await symlink(join(outside, 'linked.yaml'), join(work, 'linked.yaml'));
      const notFollowed = await runCli(['registry', 'check', '-r', '.', '--engine', 'native', '--follow-symlinks=false'], work);
      expect(notFollowed.code).toBe(3);
      expect(notFollowed.stdout).toContain('symlink-skipped');
      const followed = await runCli(['registry', 'check', '-r', '.', '--engine', 'native', '-s'], work);
      expect(followed.code).toBe(0);
      expect(followed.stdout).toBe('');
      expect((await runCli(['registry', 'check', '-r', '.', '--follow-symlinks=yes'], work)).code).toBe(2);
    } finally {
      await rm(join(work, 'linked.yaml'), { force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('--diagnostic-stdout is accepted (findings are on stdout already) and ansi means text', async () => {
    const { code, stdout } = await runCli(['registry', 'check', '-r', '.', '--engine', 'native', '--diagnostic-stdout', '--diagnostic-format', 'ansi'], work);
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });
});
