import { describe, expect, test } from 'vitest';
import { isServerInitOptions, isServerSettings } from '../../../src/protocol/server';

/** The guards the language server applies to what the extension sends (src/protocol/server.ts). */

describe('baselineRegistry in the server options', () => {
  const init = { registryRoot: '/work/registry', debounceMs: 200 };

  test('init options: absent, null or an absolute path', () => {
    expect(isServerInitOptions(init)).toBe(true);
    expect(isServerInitOptions({ ...init, baselineRegistry: null })).toBe(true);
    expect(isServerInitOptions({ ...init, baselineRegistry: '/work/semconv-v1.40.0' })).toBe(true);
    expect(isServerInitOptions({ ...init, baselineRegistry: 'C:\\semconv\\v1.40.0' })).toBe(true);
  });

  test('init options: a relative path or a non-string is refused', () => {
    // Relative to what? The server's folder is not the user's workspace folder: the extension resolves it.
    expect(isServerInitOptions({ ...init, baselineRegistry: '../semconv-v1.40.0' })).toBe(false);
    expect(isServerInitOptions({ ...init, baselineRegistry: '' })).toBe(false);
    expect(isServerInitOptions({ ...init, baselineRegistry: 42 })).toBe(false);
    expect(isServerInitOptions({ ...init, baselineRegistry: ['/work/a'] })).toBe(false);
  });

  test('settings: absent (unchanged), null (none) or an absolute path; nothing else', () => {
    expect(isServerSettings({ debounceMs: 0 })).toBe(true);
    expect(isServerSettings({ debounceMs: 0, baselineRegistry: null })).toBe(true);
    expect(isServerSettings({ debounceMs: 0, baselineRegistry: '/work/semconv-v1.40.0' })).toBe(true);
    expect(isServerSettings({ debounceMs: 0, baselineRegistry: 'semconv-v1.40.0' })).toBe(false);
    expect(isServerSettings({ debounceMs: 0, baselineRegistry: false })).toBe(false);
  });
});
