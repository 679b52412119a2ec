import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach } from 'vitest';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { resultsRoot } from './paths';
import { Workbench } from './workbench';

/**
 * One user session: a fresh code-server with the packaged extension, a browser on it, one folder
 * open and trusted (or, when asked, left in Restricted Mode). Screenshots and logs go to test-results/e2e/<name>/.
 */
export interface Session {
  readonly server: CodeServer;
  readonly workbench: Workbench;
  /** test-results/e2e/<name> */
  readonly artifacts: string;
  close(): Promise<void>;
}

export interface SessionOptions extends Omit<CodeServerOptions, 'logDir'> {
  /**
   * How the user answers VS Code's "Do you trust the authors?" question on opening the folder:
   * `trust` (the default) or `restricted` ("No, I don't trust the authors": Restricted Mode).
   */
  trustAnswer?: 'trust' | 'restricted';
}

export async function openSession(name: string, folder: string, options: SessionOptions = {}): Promise<Session> {
  const artifacts = join(resultsRoot, name);
  // Only this run's screenshots and logs: a stale `-FAILED.png` from an earlier run would mislead.
  rmSync(artifacts, { recursive: true, force: true });
  const { trustAnswer: _answer, ...serverOptions } = options;
  const server = await startCodeServer({ ...serverOptions, logDir: artifacts });
  let workbench: Workbench | undefined;
  try {
    workbench = await Workbench.launch(artifacts);
    const wb = workbench;
    await wb.step('open folder', async () => {
      await wb.openFolder(server.folderUrl(folder));
      if (options.workspaceTrust !== false) {
        if (options.trustAnswer === 'restricted') await wb.distrustWorkspace();
        else await wb.trustWorkspaceIfAsked();
      }
    });
  } catch (err) {
    await workbench?.close();
    await server.stop();
    throw err;
  }
  const wb = workbench;
  return {
    server,
    workbench: wb,
    artifacts,
    async close() {
      writeFileSync(join(artifacts, 'browser-console.log'), wb.consoleLog());
      await wb.close();
      await server.stop();
    },
  };
}

/**
 * Registers a screenshot of the screen as it is when a test fails (after its last step, where a
 * failed assertion on a step's result happens): `NN-failed-<test name>.png`.
 */
export function screenshotOnFailure(session: () => Session | undefined): void {
  beforeEach((context) => {
    context.onTestFailed(async () => {
      const current = session();
      if (!current) return;
      const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 80);
      await current.workbench.screenshot(`failed-${name}.png`);
    });
  });
}
