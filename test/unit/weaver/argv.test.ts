import { describe, expect, it } from 'vitest';
import {
  buildWeaverArgv,
  COMMAND_SPECS,
  GLOBAL_FLAGS,
  registryCheckArgv,
  registryGenerateArgv,
  WEAVER_COMMANDS,
  WeaverArgvError,
  type WeaverCommandName,
} from '../../../src/core/weaver/argv';
import { camelCase, readUsageDoc, type DocCommand, type DocOption } from './usageDoc';

/**
 * Table-driven from weaver's own CLI reference: every command, option and argument documented in
 * usage.md becomes cases, with the expected spelling derived from how the doc describes the flag.
 * The builder's table is only used to check it agrees with the doc, never to compute expectations.
 */

const doc = readUsageDoc();
const byName = new Map(doc.map((c) => [c.name, c]));
const leafCommands = doc.filter((c) => c.subcommands.length === 0 && c.name !== '');
const globalDoc = byName.get('')!;

/** Option keys are the long flag in camelCase; the repeated `--policy` is `policies`. */
function keyOf(long: string): string {
  return long === '--policy' ? 'policies' : camelCase(long);
}

type Expectation =
  | { kind: 'switch' }
  | { kind: 'count' }
  | { kind: 'bool'; bareTrue: boolean }
  | { kind: 'enum'; values: string[]; closed: boolean }
  | { kind: 'integer'; max: number }
  | { kind: 'repeated' }
  | { kind: 'params' }
  | { kind: 'value' };

/** How weaver's doc says a flag is spelled. */
function expectationFor(option: DocOption): Expectation {
  const text = option.text;
  if (!option.meta) return /Use twice/.test(text) ? { kind: 'count' } : { kind: 'switch' };
  if (option.possibleValues.length === 2 && option.possibleValues.includes('true') && option.possibleValues.includes('false')) {
    // The doc states the bare form for most booleans; --diagnostic-stdout accepts it too (weaver
    // defines it with `default_missing_value = "true"`), and it is the one form older weavers accept.
    return { kind: 'bool', bareTrue: text.includes(`A bare \`${option.long}\` means \`true\``) || option.long === '--diagnostic-stdout' };
  }
  if (option.possibleValues.length > 0) return { kind: 'enum', values: option.possibleValues, closed: true };
  const predefined = /(?:Predefined formats are|Builtin formats): ([\w, ]+?)(?:\.|,? and (\w+)\.)/.exec(text);
  if (predefined) {
    const values = predefined[1]!.split(/,\s*/).map((v) => v.trim()).filter(Boolean);
    if (predefined[2]) values.push(predefined[2]);
    return { kind: 'enum', values: values.map((v) => v.replace(/^and /, '')), closed: false };
  }
  const supported = /Supported formats: ([\w, ]+?) Default/.exec(text);
  if (supported) return { kind: 'enum', values: supported[1]!.split(/,\s*/), closed: true };
  const levels = /Levels \(highest→lowest\): ([\w, ]+)\. Use `(\w+)`/.exec(text);
  if (levels) return { kind: 'enum', values: [...levels[1]!.split(/,\s*/), levels[2]!], closed: true };
  const pipe = /The format of the input telemetry\. (\w+(?: \| \w+)+)/.exec(text);
  if (pipe) return { kind: 'enum', values: pipe[1]!.split(' | '), closed: true };
  if (/PORT$/.test(option.meta)) return { kind: 'integer', max: 65535 };
  if (option.meta === 'INACTIVITY_TIMEOUT') return { kind: 'integer', max: 31_536_000 };
  if (/key=value/.test(text)) return { kind: 'params' };
  if (/\blist of\b/i.test(text)) return { kind: 'repeated' };
  return { kind: 'value' };
}

/** What a command needs to build at all: its required options and arguments. */
function baseOptions(command: DocCommand): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const long of command.requiredOptions) base[keyOf(long)] = 'required/value';
  for (const arg of command.arguments) if (arg.required) base[camelCase(arg.name)] = arg.possibleValues[0] ?? 'value';
  return base;
}

function build(command: string, options: Record<string, unknown>, globals: Record<string, unknown> = {}): string[] {
  return buildWeaverArgv(command as WeaverCommandName, options as never, globals);
}

function containsSequence(argv: readonly string[], seq: readonly string[]): boolean {
  for (let i = 0; i + seq.length <= argv.length; i++) if (seq.every((s, j) => argv[i + j] === s)) return true;
  return false;
}

function count(argv: readonly string[], token: string): number {
  return argv.filter((a) => a === token).length;
}

