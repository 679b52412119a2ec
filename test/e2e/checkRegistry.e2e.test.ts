import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import { copyExampleRegistry, locateOnce, plantEdit, type ScratchRegistry, type TextLocation } from './harness/workspace';

/**
 * A registry author opens a registry with a misspelled `ref`, checks it from the palette, reads the
 * finding in the Problems panel, then mistypes another `ref` and sees it flagged before saving.
 */
describe('checking a registry with a misspelled ref', () => {
  let registry: ScratchRegistry;
  let session: Session;
  let planted: TextLocation;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    // `payment.method` is defined in payment/payment.yaml; `payment.methd` is defined nowhere.
    planted = plantEdit(registry, 'checkout/spans.yaml', '- ref: payment.method\n', '- ref: payment.methd\n');
    session = await openSession('check-registry', registry.root);
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  it('"WeaverGen: Check Registry" lists the misspelled id in the Problems panel on its line', async () => {
    const wb = session.workbench;
    // No file is open, so nothing has checked the registry yet: the row below comes from the command.
    const before = await wb.step('problems empty before the check', async () => {
      await wb.showProblems();
      return wb.problems();
    });
    expect(before.filter((r) => r.text.includes('payment.methd'))).toEqual([]);
    await wb.step('run check registry', () => wb.runCommand('WeaverGen: Check Registry'));
    const row = await wb.step('problems show the unresolved ref', () =>
      wb.waitForProblem((r) => r.text.includes('payment.methd')),
    );
    expect(row.file).toBe('spans.yaml');
    expect(row.line).toBe(planted.line);
    // Placed on the misspelled id itself, after `- ref: `.
    expect(row.column).toBe(planted.column + '- ref: '.length);
    expect(row.text).toContain('unresolved-ref');
    expect(row.ariaLabel).toMatch(/^Error:/);
    // A check that finds problems is a successful run: no error toast from the extension.
    expect((await wb.notifications()).filter((text) => /WeaverGen/.test(text))).toEqual([]);
  });

  it('the status bar names the engine and counts the error', async () => {
    const wb = session.workbench;
    const item = wb.statusBarItem('WeaverGen');
    await wb.step('status bar shows the error', () =>
      expect.poll(() => item.innerText(), { timeout: 20_000 }).toMatch(/WeaverGen: native · [1-9]\d* errors?\b/),
    );
  });

  it('typing a broken ref flags it inline before the file is saved', async () => {
    const wb = session.workbench;
    const relative = 'payment/payment.yaml';
    const file = join(registry.root, relative);
    const onDisk = readFileSync(file, 'utf8');
    const target = locateOnce(onDisk, '- ref: payment.provider\n', file);
    const editor = wb.activeEditor();

    await wb.step('open payment.yaml', () => wb.openFile(relative));
    await wb.step('no error squiggle before the edit', async () => {
      await wb.goToLine(target.line);
      await expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 10_000 }).toBe(0);
    });
    await wb.step('type a broken ref', async () => {
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Shift+Home');
      await wb.page.keyboard.type('- ref: payment.providr', { delay: 20 });
    });
    await wb.step('squiggle appears', () =>
      expect.poll(() => editor.locator('.squiggly-error').count(), { timeout: 20_000 }).toBeGreaterThan(0),
    );
    const row = await wb.step('problems show the typed ref', () =>
      wb.waitForProblem((r) => r.text.includes('payment.providr')),
    );
    expect(row.file).toBe('payment.yaml');
    expect(row.line).toBe(target.line);
    expect(row.column).toBe(target.column + '- ref: '.length);
    expect(row.text).toContain('unresolved-ref');
    // The finding came from the editor buffer: the file on disk is untouched and the tab is dirty.
    expect(readFileSync(file, 'utf8')).toBe(onDisk);
    expect(await wb.page.locator('.tab.active.dirty').count()).toBe(1);
  });
});
