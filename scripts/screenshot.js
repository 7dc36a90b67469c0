// Renders the demo page in headless Chromium and saves the README's screenshots in docs/.
// Usage: npm run build && node scripts/screenshot.js
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startStack } from '../test/e2e/stack.js';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const stack = await startStack();
const { site, browser } = stack;
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
  await stack.stop();
}