interface Case {
  name: string;
  run: () => void;
}

function optionCases(command: DocCommand, option: DocOption, isGlobal: boolean): Case[] {
  const key = keyOf(option.long);
  const base = isGlobal ? { registry: 'reg' } : baseOptions(command);
  const target = isGlobal ? 'registry check' : command.name;
  const make = (value: unknown) => (isGlobal ? build(target, base, { [key]: value }) : build(target, { ...base, [key]: value }));
  const label = `${isGlobal ? 'weaver' : `weaver ${command.name}`} ${option.long}`;
  const exp = expectationFor(option);
  const cases: Case[] = [];
  const add = (what: string, run: () => void) => cases.push({ name: `${label} ${what}`, run });
  const rejects = (value: unknown) => () => expect(() => make(value)).toThrow(WeaverArgvError);
  // Flags the builder sets by default (the diagnostic pair) appear even when not asked for.
  const defaulted = !isGlobal && (option.long === '--diagnostic-format' || option.long === '--diagnostic-stdout');

  switch (exp.kind) {
    case 'switch':
      add('true -> present', () => expect(count(make(true), option.long)).toBe(1));
      add('false -> absent', () => expect(make(false)).not.toContain(option.long));
      add('rejects a non-boolean', rejects('yes'));
      break;
    case 'count':
      add('2 -> twice', () => expect(count(make(2), option.long)).toBe(2));
      add('1 -> once', () => expect(count(make(1), option.long)).toBe(1));
      add('rejects 3', rejects(3));
      break;
    case 'bool':
      add(`true -> ${exp.bareTrue ? option.long : `${option.long}=true`}`, () => {
        const argv = make(true);
        expect(argv).toContain(exp.bareTrue ? option.long : `${option.long}=true`);
        expect(argv.filter((a) => a.startsWith(option.long) && (a === option.long || a.startsWith(`${option.long}=`)))).toHaveLength(1);
      });
      add(`false -> ${option.long}=false`, () => {
        const argv = make(false);
        expect(argv).toContain(`${option.long}=false`);
        expect(argv).not.toContain(option.long);
      });
      add('rejects a string', rejects('true'));
      break;
    case 'enum':
      for (const value of exp.values) {
        add(`${value} -> [${option.long}, ${value}]`, () => {
          const argv = make(value);
          expect(containsSequence(argv, [option.long, value])).toBe(true);
          expect(count(argv, option.long)).toBe(1);
        });
      }
      if (exp.closed) add('rejects an undocumented value', rejects('not-a-documented-value'));
      else add('rejects a value that is no template name', rejects('two words'));
      break;
    case 'integer':
      add(`4317 -> [${option.long}, 4317]`, () => expect(containsSequence(make(4317), [option.long, '4317'])).toBe(true));
      add('rejects a fraction', rejects(1.5));
      add('rejects a negative number', rejects(-1));
      add(`rejects ${exp.max + 1}`, rejects(exp.max + 1));
      add('rejects text', rejects('4317'));
      break;
    case 'repeated':
      add('two values -> the flag twice, in order', () =>
        expect(containsSequence(make(['first/a', 'second b']), [option.long, 'first/a', option.long, 'second b'])).toBe(true),
      );
      add('rejects a single string', rejects('first/a'));
      break;
    case 'params':
      add('a record -> one key=value per entry', () =>
        expect(containsSequence(make({ name: 'a b', count: 3, on: true }), [option.long, 'name=a b', option.long, 'count=3', option.long, 'on=true'])).toBe(true),
      );
      add('rejects a key holding =', rejects({ 'a=b': 'c' }));
      add('rejects a nested value', rejects({ a: { b: 1 } }));
      break;
    case 'value':
      add(`text -> [${option.long}, text] as two entries`, () => {
        const value = option.long === '--registry' ? 'https://example.invalid/repo.git@v1[model]' : 'some dir/with spaces;$(not a shell)';
        const argv = make(value);
        expect(containsSequence(argv, [option.long, value])).toBe(true);
        expect(count(argv, option.long)).toBe(1);
      });
      add('a value starting with - is joined with =', () => expect(make('-odd')).toContain(`${option.long}=-odd`));
      add('rejects an empty value', rejects(''));
      add('rejects a number', rejects(3));
      break;
  }
  if (!defaulted && exp.kind !== 'switch' && exp.kind !== 'count') {
    add('absent -> not written', () => {
      const argv = build(target, base);
      expect(argv.some((a) => a === option.long || a.startsWith(`${option.long}=`))).toBe(command.requiredOptions.includes(option.long));
    });
  }
  return cases;
}

