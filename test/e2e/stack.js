// The pieces of a real deployment for the end-to-end tests: the Colloquy API as its own
// process with a SQLite file, the example host page on another origin, and headless Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveExample } from '../../examples/script-tag/serve.js';
import { freePort } from '../../scripts/free-port.js';
import { startServerProcess } from '../../scripts/server-process.js';
import { launchBrowser } from './browser.js';

/**
 * @param {{ headers?: (apiOrigin: string) => Record<string, string>, env?: Record<string, string> }} [options]
 */
export async function startStack({ headers, env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-e2e-'));
  const sitePort = await freePort();
  const apiEnv = {
    PORT: String(await freePort()),
    COLLOQUY_DB: join(dir, 'colloquy.db'),
    COLLOQUY_ALLOWED_ORIGINS: `http://localhost:${sitePort}`,
    ...env,
  };
  const stack = {
    apiEnv,
    api: await startServerProcess({ env: apiEnv, args: ['--seed'] }),
    site: undefined,
    browser: undefined,
    /** Stops the API (SIGKILL: no chance to tidy up) and starts it again on the same file and port. */
    async restartApi() {
      await stack.api.stop('SIGKILL');
      stack.api = await startServerProcess({ env: apiEnv });
    },
    async stop() {
      await stack.browser?.close();
      await stack.site?.close();
      await stack.api.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const apiOrigin = stack.api.url;
  stack.site = await serveExample({ port: sitePort, apiOrigin, headers: headers?.(apiOrigin) ?? {} });
  stack.browser = await launchBrowser();
  return stack;
}

/** Text of an element's shadow root, whitespace collapsed, once it contains `expected`. */
export async function shadowTextContaining(page, tag, expected) {
  await page.waitForFunction(
    (t, want) => document.querySelector(t)?.shadowRoot?.textContent?.replace(/\s+/g, ' ').includes(want),
    { timeout: 10000 },
    tag,
    expected,
  );
  return page.$eval(tag, (el) => el.shadowRoot.textContent.replace(/\s+/g, ' '));
}

/**
 * Scrolls to the thread's form, as a reader does: its module loads as its place nears the
 * viewport (at once when the form is already in).
 */
export async function openForm(page) {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('reply-thread')?.shadowRoot;
      if (root?.querySelector('form')) return true;
      root?.querySelector('[part=form-placeholder]')?.scrollIntoView();
      return false;
    },
    { timeout: 10000 },
  );
}

/** Fills the reply form like a reader and presses Post reply. */
export async function postReplyThroughForm(page, name, text) {
  await openForm(page);
  const nameField = await page.waitForSelector('reply-thread >>> ::-p-aria(Name[role="textbox"])');
  await nameField.click({ count: 3 });
  await nameField.type(name);
  const replyField = await page.waitForSelector('reply-thread >>> ::-p-aria(Reply[role="textbox"])');
  await replyField.type(text);
  const button = await page.waitForSelector('reply-thread >>> ::-p-aria(Post reply[role="button"])');
  await button.click();
}
