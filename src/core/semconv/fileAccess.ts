import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { dirname, isAbsolute, relative } from 'node:path';
import type { Range, RegistryDiagnostic } from '../engine/diagnostic';
import { CHECK_CODES, diagnostic } from './diagnostics';

/**
 * The one guarded way registry files are read. A registry may come from an untrusted pull request, so
 * nothing here trusts the tree it reads:
 * - a symbolic link is followed only when its target (realpath) lies inside the registry folder being
 *   read, unless the user opted in (`followSymlinks`); a link not followed is a finding, never silence;
 * - only regular files are opened (FIFOs, sockets and devices could block forever or have side
 *   effects), opened non-blocking and checked again on the open descriptor;
 * - sizes are checked before reading (per file), and the caller counts files and bytes per load;
 * - bytes are decoded as UTF-8 (BOM stripped), or UTF-16 with a BOM; anything else is a finding that
 *   names the place, never a silently replaced or skipped file.
 * Messages here never quote content: a file outside the registry is never read, and a file inside
 * it is described by its path and position (for invalid UTF-8, the value of the one bad byte).
 */

const MiB = 1024 * 1024;

export interface FileLimits {
  /** YAML files one load reads (the registry and its dependencies together). */
  maxFiles: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Bytes of all files of one load. */
  maxTotalBytes: number;
  /** Folder levels below a registry folder the walk descends. */
  maxDepth: number;
}

/**
 * The byte limits follow memory, not disk: a parsed YAML file (yaml's token tree while it is composed,
 * then its document model) takes tens of times its size, so a file or a load much larger than these
 * would exhaust the process's heap and end in a crash instead of a finding. The whole
 * semantic-conventions model is a small fraction of either.
 */
export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({
  maxFiles: 20_000,
  maxFileBytes: 8 * MiB,
  maxTotalBytes: 32 * MiB,
  maxDepth: 32,
});

/** How each limit is raised: the CLI flag and the editor setting. */
export const LIMIT_FLAGS: Readonly<Record<keyof FileLimits, { flag: string; setting: string; unit: 'files' | 'bytes' | 'levels' }>> = {
  maxFiles: { flag: '--max-files', setting: 'weavergen.files.maxFiles', unit: 'files' },
  maxFileBytes: { flag: '--max-file-size', setting: 'weavergen.files.maxFileSize', unit: 'bytes' },
  maxTotalBytes: { flag: '--max-total-size', setting: 'weavergen.files.maxTotalSize', unit: 'bytes' },
  maxDepth: { flag: '--max-depth', setting: 'weavergen.files.maxDepth', unit: 'levels' },
};

export interface FileAccessOptions {
  /** Follow symbolic links whose target lies outside the registry folder (default false). */
  followSymlinks?: boolean;
  limits?: Partial<FileLimits>;
}

export interface FileAccessPolicy {
  followSymlinks: boolean;
  limits: FileLimits;
}

