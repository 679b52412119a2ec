/**
 * Argument lists for every weaver 0.25 command (reference: weaver's docs/usage.md). Each builder
 * takes a typed option object and returns an argv array for `runWeaver`: values are separate
 * entries, never joined into a shell string. Option keys are the long flag in camelCase
 * (`--follow-symlinks` -> `followSymlinks`), except the repeated `-p/--policy`, which is `policies`.
 *
 * Spelling rules, from weaver's clap definitions:
 * - switches (`--future`, `--lineage`, `--quiet`) are present or absent;
 * - booleans that take a value and document a bare form (`--v2`, `--skip-policies`, ...) are
 *   written `--flag` for true and `--flag=false` for false (the `=` form is required there);
 * - other booleans are written `--flag=true` / `--flag=false`, which every value-taking flag accepts;
 * - `--diagnostic-stdout` is written bare (weaver 0.25 accepts it bare and older versions only bare);
 * - repeated flags (`--policy`, `--param`, `--config`) repeat the flag once per value;
 * - a value that starts with `-` is written `--flag=value` so clap cannot read it as a flag;
 * - positionals come last, after `--`, so nothing before them can take them as its value.
 * Unless told otherwise, every command that has diagnostic options gets `--diagnostic-format json`,
 * and `--diagnostic-stdout` too where stdout carries nothing else; where stdout is the command's
 * product (`stats`, `resolve`, `json-schema`, `diff`, `live-check` without `-o`, `emit --stdout`,
 * `search`) or its protocol (`mcp` speaks JSON-RPC on stdio), diagnostics stay on stderr.
 * `runWeaver` reads them from whichever stream the arguments name.
 */

export class WeaverArgvError extends Error {
  constructor(
    readonly command: string,
    readonly option: string,
    message: string,
  ) {
    super(`weaver ${command}: ${message}`);
    this.name = 'WeaverArgvError';
  }
}

// ---------------------------------------------------------------------------------------------
// Option types
// ---------------------------------------------------------------------------------------------

/** Options of `weaver` itself, written before the command. */
export interface WeaverGlobalOptions {
  /** `--debug` once (debug logs) or twice (trace logs). */
  debug?: 0 | 1 | 2;
  quiet?: boolean;
  /** Turns warnings into errors with the newest validation rules. */
  future?: boolean;
  allowGitCredentials?: boolean;
  /** A `.weaver.toml` (skips the upward search from the working folder). */
  config?: string;
}

export interface RegistrySourceOptions {
  /** Local folder, Git URL (`url@ref[sub/folder]`) or archive URL. weaver's default clones semantic-conventions: always pass one. */
  registry?: string;
  followSymlinks?: boolean;
  includeUnreferenced?: boolean;
  v2?: boolean;
}

export interface PolicyOptions {
  /** Rego files or folders (`-p`, repeated). */
  policies?: readonly string[];
  skipPolicies?: boolean;
  displayPolicyCoverage?: boolean;
}

export const DIAGNOSTIC_FORMATS = ['ansi', 'json', 'gh_workflow_command'] as const;
export type DiagnosticFormat = (typeof DIAGNOSTIC_FORMATS)[number];

export interface DiagnosticOptions {
  /** Default `json`. A name outside the predefined ones is a template of `diagnosticTemplate`. */
  diagnosticFormat?: DiagnosticFormat | (string & {});
  diagnosticTemplate?: string;
  /**
   * Default: true where the command's stdout carries nothing else (see the module comment), else
   * unset (weaver writes them to stderr). `runWeaver` reads them from the stream the arguments name.
   */
  diagnosticStdout?: boolean;
}

/** `-D key=value` template parameters; each value must be valid YAML (strings are passed as written). */
export type TemplateParams = Readonly<Record<string, string | number | boolean>>;

export interface RegistryCheckOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  baselineRegistry?: string;
}

export interface RegistryGenerateOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  /** Positional TARGET: the template set under `templates`. */
  target?: string;
  /** Positional OUTPUT folder (needs `target`). */
  output?: string;
  templates?: string;
  /** `weaver.yaml` files, later ones override earlier ones (`-c`, repeated). */
  config?: readonly string[];
  param?: TemplateParams;
  /** A YAML file of template parameters. */
  params?: string;
  future?: boolean;
}

