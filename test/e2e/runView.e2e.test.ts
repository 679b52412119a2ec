import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './harness/paths';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import { copyExampleRegistry, type ScratchRegistry } from './harness/workspace';

/**
 * A registry author checks the bundled example (clean), sees the result in the status bar, then
 * opens the last run and reads each workflow step's outcome off the diagram.
 */

interface WorkflowTask {
  id: string;
  name: string;
  /** The service it calls, from `implementation="${environment.services.NAME}"`. */
  service: string;
}

/** The service tasks of the check workflow, read from the BPMN file the extension ships. */
function checkWorkflowTasks(): WorkflowTask[] {
  const xml = readFileSync(join(repoRoot, 'workflows', 'registry_check.bpmn'), 'utf8');
  const tasks = [...xml.matchAll(/<bpmn:serviceTask\b[^>]*>/g)].map((m) => {
    const tag = m[0];
    return {
      id: /\bid="([^"]+)"/.exec(tag)?.[1] ?? '',
      name: /\bname="([^"]*)"/.exec(tag)?.[1] ?? '',
      service: /\bimplementation="\$\{environment\.services\.([^}"]+)\}"/.exec(tag)?.[1] ?? '',
    };
  });
  if (tasks.length === 0) throw new Error('workflows/registry_check.bpmn has no bpmn:serviceTask: the test reads the wrong file');
  return tasks;
}

describe('the run of a check, in the status bar and the run view', () => {
  let registry: ScratchRegistry;
  let session: Session;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    session = await openSession('run-view', registry.root);
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  it('the status bar shows the engine and a clean result after "WeaverGen: Check Registry"', async () => {
    const wb = session.workbench;
    const item = wb.statusBarItem('WeaverGen');
    await wb.step('status bar item is there', () => item.waitFor({ state: 'visible', timeout: 30_000 }));
    await wb.step('run check registry', () => wb.runCommand('WeaverGen: Check Registry'));
    await wb.step('status bar shows 0 problems', () =>
      expect.poll(() => item.innerText(), { timeout: 30_000 }).toMatch(/WeaverGen: native · 0 problems/),
    );
    expect((await wb.notifications()).filter((text) => /WeaverGen/.test(text))).toEqual([]);
  });

  it('"WeaverGen: Show Last Run" marks every task of the check workflow done, with its duration', async () => {
    const wb = session.workbench;
    const tasks = checkWorkflowTasks();
    await wb.step('run show last run', () => wb.runCommand('WeaverGen: Show Last Run'));
    const view = wb.webview();
    const overlays = view.locator('[data-activity-id]');
    await wb.step('diagram overlays drawn', () =>
      expect.poll(() => overlays.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(tasks.length),
    );
    const drawn = await overlays.evaluateAll((nodes) =>
      nodes.map((n) => ({
        id: n.getAttribute('data-activity-id') ?? '',
        state: n.getAttribute('data-state') ?? '',
        text: (n.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
    for (const task of tasks) {
      const overlay = drawn.find((d) => d.id === task.id);
      expect(overlay, `overlay for ${task.id} (${task.name}); drawn: ${JSON.stringify(drawn)}`).toBeDefined();
      expect(overlay!.state).toBe('done');
      expect(overlay!.text).toMatch(/^done · \d+(\.\d+)? m?s$/);
    }
    // Nothing in the run failed or was skipped.
    expect(drawn.filter((d) => d.state !== 'done')).toEqual([]);

    // Below the diagram: the run's header and its spans, one per task and one per service call.
    expect(await view.locator('#wg-run-header [data-field="status"]').innerText()).toBe('succeeded');
    expect(await view.locator('#wg-run-header [data-field="engine"]').innerText()).toBe('native');
    const spans = await wb.step('span table', () =>
      view.locator('#wg-spans tbody tr[data-span-id]').evaluateAll((rows) =>
        rows.map((r) => ({
          name: (r.querySelector('.wg-span-name')?.textContent ?? '').trim(),
          status: r.getAttribute('data-status') ?? '',
        })),
      ),
    );
    // The first row is the workflow's own span (its name may equal a task's, e.g. "Check registry").
    const below = spans.slice(1);
    for (const task of tasks) {
      expect(below.some((s) => s.name.includes(task.name)), `a span for task "${task.name}": ${JSON.stringify(spans)}`).toBe(true);
      expect(below.some((s) => s.name.includes(task.service)), `a span for service "${task.service}": ${JSON.stringify(spans)}`).toBe(true);
    }
    expect(spans.filter((s) => s.status === 'error')).toEqual([]);
  });
});
