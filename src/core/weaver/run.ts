import { execa } from 'execa';
import { tail } from './ansi';
import { parseWeaverDiagnostics, type WeaverFinding } from './diagnostics';
import { terminateProcessTree, trackProcessTree, untrackProcessTree } from './processTree';

/**
 * Runs the weaver binary once and says what happened as one discriminated union. The binary gets
 * an argv array (never a shell string), runs in its own process group, and is ended with everything
 * it started on cancel, timeout or overflow: nothing is left running when the promise settles.
 */

export type DiagnosticStream = 'stdout' | 'stderr' | 'none';

export interface WeaverRunOptions {
  /** Path of the weaver executable (from `locateWeaver`). */
  binary: string;
  /** Arguments after the binary name, from the argv builders. */
  args: readonly string[];
  cwd?: string;
  /** Added to this process's environment. */
  env?: Readonly<Record<string, string>>;
  /** Milliseconds before the run is ended as a timeout (default 5 minutes: cloning a remote registry is slow). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Bytes kept per output stream before the run is ended (default 64 MiB; the resolved semconv registry is ~3 MB). */
  maxBufferBytes?: number;
  /** Milliseconds between SIGTERM and SIGKILL when ending a run (default 3 s). */
  forceKillAfterMs?: number;
  /**
   * Where weaver writes its diagnostics. Default: `stdout` when the arguments hold
   * `--diagnostic-stdout`, `stderr` when they ask for `--diagnostic-format json` only, else `none`.
   */
  diagnostics?: DiagnosticStream;
  /** Text for weaver's stdin (`live-check --input-source stdin`); stdin is closed otherwise. */
  input?: string;
}

interface RunBase {
  binary: string;
  args: readonly string[];
  stdout: string;
  stderr: string;
  durationMs: number;
  /** One line saying what happened, for logs and error messages. */
  message: string;
}

export type WeaverRunResult =
  /** Exit 0. `findings` holds the warnings weaver printed (empty when it printed none). */
  | (RunBase & { kind: 'ok'; exitCode: 0; findings: WeaverFinding[] })
  /** Exit 1 with diagnostics that parsed: weaver found errors in the registry. */
  | (RunBase & { kind: 'diagnostics'; exitCode: 1; findings: WeaverFinding[] })
  /** Weaver did not do its job: crash, signal, usage error, an exit code weaver does not use for findings. */
  | (RunBase & {
      kind: 'failed';
      reason: 'exit-code' | 'signal' | 'max-buffer' | 'spawn-error';
      exitCode?: number;
      signal?: string;
      stderrTail: string;
    })
  | (RunBase & { kind: 'timeout'; timeoutMs: number; stderrTail: string })
  | (RunBase & { kind: 'cancelled' })
  | (RunBase & { kind: 'not-found' })
  /** Weaver's diagnostics stream held text that is not its JSON: `raw` keeps all of it. */
  | (RunBase & { kind: 'unparseable-output'; exitCode: number; stream: 'stdout' | 'stderr'; raw: string; parseError: string; stderrTail: string });

export type WeaverRunKind = WeaverRunResult['kind'];

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_MAX_BUFFER_BYTES = 64 * 1024 * 1024;
export const DEFAULT_FORCE_KILL_AFTER_MS = 3000;

/** Which stream the arguments send diagnostics to. */
export function diagnosticStreamOf(args: readonly string[]): DiagnosticStream {
  const stdoutFlag = args.findIndex((a) => a === '--diagnostic-stdout' || a.startsWith('--diagnostic-stdout='));
  if (stdoutFlag >= 0 && args[stdoutFlag] !== '--diagnostic-stdout=false') return 'stdout';
  const format = args.findIndex((a) => a === '--diagnostic-format' || a.startsWith('--diagnostic-format='));
  if (format >= 0) {
    const value = args[format]!.includes('=') ? args[format]!.split('=')[1] : args[format + 1];
    if (value === 'json') return 'stderr';
  }
  return 'none';
}