export const RESOLVE_FORMATS = ['yaml', 'json', 'jsonl', 'mute'] as const;
export interface RegistryResolveOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  lineage?: boolean;
  output?: string;
  format?: (typeof RESOLVE_FORMATS)[number];
}

export interface RegistrySearchOptions extends RegistrySourceOptions, DiagnosticOptions {
  /** Without it weaver opens an interactive terminal UI: always pass one from an editor. */
  searchString?: string;
  lineage?: boolean;
}

export const STATS_FORMATS = ['text', 'json', 'yaml', 'jsonl', 'mute'] as const;
export interface RegistryStatsOptions extends RegistrySourceOptions, DiagnosticOptions {
  /** A predefined format or a template name of `templates`. */
  format?: (typeof STATS_FORMATS)[number] | (string & {});
  templates?: string;
  output?: string;
}

export interface RegistryUpdateMarkdownOptions extends RegistrySourceOptions, DiagnosticOptions {
  /** Positional MARKDOWN_DIR. */
  markdownDir?: string;
  dryRun?: boolean;
  attributeRegistryBaseUrl?: string;
  param?: TemplateParams;
  params?: string;
  templates?: string;
  target?: string;
}

export const JSON_SCHEMA_KINDS = [
  'resolved-registry',
  'semconv-group',
  'semconv-definition-v2',
  'resolved-registry-v2',
  'materialized-registry-v2',
  'diff',
  'diff-v2',
  'publication-manifest-v2',
  'definition-manifest-v2',
  'policy-finding',
  'weaver-config',
] as const;
export interface RegistryJsonSchemaOptions extends DiagnosticOptions {
  jsonSchema?: (typeof JSON_SCHEMA_KINDS)[number];
  output?: string;
}

export const DIFF_FORMATS = ['ansi', 'json', 'markdown'] as const;
export interface RegistryDiffOptions extends RegistrySourceOptions, DiagnosticOptions {
  /** Required by weaver. */
  baselineRegistry: string;
  format?: (typeof DIFF_FORMATS)[number] | (string & {});
  templates?: string;
  output?: string;
}

export interface RegistryEmitOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  stdout?: boolean;
  endpoint?: string;
}

export const LIVE_CHECK_FORMATS = ['json', 'yaml', 'jsonl'] as const;
export const LIVE_CHECK_INPUT_FORMATS = ['text', 'json'] as const;
export const FAIL_ON_LEVELS = ['violation', 'improvement', 'information', 'none'] as const;
export interface RegistryLiveCheckOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  /** A file path, `stdin` or `otlp`. */
  inputSource?: string;
  inputFormat?: (typeof LIVE_CHECK_INPUT_FORMATS)[number];
  /** `jsonl` is the only streaming format that is valid line-delimited JSON; other names are templates. */
  format?: (typeof LIVE_CHECK_FORMATS)[number] | (string & {});
  templates?: string;
  noStream?: boolean;
  noStats?: boolean;
  failOn?: (typeof FAIL_ON_LEVELS)[number];
  /** A folder, `none`, or `http` (the report is the /stop response). */
  output?: string;
  otlpGrpcAddress?: string;
  otlpGrpcPort?: number;
  emitOtlpLogs?: boolean;
  otlpLogsEndpoint?: string;
  otlpLogsStdout?: boolean;
  adminPort?: number;
  inactivityTimeout?: number;
  advicePolicies?: string;
  adviceData?: string;
  advicePreprocessor?: string;
}

export interface RegistryMcpOptions extends RegistrySourceOptions, DiagnosticOptions {
  advicePolicies?: string;
  advicePreprocessor?: string;
  adviceData?: string;
  namespaceSeparator?: string;
}

export interface RegistryInferOptions extends DiagnosticOptions {
  output?: string;
  grpcAddress?: string;
  grpcPort?: number;
  adminPort?: number;
  inactivityTimeout?: number;
}

export interface RegistryPackageOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  output?: string;
  resolvedRegistryUri?: string;
}

export interface DiagnosticInitOptions extends DiagnosticOptions {
  /** Positional TARGET: one diagnostic format to extract; all of them when absent. */
  target?: string;
  diagnosticTemplatesDir?: string;
}

export const COMPLETION_SHELLS = ['bash', 'elvish', 'fish', 'powershell', 'zsh'] as const;
export interface CompletionOptions {
  shell: (typeof COMPLETION_SHELLS)[number];
}

export interface ServeOptions extends RegistrySourceOptions, PolicyOptions, DiagnosticOptions {
  bind?: string;
  corsOrigins?: string;
}

