// Renders the demo page in headless Chromium and saves the README's screenshots in docs/.
// Usage: npm run build && node scripts/screenshot.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveExample } from '../examples/script-tag/serve.js';
import { freePort } from './free-port.js';
import { startServerProcess } from './server-process.js';
import { launchBrowser } from '../test/e2e/browser.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'colloquy-shot-'));
const sitePort = await freePort();
const api = await startServerProcess({
  env: {
    PORT: '0',
    COLLOQUY_DB: join(dir, 'colloquy.db'),
    COLLOQUY_ALLOWED_ORIGINS: `http://localhost:${sitePort}`,
  },
  args: ['--seed'],
});
const site = await serveExample({ port: sitePort, apiOrigin: api.url });
const browser = await launchBrowser();
try {
  for (const [name, width, height, scheme] of [
    ['screenshot-phone.png', 360, 1400, 'light'],
    ['screenshot.png', 900, 1300, 'light'],
  ]) {
    const page = await browser.newPage();
    await page.setViewport({ width, height, deviceScaleFactor: 1 });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.goto(site.url);
    await page.waitForFunction(() =>
      document.querySelector('reply-thread')?.shadowRoot?.textContent?.includes('Replies ('),
    );
    await page.screenshot({ path: join(DOCS, name), fullPage: false });
    await page.close();
    console.log(`wrote docs/${name}`);
  }
} finally {
  await browser.close();
  await site.close();
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
