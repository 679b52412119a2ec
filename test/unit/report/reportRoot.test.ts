import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cliRun';
import { gitTopLevel, reportRoot } from '../../../src/core/report/reportRoot';
import type { SarifLog } from '../../../src/core/report/sarif';
import { sarifValidator } from './sarifSchema';

/**
 * SARIF and GitHub annotations name files relative to the repository root: a registry in a subfolder
 * of a git repository (`.git` a folder, as in a clone, or a file, as in a worktree) gets paths that
 * start at the repository root, and the log is valid SARIF 2.1.0.
 */

const ATTRIBUTES = `groups:
  - id: registry.demo
    type: attribute_group
    brief: Demo attributes.
    attributes:
      - id: demo.method
        type: string
        brief: The method.
        stability: stable
        examples: ["GET"]
`;

/** Line 8 references an attribute that does not exist. */
const SPANS = `groups:
  - id: span.demo.client
    type: span
    span_kind: client
    stability: development
    brief: A demo client span.
    attributes:
      - ref: demo.methd
`;

let work: string;
let repo: string;
let registry: string;
let worktree: string;
let plain: string;

async function writeRegistry(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'attributes.yaml'), ATTRIBUTES);
  await writeFile(join(dir, 'spans.yaml'), SPANS);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-report-root-'));
  repo = join(work, 'repo');
  registry = join(repo, 'model', 'semconv');
  await writeRegistry(registry);
  await mkdir(join(repo, '.git'));
  worktree = join(work, 'worktree');
  await writeRegistry(join(worktree, 'model'));
  await writeFile(join(worktree, '.git'), 'gitdir: /elsewhere/.git/worktrees/w\n');
  plain = join(work, 'plain');
  await writeRegistry(join(plain, 'reg'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('gitTopLevel / reportRoot', () => {
  it('finds the repository root above a registry subfolder, with .git a folder or a file', () => {
    expect(gitTopLevel(registry)).toBe(repo);
    expect(gitTopLevel(join(worktree, 'model'))).toBe(worktree);
    expect(reportRoot(registry, work)).toEqual({ path: repo, kind: 'git' });
  });

  it('takes --sarif-root over the repository, and the working directory outside one', () => {
    expect(reportRoot(registry, work, 'repo/model')).toEqual({ path: join(repo, 'model'), kind: 'option' });
    // The temp folder may itself sit in a repository on some machines: only assert when it does not.
    if (gitTopLevel(plain) === undefined) expect(reportRoot(join(plain, 'reg'), plain)).toEqual({ path: plain, kind: 'cwd' });
  });
});

describe('registry check --diagnostic-format sarif in a git repository', () => {
  it('writes URIs relative to the repository root, with %SRCROOT% there, and a log the SARIF schema accepts', async () => {
    // Run from the registry folder itself: the paths must still start at the repository root.
    const { code, stdout } = await runCli(['registry', 'check', '-r', '.', '--engine', 'native', '--diagnostic-format', 'sarif'], registry);
    expect(code).toBe(1);
    const log = JSON.parse(stdout) as SarifLog;
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${repo}/`);
    const location = run.results.find((r) => r.ruleId === 'unresolved-ref')!.locations[0]!.physicalLocation;
    expect(location.artifactLocation).toEqual({ uri: 'model/semconv/spans.yaml', uriBaseId: '%SRCROOT%' });
    expect(location.region.startLine).toBe(8);
  });

  it('--sarif-root moves the base', async () => {
    const { stdout } = await runCli(['registry', 'check', '-r', 'model/semconv', '--engine', 'native', '--diagnostic-format', 'sarif', '--sarif-root', 'model'], repo);
    const run = (JSON.parse(stdout) as SarifLog).runs[0]!;
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`file://${repo}/model/`);
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('semconv/spans.yaml');
  });

  it('--sarif-root must be an existing folder', async () => {
    const { code, stdout, stderr } = await runCli(['registry', 'check', '-r', 'model/semconv', '--engine', 'native', '--diagnostic-format', 'sarif', '--sarif-root', 'no-such'], repo);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`--sarif-root folder not found: ${join(repo, 'no-such')}`);
  });

  it("github annotations (and weaver's gh_workflow_command name) give file= from the repository root", async () => {
    for (const format of ['github', 'gh_workflow_command']) {
      const { code, stdout } = await runCli(['registry', 'check', '-r', '.', '--engine', 'native', '--diagnostic-format', format], registry);
      expect(code).toBe(1);
      expect(stdout).toMatch(/^::error file=model\/semconv\/spans\.yaml,line=8,/m);
    }
  });

  it('outside a git repository, says the paths are relative to the working directory', async () => {
    if (gitTopLevel(plain) !== undefined) return;
    const { stdout, stderr } = await runCli(['registry', 'check', '-r', 'reg', '--engine', 'native', '--diagnostic-format', 'github'], plain);
    expect(stdout).toMatch(/^::error file=reg\/spans\.yaml,line=8,/m);
    expect(stderr).toContain('is not in a git repository: paths are relative to the working directory');
  });
});
