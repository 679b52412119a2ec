import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_FILE_LIMITS, sizeLabel } from '../core/semconv/fileAccess';

/**
 * The flags of every registry command that say how the registry's files are read
 * (src/core/semconv/fileAccess.ts): symbolic links leaving the folder, and the load limits. They
 * become the fields of the same names of `registry.load`'s `files` input.
 */
export interface FileAccessFlags {
  followSymlinks?: boolean;
  maxFiles?: number;
  maxFileSize?: number;
  maxTotalSize?: number;
  maxDepth?: number;
}

function count(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) throw new InvalidArgumentError(`${flag} takes a positive whole number, not '${value}'`);
    return Number(value);
  };
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/** `67108864`, `64MiB`, `50MB`, `1g`: a size in bytes. */
export function parseSize(flag: string): (value: string) => number {
  return (value) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
    const unit = m ? UNITS[(m[2] ?? '').toLowerCase()] : undefined;
    const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
    if (!Number.isFinite(bytes) || bytes <= 0) throw new InvalidArgumentError(`${flag} takes a size such as 64MiB, 500MB or a number of bytes, not '${value}'`);
    return bytes;
  };
}

/** Adds the file-access flags to a registry command. */
export function addFileAccessFlags(command: Command): Command {
  const d = DEFAULT_FILE_LIMITS;
  return command
    // weaver's spelling: `-s`, and `=true` / `=false` to override a bare default.
    .addOption(
      new Option('-s, --follow-symlinks [bool]', 'follow symbolic links that point outside the registry folder (default: not followed, reported as symlink-skipped)').argParser(
        (value: string) => {
          if (value === 'true') return true;
          if (value === 'false') return false;
          throw new InvalidArgumentError(`--follow-symlinks takes true or false (or nothing, for true), not '${value}'`);
        },
      ),
    )
    .addOption(new Option('--max-files <n>', `most YAML files read, dependencies included (default ${d.maxFiles})`).argParser(count('--max-files')))
    .addOption(new Option('--max-file-size <size>', `most bytes of one file, e.g. 128MiB (default ${sizeLabel(d.maxFileBytes)})`).argParser(parseSize('--max-file-size')))
    .addOption(new Option('--max-total-size <size>', `most bytes of all files read (default ${sizeLabel(d.maxTotalBytes)})`).argParser(parseSize('--max-total-size')))
    .addOption(new Option('--max-depth <n>', `most folder levels walked below a registry folder (default ${d.maxDepth})`).argParser(count('--max-depth')));
}

/** The flags as the `files` input of `registry.load` (only those given; none: no input). */
export function fileAccessInputs(flags: FileAccessFlags): { files?: Record<string, unknown> } {
  const files: Record<string, unknown> = {};
  if (flags.followSymlinks) files.followSymlinks = true;
  for (const key of ['maxFiles', 'maxFileSize', 'maxTotalSize', 'maxDepth'] as const) {
    if (flags[key] !== undefined) files[key] = flags[key];
  }
  return Object.keys(files).length > 0 ? { files } : {};
}
