import { describe, expect, test } from 'vitest';
import { boundedLevenshtein, closestMatch } from '../../../src/core/semconv/closestMatch';

describe('closestMatch', () => {
  const ids = ['http.request.method', 'http.request.method_original', 'http.response.status_code', 'url.full', 'server.port'];

  test('suggests the id with the fewest edits', () => {
    expect(closestMatch('http.request.methd', ids)).toBe('http.request.method');
    expect(closestMatch('http.respons.status_code', ids)).toBe('http.response.status_code');
    expect(closestMatch('server.prot', ids)).toBe('server.port');
  });

  test('falls back to an id with the same first and last segment when edits are too many', () => {
    expect(closestMatch('http.method', ids)).toBe('http.request.method');
  });

  test('suggests nothing rather than something unrelated', () => {
    expect(closestMatch('messaging.system', ids)).toBeUndefined();
    expect(closestMatch('role', ['note', 'brief'])).toBeUndefined();
  });

  test('the bounded distance stops early but is exact within the bound', () => {
    expect(boundedLevenshtein('kitten', 'sitting', 5)).toBe(3);
    expect(boundedLevenshtein('kitten', 'sitting', 2)).toBe(3); // over the bound: bound + 1
    expect(boundedLevenshtein('a', 'abcdef', 2)).toBe(3);
  });
});