/** Every command with its option type: the argument of `buildWeaverArgv`. */
export interface WeaverCommandOptions {
  'registry check': RegistryCheckOptions;
  'registry generate': RegistryGenerateOptions;
  'registry resolve': RegistryResolveOptions;
  'registry search': RegistrySearchOptions;
  'registry stats': RegistryStatsOptions;
  'registry update-markdown': RegistryUpdateMarkdownOptions;
  'registry json-schema': RegistryJsonSchemaOptions;
  'registry diff': RegistryDiffOptions;
  'registry emit': RegistryEmitOptions;
  'registry live-check': RegistryLiveCheckOptions;
  'registry mcp': RegistryMcpOptions;
  'registry infer': RegistryInferOptions;
  'registry package': RegistryPackageOptions;
  'diagnostic init': DiagnosticInitOptions;
  completion: CompletionOptions;
  serve: ServeOptions;
}

export type WeaverCommandName = keyof WeaverCommandOptions;

// ---------------------------------------------------------------------------------------------
// Flag table
// ---------------------------------------------------------------------------------------------

export type FlagKind =
  /** Present when true (clap `SetTrue`). */
  | 'switch'
  /** Repeated n times (`--debug --debug`). */
  | 'count'
  /** Boolean with an optional value: `--flag` for true, `--flag=false` for false. */
  | 'bool-bare'
  /** Boolean that takes a value: `--flag=true` / `--flag=false`. */
  | 'bool-value'
  | 'value'
  /** One `--flag value` per array item. */
  | 'values'
  /** One `--flag key=value` per record entry. */
  | 'params'
  /** A value from `choices`; with `open`, another name is a template name. */
  | 'enum'
  /** An integer in `range`. */
  | 'integer';

export interface FlagSpec<K extends string = string> {
  key: K;
  long: string;
  short?: string;
  kind: FlagKind;
  choices?: readonly string[];
  /** Enum flags whose other values name templates (`--format` of stats, diff, live-check). */
  open?: boolean;
  range?: readonly [number, number];
  required?: boolean;
}

export interface PositionalSpec<K extends string = string> {
  key: K;
  /** The name in weaver's usage line, e.g. `TARGET`. */
  name: string;
  required?: boolean;
  choices?: readonly string[];
}

export interface CommandSpec<O> {
  words: readonly string[];
  flags: readonly FlagSpec<keyof O & string>[];
  positionals: readonly PositionalSpec<keyof O & string>[];
  /** Whether the command takes `--diagnostic-*` options (it then gets the JSON defaults). */
  diagnostics: boolean;
  /**
   * What else the command writes to stdout, which decides whether diagnostics may go there by default:
   * `free` (nothing), `unless-output` (its result, unless `output` is set), `stdout-option` (telemetry
   * when `stdout` is true), `always` (results or a protocol).
   */
  stdout?: 'free' | 'unless-output' | 'stdout-option' | 'always';
}

const PORT: readonly [number, number] = [1, 65535];
const SECONDS: readonly [number, number] = [0, 31_536_000];

const sourceFlags = [
  { key: 'registry', long: '--registry', short: '-r', kind: 'value' },
  { key: 'followSymlinks', long: '--follow-symlinks', short: '-s', kind: 'bool-bare' },
  { key: 'includeUnreferenced', long: '--include-unreferenced', kind: 'bool-bare' },
  { key: 'v2', long: '--v2', kind: 'bool-bare' },
] as const satisfies readonly FlagSpec<keyof RegistrySourceOptions>[];

const policyFlags = [
  { key: 'policies', long: '--policy', short: '-p', kind: 'values' },
  { key: 'skipPolicies', long: '--skip-policies', kind: 'bool-bare' },
  { key: 'displayPolicyCoverage', long: '--display-policy-coverage', kind: 'bool-bare' },
] as const satisfies readonly FlagSpec<keyof PolicyOptions>[];

const diagnosticFlags = [
  { key: 'diagnosticFormat', long: '--diagnostic-format', kind: 'enum', choices: DIAGNOSTIC_FORMATS, open: true },
  { key: 'diagnosticTemplate', long: '--diagnostic-template', kind: 'value' },
  { key: 'diagnosticStdout', long: '--diagnostic-stdout', kind: 'bool-bare' },
] as const satisfies readonly FlagSpec<keyof DiagnosticOptions>[];

