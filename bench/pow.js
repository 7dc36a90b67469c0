// Proof-of-work solve time in Chromium and in Firefox ESR. The widget's solver as it ships: the
// built worker chunk (packages/widget/dist/widget/pow-worker-*.js, from
// packages/widget/src/store/pow-worker.ts), a fresh module worker per solve as the widget starts
// one, timed from its start to its answer. Then the page-thread path the widget falls back to when
// no worker can start (solveOnPage() of proof-of-work.ts, bundled from the source by esbuild, as
// the built chunk does not export it under its name). The same challenges in both browsers, so
// both do the same work.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.js';

const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const CHUNKS = fileURLToPath(new URL('../packages/widget/dist/widget/', import.meta.url));
/** Solves per difficulty and path. */
const RUNS = { 12: 41, 16: 21 };

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

const PAGE = (worker) => `<!doctype html><meta charset="utf-8"><title>pow</title>
<script type="module">
  import { solveOnPage } from './page-solver.js';
  const nonceIn = (started, nonce) => ({ ms: performance.now() - started, nonce });
  window.paths = {
    worker: (challenge, difficulty) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const worker = new Worker(${JSON.stringify(worker)}, { type: 'module' });
        worker.onmessage = ({ data }) => {
          worker.terminate();
          resolve(nonceIn(started, data));
        };
        worker.onerror = (event) => reject(new Error(event.message));
        worker.postMessage({ challenge, difficulty });
      }),
    page: async (challenge, difficulty) => {
      const started = performance.now();
      return nonceIn(started, await solveOnPage({ challenge, difficulty }));
    },
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

const PATHS = { worker: 'worker (built chunk)', page: "page's thread (fallback)" };

async function measure(browser, url) {
  const page = await browser.newPage();
  await page.goto(`${url}/`);
  await page.waitForFunction(() => window.ready === true, { timeout: 30_000 });
  const results = {};
  for (const path of Object.keys(PATHS)) {
    for (const difficulty of [12, 16]) {
      const times = [];
      const nonces = [];
      // One solve first, not counted: the JIT's warm-up is a cost only the first proof pays.
      await page.evaluate((p, d) => window.paths[p]('v1.warm-up', d), path, difficulty);
      for (let k = 0; k < RUNS[difficulty]; k++) {
        const { ms: took, nonce } = await page.evaluate(
          (p, c, d) => window.paths[p](c, d),
          path,
          `v1.bench-${difficulty}-${k}`,
          difficulty,
        );
        times.push(took);
        nonces.push(nonce);
      }
      results[`${path} ${difficulty}`] = { times, nonces };
    }
  }
  await page.close();
  return results;
}

export async function run() {
  const chunks = readdirSync(CHUNKS);
  const worker = chunks.find((name) => /^pow-worker-[\w-]+\.js$/.test(name));
  if (!worker) throw new Error(`no pow-worker chunk in ${CHUNKS}: run npm run build first`);
  const files = {
    '/': PAGE(`/widget/${worker}`),
    '/page-solver.js': await bundle('../packages/widget/src/store/proof-of-work.ts'),
  };
  for (const name of chunks) files[`/widget/${name}`] = readFileSync(`${CHUNKS}${name}`);
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
  for (const [path, label] of Object.entries(PATHS)) {
    for (const difficulty of [12, 16]) {
      const key = `${path} ${difficulty}`;
      const cells = Object.values(browsers).map(({ results }) => {
        const { times } = results[key];
        return { median: median(times), worst: Math.max(...times), runs: times.length };
      });
      const [chromium, firefox] = cells;
      rows.push(
        `| ${label} | ${difficulty} | ${cells.map((c) => `${ms(c.median)} / ${ms(c.worst)}`).join(' | ')} | ${(firefox.median / chromium.median).toFixed(2)}× | ${chromium.runs} |`,
      );
      // Both browsers, and both paths, found the same nonces: the same search, the same work.
      const found = Object.values(browsers).map(({ results }) => results[key].nonces.join());
      const other = browsers.Chromium.results[`${path === 'worker' ? 'page' : 'worker'} ${difficulty}`];
      if (found[0] !== found[1] || found[0] !== other.nonces.join())
        throw new Error(`different nonces at difficulty ${difficulty}`);
    }
  }
  const first = browsers.Chromium.results;
  const meanTried = (d) => Math.round(first[`worker ${d}`].nonces.reduce((s, n) => s + n + 1, 0) / RUNS[d]);
  return [
    '## Proof of work in the browser',
    '',
    "`npm run bench -- pow`: the widget's solver (`@noble/hashes`' SHA-256 in JavaScript, the",
    '`challenge:` prefix hashed once and its state copied for each nonce) in headless',
    `${Object.entries(browsers)
      .map(([name, { version }]) => `${name} (${version})`)
      .join(' and ')}, the same challenges in both; one solve first to warm up, not counted.`,
    'The worker is the built chunk as the widget ships it, started afresh for each solve as the',
    "widget does, timed from its start to its answer; the page's thread is the path taken when no",
    'worker can start (slices of about 12 ms, each followed by a yield to the page), bundled from',
    "the source. Median / worst solve time per run; the ratio is Firefox's median over Chromium's.",
    '',
    `| path | difficulty | ${Object.keys(browsers).join(' | ')} | Firefox ÷ Chromium | runs |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Nonces tried per solve, on average over these challenges: ${meanTried(12)} at difficulty 12,`,
    `${meanTried(16)} at 16 (2^12 = 4096 and 2^16 = 65536 expected). A worker's time includes its`,
    "start (fetching and compiling the chunk), which is most of it at difficulty 12; the page's",
    'thread pays none, but works in the page between its yields.',
    `The load average over the minute the run ended in was ${loadavg()[0].toFixed(1)} on ${cpus().length} cores,`,
    'which the worst runs show.',
  ].join('\n');
}
