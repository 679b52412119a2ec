import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import { copyExampleRegistry, locateOnce, type ScratchRegistry } from './harness/workspace';

/**
 * A registry author reads what a `ref` in a v1 span file means (hover), jumps to its v2 definition,
 * and writes a new `ref` with completion: the language server's editing features in a real VS Code.
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
});