const paramFlags = [
  { key: 'param', long: '--param', short: '-D', kind: 'params' },
  { key: 'params', long: '--params', kind: 'value' },
] as const;

export const GLOBAL_FLAGS: readonly FlagSpec<keyof WeaverGlobalOptions>[] = [
  { key: 'debug', long: '--debug', kind: 'count', range: [0, 2] },
  { key: 'quiet', long: '--quiet', kind: 'switch' },
  { key: 'future', long: '--future', kind: 'switch' },
  { key: 'allowGitCredentials', long: '--allow-git-credentials', kind: 'switch' },
  { key: 'config', long: '--config', kind: 'value' },
];

export const COMMAND_SPECS: { readonly [C in WeaverCommandName]: CommandSpec<WeaverCommandOptions[C]> } = {
  'registry check': {
    words: ['registry', 'check'],
    flags: [...sourceFlags, { key: 'baselineRegistry', long: '--baseline-registry', kind: 'value' }, ...policyFlags, ...diagnosticFlags],
    positionals: [],
    diagnostics: true,
  },
  'registry generate': {
    words: ['registry', 'generate'],
    flags: [
      { key: 'templates', long: '--templates', short: '-t', kind: 'value' },
      { key: 'config', long: '--config', short: '-c', kind: 'values' },
      ...paramFlags,
      ...sourceFlags,
      ...policyFlags,
      { key: 'future', long: '--future', kind: 'switch' },
      ...diagnosticFlags,
    ],
    positionals: [
      { key: 'target', name: 'TARGET' },
      { key: 'output', name: 'OUTPUT' },
    ],
    diagnostics: true,
  },
  'registry resolve': {
    words: ['registry', 'resolve'],
    flags: [
      ...sourceFlags,
      { key: 'lineage', long: '--lineage', kind: 'switch' },
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      { key: 'format', long: '--format', short: '-f', kind: 'enum', choices: RESOLVE_FORMATS },
      ...policyFlags,
      ...diagnosticFlags,
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'unless-output',
  },
  'registry search': {
    words: ['registry', 'search'],
    flags: [...sourceFlags, { key: 'lineage', long: '--lineage', kind: 'switch' }, ...diagnosticFlags],
    positionals: [{ key: 'searchString', name: 'SEARCH_STRING' }],
    diagnostics: true,
    stdout: 'always',
  },
  'registry stats': {
    words: ['registry', 'stats'],
    flags: [
      ...sourceFlags,
      { key: 'format', long: '--format', kind: 'enum', choices: STATS_FORMATS, open: true },
      { key: 'templates', long: '--templates', kind: 'value' },
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      ...diagnosticFlags,
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'unless-output',
  },
  'registry update-markdown': {
    words: ['registry', 'update-markdown'],
    flags: [
      ...sourceFlags,
      { key: 'dryRun', long: '--dry-run', kind: 'bool-bare' },
      { key: 'attributeRegistryBaseUrl', long: '--attribute-registry-base-url', kind: 'value' },
      ...paramFlags,
      { key: 'templates', long: '--templates', short: '-t', kind: 'value' },
      { key: 'target', long: '--target', kind: 'value' },
      ...diagnosticFlags,
    ],
    positionals: [{ key: 'markdownDir', name: 'MARKDOWN_DIR' }],
    diagnostics: true,
  },
  'registry json-schema': {
    words: ['registry', 'json-schema'],
    flags: [
      { key: 'jsonSchema', long: '--json-schema', short: '-j', kind: 'enum', choices: JSON_SCHEMA_KINDS },
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      ...diagnosticFlags,
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'unless-output',
  },
  'registry diff': {
    words: ['registry', 'diff'],
    flags: [
      ...sourceFlags,
      { key: 'baselineRegistry', long: '--baseline-registry', kind: 'value', required: true },
      { key: 'format', long: '--format', kind: 'enum', choices: DIFF_FORMATS, open: true },
      { key: 'templates', long: '--templates', kind: 'value' },
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      ...diagnosticFlags,
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'unless-output',
  },
  'registry emit': {
    words: ['registry', 'emit'],
    flags: [
      ...sourceFlags,
      ...policyFlags,
      ...diagnosticFlags,
      { key: 'stdout', long: '--stdout', kind: 'bool-value' },
      { key: 'endpoint', long: '--endpoint', kind: 'value' },
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'stdout-option',
  },
  'registry live-check': {
    words: ['registry', 'live-check'],
    flags: [
      ...sourceFlags,
      ...policyFlags,
      ...diagnosticFlags,
      { key: 'inputSource', long: '--input-source', kind: 'value' },
      { key: 'inputFormat', long: '--input-format', kind: 'enum', choices: LIVE_CHECK_INPUT_FORMATS },
      { key: 'format', long: '--format', kind: 'enum', choices: LIVE_CHECK_FORMATS, open: true },
      { key: 'templates', long: '--templates', kind: 'value' },
      { key: 'noStream', long: '--no-stream', kind: 'bool-value' },
      { key: 'noStats', long: '--no-stats', kind: 'bool-value' },
      { key: 'failOn', long: '--fail-on', kind: 'enum', choices: FAIL_ON_LEVELS },
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      { key: 'otlpGrpcAddress', long: '--otlp-grpc-address', kind: 'value' },
      { key: 'otlpGrpcPort', long: '--otlp-grpc-port', kind: 'integer', range: PORT },
      { key: 'emitOtlpLogs', long: '--emit-otlp-logs', kind: 'bool-value' },
      { key: 'otlpLogsEndpoint', long: '--otlp-logs-endpoint', kind: 'value' },
      { key: 'otlpLogsStdout', long: '--otlp-logs-stdout', kind: 'bool-value' },
      { key: 'adminPort', long: '--admin-port', kind: 'integer', range: PORT },
      { key: 'inactivityTimeout', long: '--inactivity-timeout', kind: 'integer', range: SECONDS },
      { key: 'advicePolicies', long: '--advice-policies', kind: 'value' },
      { key: 'adviceData', long: '--advice-data', kind: 'value' },
      { key: 'advicePreprocessor', long: '--advice-preprocessor', kind: 'value' },
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'unless-output',
  },
  'registry mcp': {
    words: ['registry', 'mcp'],
    flags: [
      ...sourceFlags,
      ...diagnosticFlags,
      { key: 'advicePolicies', long: '--advice-policies', kind: 'value' },
      { key: 'advicePreprocessor', long: '--advice-preprocessor', kind: 'value' },
      { key: 'adviceData', long: '--advice-data', kind: 'value' },
      { key: 'namespaceSeparator', long: '--namespace-separator', kind: 'value' },
    ],
    positionals: [],
    diagnostics: true,
    stdout: 'always',
  },
  'registry infer': {
    words: ['registry', 'infer'],
    flags: [
      ...diagnosticFlags,
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      { key: 'grpcAddress', long: '--grpc-address', kind: 'value' },
      { key: 'grpcPort', long: '--grpc-port', kind: 'integer', range: PORT },
      { key: 'adminPort', long: '--admin-port', kind: 'integer', range: PORT },
      { key: 'inactivityTimeout', long: '--inactivity-timeout', kind: 'integer', range: SECONDS },
    ],
    positionals: [],
    diagnostics: true,
  },
  'registry package': {
    words: ['registry', 'package'],
    flags: [
      ...sourceFlags,
      { key: 'output', long: '--output', short: '-o', kind: 'value' },
      { key: 'resolvedRegistryUri', long: '--resolved-registry-uri', kind: 'value' },
      ...policyFlags,
      ...diagnosticFlags,
    ],
    positionals: [],
    diagnostics: true,
  },
  'diagnostic init': {
    words: ['diagnostic', 'init'],
    flags: [{ key: 'diagnosticTemplatesDir', long: '--diagnostic-templates-dir', short: '-t', kind: 'value' }, ...diagnosticFlags],
    positionals: [{ key: 'target', name: 'TARGET' }],
    diagnostics: true,
  },
  completion: {
    words: ['completion'],
    flags: [],
    positionals: [{ key: 'shell', name: 'SHELL', required: true, choices: COMPLETION_SHELLS }],
    diagnostics: false,
  },
  serve: {
    words: ['serve'],
    flags: [
      ...sourceFlags,
      ...policyFlags,
      { key: 'bind', long: '--bind', kind: 'value' },
      { key: 'corsOrigins', long: '--cors-origins', kind: 'value' },
      ...diagnosticFlags,
    ],
    positionals: [],
    diagnostics: true,
  },
};

export const WEAVER_COMMANDS = Object.keys(COMMAND_SPECS) as WeaverCommandName[];

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** `weaver [global options] <command words> [options] [-- positionals]`, as an argv array (without the binary). */
export function buildWeaverArgv<C extends WeaverCommandName>(command: C, options: WeaverCommandOptions[C], globals: WeaverGlobalOptions = {}): string[] {
  const spec = COMMAND_SPECS[command] as CommandSpec<Record<string, unknown>>;
  if (!spec) throw new WeaverArgvError(String(command), '', `unknown command: use one of ${WEAVER_COMMANDS.join(', ')}`);
  const values: Record<string, unknown> = { ...(options as object) };
  if (spec.diagnostics) {
    values.diagnosticFormat ??= 'json';
    if (values.diagnosticStdout === undefined && stdoutIsFree(spec.stdout ?? 'free', values)) values.diagnosticStdout = true;
  }
  rejectUnknownKeys(command, values, [...spec.flags.map((f) => f.key), ...spec.positionals.map((p) => p.key)]);
  rejectUnknownKeys('(global options)', globals as Record<string, unknown>, GLOBAL_FLAGS.map((f) => f.key));
  validateCombination(command, values);

  const argv: string[] = [];
  for (const flag of GLOBAL_FLAGS) argv.push(...renderFlag('(global options)', flag, (globals as Record<string, unknown>)[flag.key]));
  argv.push(...spec.words);
  for (const flag of spec.flags) {
    if (flag.required && values[flag.key] === undefined) {
      throw new WeaverArgvError(command, flag.key, `${flag.long} is required (option '${flag.key}')`);
    }
    argv.push(...renderFlag(command, flag, values[flag.key]));
  }
  const positionals: string[] = [];
  for (const positional of spec.positionals) {
    const value = values[positional.key];
    if (value === undefined) {
      if (positional.required) throw new WeaverArgvError(command, positional.key, `<${positional.name}> is required (option '${positional.key}')`);
      continue;
    }
    const text = requireText(command, positional.key, `<${positional.name}>`, value);
    if (positional.choices && !positional.choices.includes(text)) {
      throw new WeaverArgvError(command, positional.key, `<${positional.name}> must be one of ${positional.choices.join(', ')}, not '${text}'`);
    }
    positionals.push(text);
  }
  if (positionals.length > 0) argv.push('--', ...positionals);
  return argv;
}

/** `weaver --version`. */
export function weaverVersionArgv(): string[] {
  return ['--version'];
}

export const registryCheckArgv = (o: RegistryCheckOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry check', o, g);
export const registryGenerateArgv = (o: RegistryGenerateOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry generate', o, g);
export const registryResolveArgv = (o: RegistryResolveOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry resolve', o, g);
export const registrySearchArgv = (o: RegistrySearchOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry search', o, g);
export const registryStatsArgv = (o: RegistryStatsOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry stats', o, g);
export const registryUpdateMarkdownArgv = (o: RegistryUpdateMarkdownOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry update-markdown', o, g);
export const registryJsonSchemaArgv = (o: RegistryJsonSchemaOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry json-schema', o, g);
export const registryDiffArgv = (o: RegistryDiffOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry diff', o, g);
export const registryEmitArgv = (o: RegistryEmitOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry emit', o, g);
export const registryLiveCheckArgv = (o: RegistryLiveCheckOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry live-check', o, g);
export const registryMcpArgv = (o: RegistryMcpOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry mcp', o, g);
export const registryInferArgv = (o: RegistryInferOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry infer', o, g);
export const registryPackageArgv = (o: RegistryPackageOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('registry package', o, g);
export const diagnosticInitArgv = (o: DiagnosticInitOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('diagnostic init', o, g);
export const completionArgv = (o: CompletionOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('completion', o, g);
export const serveArgv = (o: ServeOptions, g?: WeaverGlobalOptions) => buildWeaverArgv('serve', o, g);

function stdoutIsFree(use: NonNullable<CommandSpec<unknown>['stdout']>, values: Record<string, unknown>): boolean {
  switch (use) {
    case 'free':
      return true;
    case 'unless-output':
      return values.output !== undefined;
    case 'stdout-option':
      return values.stdout !== true;
    case 'always':
      return false;
  }
}

function rejectUnknownKeys(command: string, values: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(values)) {
    if (!known.includes(key)) {
      throw new WeaverArgvError(command, key, `unknown option '${key}'${known.length ? `: use one of ${known.join(', ')}` : ' (this command takes no options)'}`);
    }
  }
}

function validateCombination(command: string, values: Record<string, unknown>): void {
  if (command === 'registry generate' && values.output !== undefined && values.target === undefined) {
    throw new WeaverArgvError(command, 'output', `<OUTPUT> needs <TARGET>: set 'target' (the template set) too`);
  }
  const format = values.diagnosticFormat;
  if (typeof format === 'string' && !(DIAGNOSTIC_FORMATS as readonly string[]).includes(format) && values.diagnosticTemplate === undefined) {
    throw new WeaverArgvError(
      command,
      'diagnosticFormat',
      `--diagnostic-format '${format}' is not one of ${DIAGNOSTIC_FORMATS.join(', ')}: a custom format needs 'diagnosticTemplate' (the folder holding its templates)`,
    );
  }
}

const TEMPLATE_NAME = /^[A-Za-z0-9_.-]+$/;

function renderFlag(command: string, flag: FlagSpec, value: unknown): string[] {
  if (value === undefined) return [];
  switch (flag.kind) {
    case 'switch':
      return requireBoolean(command, flag, value) ? [flag.long] : [];
    case 'count': {
      const n = requireInteger(command, flag, value);
      return Array.from({ length: n }, () => flag.long);
    }
    case 'bool-bare':
      return requireBoolean(command, flag, value) ? [flag.long] : [`${flag.long}=false`];
    case 'bool-value':
      return [`${flag.long}=${requireBoolean(command, flag, value) ? 'true' : 'false'}`];
    case 'value':
      return valueArgs(flag.long, requireText(command, flag.key, flag.long, value));
    case 'values': {
      if (!Array.isArray(value)) throw new WeaverArgvError(command, flag.key, `${flag.long} takes a list ('${flag.key}' must be an array of strings)`);
      return value.flatMap((item) => valueArgs(flag.long, requireText(command, flag.key, flag.long, item)));
    }
    case 'params': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new WeaverArgvError(command, flag.key, `${flag.long} takes key=value pairs ('${flag.key}' must be an object)`);
      }
      return Object.entries(value as Record<string, unknown>).flatMap(([key, v]) => {
        if (key === '' || key.includes('=') || /\s/.test(key)) {
          throw new WeaverArgvError(command, flag.key, `${flag.long} key '${key}' must be non-empty, without '=' or spaces`);
        }
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          throw new WeaverArgvError(command, flag.key, `${flag.long} ${key}: the value must be a string, number or boolean`);
        }
        return valueArgs(flag.long, `${key}=${String(v)}`);
      });
    }
    case 'enum': {
      const text = requireText(command, flag.key, flag.long, value);
      const choices = flag.choices ?? [];
      if (!choices.includes(text) && !(flag.open && TEMPLATE_NAME.test(text))) {
        throw new WeaverArgvError(
          command,
          flag.key,
          `${flag.long} must be one of ${choices.join(', ')}${flag.open ? ' or the name of a template' : ''}, not '${text}'`,
        );
      }
      return [flag.long, text];
    }
    case 'integer':
      return [flag.long, String(requireInteger(command, flag, value))];
  }
}

/** Separate entries, except a value clap would take for a flag. */
function valueArgs(long: string, value: string): string[] {
  return value.startsWith('-') ? [`${long}=${value}`] : [long, value];
}

function requireBoolean(command: string, flag: FlagSpec, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new WeaverArgvError(command, flag.key, `${flag.long} takes true or false ('${flag.key}' is ${JSON.stringify(value)})`);
  return value;
}

function requireInteger(command: string, flag: FlagSpec, value: unknown): number {
  const [min, max] = flag.range ?? [0, Number.MAX_SAFE_INTEGER];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new WeaverArgvError(command, flag.key, `${flag.long} takes a whole number from ${min} to ${max} ('${flag.key}' is ${JSON.stringify(value)})`);
  }
  return value;
}

function requireText(command: string, key: string, what: string, value: unknown): string {
  if (typeof value !== 'string') throw new WeaverArgvError(command, key, `${what} takes text ('${key}' is ${JSON.stringify(value)})`);
  if (value === '') throw new WeaverArgvError(command, key, `${what} must not be empty (option '${key}')`);
  if (value.includes('\0')) throw new WeaverArgvError(command, key, `${what} must not contain a NUL character (option '${key}')`);
  return value;
}
