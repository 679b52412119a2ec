import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerBin, vsixPath } from './paths';

/**
 * One code-server (VS Code 1.100.3 in the browser, Node extension host) with its own user data,
 * extensions and XDG folders, bound to 127.0.0.1 on a free port, with the packaged extension installed.
 */
export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** The URL that opens `folder` in the workbench. */
  folderUrl(folder: string): string;
  /** The scratch folder that holds user data, extensions and logs of this instance. */
  readonly home: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Where code-server's own log and the VS Code logs are copied on stop. */
  logDir: string;
  /** User settings.json content, merged over the quiet defaults below. */
  userSettings?: Record<string, unknown>;
  /** `false` passes --disable-workspace-trust. Default: trust stays on, as for users. */
  workspaceTrust?: boolean;
  /**
   * Added to code-server's environment, which its extension host, the language server and the
   * processes they start inherit (how a test tells a stand-in executable what to do).
   */
  env?: Readonly<Record<string, string>>;
}

/** Keep the screen free of anything that is not the product under test. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.untrustedFiles': 'open',
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!existsSync(vsixPath)) {
    throw new Error(`${vsixPath} does not exist: run \`npm run package\` before the e2e tests (scripts/test.sh does).`);
  }
  const bin = codeServerBin();
  const home = mkdtempSync(join(tmpdir(), 'weavergen-e2e-'));
  const dirs = {
    userData: join(home, 'user-data'),
    extensions: join(home, 'extensions'),
    xdgData: join(home, 'xdg-data'),
    xdgConfig: join(home, 'xdg-config'),
    xdgCache: join(home, 'xdg-cache'),
    tmp: join(home, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.userSettings }, null, 2),
  );
  const configFile = join(home, 'config.yaml');
  // An empty config keeps code-server from creating ~/.config/code-server/config.yaml with a password.
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_CACHE_HOME: dirs.xdgCache,
    TMPDIR: dirs.tmp,
    ...options.env,
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;

  const common = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  installExtension(bin, common, env, dirs.extensions);

  const port = await freePort();
  mkdirSync(options.logDir, { recursive: true });
  const log = createWriteStream(join(options.logDir, 'code-server.log'));
  const args = [
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(options.workspaceTrust === false ? ['--disable-workspace-trust'] : []),
  ];
  // Its own process group, so stop() can end code-server together with its extension host,
  // language server and file watcher children.
  const child = spawn(bin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseUrl, child, 60_000);
  } catch (err) {
    await killGroup(child, exited);
    log.end();
    throw err;
  }

  return {
    baseUrl,
    home,
    folderUrl: (folder: string) => `${baseUrl}/?folder=${encodeURIComponent(folder)}`,
    async stop() {
      await killGroup(child, exited);
      log.end();
      // The VS Code logs (extension host, the extension's own output channels) are the first place to
      // look when a step fails: keep them next to the screenshots.
      const logs = join(dirs.userData, 'logs');
      if (existsSync(logs)) cpSync(logs, join(options.logDir, 'vscode-logs'), { recursive: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function installExtension(bin: string, common: string[], env: NodeJS.ProcessEnv, extensionsDir: string): void {
  const result = spawnSync(bin, [...common, '--force', '--install-extension', vsixPath], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsixPath} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  if (!readdirSync(extensionsDir).some((name) => name.toLowerCase().startsWith('weavergen.'))) {
    throw new Error(`the extension did not land in ${extensionsDir}:\n${result.stdout}\n${result.stderr}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server at ${baseUrl} was not healthy after ${timeoutMs} ms (${last})`);
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after 5 s. */
async function killGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), 5_000)),
  ]);
  // Children (extension host, language server) may outlive the main process: always sweep the group.
  await new Promise((r) => setTimeout(r, timedOut ? 0 : 300));
  signalGroup('SIGKILL');
}