export async function runWeaver(options: WeaverRunOptions): Promise<WeaverRunResult> {
  const args = [...options.args];
  for (const arg of args) {
    if (typeof arg !== 'string' || arg.includes('\0')) {
      throw new TypeError(`weaver argument ${JSON.stringify(arg)} is not a plain string: build arguments with src/core/weaver/argv.ts`);
    }
  }
  const base = { binary: options.binary, args };
  const started = Date.now();
  if (options.signal?.aborted) {
    return { ...base, kind: 'cancelled', stdout: '', stderr: '', durationMs: 0, message: `weaver ${commandName(args)} was cancelled before it started` };
  }

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const forceKillAfterMs = options.forceKillAfterMs ?? DEFAULT_FORCE_KILL_AFTER_MS;
  const subprocess = execa(options.binary, args, {
    shell: false,
    // A no-op for detached children (execa skips them); processTree.ts kills those on exit instead.
    cleanup: true,
    detached: true,
    forceKillAfterDelay: forceKillAfterMs,
    timeout: timeoutMs,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    maxBuffer: options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES,
    reject: false,
    stripFinalNewline: false,
    encoding: 'utf8',
    extendEnv: true,
    ...(options.env ? { env: { ...options.env } } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    windowsHide: true,
  });

  // execa signals only the leader; ending the group is ours to do, with our own record of why.
  const pid = subprocess.pid;
  let endedBy: 'cancel' | 'timeout' | undefined;
  let ending: Promise<void> | undefined;
  const endTree = (why: 'cancel' | 'timeout') => {
    endedBy ??= why;
    if (pid !== undefined && !ending) ending = terminateProcessTree(pid, forceKillAfterMs);
  };
  const onAbort = () => endTree('cancel');
  const timer = setTimeout(() => endTree('timeout'), timeoutMs);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (pid !== undefined) trackProcessTree(pid);

  let result;
  try {
    result = await subprocess;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  // A buffer overflow ends the leader only: the rest of its tree goes too.
  if (result.isMaxBuffer && pid !== undefined && !ending) ending = terminateProcessTree(pid, forceKillAfterMs);
  if (ending) await ending;
  if (pid !== undefined) untrackProcessTree(pid);

  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const durationMs = Date.now() - started;
  const common = { ...base, stdout, stderr, durationMs };
  const name = commandName(args);
  const stderrTail = tail(stderr);

  const spawnCode = (result as { code?: string }).code;
  if (pid === undefined || spawnCode === 'ENOENT' || spawnCode === 'EACCES') {
    if (spawnCode === 'ENOENT' || spawnCode === undefined) {
      return {
        ...common,
        kind: 'not-found',
        message: `the weaver executable '${options.binary}' was not found: install weaver, set weavergen.weaver.path to its path, or set weavergen.engine to native`,
      };
    }
    return {
      ...common,
      kind: 'failed',
      reason: 'spawn-error',
      stderrTail,
      message: `'${options.binary}' could not be started (${spawnCode}): check that it is the weaver executable and that it is executable (chmod +x)`,
    };
  }
  if (endedBy === 'cancel' || result.isCanceled) {
    return { ...common, kind: 'cancelled', message: `weaver ${name} was cancelled; it and every process it started were ended` };
  }
  if (endedBy === 'timeout' || result.timedOut) {
    return {
      ...common,
      kind: 'timeout',
      timeoutMs,
      stderrTail,
      message: `weaver ${name} did not finish within ${Math.round(timeoutMs / 1000)} s and was ended${stderrTail ? `; last output:\n${stderrTail}` : ''}`,
    };
  }
  if (result.isMaxBuffer) {
    return {
      ...common,
      kind: 'failed',
      reason: 'max-buffer',
      stderrTail,
      message: `weaver ${name} wrote more than ${options.maxBufferBytes ?? DEFAULT_MAX_BUFFER_BYTES} bytes to one stream and was ended: write the output to a file (-o) instead`,
    };
  }
  if (result.signal) {
    return {
      ...common,
      kind: 'failed',
      reason: 'signal',
      signal: result.signal,
      stderrTail,
      message: `weaver ${name} was killed by ${result.signal}${stderrTail ? `; last output:\n${stderrTail}` : ''}`,
    };
  }

  const exitCode = result.exitCode ?? -1;
  const stream = options.diagnostics ?? diagnosticStreamOf(args);
  if (exitCode === 0 || exitCode === 1) {
    const classified = classifyDiagnostics(exitCode, stream, stdout, stderr);
    if (classified.kind === 'findings') {
      if (exitCode === 0) {
        return { ...common, kind: 'ok', exitCode: 0, findings: classified.findings, message: okMessage(name, classified.findings) };
      }
      if (classified.findings.length > 0) {
        return {
          ...common,
          kind: 'diagnostics',
          exitCode: 1,
          findings: classified.findings,
          message: `weaver ${name} reported ${countFindings(classified.findings)}`,
        };
      }
    } else {
      return {
        ...common,
        kind: 'unparseable-output',
        exitCode,
        stream: classified.stream,
        raw: classified.raw,
        parseError: classified.reason,
        stderrTail,
        message: `weaver ${name} exited ${exitCode} and its ${classified.stream} could not be read as diagnostics: ${classified.reason}`,
      };
    }
  }
  return {
    ...common,
    kind: 'failed',
    reason: 'exit-code',
    exitCode,
    stderrTail,
    message: `weaver ${name} ${exitMeaning(exitCode)}${stderrTail ? `; last output:\n${stderrTail}` : ''}`,
  };
}

type Classified = { kind: 'findings'; findings: WeaverFinding[] } | { kind: 'unparseable'; stream: 'stdout' | 'stderr'; raw: string; reason: string };

function classifyDiagnostics(exitCode: 0 | 1, stream: DiagnosticStream, stdout: string, stderr: string): Classified {
  if (stream === 'none') return { kind: 'findings', findings: [] };
  const text = stream === 'stdout' ? stdout : stderr;
  const parsed = parseWeaverDiagnostics(text);
  if (parsed.ok) return { kind: 'findings', findings: parsed.findings };
  // stderr also carries weaver's log lines: without a JSON document there, a successful run simply
  // had nothing to report. stdout was reserved for diagnostics, so text there must be them.
  if (stream === 'stderr' && exitCode === 0) return { kind: 'findings', findings: [] };
  return { kind: 'unparseable', stream, raw: parsed.raw, reason: parsed.reason };
}

/** `registry check`, `diagnostic init`, `--version`: the words before the first option. */
export function commandName(args: readonly string[]): string {
  const words: string[] = [];
  for (const arg of args) {
    if (arg.startsWith('-')) {
      if (words.length === 0 && (arg === '--version' || arg === '-V')) return '--version';
      if (words.length > 0) break;
      continue;
    }
    words.push(arg);
    if (words.length === 2 || (words[0] !== 'registry' && words[0] !== 'diagnostic')) break;
  }
  return words.join(' ') || '(no command)';
}

function exitMeaning(code: number): string {
  if (code === 1) return 'exited 1 without printing diagnostics';
  if (code === 2) return 'rejected its arguments (exit 2): check the weaver version (WeaverGen targets weaver 0.25)';
  if (code === 101) return 'crashed (Rust panic, exit 101)';
  return `exited with code ${code}`;
}

function countFindings(findings: readonly WeaverFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const others = findings.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}${others ? ` and ${others} warning${others === 1 ? '' : 's'}/advice` : ''}`;
}

function okMessage(name: string, findings: readonly WeaverFinding[]): string {
  return findings.length === 0 ? `weaver ${name} succeeded` : `weaver ${name} succeeded with ${countFindings(findings)}`;
}