export function fileAccessPolicy(options: FileAccessOptions = {}): FileAccessPolicy {
  const limits = { ...DEFAULT_FILE_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof FileLimits>) {
    const value = options.limits?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = Math.floor(value);
  }
  return { followSymlinks: options.followSymlinks === true, limits };
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A finding about reaching or reading a file (or folder), placed on it. */
export function fileProblem(path: string, code: FileProblemCode, message: string, range: Range = ZERO, severity: 'error' | 'warning' = 'error'): RegistryDiagnostic {
  return diagnostic(path, range, severity, code, message);
}

export type FileProblemCode =
  | typeof CHECK_CODES.symlinkSkipped
  | typeof CHECK_CODES.notARegularFile
  | typeof CHECK_CODES.fileUnreadable
  | typeof CHECK_CODES.fileEncoding
  | typeof CHECK_CODES.invalidUtf8
  | typeof CHECK_CODES.limitExceeded;

export function sizeLabel(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The finding for a limit hit at `path`: names the limit, its value, where, and how to raise it. */
export function limitProblem(path: string, limit: keyof FileLimits, value: number, what: string): RegistryDiagnostic {
  const how = LIMIT_FLAGS[limit];
  const shown = how.unit === 'bytes' ? sizeLabel(value) : `${value} ${how.unit}`;
  return fileProblem(
    path,
    CHECK_CODES.limitExceeded,
    `${what}: the limit is ${shown} (${limit}); loading stopped here, so the check is incomplete. ` +
      `Raise it with ${how.flag} (setting ${how.setting}) if this registry is really that large.`,
  );
}

/** Whether `path` is `folder` itself or lies under it (both absolute). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'unknown error';
}

function unreadable(path: string, err: unknown): RegistryDiagnostic {
  const code = errorCode(err);
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'a loop of symbolic links' : code;
  return fileProblem(path, CHECK_CODES.fileUnreadable, `cannot read this file (${why}): it was not checked. Make it readable by the user running the check, or remove it.`);
}

/** The real path of a registry folder (links resolved); the folder itself when that fails. */
export function realFolder(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

export type EntryKind = 'file' | 'folder' | 'other';

/** What a path is once the policy is applied: a file or folder to use (at `real`), or a finding. */
export type EntryVerdict = { kind: EntryKind; real: string; problem?: undefined } | { kind?: undefined; real?: undefined; problem: RegistryDiagnostic };

function kindOf(s: Stats): EntryKind {
  return s.isFile() ? 'file' : s.isDirectory() ? 'folder' : 'other';
}

/**
 * Decides about one symbolic link under `root`: followed when its real target lies inside the real
 * registry folder, or when the user opted in; otherwise a warning finding on the link.
 */
export function checkLink(path: string, root: string, policy: FileAccessPolicy): EntryVerdict {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') {
      return { problem: fileProblem(path, CHECK_CODES.symlinkSkipped, 'this symbolic link points nowhere (its target does not exist): skipped. Remove it or point it at a registry file.', ZERO, 'warning') };
    }
    return { problem: unreadable(path, err) };
  }
  if (!policy.followSymlinks && !inside(realFolder(root), real)) {
    return {
      problem: fileProblem(
        path,
        CHECK_CODES.symlinkSkipped,
        'this is a symbolic link to something outside the registry folder: not followed, so it was not checked. ' +
          'Replace the link with the file itself, or pass --follow-symlinks (setting weavergen.files.followSymlinks) if you trust where it points.',
        ZERO,
        'warning',
      ),
    };
  }
  try {
    return { kind: kindOf(statSync(real)), real };
  } catch (err) {
    return { problem: unreadable(path, err) };
  }
}

/** lstat first: what `path` is, links judged by `checkLink`; undefined when nothing is there. */
export function checkEntry(path: string, root: string, policy: FileAccessPolicy): EntryVerdict | undefined {
  let s: Stats;
  try {
    s = lstatSync(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return undefined;
    return { problem: unreadable(path, err) };
  }
  if (s.isSymbolicLink()) return checkLink(path, root, policy);
  return { kind: kindOf(s), real: path };
}

export function notRegular(path: string): RegistryDiagnostic {
  return fileProblem(
    path,
    CHECK_CODES.notARegularFile,
    'this is not a regular file (a FIFO, socket or device): it is never opened, so it was not checked. Replace it with a regular YAML file.',
  );
}

/** The result of reading one file: its text, and/or the finding that goes with it. */
export interface FileRead {
  /** The decoded text; null when the file could not be used. */
  text: string | null;
  /** Bytes read from disk (0 when nothing was read). */
  bytes: number;
  problem?: RegistryDiagnostic;
}

// O_NOFOLLOW: a path that is (now) a link is judged by checkLink first; O_NONBLOCK: opening a FIFO
// that slipped past the checks returns at once instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a registry file under `root` through the policy. Deleted files (ENOENT) read as `text: null`
 * without a finding: the listing raced a deletion, which is not the registry's problem.
 */
export function readRegistryFile(path: string, root: string, policy: FileAccessPolicy): FileRead {
  let target = path;
  let fd: number;
  try {
    fd = openSync(target, OPEN_FLAGS);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') return { text: null, bytes: 0 };
    if (code !== 'ELOOP' && code !== 'EMLINK') return { text: null, bytes: 0, problem: unreadable(path, err) };
    // The last component is a symbolic link: follow it only as the policy allows.
    const verdict = checkLink(path, root, policy);
    if (verdict.problem) return { text: null, bytes: 0, problem: verdict.problem };
    if (verdict.kind !== 'file') return { text: null, bytes: 0, problem: notRegular(path) };
    target = verdict.real;
    try {
      fd = openSync(target, OPEN_FLAGS);
    } catch (again) {
      return { text: null, bytes: 0, problem: unreadable(path, again) };
    }
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return { text: null, bytes: 0, problem: s.isDirectory() ? unreadable(path, { code: 'EISDIR' }) : notRegular(path) };
    if (s.size > policy.limits.maxFileBytes) {
      return { text: null, bytes: 0, problem: limitProblem(path, 'maxFileBytes', policy.limits.maxFileBytes, `this file is ${sizeLabel(s.size)}, larger than one registry file may be`) };
    }
    const buffer = Buffer.allocUnsafe(s.size);
    let read = 0;
    while (read < s.size) {
      const n = readSync(fd, buffer, read, s.size - read, null);
      if (n === 0) break;
      read += n;
    }
    return decodeRegistryText(path, read === s.size ? buffer : buffer.subarray(0, read));
  } catch (err) {
    return { text: null, bytes: 0, problem: unreadable(path, err) };
  } finally {
    closeSync(fd);
  }
}

/**
 * The 0-based line and UTF-16 column of the end of `prefix`, with the parser's line breaks (LF, CRLF,
 * and a lone CR). A CR that ends the prefix may be the first half of a CRLF: the line it ends is the
 * same either way.
 */
function endPosition(prefix: string): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c === 10 || (c === 13 && prefix.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: prefix.length - lineStart };
}

const ENCODING_HELP = 'Save the file as UTF-8 (or UTF-16 with a byte-order mark).';

/**
 * Decodes a registry file's bytes: UTF-8 (a BOM is dropped), UTF-16 LE/BE with a BOM. UTF-32, NUL
 * bytes (UTF-16 without a BOM, or binary content) and UTF-16 that does not decode are `file-encoding`
 * findings without text; invalid UTF-8 is an `invalid-utf8` finding at its first bad byte, and the
 * text (bad bytes replaced) is still checked.
 */
export function decodeRegistryText(path: string, bytes: Buffer): FileRead {
  const size = bytes.length;
  const encodingProblem = (message: string): FileRead => ({ text: null, bytes: size, problem: fileProblem(path, CHECK_CODES.fileEncoding, `${message}: it was not checked. ${ENCODING_HELP}`) });
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (b0 === 0 && b1 === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)) {
    return encodingProblem('this file is UTF-32');
  }
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const littleEndian = b0 === 0xff;
    if (size % 2 !== 0) return encodingProblem(`this file starts with a UTF-16 byte-order mark but has an odd number of bytes`);
    const body = Buffer.from(bytes.subarray(2));
    if (!littleEndian) body.swap16();
    try {
      return { text: new TextDecoder('utf-16le', { fatal: true }).decode(body), bytes: size };
    } catch {
      return encodingProblem('this file starts with a UTF-16 byte-order mark but is not valid UTF-16');
    }
  }
  const start = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = start === 0 ? bytes : bytes.subarray(start);
  if (body.indexOf(0) !== -1) return encodingProblem('this file holds NUL bytes, so it is not UTF-8 text (UTF-16 or UTF-32 without a byte-order mark, or a binary file)');
  const text = body.toString('utf8');
  if (isUtf8(body)) return { text, bytes: size };
  // The text before the first bad byte decodes exactly, so its UTF-8 length is that byte's offset; a
  // U+FFFD that the file itself holds (EF BF BD) is skipped.
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    const prefix = text.slice(0, i);
    const offset = Buffer.byteLength(prefix, 'utf8');
    if (body[offset] === 0xef && body[offset + 1] === 0xbf && body[offset + 2] === 0xbd) continue;
    const at = endPosition(prefix);
    const byte = body[offset] ?? 0;
    const range: Range = { start: at, end: { line: at.line, character: at.character + 1 } };
    return {
      text,
      bytes: size,
      problem: fileProblem(
        path,
        CHECK_CODES.invalidUtf8,
        `invalid UTF-8 at line ${at.line + 1}, column ${at.character + 1} (byte offset ${offset + start}, byte 0x${byte.toString(16).padStart(2, '0')}): ` +
          `it is read as U+FFFD here, so the check may be wrong about this file. ${ENCODING_HELP}`,
        range,
      ),
    };
  }
  return { text, bytes: size };
}

/**
 * A folder a manifest's `registry_path` names, refused before anything under it is walked: the file
 * system root, the user's home folder or anything above it, and any folder holding the registry itself
 * (an ancestor, which would walk the registry again and everything next to it). Returns why, or
 * undefined when the folder may be loaded.
 */
export function refusedDependencyFolder(folder: string, registryRoot: string, home: string | undefined): string | undefined {
  const real = realFolder(folder);
  if (dirname(real) === real) return 'it is the root of the file system';
  if (home && inside(real, realFolder(home))) return real === realFolder(home) ? "it is the user's home folder" : "it holds the user's home folder";
  if (inside(real, realFolder(registryRoot))) return 'it holds the registry being checked';
  return undefined;
}
