import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../../../src/core/semconv/schemaValidator';

const root = join(__dirname, '..', '..', '..');

describe('validators compiled ahead of time', () => {
  it('are in step with the schema files (regenerate with node scripts/generate-validators.mjs)', () => {
    // Exits non-zero, failing the test, when the schemas changed and the generated code did not.
    expect(() =>
      execFileSync(process.execPath, [join(root, 'scripts', 'generate-validators.mjs'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('report a v1 group without its required brief with the data that failed', () => {
    const errors = validateAgainstSchema('v1', { groups: [{ id: 'client', type: 'attribute_group', attributes: [] }] });
    const missing = errors.find((e) => e.keyword === 'required' && (e.params as { missingProperty?: string }).missingProperty === 'brief');
    expect(missing?.instancePath).toBe('/groups/0');
    // `verbose` keeps the failing data, which the message builder reads.
    expect(missing?.data).toMatchObject({ id: 'client' });
  });
});
