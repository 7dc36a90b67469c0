// What the demo host page fetches from the time it loads until the widget has rendered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveExample } from '../examples/script-tag/serve.js';
import { freePort } from '../scripts/free-port.js';
import { startServerProcess } from '../scripts/server-process.js';
import { launchBrowser } from '../test/e2e/browser.js';

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-'));
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
    const page = await browser.newPage();
    const requests = [];
    page.on('requestfinished', (req) => requests.push(req));
    await page.goto(site.url, { waitUntil: 'load' });
    await page.waitForFunction(
      () => document.querySelector('reply-thread')?.shadowRoot?.textContent?.includes('Replies ('),
      { timeout: 15000 },
    );
    await page.waitForNetworkIdle({ idleTime: 500 });
    const rows = [];
    for (const req of requests) {
      const res = req.response();
      const body = res && req.method() !== 'OPTIONS' ? await res.buffer().catch(() => null) : null;
      const url = new URL(req.url());
      rows.push({
        origin: url.origin === api.url ? 'API' : 'host page',
        what: `${req.method()} ${url.pathname}`,
        status: res?.status() ?? 0,
        transfer: Number(res?.headers()['content-length'] ?? body?.length ?? 0),
      });
    }
    const widgetRows = rows.filter((r) => r.origin === 'API');
    const reads = widgetRows.filter((r) => r.what.startsWith('GET /api/'));
    return [
      '## Requests at first render',
      '',
      'The demo article page (`examples/script-tag/`) in headless Chromium, from navigation until',
      '`<reply-thread>` shows its heading and the network is idle.',
      '',
      '| origin | request | status |',
      '| --- | --- | ---: |',
      ...rows.map((r) => `| ${r.origin} | \`${r.what}\` | ${r.status} |`),
      '',
      `The widget adds ${widgetRows.length} requests to the page: the script and ` +
        `${reads.length} JSON read${reads.length === 1 ? '' : 's'} shared by the three elements.`,
    ].join('\n');
  } finally {
    await browser.close();
    await site.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
