import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import { copyExampleRegistry, type ScratchRegistry } from './harness/workspace';

/**
 * A registry author opens a registry file far larger than any real one (generated, ~2.5 MB: past the
 * default `weavergen.server.maxDocumentSize`). The editor stays usable: the language server checks only
 * its YAML syntax while it is open, says so on line 1 of the file, and the status item says so too.
 */
describe('a registry file too large for full checks as you type', () => {
  let registry: ScratchRegistry;
  let session: Session;
  const relative = 'generated/huge.yaml';

  beforeAll(async () => {
    registry = copyExampleRegistry();
    const parts = ['groups:\n'];
    let size = 0;
    for (let g = 0; size < 2.5 * 1024 * 1024; g++) {
      const group = [`  - id: registry.generated${g}`, '    type: attribute_group', `    brief: Generated group ${g}.`, '    attributes:'];
      for (let a = 0; a < 10; a++) {
        group.push(`      - id: generated${g}.attr${a}`, '        type: string', '        stability: development', `        brief: Attribute ${a} of group ${g}.`, '        examples: ["a", "b"]');
      }
      const text = `${group.join('\n')}\n`;
      parts.push(text);
      size += text.length;
    }
    mkdirSync(join(registry.root, 'generated'), { recursive: true });
    writeFileSync(join(registry.root, relative), parts.join(''));
    session = await openSession('large-file', registry.root);
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  it('opening it: the status item says "syntax only", and the file says why on line 1', async () => {
    const wb = session.workbench;
    await wb.step('open the large file', () => wb.openFile(relative));
    const item = wb.statusBarItem('WeaverGen');
    await wb.step('status item says syntax only', () =>
      expect.poll(() => item.innerText(), { timeout: 60_000 }).toMatch(/WeaverGen: native.*syntax only \(large file\)/),
    );
    const row = await wb.step('the notice is in the Problems panel, on line 1 of the file', async () => {
      await wb.showProblems();
      return wb.waitForProblem((r) => r.text.includes('document-too-large'), 60_000);
    });
    expect(row.file).toBe('huge.yaml');
    expect(row.line).toBe(1);
    expect(row.text).toMatch(/only its YAML syntax is checked/);
    expect(row.ariaLabel).toMatch(/^Info:/);
  });
});
