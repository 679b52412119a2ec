import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { chromiumBin } from './paths';

/**
 * Drives the VS Code workbench in headless Chromium the way a user does: keyboard, palette, panels.
 * Every step leaves a screenshot; a failing step leaves one named `...-FAILED.png`.
 */

/** Debian's chromium, without the parts that phone home or need a GPU or a sandbox (root in CI). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ProblemRow {
  /** The file the row sits under (the label of the file row above it). */
  file: string;
  /** The row's accessible label, e.g. `Error: ... at line 18 and character 16 ...`. */
  ariaLabel: string;
  /** The visible text: message, source, code, `[Ln 18, Col 16]`. */
  text: string;
  /** 1-based line, read from the row. */
  line: number;
  /** 1-based column, read from the row. */
  column: number;
}

export class Workbench {
  private stepNumber = 0;
  private readonly consoleLines: string[] = [];

  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    page.on('console', (message) => this.consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => this.consoleLines.push(`[pageerror] ${error.message}`));
  }

  static async launch(screenshotDir: string): Promise<Workbench> {
    mkdirSync(screenshotDir, { recursive: true });
    const browser = await chromium.launch({ executablePath: chromiumBin(), headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return new Workbench(browser, page, screenshotDir);
  }

  /** The browser console, for the failure report. */
  consoleLog(): string {
    return this.consoleLines.join('\n');
  }

  /** Runs one user-visible step; screenshots it whether it passes or fails. */
  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    const n = String(++this.stepNumber).padStart(2, '0');
    const file = `${n}-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}`;
    try {
      const result = await action();
      await this.screenshot(`${file}.png`);
      return result;
    } catch (err) {
      await this.screenshot(`${file}-FAILED.png`);
      throw err;
    }
  }

  async screenshot(fileName: string): Promise<void> {
    try {
      await this.page.screenshot({ path: join(this.screenshotDir, fileName), timeout: 10_000 });
    } catch {
      // A screenshot must never hide the real failure.
    }
  }

  /** Opens a folder and waits until the workbench and its status bar are drawn. */
  async openFolder(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  }

  /**
   * Answers the workspace-trust question the way a user who owns the folder does. Trust stays on
   * (it is the product's default): this is the dialog a user sees on first opening the folder.
   */
  async trustWorkspaceIfAsked(timeoutMs = 8_000): Promise<boolean> {
    const button = this.page.getByRole('button', { name: /Yes, I trust the authors/ });
    try {
      await button.waitFor({ state: 'visible', timeout: timeoutMs });
    } catch {
      return false;
    }
    await button.click();
    await button.waitFor({ state: 'hidden' });
    return true;
  }

  /**
   * Answers the workspace-trust question with "No, I don't trust the authors": the folder opens in
   * Restricted Mode. Unlike trusting, the question must come: a folder already trusted would make
   * a restricted-mode test pass for the wrong reason.
   */
  async distrustWorkspace(timeoutMs = 30_000): Promise<void> {
    const button = this.page.getByRole('button', { name: /No, I don't trust the authors/ });
    await button.waitFor({ state: 'visible', timeout: timeoutMs });
    await button.click();
    await button.waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command from the palette: F1, type the title, Enter on the exact entry. Right after
   * start the extension may not have registered its commands yet: close the palette and retry.
   * `thenAsks`: the command opens a quick pick or input box of its own, so the palette's input does
   * not close (answer it with pickQuickInput / answerInputBox).
   */
  async runCommand(title: string, timeoutMs = 45_000, options: { thenAsks?: boolean } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    let seen: string[] = [];
    while (Date.now() < deadline) {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
      } catch {
        // On a loaded machine a key can land while a widget (suggest, hover, problems filter) still
        // holds the keyboard and F1 is swallowed: close what is open and try again.
        await this.page.keyboard.press('Escape');
        continue;
      }
      // F1 pre-fills '>'; keep it so the list shows commands only.
      await this.page.keyboard.type(title, { delay: 5 });
      const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      const match = rows.filter({ has: this.page.locator('.label-name', { hasText: exactText(title) }) });
      try {
        await match.first().waitFor({ state: 'visible', timeout: 3_000 });
      } catch {
        seen = await rows.locator('.label-name').allInnerTexts();
        await this.page.waitForTimeout(1_000);
        continue;
      }
      // Enter runs the highlighted entry; when fuzzy matching ranks another entry first, click ours.
      const highlighted = await match.first().evaluate((row) => row.classList.contains('focused'));
      if (highlighted) await this.page.keyboard.press('Enter');
      else await match.first().click();
      // A command that asks something opens its own quick input in the palette's place.
      if (!options.thenAsks) await input.waitFor({ state: 'hidden', timeout: 10_000 });
      return;
    }
    throw new Error(`command "${title}" never showed in the palette within ${timeoutMs} ms; last entries: ${JSON.stringify(seen)}`);
  }

  /**
   * Waits for the quick input whose placeholder or title matches `asking`, types `filter`, and clicks
   * the first entry whose text (label and description) matches `entry`. Returns the entries' texts.
   */
  async pickQuickInput(asking: RegExp, filter: string, entry: RegExp): Promise<string[]> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await retry(async () => {
      const heading = `${(await input.getAttribute('placeholder')) ?? ''} ${await widget.locator('.quick-input-title').innerText().catch(() => '')}`;
      if (!asking.test(heading)) throw new Error(`the quick input asks "${heading.trim()}", not ${asking}`);
    }, 15_000);
    await input.fill(filter);
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    let texts: string[] = [];
    await retry(async () => {
      texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      if (!texts.some((t) => entry.test(t))) throw new Error(`no entry matches ${entry}: ${JSON.stringify(texts)}`);
    }, 30_000);
    await rows.nth(texts.findIndex((t) => entry.test(t))).click();
    return texts;
  }

  /** Waits for an input box whose title matches `asking`, and answers it with Enter on its current value. */
  async acceptInputBox(asking: RegExp): Promise<string> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('.quick-input-box input');
    await retry(async () => {
      const title = await widget.locator('.quick-input-title').innerText().catch(() => '');
      if (!asking.test(title)) throw new Error(`the input box asks "${title.trim()}", not ${asking}`);
    }, 15_000);
    const value = await input.inputValue();
    await this.page.keyboard.press('Enter');
    return value;
  }

  /** Polls the notification toasts until one matches `text`; returns its message. */
  async waitForNotification(text: RegExp, timeoutMs = 60_000): Promise<string> {
    let seen: string[] = [];
    let found = '';
    await retry(async () => {
      seen = await this.notifications();
      found = seen.find((t) => text.test(t)) ?? '';
      if (!found) throw new Error(`no notification matches ${text}; on screen: ${JSON.stringify(seen)}`);
    }, timeoutMs);
    return found;
  }

  /** Clicks the button `label` of the notification toast whose message matches `text`. */
  async clickNotificationButton(text: RegExp, label: string): Promise<void> {
    const toast = this.page.locator('.notification-toast').filter({ has: this.page.locator('.notification-list-item-message', { hasText: text }) });
    await toast.first().getByRole('button', { name: label }).click();
  }

  /** Shows the Problems panel (from the palette, as a user would). */
  async showProblems(): Promise<void> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible' });
  }

  /** The marker rows of the Problems panel (file rows are left out); the panel must be showing. */
  async problems(): Promise<ProblemRow[]> {
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible' });
    const rows = panel.locator('.monaco-list-row');
    const count = await rows.count();
    const result: ProblemRow[] = [];
    let file = '';
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const ariaLabel = (await row.getAttribute('aria-label')) ?? '';
      const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
      // Marker rows say `[Ln 18, Col 16]` and `at line 18 and character 16`; file rows say
      // `N problems in file NAME of folder DIR` and show the file name first.
      const fromText = /\[Ln (\d+), Col (\d+)\]/.exec(text);
      const fromAria = /at line (\d+) and character (\d+)/i.exec(ariaLabel);
      const position = fromText ?? fromAria;
      if (!position) {
        if (/problems? in file/i.test(ariaLabel)) file = (await row.locator('.label-name').first().innerText()).trim();
        continue;
      }
      result.push({ file, ariaLabel, text, line: Number(position[1]), column: Number(position[2]) });
    }
    return result;
  }

  /** Shows the Problems panel and polls it until a row satisfies `predicate`. */
  async waitForProblem(predicate: (row: ProblemRow) => boolean, timeoutMs = 30_000): Promise<ProblemRow> {
    await this.showProblems();
    const deadline = Date.now() + timeoutMs;
    let rows: ProblemRow[] = [];
    while (Date.now() < deadline) {
      rows = await this.problems();
      const hit = rows.find(predicate);
      if (hit) return hit;
      await this.page.waitForTimeout(1_000);
    }
    throw new Error(`no Problems row matched within ${timeoutMs} ms; rows: ${JSON.stringify(rows, null, 2)}`);
  }

  /** Texts of the notification toasts on screen (errors stay until dismissed; info fades). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-list-item-message').allInnerTexts();
  }

  /** The status bar entry whose text starts with `prefix`. */
  statusBarItem(prefix: string): Locator {
    return this.page.locator('.statusbar-item').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(prefix)}`) });
  }

  /**
   * The content document of the newest webview: VS Code nests it two iframes deep (the host iframe,
   * then `#active-frame`).
   */
  webview(): FrameLocator {
    return this.page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
  }

  /** Quick Open (Ctrl+P) a workspace file by name. */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await this.page.keyboard.type(relativePath, { delay: 5 });
    const fileName = relativePath.split('/').pop()!;
    const row = this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactText(fileName) }) });
    await row.first().waitFor({ state: 'visible', timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page.locator(`.tab.active[aria-label^="${fileName}"]`).waitFor({ state: 'visible' });
    await this.activeEditor().locator('.view-lines').waitFor({ state: 'visible' });
  }

  /** The editor that has focus (its Monaco root). */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Ctrl+G, line number, Enter: puts the cursor at the start of a 1-based line. */
  async goToLine(line: number): Promise<void> {
    await this.activeEditor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await this.page.keyboard.type(String(line));
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

/** Retries `check` until it stops throwing or `timeoutMs` passes, then throws its last error. */
async function retry(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}
