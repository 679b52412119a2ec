import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EngineChoice } from '../core/engine/registryEngine';
import { isFolder } from '../core/folders';
import { reportRoot } from '../core/report/reportRoot';
import { textField } from '../core/report/safeText';
import { nativePolicyProblem, policyProblemMessage } from '../core/semconv/policies/policyPaths';
import { COVERAGE_CODES } from '../core/semconv/diagnostics';
import { fileAccessInputs, type FileAccessFlags } from './fileFlags';
import { countSeverities, formatDiagnostics, formatSummary, type DiagnosticOutputFormat } from './format';
import { EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE, type CliIo } from './io';
import { fail, runForCli } from './runForCli';

export interface RegistryCheckOptions extends FileAccessFlags {
  registry: string;
  /** text, json, sarif (SARIF 2.1.0) or github (Actions annotations). */
  diagnosticFormat: DiagnosticOutputFormat;
  trace?: string;
  /** `--runs DIR`: save the run record into this run store folder. */
  runs?: string;
  engine: EngineChoice;
  verbose: boolean;
  /** `--baseline-registry DIR`: compare against this registry (backwards-compatibility policies). */
  baselineRegistry?: string;
  /** `--skip-policies`: no policy runs, even those named by --policy (weaver's meaning). */
  skipPolicies?: boolean;
  /** `--sarif-root DIR`: SARIF and github paths relative to it instead of the git repository root. */
  sarifRoot?: string;
  /** `-p/--policy PATH` (repeatable): as with weaver, no policy runs unless named. */
  policies?: readonly string[];
  /** `--v2`. */
  v2?: boolean;
}

/**
 * `weavergen registry check`: runs the registry_check workflow and prints its diagnostics. Exit codes:
 * 0 clean, 1 an error finding, 2 bad usage or a run that failed, 3 the check could not cover all it was
 * asked to (COVERAGE_CODES: a file or dependency not read, a limit reached).
 */
export async function registryCheckCommand(io: CliIo, options: RegistryCheckOptions): Promise<number> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(options.registry) || options.registry.startsWith('git@')) {
    fail(io, `-r ${options.registry}: weavergen registry check reads a local registry folder and does not fetch Git or archive URLs. Clone or download the registry and pass its folder (see docs/cli.md).`);
    return EXIT_USAGE;
  }
  const registryPath = resolve(io.cwd, options.registry);
  const kind = await stat(registryPath).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing',
  );
  if (kind !== 'folder') {
    const what = kind === 'missing' ? 'registry folder not found' : 'the registry must be a folder, not a file';
    fail(io, `${what}: ${registryPath}. Pass -r with the folder that holds the registry's YAML files.`);
    return EXIT_USAGE;
  }

  if (options.sarifRoot !== undefined && !(await isFolder(resolve(io.cwd, options.sarifRoot)))) {
    fail(io, `--sarif-root folder not found: ${resolve(io.cwd, options.sarifRoot)}. Pass the folder SARIF and annotation paths should start at (usually the repository root).`);
    return EXIT_USAGE;
  }

  let baselineRegistryPath: string | undefined;
  if (options.baselineRegistry !== undefined) {
    baselineRegistryPath = resolve(io.cwd, options.baselineRegistry);
    if (!(await isFolder(baselineRegistryPath))) {
      fail(io, `baseline registry folder not found: ${baselineRegistryPath}. Pass --baseline-registry the folder of the registry to compare against (e.g. the previous release).`);
      return EXIT_USAGE;
    }
  }

  const policies = (options.policies ?? []).map((p) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) ? p : resolve(io.cwd, p)));
  if (policies.length > 0 && options.engine !== 'weaver' && !options.skipPolicies) {
    // Never a silent skip: Rego the native rules do not follow is refused, naming the file.
    const problem = await nativePolicyProblem(policies);
    if (problem) {
      fail(io, policyProblemMessage(problem));
      return EXIT_USAGE;
    }
  }

  const outcome = await runForCli(io, {
    workflow: 'registry_check',
    inputs: {
      registryPath,
      ...(baselineRegistryPath ? { baselineRegistryPath } : {}),
      ...(options.skipPolicies ? { skipPolicies: true } : {}),
      ...(policies.length > 0 ? { policies } : {}),
      ...(options.v2 ? { v2: true } : {}),
      ...fileAccessInputs(options),
    },
    engine: options.engine,
    trace: options.trace,
    runs: options.runs,
    verbose: options.verbose,
  });
  if (outcome.kind === 'exit') return outcome.code;
  const { result, published } = outcome;
  if (!published) {
    // A user's registry_check.bpmn that never publishes would otherwise look like a clean registry.
    fail(io, `the registry_check workflow (${result.record.workflowFile}) published no diagnostics: it needs an output.publishDiagnostics task after registry.check`);
    return EXIT_USAGE;
  }

  const root = reportRoot(registryPath, io.cwd, options.sarifRoot);
  io.stdout(
    formatDiagnostics(options.diagnosticFormat, published.diagnostics, {
      cwd: io.cwd,
      reportRoot: root,
      // An empty SARIF log still names the tool that checked: the native engine is weavergen's own.
      emptyRunSource: result.record.engine === 'weaver' ? 'weaver' : 'weavergen',
    }),
  );
  io.stderr(formatSummary(published.diagnostics, published.summary, result.record.engine, result.record.durationMs));
  // After the summary, which stays the first line a reader (or a script) sees.
  if ((options.diagnosticFormat === 'sarif' || options.diagnosticFormat === 'github') && root.kind === 'cwd') {
    io.stderr(`registry check: ${textField(registryPath)} is not in a git repository: paths are relative to the working directory; pass --sarif-root to choose\n`);
  }
  // A check that skipped something must not pass as clean in CI, whatever the severity of the finding.
  const uncovered = published.diagnostics.filter((d) => COVERAGE_CODES.has(d.code)).length;
  if (uncovered > 0) {
    io.stderr(`registry check: incomplete: ${uncovered} file(s), dependencies or limits kept part of the registry from being checked (listed above); exit ${EXIT_INCOMPLETE}\n`);
    return EXIT_INCOMPLETE;
  }
  return countSeverities(published.diagnostics).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
