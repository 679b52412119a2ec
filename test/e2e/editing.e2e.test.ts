import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import type { ProblemRow } from './harness/workbench';
import { copyExampleRegistry, locateOnce, plantEdit, type ScratchRegistry } from './harness/workspace';

/**
 * A registry author reads what a `ref` in a v1 span file means (hover), jumps to its v2 definition,
 * writes a new `ref` with completion, renames an attribute id across files (F2) and fixes a typo from
 * the light bulb: the language server's editing features in a real VS Code.
 */
describe('editing registry YAML', () => {
  let registry: ScratchRegistry;
  let session: Session;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    session = await openSession('editing', registry.root);
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  const spans = 'checkout/spans.yaml';

  /** Puts the cursor at the end of the only line holding `needle` in `relative`. */
  async function cursorAfter(relative: string, needle: string): Promise<void> {
    const wb = session.workbench;
    const text = readFileSync(join(registry.root, relative), 'utf8');
    const at = locateOnce(text, needle, relative);
    await wb.goToLine(at.line);
    await wb.page.keyboard.press('End');
  }

  /**
   * Reverts the tab titled `name` until it is no longer dirty, so later steps start from the file on
   * disk. A widget left open by an earlier step (suggest, action menu) can keep the palette from
   * closing on a loaded machine: try again (reverting twice is harmless).
   */
  async function revertUntilClean(name: string): Promise<void> {
    const wb = session.workbench;
    const tab = wb.page.locator(`.tab[aria-label^="${name}"]`);
    for (let attempt = 1; ; attempt++) {
      if (!(await tab.evaluate((el) => el.classList.contains('dirty')))) return;
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('Escape');
      await tab.click();
      try {
        await wb.runCommand('File: Revert File', 20_000);
      } catch (err) {
        if (attempt >= 3) throw err;
        continue;
      }
      if (attempt >= 3 && (await tab.evaluate((el) => el.classList.contains('dirty')))) {
        throw new Error(`${name} is still modified after three reverts`);
      }
    }
  }

  it('hovering a ref shows the v2 definition it names', async () => {
    const wb = session.workbench;
    await wb.step('open spans.yaml', () => wb.openFile(spans));
    await cursorAfter(spans, '- ref: payment.method\n');
    const hover = wb.page.locator('.monaco-hover:not(.hidden)');
    await wb.step('show hover', async () => {
      // "Show or Focus Hover" (Ctrl+K Ctrl+I) at the cursor; the server may still be indexing: retry.
      await expect
        .poll(
          async () => {
            await wb.page.keyboard.press('Escape');
            await wb.page.keyboard.press('Control+K');
            await wb.page.keyboard.press('Control+I');
            await wb.page.waitForTimeout(1_000);
            return (await hover.allInnerTexts()).join('\n');
          },
          { timeout: 45_000, interval: 500 },
        )
        .toContain('payment.method');
    });
    const text = (await hover.allInnerTexts()).join('\n');
    expect(text).toContain('Payment method chosen by the customer.');
    expect(text).toContain('bank_transfer');
    expect(text).toMatch(/Defined in\s+payment\/payment\.yaml:4/);
  });

  it('F12 on the ref opens its definition in payment.yaml', async () => {
    const wb = session.workbench;
    await wb.page.keyboard.press('Escape');
    await cursorAfter(spans, '- ref: payment.method\n');
    await wb.step('go to definition', async () => {
      await wb.page.keyboard.press('F12');
      await wb.page.locator('.tab.active[aria-label^="payment.yaml"]').waitFor({ state: 'visible', timeout: 20_000 });
    });
    const cursorLine = wb.activeEditor().locator('.current-line');
    await expect.poll(() => cursorLine.count()).toBeGreaterThan(0);
  });

  it('completion after `ref: pay` offers the payment attributes', async () => {
    const wb = session.workbench;
    await wb.step('back to the spans.yaml tab', async () => {
      await wb.page.locator('.tab[aria-label^="spans.yaml"]').click();
      await wb.page.locator('.tab.active[aria-label^="spans.yaml"]').waitFor({ state: 'visible' });
    });
    await cursorAfter(spans, '- ref: checkout.coupon.code\n');
    const suggest = wb.page.locator('.suggest-widget .monaco-list-row');
    await wb.step('type a new ref and ask for completion', async () => {
      await wb.page.keyboard.press('Escape');
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('Enter');
      await wb.page.keyboard.press('Shift+Home');
      await wb.page.keyboard.type('      - ref: pay', { delay: 20 });
      await wb.page.keyboard.press('Control+Space');
      await expect.poll(() => suggest.allInnerTexts(), { timeout: 20_000 }).toEqual(expect.arrayContaining([expect.stringContaining('payment.method')]));
    });
    const labels = (await suggest.allInnerTexts()).join('\n');
    expect(labels).toContain('payment.provider');
    expect(labels).not.toContain('checkout.cart.id');
  });

  /** Every whole-word occurrence of an attribute id per registry file, read from disk. */
  function occurrencesOnDisk(id: string): Record<string, number> {
    const pattern = new RegExp(`(?<![\\w.])${id.replace(/\./g, '\\.')}(?![\\w.])`, 'g');
    const out: Record<string, number> = {};
    for (const relative of ['checkout/registry.yaml', 'checkout/spans.yaml', 'payment/payment.yaml']) {
      out[relative] = (readFileSync(join(registry.root, relative), 'utf8').match(pattern) ?? []).length;
    }
    return out;
  }

  it('F2 on a definition renames the attribute in every file; Save All Files writes them', async () => {
    const wb = session.workbench;
    await wb.step('revert the completion edit in spans.yaml', () => revertUntilClean('spans.yaml'));
    const before = occurrencesOnDisk('checkout.cart.id');
    // The definition and the refs of the example: one id in registry.yaml, a ref in each of the others.
    expect(before).toEqual({ 'checkout/registry.yaml': 1, 'checkout/spans.yaml': 1, 'payment/payment.yaml': 1 });

    const definitions = 'checkout/registry.yaml';
    await wb.step('open registry.yaml', () => wb.openFile(definitions));
    const renameInput = wb.page.locator('.rename-box input');
    await wb.step('F2 on the definition of checkout.cart.id', async () => {
      // The server may still be indexing right after the file opens: ask again until the box shows.
      await expect
        .poll(
          async () => {
            await wb.page.keyboard.press('Escape');
            await cursorAfter(definitions, '- id: checkout.cart.id\n');
            await wb.page.keyboard.press('ArrowLeft');
            await wb.page.keyboard.press('ArrowLeft');
            await wb.page.keyboard.press('F2');
            return renameInput.waitFor({ state: 'visible', timeout: 3_000 }).then(
              () => true,
              () => false,
            );
          },
          { timeout: 45_000, interval: 500 },
        )
        .toBe(true);
      expect(await renameInput.inputValue()).toBe('checkout.cart.id');
    });
    await wb.step('type the new id and apply', async () => {
      await renameInput.press('Control+A');
      await renameInput.pressSequentially('checkout.cart.identifier', { delay: 10 });
      await renameInput.press('Enter');
      await renameInput.waitFor({ state: 'hidden' });
    });
    await wb.step('File: Save All Files', () => wb.runCommand('File: Save All Files'));
    await expect.poll(() => occurrencesOnDisk('checkout.cart.identifier'), { timeout: 20_000 }).toEqual(before);
    expect(occurrencesOnDisk('checkout.cart.id')).toEqual({ 'checkout/registry.yaml': 0, 'checkout/spans.yaml': 0, 'payment/payment.yaml': 0 });
    expect(readFileSync(join(registry.root, 'checkout/spans.yaml'), 'utf8')).toContain('      - ref: checkout.cart.identifier\n        requirement_level: required\n');
  });

  it('a typo in a ref is fixed from the light bulb (Ctrl+.) and leaves the Problems panel', async () => {
    const wb = session.workbench;
    await wb.step('back to spans.yaml and misspell payment.method', async () => {
      await wb.page.keyboard.press('Escape');
      await wb.page.locator('.tab[aria-label^="spans.yaml"]').click();
      await wb.page.locator('.tab.active[aria-label^="spans.yaml"]').waitFor({ state: 'visible' });
      await cursorAfter(spans, '- ref: payment.method\n');
      await wb.page.keyboard.press('Backspace');
      await wb.page.keyboard.press('Backspace');
    });
    const isTypo = (row: ProblemRow): boolean => row.file === 'spans.yaml' && row.text.includes("'payment.meth'");
    const finding = await wb.step('the Problems panel shows the unresolved ref', () => wb.waitForProblem(isTypo, 45_000));
    expect(finding.text).toContain("did you mean 'payment.method'");

    const menu = wb.page.locator('.action-widget .monaco-list-row');
    const fix = menu.filter({ hasText: "Change to 'payment.method'" });
    await wb.step('Ctrl+. on the typo and pick the fix', async () => {
      await wb.page.locator('.tab[aria-label^="spans.yaml"]').click();
      // The typo sits on the line the saved file has `payment.method` on (the edit is not saved yet).
      await wb.goToLine(locateOnce(readFileSync(join(registry.root, spans), 'utf8'), '- ref: payment.method\n', spans).line);
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('ArrowLeft');
      await wb.page.keyboard.press('Control+.');
      await fix.first().waitFor({ state: 'visible', timeout: 20_000 });
      // The menu takes the keyboard (a pointer shield covers it against stray clicks): arrow to the fix, Enter.
      const focused = wb.page.locator('.action-widget .monaco-list-row.focused');
      for (let i = 0; i < (await menu.count()) && (await focused.getAttribute('aria-label')) !== "Change to 'payment.method'"; i++) {
        await wb.page.keyboard.press('ArrowDown');
      }
      expect(await focused.getAttribute('aria-label')).toBe("Change to 'payment.method'");
      await wb.page.keyboard.press('Enter');
      await fix.first().waitFor({ state: 'hidden' });
    });
    await wb.step('the finding leaves the Problems panel', async () => {
      await wb.showProblems();
      await expect.poll(async () => (await wb.problems()).filter(isTypo), { timeout: 30_000, interval: 1_000 }).toEqual([]);
    });
    await wb.step('save spans.yaml', async () => {
      await wb.page.locator('.tab[aria-label^="spans.yaml"]').click();
      await wb.runCommand('File: Save');
    });
    await expect.poll(() => readFileSync(join(registry.root, spans), 'utf8'), { timeout: 20_000 }).toContain('      - ref: payment.method\n');
    expect(readFileSync(join(registry.root, spans), 'utf8')).not.toContain('payment.meth\n');
  });

  it('a ref to a deprecated attribute is struck through, and the light bulb moves it to the new id', async () => {
    const wb = session.workbench;
    // The editor reloads a file changed on disk only when its buffer is clean: start from disk even
    // when an earlier test left spans.yaml modified.
    await wb.step('spans.yaml matches the disk', () => revertUntilClean('spans.yaml'));
    // A renamed attribute (kept, deprecated) and a span still using the old id: what a registry looks
    // like right after a rename that kept the old id for compatibility.
    plantEdit(
      registry,
      'checkout/registry.yaml',
      "      - id: checkout.coupon.code\n",
      [
        '      - id: checkout.cart.size',
        '        type: int',
        '        stability: development',
        '        brief: Number of distinct items in the cart at checkout.',
        '        examples: [1, 3]',
        '        deprecated:',
        '          reason: renamed',
        '          renamed_to: checkout.cart.item_count',
        '      - id: checkout.coupon.code',
        '',
      ].join('\n'),
    );
    const at = plantEdit(registry, spans, '- ref: checkout.cart.item_count\n', '- ref: checkout.cart.size\n');
    const struck = wb.activeEditor().locator('.squiggly-inline-deprecated');
    // Monaco draws spaces as no-break spaces.
    const shownText = async (): Promise<string> => (await wb.activeEditor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    await wb.step('the old id shows struck through in spans.yaml', async () => {
      await wb.page.keyboard.press('Escape');
      await wb.page.locator('.tab[aria-label^="spans.yaml"]').click();
      await wb.page.locator('.tab.active[aria-label^="spans.yaml"]').waitFor({ state: 'visible' });
      // The editor reloads the files changed on disk; the server re-checks and tags the hint Deprecated.
      await expect.poll(shownText, { timeout: 20_000 }).toContain('ref: checkout.cart.size');
      await struck.first().waitFor({ state: 'visible', timeout: 45_000 });
    });
    expect(await struck.count()).toBe(1);

    const title = "Replace deprecated 'checkout.cart.size' with 'checkout.cart.item_count'";
    const menu = wb.page.locator('.action-widget .monaco-list-row');
    await wb.step('Ctrl+. on the old id and pick the replacement', async () => {
      await wb.goToLine(at.line);
      await wb.page.keyboard.press('End');
      await wb.page.keyboard.press('ArrowLeft');
      await wb.page.keyboard.press('Control+.');
      await menu.filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 20_000 });
      const focused = wb.page.locator('.action-widget .monaco-list-row.focused');
      for (let i = 0; i < (await menu.count()) && (await focused.getAttribute('aria-label')) !== title; i++) {
        await wb.page.keyboard.press('ArrowDown');
      }
      expect(await focused.getAttribute('aria-label')).toBe(title);
      await wb.page.keyboard.press('Enter');
      await menu.first().waitFor({ state: 'hidden' });
    });
    await wb.step('the strike-through is gone', async () => {
      await expect.poll(shownText, { timeout: 20_000 }).toContain('ref: checkout.cart.item_count');
      await expect.poll(() => struck.count(), { timeout: 30_000, interval: 500 }).toBe(0);
    });
  });
});
