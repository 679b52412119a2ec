import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, screenshotOnFailure, type Session } from './harness/session';
import { copyExampleRegistry, type ScratchRegistry } from './harness/workspace';

/**
 * A registry author opens a folder that ships its own `.weavergen/workflows/registry_check.bpmn`
 * and answers "No, I don't trust the authors". WeaverGen never runs that file (BPMN files can run
 * scripts): Check Registry says it ignored it, Run Workflow refuses it and says how to trust the
 * workspace. Once the user trusts the workspace, the same workflow runs.
 */

/** The workspace's own check: the built-in steps under names of its own, so its run is recognised. */
const WORKSPACE_CHECK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_team_check" targetNamespace="https://example.org/team">
  <bpmn:process id="registry_check" name="Team registry check" isExecutable="true">
    <bpmn:startEvent id="Start" name="Team check requested" />
    <bpmn:serviceTask id="Task_team_load" name="Team load" implementation="\${environment.services.registry.load}" />
    <bpmn:serviceTask id="Task_team_check" name="Team check" implementation="\${environment.services.registry.check}" />
    <bpmn:serviceTask id="Task_team_publish" name="Team publish" implementation="\${environment.services.output.publishDiagnostics}" />
    <bpmn:endEvent id="End" name="Team check done" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_team_load" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_team_load" targetRef="Task_team_check" />
    <bpmn:sequenceFlow id="F3" sourceRef="Task_team_check" targetRef="Task_team_publish" />
    <bpmn:sequenceFlow id="F4" sourceRef="Task_team_publish" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
`;

describe('workspace workflows in an untrusted workspace', () => {
  let registry: ScratchRegistry;
  let session: Session;

  beforeAll(async () => {
    registry = copyExampleRegistry();
    const workflows = join(registry.root, '.weavergen', 'workflows');
    mkdirSync(workflows, { recursive: true });
    writeFileSync(join(workflows, 'registry_check.bpmn'), WORKSPACE_CHECK);
    session = await openSession('workspace-trust', registry.root, { trustAnswer: 'restricted' });
  });

  screenshotOnFailure(() => session);

  afterAll(async () => {
    await session?.close();
    registry?.remove();
  });

  it('the folder is open in Restricted Mode', async () => {
    const wb = session.workbench;
    await wb.step('restricted mode shows', () => wb.page.getByText('Restricted Mode').first().waitFor({ state: 'visible', timeout: 20_000 }));
  });

  it('"Check Registry" tells the user the workspace workflow was ignored because the workspace is not trusted', async () => {
    const wb = session.workbench;
    await wb.step('run check registry', () => wb.runCommand('WeaverGen: Check Registry'));
    const message = await wb.step('the ignored workflow is reported', () => wb.waitForNotification(/registry_check\.bpmn was ignored/));
    expect(message).toContain('.weavergen/workflows/registry_check.bpmn');
    expect(message).toContain('not trusted');
    expect(message).toContain('Manage Workspace Trust');
  });

  it('"Run Workflow..." lists the workspace workflow as blocked and refuses to run it, saying how to trust', async () => {
    const wb = session.workbench;
    await wb.step('clear notifications', () => wb.runCommand('Notifications: Clear All Notifications'));
    await wb.step('run workflow', () => wb.runCommand('WeaverGen: Run Workflow...', 45_000, { thenAsks: true }));
    const entries = await wb.step('pick the workspace registry_check', () =>
      wb.pickQuickInput(/Pick the workflow to run/, 'registry_check', /registry_check.*blocked: the workspace is not trusted/),
    );
    // The built-in check is still offered next to the blocked workspace file.
    expect(entries).toContainEqual(expect.stringMatching(/^registry_check\s*built-in$/));
    const refusal = await wb.step('the refusal is shown', () => wb.waitForNotification(/was not run because this workspace is not trusted/));
    expect(refusal).toBe(
      'WeaverGen: the workspace workflow .weavergen/workflows/registry_check.bpmn was not run because this workspace is not trusted (a workspace workflow decides what runs on your registry). To run it, trust the workspace: Manage Workspace Trust, then Trust.',
    );
  });

  it('after the user trusts the workspace, the same workflow runs', async () => {
    const wb = session.workbench;
    await wb.step('manage workspace trust from the refusal', () => wb.clickNotificationButton(/was not run because/, 'Manage Workspace Trust'));
    await wb.step('trust the folder', async () => {
      const trust = wb.page.locator('.workspace-trust-editor').getByRole('button', { name: /^Trust/ }).first();
      await trust.waitFor({ state: 'visible', timeout: 20_000 });
      await trust.click();
      await wb.page.getByText('Restricted Mode').first().waitFor({ state: 'hidden', timeout: 20_000 });
    });
    await wb.step('clear notifications', () => wb.runCommand('Notifications: Clear All Notifications'));
    await wb.step('run workflow', () => wb.runCommand('WeaverGen: Run Workflow...', 45_000, { thenAsks: true }));
    const entries = await wb.step('pick the workspace registry_check', () =>
      wb.pickQuickInput(/Pick the workflow to run/, 'registry_check', /registry_check.*replaces the built-in/),
    );
    // Trusted, the workspace file takes the built-in's place: one registry_check, not two.
    expect(entries.filter((t) => t.startsWith('registry_check'))).toEqual([expect.stringMatching(/replaces the built-in$/)]);
    const registryPath = await wb.step('accept the registry found', () => wb.acceptInputBox(/registryPath/));
    expect(registryPath).toBe(registry.root);
    // registry.check's optional inputs (the policies and how files are read come from the settings):
    // no baseline registry, and the defaults of --skip-policies and --v2.
    expect(await wb.step('no baseline registry', () => wb.acceptInputBox(/\(2\/4\): baselineRegistryPath/))).toBe('');
    await wb.step('skipPolicies as by default', () => wb.acceptInputBox(/\(3\/4\): skipPolicies/));
    await wb.step('v2 as by default', () => wb.acceptInputBox(/\(4\/4\): v2/));
    const done = await wb.step('the workspace workflow ran', () => wb.waitForNotification(/workflow registry_check from .* succeeded/));
    expect(done).toMatch(/^WeaverGen: workflow registry_check from \.weavergen\/workflows\/registry_check\.bpmn succeeded in \d+ ms, 0 finding\(s\) in the Problems panel\.$/);
  });

  it('"Show Last Run" shows the workspace workflow\'s own tasks in the run', async () => {
    const wb = session.workbench;
    await wb.step('show last run', () => wb.runCommand('WeaverGen: Show Last Run'));
    const view = wb.webview();
    const names = view.locator('#wg-spans tbody tr[data-span-id] .wg-span-name');
    await wb.step('span table drawn', () => names.first().waitFor({ state: 'visible', timeout: 30_000 }));
    const spans = (await names.allInnerTexts()).map((t) => t.trim());
    for (const task of ['Team load', 'Team check', 'Team publish']) {
      expect(spans.some((s) => s.includes(task)), `a span for "${task}": ${JSON.stringify(spans)}`).toBe(true);
    }
  });
});
