// What the demo host page fetches from the time it loads until the widget has rendered.
import { startStack } from '../test/e2e/stack.js';

export async function run() {
  const stack = await startStack();
  const { api, site, browser } = stack;
  try {
    const page = await browser.newPage();
    // Bytes on the wire per request (headers and compressed body), as DevTools counts them.
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    const seen = new Map();
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) =>
      seen.set(requestId, { method: request.method, url: request.url, status: 0, bytes: 0 }),
    );
    cdp.on('Network.responseReceived', ({ requestId, response }) => {
      const entry = seen.get(requestId);
      if (entry) entry.status = response.status;
    });
    cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
      const entry = seen.get(requestId);
      if (entry) entry.bytes = encodedDataLength;
    });
    await page.goto(site.url, { waitUntil: 'load' });
    await page.waitForFunction(
      () => document.querySelector('reply-thread')?.shadowRoot?.textContent?.includes('Replies ('),
      { timeout: 15000 },
    );
    await page.waitForNetworkIdle({ idleTime: 500 });
    const rows = [...seen.values()].map(({ method, url, status, bytes }) => {
      const { origin, pathname } = new URL(url);
      return {
        origin: origin === api.url ? 'API' : 'host page',
        what: `${method} ${pathname}`,
        status,
        bytes,
      };
    });
    const widgetRows = rows.filter((r) => r.origin === 'API');
    const reads = widgetRows.filter((r) => r.what.startsWith('GET /api/') && !r.what.endsWith('/events'));
    const streams = widgetRows.filter((r) => r.what.endsWith('/events'));
    return [
      '## Requests at first render',
      '',
      'The demo article page (`examples/script-tag/`) in headless Chromium, from navigation until',
      '`<reply-thread>` shows its heading and the network is idle.',
      '',
      '| origin | request | status | bytes on the wire |',
      '| --- | --- | ---: | ---: |',
      ...rows.map((r) => `| ${r.origin} | \`${r.what}\` | ${r.status} | ${r.bytes} |`),
      '',
      `The widget adds ${widgetRows.length} requests and ` +
        `${widgetRows.reduce((sum, r) => sum + r.bytes, 0)} bytes to the page: the script ` +
        `(served brotli-compressed), ${reads.length} JSON read${reads.length === 1 ? '' : 's'} ` +
        `shared by the three elements, and ${streams.length} live event stream` +
        `${streams.length === 1 ? '' : 's'} (its bytes are those received by the end of the run).`,
    ].join('\n');
  } finally {
    await stack.stop();
  }
}
