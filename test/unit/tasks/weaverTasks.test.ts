import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cliRun';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import {
  PROBLEM_MATCHER,
  PROVIDED_COMMANDS,
  readWeaverTaskDefinition,
  taskCommandLine,
  WEAVER_TASK_COMMANDS,
  WEAVER_TASK_TYPE,
} from '../../../src/extension/tasks/weaverTaskDefinition';

/**
 * The `weaver` task type: the argv each task runs, the contributions in package.json, and the
 * `$weaver` problem matcher against what the CLI really prints for a registry with errors.
 */

const repoRoot = resolve(__dirname, '../../..');
const conformance = resolve(repoRoot, '..', 'shared', 'conformance');
const DUPLICATES = 'weaver-resolver/registry-test-12-duplicate-group-id/registry';

interface Contributions {
  taskDefinitions: Array<{ type: string; required: string[]; properties: { command: { enum: string[] } } }>;
  problemMatchers: Array<{ name: string; fileLocation: string[]; pattern: Record<string, string | number> }>;
}
const contributes = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: Contributions }).contributes;

const cli = (args: string[], cwd: string) => runCli(args, cwd);

describe('weaver task command lines', () => {
  const context = { cliPath: '/ext/dist/cli.js', workspaceFolder: '/ws', detectedRegistry: '/ws/model', engine: 'auto' as const };

  it('check runs the CLI on the detected registry, relative to the workspace folder, with text output', () => {
    expect(taskCommandLine({ type: WEAVER_TASK_TYPE, command: 'check' }, context)).toEqual({
      args: ['/ext/dist/cli.js', 'registry', 'check', '-r', 'model', '--engine', 'auto', '--diagnostic-format', 'text'],
      cwd: '/ws',
      registryPath: '/ws/model',
    });
  });

  it('a registry from tasks.json wins; one outside the workspace stays absolute; args come last, one per item', () => {
    expect(taskCommandLine({ type: 'weaver', command: 'diff', registry: 'other', args: ['--baseline-registry', '../old dir'] }, context).args).toEqual([
      '/ext/dist/cli.js', 'registry', 'diff', '-r', 'other', '--engine', 'auto', '--baseline-registry', '../old dir',
    ]);
    expect(taskCommandLine({ type: 'weaver', command: 'stats', registry: '/elsewhere/reg' }, context).args.slice(3, 5)).toEqual(['-r', '/elsewhere/reg']);
    expect(taskCommandLine({ type: 'weaver', command: 'check', registry: '.' }, context).args.slice(3, 5)).toEqual(['-r', '.']);
  });

  it('no registry anywhere: an error saying what to set', () => {
    expect(() => taskCommandLine({ type: 'weaver', command: 'check' }, { ...context, detectedRegistry: undefined })).toThrow(/set "registry" in tasks\.json/);
  });

  it('tasks.json entries are checked field by field', () => {
    expect(readWeaverTaskDefinition({ type: 'weaver', command: 'stats', args: ['--v2'] })).toEqual({ type: 'weaver', command: 'stats', args: ['--v2'] });
    expect(() => readWeaverTaskDefinition({ type: 'weaver', command: 'generate' })).toThrow(/"command" set to one of check, resolve, stats, search, diff \(it is "generate"\)/);
    expect(() => readWeaverTaskDefinition({ type: 'weaver', command: 'check', args: '--future' })).toThrow(/"args" of a "weaver" task must be a list of strings/);
    expect(() => readWeaverTaskDefinition({ type: 'weaver', command: 'check', registry: 3 })).toThrow(/"registry" .* must be a folder path/);
  });
});

describe('package.json contributions', () => {
  it('declares the weaver task type with the same commands, and the $weaver matcher the tasks use', () => {
    const definition = contributes.taskDefinitions.find((d) => d.type === WEAVER_TASK_TYPE)!;
    expect(definition.required).toEqual(['command']);
    expect(definition.properties.command.enum).toEqual([...WEAVER_TASK_COMMANDS]);
    expect(PROVIDED_COMMANDS.every((c) => definition.properties.command.enum.includes(c))).toBe(true);
    expect(contributes.problemMatchers.map((m) => `$${m.name}`)).toContain(PROBLEM_MATCHER);
    // The extension's own diagnostic collection is named `weavergen`: a matcher with that owner would
    // clear the Check Registry problems each time a task starts.
    const matcher = contributes.problemMatchers.find((m) => `$${m.name}` === PROBLEM_MATCHER)! as { owner?: string };
    expect(matcher.owner).toBe('weavergen-task');
    expect(readFileSync(join(repoRoot, 'src/extension/problems.ts'), 'utf8')).toContain("createDiagnosticCollection('weavergen')");
  });

  it("the $weaver pattern reads every line the check task prints, and gives back each diagnostic's place", async () => {
    const matcher = contributes.problemMatchers.find((m) => `$${m.name}` === PROBLEM_MATCHER)!;
    const regexp = new RegExp(String(matcher.pattern.regexp));
    const line = taskCommandLine({ type: 'weaver', command: 'check', registry: DUPLICATES }, { cliPath: 'cli.js', workspaceFolder: conformance, engine: 'native' });
    const text = await cli(line.args.slice(1), line.cwd);
    const json = await cli([...line.args.slice(1, -2), '--diagnostic-format', 'json'], line.cwd);
    const diagnostics = JSON.parse(json.stdout) as RegistryDiagnostic[];
    const lines = text.stdout.trim().split('\n');
    expect(text.code).toBe(1);
    expect(lines.length).toBe(diagnostics.length);
    expect(lines.length).toBeGreaterThan(0);
    lines.forEach((l, i) => {
      const m = regexp.exec(l);
      expect(m, l).not.toBeNull();
      const d = diagnostics[i]!;
      const at = (key: string) => m![Number(matcher.pattern[key])]!;
      expect(resolve(conformance, at('file'))).toBe(d.file);
      expect(Number(at('line'))).toBe(d.range.start.line + 1);
      expect(Number(at('column'))).toBe(d.range.start.character + 1);
      expect(at('severity')).toBe(d.severity === 'information' ? 'info' : d.severity);
      expect(at('code')).toBe(d.code);
      expect(at('message')).toBe(d.message);
    });
  });

  it('the pattern maps every severity the CLI prints to one VS Code knows (error, warning, info, hint)', () => {
    const regexp = new RegExp(String(contributes.problemMatchers.find((m) => m.name === 'weaver')!.pattern.regexp));
    for (const [severity, expected] of [['error', 'error'], ['warning', 'warning'], ['information', 'info'], ['hint', 'hint']]) {
      expect(regexp.exec(`a/b.yaml:3:7: ${severity} some-code: text: with colons`)?.slice(1)).toEqual(['a/b.yaml', '3', '7', expected, 'some-code', 'text: with colons']);
    }
  });
});
