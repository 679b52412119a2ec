import { Option } from 'commander';
import type { DiagnosticOutputFormat } from './format';

/**
 * The `weaver registry check` flags that `weavergen registry check` lists but cannot honour, so a CI
 * command line copied from weaver fails with the reason instead of running a different check
 * (docs/cli.md has the whole table). Each is accepted by the parser (so `--help` lists it) and turned
 * into a usage error naming the flag and what to do.
 */
export interface UnsupportedWeaverFlag {
  /** The options key commander gives it. */
  key: string;
  flags: string;
  help: string;
  /** Why it is refused and what to run instead. */
  reason: string;
}

const RUN_WEAVER = 'run `weaver registry check` itself for it';

export const UNSUPPORTED_CHECK_FLAGS: readonly UnsupportedWeaverFlag[] = [
  {
    key: 'includeUnreferenced',
    flags: '--include-unreferenced [bool]',
    help: "weaver's: keep unreferenced dependency signals in the resolved registry (not supported here, see docs/cli.md)",
    reason: `it changes what weaver's policies see of the dependencies, which the native check does not model; ${RUN_WEAVER}`,
  },
  {
    key: 'displayPolicyCoverage',
    flags: '--display-policy-coverage [bool]',
    help: "weaver's: print the Rego policy coverage report (not supported here, see docs/cli.md)",
    reason: `it reports on weaver's Rego evaluation, which the native check does not run; ${RUN_WEAVER}`,
  },
  {
    key: 'diagnosticTemplate',
    flags: '--diagnostic-template <dir>',
    help: "weaver's: render findings with your Jinja templates (not supported here, see docs/cli.md)",
    reason: `findings are printed in the --diagnostic-format formats only (text, json, sarif, github); ${RUN_WEAVER}`,
  },
];

/** Adds the refused flags to a command; the help text says each is not supported. */
export function addUnsupportedCheckFlags<T extends { addOption(o: Option): T }>(command: T): T {
  for (const f of UNSUPPORTED_CHECK_FLAGS) command.addOption(new Option(f.flags, f.help));
  return command;
}

/** The usage error for the first refused flag that was given, or undefined. */
export function unsupportedCheckFlagError(opts: object): string | undefined {
  const given = UNSUPPORTED_CHECK_FLAGS.find((f) => (opts as Record<string, unknown>)[f.key] !== undefined);
  if (!given) return undefined;
  const long = given.flags.split(' ')[0];
  return `${long} is a weaver flag that weavergen registry check does not support: ${given.reason} (see docs/cli.md)`;
}

/**
 * Weaver's `--diagnostic-format` names, so weaver's CI command lines work unchanged: `ansi` is the
 * terminal text, `gh_workflow_command` the GitHub annotations.
 */
export const WEAVER_FORMAT_ALIASES: Readonly<Record<string, DiagnosticOutputFormat>> = { ansi: 'text', gh_workflow_command: 'github' };

/** A `--diagnostic-format` value as ours: weaver's names mapped, ours kept. */
export function outputFormat(value: string): DiagnosticOutputFormat {
  return WEAVER_FORMAT_ALIASES[value] ?? (value as DiagnosticOutputFormat);
}
