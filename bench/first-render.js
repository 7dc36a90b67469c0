// What the demo host page fetches from the time it loads until the widget has rendered.
import { startStack } from '../test/e2e/stack.js';

/** Page loads measured for the read's start; each in a fresh browser context (a first visit). */
const RUNS = 21;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (n) => `${n.toFixed(1)} ms`;

/**
 * When, after navigation start, the page had the script, fired DOMContentLoaded, started the
 * topic's read and had the thread's heading, from the page's own Resource and Navigation
 * Timing (start times are given for other origins' requests too).
 */
async function readTimings(browser, site) {
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url, { waitUntil: 'load' });
      await page.waitForFunction(
        () => document.querySelector('reply-thread')?.shadowRoot?.textContent?.includes('Replies ('),
        { timeout: 15000 },
      );
      rows.push(
        await page.evaluate(() => {
          const resources = performance.getEntriesByType('resource');
          const script = resources.find((r) => new URL(r.name).pathname === '/widget.js');
          const read = resources.find((r) => /\/api\/v1\/topics\/[^/]+$/.test(new URL(r.name).pathname));
          const [nav] = performance.getEntriesByType('navigation');
          return {
            script: script?.responseEnd ?? Number.NaN,
            dcl: nav?.domContentLoadedEventStart ?? Number.NaN,
            read: read?.startTime ?? Number.NaN,
          };
        }),
      );
    } finally {
      await context.close();
    }
  }
  return rows;
}

export async function run() {
  const stack = await startStack();
  const { api, site, browser } = stack;
  try {
    const timings = await readTimings(browser, site);
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
    const chunks = widgetRows.filter((r) => r.what.startsWith('GET /widget/'));
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
        `shared by the three elements (brotli-compressed too), ${chunks.length} chunk` +
        `${chunks.length === 1 ? '' : 's'} loaded after the first render, and ${streams.length} live event stream` +
        `${streams.length === 1 ? '' : 's'} (its bytes are those received by the end of the run).`,
      '',
      '### When the read starts',
      '',
      `${RUNS} loads of the same page, each in a fresh browser context (nothing cached), times from`,
      "navigation start as the page's Resource and Navigation Timing give them. An element already",
      'within a screen of the viewport reads as it connects, which is when the script has run.',
      '',
      '| | median | worst |',
      '| --- | ---: | ---: |',
      ...[
        ['`/widget.js` in (response end)', 'script'],
        ['DOMContentLoaded', 'dcl'],
        ['topic read starts', 'read'],
      ].map(([label, key]) => {
        const values = timings.map((t) => t[key]);
        return `| ${label} | ${ms(median(values))} | ${ms(Math.max(...values))} |`;
      }),
      `| read start after the script is in | ${ms(median(timings.map((t) => t.read - t.script)))} | ` +
        `${ms(Math.max(...timings.map((t) => t.read - t.script)))} |`,
    ].join('\n');
  } finally {
    await stack.stop();
  }
}
