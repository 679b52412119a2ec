import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import { copyExampleRegistry, plantEdit, type ScratchRegistry } from './harness/workspace';
import type { Workbench } from './harness/workbench';
import { loadRegistry } from '../../src/core/semconv/loadRegistry';
import { resolveRegistry } from '../../src/core/semconv/resolve/resolveRegistry';
import { registryStatsV1 } from '../../src/core/semconv/stats/registryStats';
import { registryView } from '../../src/core/semconv/stats/registryView';
import { resolvedRegistryView } from '../../src/core/semconv/stats/resolvedView';

/**
 * A registry author asks for the registry's statistics and for what changed since a baseline
 * release from the palette; each opens in an editor as weaver's JSON.
 */

/** The text of the focused editor as Monaco draws it (visible lines only; spaces normalised). */
async function activeEditorText(wb: Workbench): Promise<string> {
  const text = await wb.activeEditor().locator('.view-lines').innerText();
  return text.replace(/\u00a0/g, ' ');
}

describe('report commands open their results in an editor', () => {
  let registry: ScratchRegistry;
  let baseline: ScratchRegistry;
  let session: Session;
  let expectedGroups: number;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    baseline = copyExampleRegistry();
    // The baseline release had no `payment.provider`: the diff must report it as added.
    plantEdit(
      baseline,
      'payment/payment.yaml',
      "  - key: payment.provider\n    stability: development\n    type: string\n    brief: Name of the payment service provider that handled the charge.\n    examples: ['acquirer-eu', 'acquirer-us']\n",
      '',
    );
    mkdirSync(join(registry.root, '.vscode'), { recursive: true });
    writeFileSync(join(registry.root, '.vscode', 'settings.json'), JSON.stringify({ 'weavergen.diff.baselineRegistry': baseline.root, 'weavergen.engine': 'native' }, null, 2));
    // What the native engine computes for this folder outside the editor: the document must show the same.
    const loaded = await loadRegistry(registry.root);
    const resolved = resolveRegistry(loaded).registry;
    if (!resolved) throw new Error('the example registry no longer resolves: fix it first');
    expectedGroups = registryStatsV1(resolvedRegistryView(resolved, registryView(loaded))).registry_stats[0]!.group_count;
    expect(expectedGroups).toBeGreaterThan(3);
    session = await openSession('report-commands', registry.root);
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
    baseline?.remove();
  });

  it('"WeaverGen: Registry Stats" opens weaver\'s statistics JSON', async () => {
    const wb = session.workbench;
    await wb.step('run registry stats', () => wb.runCommand('WeaverGen: Registry Stats'));
    const text = await wb.step('stats document shown', async () => {
      await expect.poll(() => activeEditorText(wb), { timeout: 45_000 }).toContain('"registry_stats"');
      return activeEditorText(wb);
    });
    expect(text).toMatch(/"url": ".*registry"/);
    expect(text).toContain(`"group_count": ${expectedGroups}`);
    expect(text).toContain('"group_breakdown"');
    expect((await wb.notifications()).filter((n) => /failed/.test(n))).toEqual([]);
  });

  it('a report is a read-only document named for the report and the registry: closing it asks nothing', async () => {
    const wb = session.workbench;
    const tab = wb.page.locator('.editor-group-container.active .tab.active .label-name');
    const label = await wb.step('report tab title', async () => {
      await expect.poll(() => tab.innerText(), { timeout: 15_000 }).toMatch(/^registry stats \(.+\)\.json$/);
      return tab.innerText();
    });
    await wb.step('close the report', () => wb.runCommand('View: Close Editor'));
    // An untitled document would hold the editor open behind a "Do you want to save" dialog.
    const reportTabs = wb.page.locator('.tabs-container .tab .label-name', { hasText: label });
    await expect.poll(() => reportTabs.count(), { timeout: 15_000 }).toBe(0);
    expect(await wb.page.locator('.monaco-dialog-box').count()).toBe(0);
  });

  it('"File: Save As..." still writes a report to a file, proposing the report\'s name', async () => {
    const wb = session.workbench;
    await wb.step('run registry stats again', () => wb.runCommand('WeaverGen: Registry Stats'));
    await expect.poll(() => activeEditorText(wb), { timeout: 45_000 }).toContain('"registry_stats"');
    const target = await wb.step('save the report as a file', async () => {
      await wb.runCommand('File: Save As...', 45_000, { thenAsks: true });
      // code-server's save dialog is a quick input holding the proposed path: the workspace folder and the tab title.
      const input = wb.page.locator('.quick-input-widget .quick-input-box input');
      await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toBe(join(registry.root, `registry stats (${basename(registry.root)}).json`));
      const proposed = await input.inputValue();
      await wb.page.keyboard.press('Enter');
      return proposed;
    });
    try {
      await expect.poll(() => (existsSync(target) ? readFileSync(target, 'utf8') : ''), { timeout: 15_000 }).toContain('"registry_stats"');
      expect(JSON.parse(readFileSync(target, 'utf8')).registry_stats[0].group_count).toBe(expectedGroups);
    } finally {
      rmSync(target, { force: true });
    }
  });

  it('"WeaverGen: Diff Against Baseline" opens the changes since the baseline set in the settings', async () => {
    const wb = session.workbench;
    await wb.step('run diff against baseline', () => wb.runCommand('WeaverGen: Diff Against Baseline'));
    const text = await wb.step('diff document shown', async () => {
      await expect.poll(() => activeEditorText(wb), { timeout: 45_000 }).toContain('"registry_attributes"');
      return activeEditorText(wb);
    });
    expect(text).toContain('"head"');
    expect(text).toContain('"baseline"');
    expect(text.replace(/\s+/g, ' ')).toContain('{ "type": "added", "name": "payment.provider" }');
    expect(text).not.toContain('"removed"');
  });
});
