import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import type { Workbench } from './harness/workbench';
import { copyExampleRegistry, plantEdit, type ScratchRegistry, type TextLocation } from './harness/workspace';

/**
 * A registry author runs "weaver: registry check" from Tasks: Run Task: the task runs the bundled
 * weavergen CLI and the $weaver problem matcher turns its output into Problems on the right line.
 */

/**
 * Opens Tasks: Run Task from the palette. Not through `runCommand`, which waits for the palette to
 * close: this command opens the next picker in its place.
 */
async function openRunTask(wb: Workbench): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await wb.page.keyboard.press('Escape');
  await wb.page.keyboard.press('F1');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await wb.page.keyboard.type('Tasks: Run Task', { delay: 5 });
  const row = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ has: wb.page.locator('.label-name', { hasText: /^Tasks: Run Task$/ }) });
  await row.first().click();
  await expect.poll(() => input.getAttribute('placeholder'), { timeout: 15_000 }).toBe('Select the task to run');
}

/** Picks the entry whose label matches `label` in the open quick input, typing to filter first. */
async function pickQuickInput(wb: Workbench, filter: string, label: RegExp): Promise<void> {
  const input = wb.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(filter);
  const rows = wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await expect.poll(async () => (await rows.allInnerTexts()).map((t) => t.trim()), { timeout: 30_000 }).toContainEqual(expect.stringMatching(label));
  const texts = (await rows.allInnerTexts()).map((t) => t.trim());
  await rows.nth(texts.findIndex((t) => label.test(t))).click();
}

describe('the weaver task type', () => {
  let registry: ScratchRegistry;
  let session: Session;
  let planted: TextLocation;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    // `payment.methd` is defined nowhere: the check task must report it.
    planted = plantEdit(registry, 'checkout/spans.yaml', '- ref: payment.method\n', '- ref: payment.methd\n');
    mkdirSync(join(registry.root, '.vscode'), { recursive: true });
    writeFileSync(join(registry.root, '.vscode', 'settings.json'), JSON.stringify({ 'weavergen.engine': 'native' }, null, 2));
    session = await openSession('weaver-tasks', registry.root);
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  it('"weaver: registry check" puts the CLI\'s findings in the Problems panel through $weaver', async () => {
    const wb = session.workbench;
    // No file is open and nothing has checked the registry: a row below can only come from the task.
    const before = await wb.step('problems empty before the task', async () => {
      await wb.showProblems();
      return wb.problems();
    });
    expect(before.filter((r) => r.text.includes('payment.methd'))).toEqual([]);
    const isPlanted = (r: { text: string }): boolean => r.text.includes('payment.methd');
    // On a loaded machine a click on a picker row that is still rendering can close the picker
    // without starting the task: run it again then (the same check twice gives the same findings).
    let row;
    for (let attempt = 1; !row; attempt++) {
      await wb.step(`run task: weaver (attempt ${attempt})`, async () => {
        await openRunTask(wb);
        await pickQuickInput(wb, 'weaver', /^weaver$/);
      });
      await wb.step(`pick registry check (attempt ${attempt})`, () => pickQuickInput(wb, 'registry check', /^weaver: registry check$/m));
      try {
        row = await wb.step(`problems show the unresolved ref from the task (attempt ${attempt})`, () => wb.waitForProblem(isPlanted, 60_000));
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
    expect(row.file).toBe('spans.yaml');
    expect(row.line).toBe(planted.line);
    expect(row.column).toBe(planted.column + '- ref: '.length);
    expect(row.text).toContain('unresolved-ref');
  });
});
