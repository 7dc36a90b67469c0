// Proof-of-work solve time in Chromium and in Firefox ESR: the widget's solver as it ships
// (packages/widget/src/store/proof-of-work.ts, one crypto.subtle digest per nonce, on the
// page's thread), bundled for the browser by esbuild. The same challenges in both browsers,
// so both do the same work.
import { createServer } from 'node:http';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.js';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** Solves per difficulty. */
const RUNS = { 12: 21, 16: 7 };

async function bundle(entry) {
  const result = await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    write: false,
    minify: true,
    target: 'es2022',
  });
  return result.outputFiles[0].text;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>pow</title>
<script type="module">
  import { solve } from './solver.js';
  window.timeSolve = async (challenge, difficulty) => {
    const started = performance.now();
    const proof = await solve({ challenge, difficulty });
    return { ms: performance.now() - started, nonce: Number(proof.slice(challenge.length + 1)) };
  };
  window.ready = true;
</script>`;

function serve(files) {
  const server = createServer((req, res) => {
    const body = files[new URL(req.url, 'http://x').pathname];
    if (body === undefined) return res.writeHead(404).end();
    const type = req.url.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }),
    ),
  );
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (value) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);

async function measure(browser, url) {
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  await page.waitForFunction(() => window.ready === true, { timeout: 30_000 });
  const results = {};
  for (const difficulty of [12, 16]) {
    const times = [];
    const nonces = [];
    // One solve first, not counted: the JIT's warm-up is a cost only the first proof pays.
    await page.evaluate((d) => window.timeSolve('v1.warm-up', d), difficulty);
    for (let k = 0; k < RUNS[difficulty]; k++) {
      const { ms: took, nonce } = await page.evaluate(
        (c, d) => window.timeSolve(c, d),
        `v1.bench-${difficulty}-${k}`,
        difficulty,
      );
      times.push(took);
      nonces.push(nonce);
    }
    results[difficulty] = { times, nonces };
  }
  await page.close();
  return results;
}

export async function run() {
  const files = {
    '/': PAGE,
    '/solver.js': await bundle('../packages/widget/src/store/proof-of-work.ts'),
  };
  const site = await serve(files);
  const browsers = {};
  try {
    const chromium = await puppeteer.launch({
      executablePath: findChrome(),
      headless: true,
      args: CHROME_ARGS,
    });
    const chromiumVersion = await chromium.version();
    try {
      browsers.Chromium = { version: chromiumVersion, results: await measure(chromium, site.url) };
    } finally {
      await chromium.close();
    }
    const firefox = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: FIREFOX,
      headless: true,
    });
    const firefoxVersion = await firefox.version();
    try {
      browsers['Firefox ESR'] = { version: firefoxVersion, results: await measure(firefox, site.url) };
    } finally {
      await firefox.close();
    }
  } finally {
    site.close();
  }

  const rows = [];
  const ratios = [];
  for (const difficulty of [12, 16]) {
    const cells = Object.values(browsers).map(({ results }) => {
      const { times } = results[difficulty];
      return { median: median(times), worst: Math.max(...times), runs: times.length };
    });
    const [chromium, firefox] = cells;
    ratios.push(firefox.median / chromium.median);
    rows.push(
      `| ${difficulty} | ${cells.map((c) => `${ms(c.median)} / ${ms(c.worst)}`).join(' | ')} | ${(firefox.median / chromium.median).toFixed(2)}× | ${chromium.runs} |`,
    );
    // Both browsers found the same nonces: the same search, the same work.
    const [a, b] = Object.values(browsers).map(({ results }) => results[difficulty].nonces.join());
    if (a !== b) throw new Error(`the browsers found different nonces at difficulty ${difficulty}`);
  }
  const first = Object.values(browsers)[0].results;
  const meanTried = (d) => Math.round(first[d].nonces.reduce((s, n) => s + n + 1, 0) / RUNS[d]);
  return [
    '## Proof of work in the browser',
    '',
    "`npm run bench -- pow`: the widget's solver as it ships (`solve()` of",
    '`packages/widget/src/store/proof-of-work.ts`: one `crypto.subtle` SHA-256 digest awaited per',
    `nonce, on the page's thread) in headless ${Object.entries(browsers)
      .map(([name, { version }]) => `${name} (${version})`)
      .join(' and ')}, the same challenges in both; one solve first to warm up, not counted.`,
    "Median / worst solve time per run; the ratio is Firefox's median over Chromium's.",
    '',
    `| difficulty | ${Object.keys(browsers).join(' | ')} | Firefox ÷ Chromium | runs |`,
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Nonces tried per solve, on average over these challenges: ${meanTried(12)} at difficulty 12,`,
    `${meanTried(16)} at 16 (2^12 = 4096 and 2^16 = 65536 expected).`,
  ].join('\n');
}
