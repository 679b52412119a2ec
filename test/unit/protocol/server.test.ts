import { describe, expect, test } from 'vitest';
import { DEFAULT_MAX_DOCUMENT_SIZE, isServerInitOptions, isServerSettings, isSyntaxOnlyDocumentsParams, MIN_MAX_DOCUMENT_SIZE } from '../../../src/protocol/server';

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

describe('maxDocumentSize in the server options', () => {
  const init = { registryRoot: '/work/registry', debounceMs: 200 };

  test('absent, or an integer number of characters no smaller than the minimum', () => {
    expect(isServerInitOptions({ ...init, maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE })).toBe(true);
    expect(isServerInitOptions({ ...init, maxDocumentSize: MIN_MAX_DOCUMENT_SIZE })).toBe(true);
    expect(isServerSettings({ debounceMs: 0, maxDocumentSize: 8 * 1024 * 1024 })).toBe(true);
    expect(isServerSettings({ debounceMs: 0 })).toBe(true);
  });

  test('below the minimum, fractional, infinite or not a number: refused', () => {
    for (const bad of [MIN_MAX_DOCUMENT_SIZE - 1, 0, -1, 1.5e6 + 0.5, Number.POSITIVE_INFINITY, Number.NaN, '2097152', null]) {
      expect(isServerInitOptions({ ...init, maxDocumentSize: bad })).toBe(false);
      expect(isServerSettings({ debounceMs: 0, maxDocumentSize: bad })).toBe(false);
    }
  });

  test('the syntax-only notification carries documents with sizes and the limit', () => {
    expect(isSyntaxOnlyDocumentsParams({ documents: [{ uri: 'file:///r/big.yaml', size: 3_000_000 }], maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE })).toBe(true);
    expect(isSyntaxOnlyDocumentsParams({ documents: [], maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE })).toBe(true);
    expect(isSyntaxOnlyDocumentsParams({ documents: [{ uri: 'file:///r/big.yaml' }], maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE })).toBe(false);
    expect(isSyntaxOnlyDocumentsParams({ documents: 'all', maxDocumentSize: DEFAULT_MAX_DOCUMENT_SIZE })).toBe(false);
  });
});
