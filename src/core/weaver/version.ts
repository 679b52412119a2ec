/** What `weaver --version` prints: clap's `weaver 0.25.1` (a pre-release or build suffix may follow). */
export interface WeaverVersion {
  major: number;
  minor: number;
  patch: number;
  /** `0.25.1`, or `0.26.0-rc.1` with its suffix. */
  text: string;
  /** The whole line weaver printed. */
  raw: string;
}

const VERSION_LINE = /\bweaver\s+v?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]+)?/i;

export function parseWeaverVersion(output: string): WeaverVersion | undefined {
  for (const line of output.split(/\r?\n/)) {
    const m = VERSION_LINE.exec(line);
    if (m) {
      return {
        major: Number(m[1]),
        minor: Number(m[2]),
        patch: Number(m[3]),
        text: `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}`,
        raw: line.trim(),
      };
    }
  }
  return undefined;
}

/** Negative when `a` is older than `b` (pre-release suffixes are ignored). */
export function compareVersions(a: Pick<WeaverVersion, 'major' | 'minor' | 'patch'>, b: Pick<WeaverVersion, 'major' | 'minor' | 'patch'>): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The weaver release whose CLI (docs/usage.md) the argv builders follow. */
export const TARGET_WEAVER_VERSION = { major: 0, minor: 25, patch: 1 } as const;

/**
 * What to say about a weaver older than the target release (its flags or findings may differ), or
 * undefined for the target release and newer. Shared by the engine choice and weaver-on-save.
 */
export function olderThanTargetNote(version: Pick<WeaverVersion, 'major' | 'minor' | 'patch'>): string | undefined {
  if (compareVersions(version, TARGET_WEAVER_VERSION) >= 0) return undefined;
  const t = TARGET_WEAVER_VERSION;
  return `older than weaver ${t.major}.${t.minor}.${t.patch}, whose flags and findings WeaverGen follows: update it if a command fails`;
}