function argumentCases(command: DocCommand): Case[] {
  const cases: Case[] = [];
  for (const arg of command.arguments) {
    const key = camelCase(arg.name);
    const values = arg.possibleValues.length > 0 ? arg.possibleValues : ['some value'];
    for (const value of values) {
      cases.push({
        name: `weaver ${command.name} <${arg.name}> ${value} -> last, after --`,
        run: () => {
          const options: Record<string, unknown> = { ...baseOptions(command), [key]: value };
          // weaver reads OUTPUT only after TARGET.
          if (command.name === 'registry generate' && key === 'output') options.target = 'markdown';
          const argv = build(command.name, options);
          const dashDash = argv.indexOf('--');
          expect(dashDash).toBeGreaterThan(0);
          expect(argv.slice(dashDash + 1)).toContain(value);
        },
      });
    }
    if (arg.possibleValues.length > 0) {
      cases.push({
        name: `weaver ${command.name} <${arg.name}> rejects an undocumented value`,
        run: () => expect(() => build(command.name, { ...baseOptions(command), [key]: 'tcsh' })).toThrow(WeaverArgvError),
      });
    }
    if (arg.required) {
      cases.push({
        name: `weaver ${command.name} <${arg.name}> is required`,
        run: () => expect(() => build(command.name, {})).toThrow(/required/),
      });
    }
  }
  return cases;
}

/**
 * Commands whose stdout is their product or protocol, per usage.md: diagnostics may only go to
 * stdout when that product is written elsewhere (`-o`), or never.
 *   resolve, stats, json-schema, diff: "If not specified, ... printed to stdout"
 *   live-check: the report is rendered to stdout unless `-o` names a folder, `none` or `http`
 *   emit: `--stdout` "Write the telemetry to standard output"
 *   search: "will return matching values on the command line"
 *   mcp: "The server communicates over stdio using JSON-RPC"
 */
const STDOUT_PRODUCT: Record<string, { freeWhen?: Record<string, unknown>; busyWhen?: Record<string, unknown> }> = {
  'registry resolve': { freeWhen: { output: 'resolved.yaml' } },
  'registry stats': { freeWhen: { output: 'stats' } },
  'registry json-schema': { freeWhen: { output: 'schema.json' } },
  'registry diff': { freeWhen: { output: 'diff' } },
  'registry live-check': { freeWhen: { output: 'none' } },
  'registry emit': { busyWhen: { stdout: true } },
  'registry search': {},
  'registry mcp': {},
};

function commandCases(command: DocCommand): Case[] {
  const hasDiagnostics = command.options.some((o) => o.long === '--diagnostic-format');
  const product = STDOUT_PRODUCT[command.name];
  const diagnosticsOnStdout = (options: Record<string, unknown>) => {
    const argv = build(command.name, { ...baseOptions(command), ...options });
    expect(containsSequence(argv, ['--diagnostic-format', 'json'])).toBe(true);
    return argv.includes('--diagnostic-stdout');
  };
  const cases: Case[] = [
    {
      name: `weaver ${command.name} starts with its command words`,
      run: () => expect(build(command.name, baseOptions(command)).slice(0, command.name.split(' ').length)).toEqual(command.name.split(' ')),
    },
    {
      name: `weaver ${command.name} rejects an unknown option`,
      run: () => expect(() => build(command.name, { ...baseOptions(command), notAWeaverFlag: true })).toThrow(/unknown option 'notAWeaverFlag'/),
    },
  ];
  if (!hasDiagnostics) {
    cases.push({
      name: `weaver ${command.name} has no diagnostic options`,
      run: () => expect(build(command.name, baseOptions(command)).some((a) => a.startsWith('--diagnostic'))).toBe(false),
    });
  } else if (!product) {
    cases.push({
      name: `weaver ${command.name} defaults to --diagnostic-format json --diagnostic-stdout (stdout carries nothing else)`,
      run: () => expect(diagnosticsOnStdout({})).toBe(true),
    });
  } else {
    cases.push({
      name: `weaver ${command.name} keeps JSON diagnostics on stderr while stdout is its product`,
      run: () => {
        expect(diagnosticsOnStdout(product.busyWhen ?? {})).toBe(false);
        if (product.freeWhen) expect(diagnosticsOnStdout(product.freeWhen)).toBe(true);
      },
    });
  }
  for (const long of command.requiredOptions) {
    cases.push({
      name: `weaver ${command.name} requires ${long}`,
      run: () => expect(() => build(command.name, {})).toThrow(new RegExp(`${long} is required`)),
    });
  }
  return cases;
}

const allCases: Case[] = [
  ...globalDoc.options.flatMap((o) => optionCases(globalDoc, o, true)),
  ...leafCommands.flatMap((c) => [...commandCases(c), ...c.options.flatMap((o) => optionCases(c, o, false)), ...argumentCases(c)]),
];

describe('usage.md as read by the test', () => {
  it('documents the commands the adapter covers, with their options', () => {
    expect(leafCommands.map((c) => c.name).sort()).toEqual([...WEAVER_COMMANDS].sort());
    const optionCount = leafCommands.reduce((n, c) => n + c.options.length, 0);
    expect(optionCount).toBeGreaterThan(150);
    expect(globalDoc.options.map((o) => o.long)).toEqual(['--debug', '--quiet', '--future', '--allow-git-credentials', '--config']);
  });
});

describe('the builder table agrees with usage.md', () => {
  it.each(leafCommands.map((c) => [c.name, c] as const))('%s: same flags, short aliases and arguments', (name, command) => {
    const spec = COMMAND_SPECS[name as WeaverCommandName];
    expect(spec.words.join(' ')).toBe(name);
    expect(spec.flags.map((f) => f.long).sort()).toEqual(command.options.map((o) => o.long).sort());
    for (const option of command.options) {
      const flag = spec.flags.find((f) => f.long === option.long)!;
      expect(flag.key, option.long).toBe(keyOf(option.long));
      expect(flag.short, option.long).toBe(option.short);
    }
    expect(spec.positionals.map((p) => p.name)).toEqual(command.arguments.map((a) => a.name));
  });

  it('global options', () => {
    expect(GLOBAL_FLAGS.map((f) => f.long)).toEqual(globalDoc.options.map((o) => o.long));
  });
});

describe(`argv for every documented command, option and argument (${allCases.length} cases)`, () => {
  it.each(allCases.map((c) => [c.name, c] as const))('%s', (_name, c) => c.run());
});

describe('argv shapes a caller relies on', () => {
  it('registry check for the engine: exactly the command the engine runs', () => {
    expect(registryCheckArgv({ registry: '/work/reg' })).toEqual([
      'registry',
      'check',
      '--registry',
      '/work/reg',
      '--diagnostic-format',
      'json',
      '--diagnostic-stdout',
    ]);
  });

  it('global options go before the command words, command options after them', () => {
    const argv = registryCheckArgv({ registry: 'r', policies: ['p1', 'p2'], skipPolicies: false }, { future: true, quiet: true, debug: 1 });
    expect(argv.slice(0, 5)).toEqual(['--debug', '--quiet', '--future', 'registry', 'check']);
    expect(containsSequence(argv, ['--policy', 'p1', '--policy', 'p2', '--skip-policies=false'])).toBe(true);
  });

  it('generate: positionals follow -- after every option, so --diagnostic-stdout cannot take them as its value', () => {
    const argv = registryGenerateArgv({ registry: 'r', templates: 't', target: 'markdown', output: 'out', param: { registry_prefix: 'http' } });
    expect(argv.slice(-3)).toEqual(['--', 'markdown', 'out']);
    expect(argv.indexOf('--diagnostic-stdout')).toBeLessThan(argv.indexOf('--'));
  });

  it('diagnostics can be sent elsewhere or rendered otherwise', () => {
    const argv = registryCheckArgv({ registry: 'r', diagnosticStdout: false, diagnosticFormat: 'gh_workflow_command' });
    expect(argv).toContain('--diagnostic-stdout=false');
    expect(argv).not.toContain('--diagnostic-stdout');
    expect(argv).not.toContain('json');
    expect(containsSequence(argv, ['--diagnostic-format', 'gh_workflow_command'])).toBe(true);
  });

  it('a custom diagnostic format needs its template folder', () => {
    expect(() => registryCheckArgv({ registry: 'r', diagnosticFormat: 'mine' })).toThrow(/needs 'diagnosticTemplate'/);
    expect(registryCheckArgv({ registry: 'r', diagnosticFormat: 'mine', diagnosticTemplate: 'tpl' })).toContain('mine');
  });

  it('generate rejects OUTPUT without TARGET', () => {
    expect(() => registryGenerateArgv({ registry: 'r', output: 'out' })).toThrow(/needs <TARGET>/);
  });

  it('errors name the command, the flag and what is allowed', () => {
    expect(() => buildWeaverArgv('registry resolve', { registry: 'r', format: 'toml' as never })).toThrow(
      "weaver registry resolve: --format must be one of yaml, json, jsonl, mute, not 'toml'",
    );
  });
});
