// What the widget costs the page that embeds it: the demo article page in headless Chromium
// without the widget, with it (seed topic, no replies) and with 200 replies in the topic, plus a
// page with the elements far below the fold (does the widget wait until it is near the viewport?).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port.js';
import { startServerProcess } from '../scripts/server-process.js';
import { launchBrowser } from '../test/e2e/browser.js';
import { minify } from 'terser';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { BUNDLE, GZIP_BUDGET } from '../scripts/bundle-size.js';
import { SPACER_PX, serveVariants } from './host-site.js';

/** Runs per variant and pass; the blocking figures at 4× CPU vary from run to run, hence many. */
const RUNS = Number(process.env.BENCH_HOST_RUNS ?? 15);
const REPLIES = 200;
const SEED_TOPIC = 'rsp-update';
const BIG_TOPIC = 'rsp-update-200';
const VIEWPORT = { width: 1280, height: 800 };
/** How long after the replies are on screen (or after load, without the widget) a run lasts. */
const SETTLE_MS = 2000;
const TIMEOUT_MS = 20000;
/** CPU slowdown of the second pass. */
const THROTTLE = 4;

// Installed before any script of the page: layout shifts (with their sources), long tasks, and
// the first animation frames in which <reply-thread> shows its count heading and its first reply.
const COLLECTOR = () => {
  const b = (window.__bench = {
    cls: 0,
    shifts: [],
    longtasks: [],
    heading: null,
    firstReply: null,
    sizes: [],
  });
  const describe = (node) => {
    if (!node) return '(removed node)';
    const el = node.nodeType === 1 ? node : node.parentElement;
    const part = el?.getAttribute?.('part');
    const name = `${el?.localName ?? '#text'}${part ? `[part=${part}]` : ''}`;
    const host = node.getRootNode?.()?.host;
    return host ? `${host.localName} › ${name}` : name;
  };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      b.cls += e.value;
      b.shifts.push({
        t: e.startTime,
        value: e.value,
        sources: (e.sources ?? []).map((s) => ({
          node: describe(s.node),
          dy: Math.round(s.currentRect.y - s.previousRect.y),
          dh: Math.round(s.currentRect.height - s.previousRect.height),
        })),
      });
    }
  }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ t: e.startTime, d: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    const root = document.querySelector('reply-thread')?.shadowRoot;
    if (root) {
      if (b.heading === null && /\(\d+\)/.test(root.querySelector('[part=heading]')?.textContent ?? '')) {
        b.heading = performance.now();
      }
      if (b.firstReply === null && root.querySelector('[part~=reply]')) b.firstReply = performance.now();
    }
    if (b.heading === null || b.firstReply === null) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  // The heights the three elements go through (undefined, loading skeleton, content).
  document.addEventListener('DOMContentLoaded', () => {
    const sizes = new ResizeObserver((entries) => {
      for (const e of entries) {
        b.sizes.push({
          tag: e.target.localName,
          t: performance.now(),
          h: Math.round(e.borderBoxSize[0].blockSize),
        });
      }
    });
    for (const tag of ['topic-card', 'source-list', 'reply-thread']) {
      const el = document.querySelector(tag);
      if (el) sizes.observe(el);
    }
  });
};

const median = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const ms = (n) => (Number.isFinite(n) ? `${Math.round(n)} ms` : '–');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

// A sketch of the change that would make the elements wait until they are near the viewport (in
// StoreController#resolve), to weigh it against the bundle budget: minified like the bundle and
// appended to it, the gzip bytes it adds.
const LAZY_SKETCH = `
export class StoreController {
  #near = !('IntersectionObserver' in window);
  #watch;
  resolve() {
    if (!this.host.isConnected) return;
    if (!this.#near) {
      this.#watch ??= new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          this.#watch.disconnect();
          this.#near = true;
          this.resolve();
        }
      }, { rootMargin: '100%' });
      this.#watch.observe(this.host);
      return;
    }
  }
  hostDisconnected() { this.#watch?.disconnect(); this.#watch = undefined; }
}`;

async function lazySketchCost() {
  const code = (
    await minify(LAZY_SKETCH, {
      ecma: 2022,
      module: true,
      compress: { passes: 2, inline: 1, keep_fargs: false },
      format: { comments: false },
    })
  ).code;
  const bundle = readFileSync(BUNDLE);
  const gz = (buf) => gzipSync(buf, { level: 9 }).length;
  const base = gz(bundle);
  return {
    minified: code.length,
    gzip: gz(Buffer.concat([bundle, Buffer.from(code)])) - base,
    margin: GZIP_BUDGET - base,
  };
}

/** Copies the seed topic under another id (through the admin API) and gives it `count` replies. */
async function createBigTopic(apiUrl, token) {
  const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const seed = await (await fetch(`${apiUrl}/api/v1/topics/${SEED_TOPIC}`)).json();
  const created = await fetch(`${apiUrl}/api/v1/topics`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      id: BIG_TOPIC,
      title: seed.title,
      category: seed.category,
      label: seed.label,
      summary: seed.summary,
      author: seed.author,
      createdAt: seed.createdAt,
      body: seed.text,
      sources: seed.sources.map(({ title, url }) => ({ title, url })),
    }),
  });
  if (!created.ok)
    throw new Error(`host-page: creating ${BIG_TOPIC}: ${created.status} ${await created.text()}`);
  // Deterministic replies: three of four start a thread, the fourth answers the latest thread;
  // bodies of one to four sentences, some with Markdown.
  const sentences = [
    'The new capability thresholds read as a sensible compromise between caution and progress.',
    'I would like to see how the **external review** is going to work in practice.',
    'Borrowing risk management from other industries is the part that convinces me most.',
    'See the announcement for the details of the *autonomous research* threshold.',
  ];
  let thread = null;
  for (let i = 0; i < REPLIES; i++) {
    const answer = i % 4 === 3 && thread;
    const body = `Reply ${i + 1}. ${sentences.slice(0, (i % 4) + 1).join(' ')}`;
    const res = await fetch(`${apiUrl}/api/v1/topics/${BIG_TOPIC}/replies`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        body,
        authorName: `Reader ${(i % 37) + 1}`,
        ...(answer ? { parentId: thread } : {}),
      }),
    });
    if (res.status !== 201) throw new Error(`host-page: reply ${i + 1}: ${res.status} ${await res.text()}`);
    const reply = await res.json();
    if (!answer) thread = reply.id;
  }
}

/** Records every request of a page through CDP: origin, method, path and bytes on the wire. */
async function trackNetwork(page) {
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request, timestamp }) => {
    if (request.url.startsWith('data:')) return;
    const { origin, pathname } = new URL(request.url);
    requests.set(requestId, {
      origin,
      method: request.method,
      path: pathname,
      bytes: 0,
      finished: false,
      at: timestamp,
    });
  });
  cdp.on('Network.dataReceived', ({ requestId, encodedDataLength }) => {
    const r = requests.get(requestId);
    if (r && !r.finished) r.bytes += encodedDataLength;
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const r = requests.get(requestId);
    if (r) Object.assign(r, { bytes: encodedDataLength, finished: true });
  });
  return { cdp, requests: () => [...requests.values()] };
}

/**
 * The tasks of the page's main thread, from a Chromium trace: for each top-level `RunTask`, its
 * start (ms from the navigation's start, like performance.now()) and its CPU time (ms), the thread
 * time (`tdur`). Unlike a long task's duration, the thread time leaves out the time the thread
 * waited for a core (the machine is shared), so for an unthrottled run `factor` × it models a CPU
 * that many times slower without the noise of the machine's load.
 */
function mainThreadTasks(events, pageUrl) {
  const committed = events.find(
    (e) => e.name === 'FrameCommittedInBrowser' && e.args?.data?.url?.startsWith(pageUrl),
  );
  const pid = committed?.args?.data?.processId;
  const main = events.find(
    (e) => e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain',
  );
  if (pid === undefined || !main) throw new Error(`host-page: no main thread in the trace of ${pageUrl}`);
  const starts = events.filter(
    (e) => e.name === 'navigationStart' && e.pid === pid && e.args?.data?.isOutermostMainFrame,
  );
  const start =
    starts.find((e) => e.args.data.documentLoaderURL?.startsWith(pageUrl)) ?? starts.at(-1) ?? null;
  return events
    .filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === pid && e.tid === main.tid)
    .map((e) => ({ t: start ? (e.ts - start.ts) / 1000 : NaN, cpu: (e.tdur ?? e.dur ?? 0) / 1000 }));
}
const cpuBlocking = (tasks, factor) => tasks.reduce((s, t) => s + Math.max(0, t.cpu * factor - 50), 0);

const isRead = (r) => r.method === 'GET' && r.path.startsWith('/api/v1/') && !r.path.endsWith('/events');

/** One fresh page (its own browser context, cache disabled): navigation until SETTLE_MS after the replies show. */
async function measure(browser, url, { origins, expectReply, withWidget, throttle = 1 }) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setViewport(VIEWPORT);
    await page.evaluateOnNewDocument(COLLECTOR);
    const net = await trackNetwork(page);
    if (throttle > 1) await net.cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.tracing.start({ categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing'] });
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    if (withWidget) {
      await page.waitForFunction(
        (reply) => window.__bench.heading !== null && (!reply || window.__bench.firstReply !== null),
        { timeout: TIMEOUT_MS },
        expectReply,
      );
    }
    const shown = await page.evaluate(() => ({
      heading: window.__bench.heading,
      firstReply: window.__bench.firstReply,
      load: performance.getEntriesByType('navigation')[0].loadEventEnd,
    }));
    const end = (withWidget ? (expectReply ? shown.firstReply : shown.heading) : shown.load) + SETTLE_MS;
    await page.waitForFunction((t) => performance.now() >= t, { timeout: TIMEOUT_MS }, end);
    const b = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const read = performance
        .getEntriesByType('resource')
        .find((e) => e.name.includes('/api/v1/') && !e.name.endsWith('/events'));
      return {
        ...window.__bench,
        fcp: paint?.startTime ?? null,
        readStart: read?.startTime ?? null,
        readEnd: read?.responseEnd ?? null,
      };
    });
    const trace = await page.tracing.stop();
    const tasks = mainThreadTasks(JSON.parse(Buffer.from(trace ?? []).toString('utf8')).traceEvents, url);
    await net.cdp.detach().catch(() => {});
    const requests = net.requests();
    const longtasks = b.longtasks.filter((t) => t.t <= end);
    const by = (origin) => requests.filter((r) => r.origin === origin);
    const sum = (rs) => rs.reduce((s, r) => s + r.bytes, 0);
    return {
      cls: b.cls,
      shifts: b.shifts,
      sizes: b.sizes,
      tbt: longtasks.reduce((s, t) => s + Math.max(0, t.d - 50), 0),
      // Blocking from the main thread's CPU time, as is and THROTTLE times slower.
      cpuTbt: cpuBlocking(tasks, 1),
      cpuTbtSlow: cpuBlocking(tasks, THROTTLE),
      cpuLongest: Math.max(0, ...tasks.map((t) => t.cpu)),
      cpuSlowBeforeData: cpuBlocking(
        tasks.filter((t) => b.readEnd === null || t.t < b.readEnd),
        THROTTLE,
      ),
      cpuSlowAfterData: cpuBlocking(
        tasks.filter((t) => b.readEnd !== null && t.t >= b.readEnd),
        THROTTLE,
      ),
      // Blocking before the JSON read's response arrived (parsing, the bundle, skeletons) and after it
      // (rendering the data).
      tbtBeforeData: longtasks
        .filter((t) => b.readEnd === null || t.t < b.readEnd)
        .reduce((s, t) => s + Math.max(0, t.d - 50), 0),
      tbtAfterData: longtasks
        .filter((t) => b.readEnd !== null && t.t >= b.readEnd)
        .reduce((s, t) => s + Math.max(0, t.d - 50), 0),
      readStart: b.readStart,
      readEnd: b.readEnd,
      longtasks: longtasks.length,
      fcp: b.fcp,
      load: shown.load,
      heading: shown.heading,
      firstReply: shown.firstReply,
      hostRequests: by(origins.site).length,
      hostBytes: sum(by(origins.site)),
      apiRequests: by(origins.api).length,
      apiBytes: sum(by(origins.api)),
      otherRequests: requests.filter((r) => r.origin !== origins.site && r.origin !== origins.api).length,
      reads: requests
        .filter((r) => r.origin === origins.api && isRead(r))
        .map((r) => `${r.method} ${r.path}`),
      apiPaths: by(origins.api).map((r) => `${r.method} ${r.path}`),
    };
  } finally {
    await context.close();
  }
}

/** The page with the elements SPACER_PX below the fold: API requests before and after scrolling them into view. */
async function lazyCheck(browser, url, apiOrigin) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setViewport(VIEWPORT);
    await page.evaluateOnNewDocument(COLLECTOR);
    const net = await trackNetwork(page);
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    await page.waitForNetworkIdle({ idleTime: 1000, timeout: TIMEOUT_MS }).catch(() => {});
    const position = await page.evaluate(() => ({
      top: Math.round(document.querySelector('topic-card').getBoundingClientRect().top),
      viewport: innerHeight,
      heading: window.__bench.heading,
    }));
    const api = () => net.requests().filter((r) => r.origin === apiOrigin);
    const before = api().map((r) => `${r.method} ${r.path}`);
    await page.evaluate(() => document.querySelector('topic-card').scrollIntoView());
    await page.waitForFunction(() => window.__bench.heading !== null, { timeout: TIMEOUT_MS });
    await page.waitForNetworkIdle({ idleTime: 500, timeout: TIMEOUT_MS }).catch(() => {});
    const after = api()
      .map((r) => `${r.method} ${r.path}`)
      .slice(before.length);
    await net.cdp.detach().catch(() => {});
    return { ...position, before, after };
  } finally {
    await context.close();
  }
}

const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-host-'));
  const loadBefore = loadAverage();
  const token = randomBytes(24).toString('hex');
  const sitePort = await freePort();
  let api;
  let site;
  let browser;
  try {
    api = await startServerProcess({
      env: {
        PORT: String(await freePort()),
        COLLOQUY_DB: join(dir, 'colloquy.db'),
        COLLOQUY_ALLOWED_ORIGINS: `http://localhost:${sitePort}`,
        COLLOQUY_ADMIN_TOKEN: token,
        COLLOQUY_REPLY_RATE_LIMIT: '0',
        COLLOQUY_TOPIC_RATE_LIMIT: '0',
        COLLOQUY_WRITE_RATE_LIMIT: '0',
      },
      args: ['--seed'],
    });
    await createBigTopic(api.url, token);
    site = await serveVariants({ port: sitePort, apiOrigin: api.url, topics: [SEED_TOPIC, BIG_TOPIC] });
    browser = await launchBrowser();
    const origins = { site: site.url, api: api.url };
    const variants = [
      {
        key: 'a',
        name: '(a) without the widget',
        path: '/plain.html',
        withWidget: false,
        expectReply: false,
      },
      {
        key: 'b',
        name: '(b) widget, seed topic (0 replies)',
        path: `/widget-${SEED_TOPIC}.html`,
        withWidget: true,
        expectReply: false,
      },
      {
        key: 'c',
        name: `(c) widget, ${REPLIES} replies`,
        path: `/widget-${BIG_TOPIC}.html`,
        withWidget: true,
        expectReply: true,
      },
    ];
    // One warm-up load of each (server and browser caches of code, not of responses), not counted.
    for (const v of variants) await measure(browser, site.url + v.path, { origins, ...v });
    const results = Object.fromEntries(variants.map((v) => [v.key, []]));
    // Interleaved rounds, so drift of the machine affects every variant alike.
    for (let i = 0; i < RUNS; i++) {
      for (const v of variants)
        results[v.key].push(await measure(browser, site.url + v.path, { origins, ...v }));
    }
    // The same on a CPU slowed down THROTTLE times (CDP Emulation.setCPUThrottlingRate), closer to a phone.
    const throttled = Object.fromEntries(variants.map((v) => [v.key, []]));
    for (let i = 0; i < RUNS; i++) {
      for (const v of variants) {
        throttled[v.key].push(
          await measure(browser, site.url + v.path, { origins, ...v, throttle: THROTTLE }),
        );
      }
    }
    const lazy = await lazyCheck(browser, `${site.url}/lazy-${SEED_TOPIC}.html`, api.url);
    const loads = { before: loadBefore, after: loadAverage() };
    return report(variants, results, throttled, lazy, await lazySketchCost(), loads);
  } finally {
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
    await api?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Medians of each variant's runs. */
function summarize(variants, results) {
  return Object.fromEntries(
    variants.map((v) => {
      const runs = results[v.key];
      const med = (f) => median(runs.map(f));
      return [
        v.key,
        {
          cls: med((r) => r.cls),
          clsMax: Math.max(...runs.map((r) => r.cls)),
          tbt: med((r) => r.tbt),
          tbtMax: Math.max(...runs.map((r) => r.tbt)),
          cpuTbt: med((r) => r.cpuTbt),
          cpuTbtSlow: med((r) => r.cpuTbtSlow),
          cpuTbtSlowMax: Math.max(...runs.map((r) => r.cpuTbtSlow)),
          cpuLongest: med((r) => r.cpuLongest),
          cpuSlowBeforeData: med((r) => r.cpuSlowBeforeData),
          cpuSlowAfterData: med((r) => r.cpuSlowAfterData),
          tbtBeforeData: med((r) => r.tbtBeforeData),
          tbtAfterData: med((r) => r.tbtAfterData),
          readStart: med((r) => r.readStart),
          readStartMax: Math.max(...runs.map((r) => r.readStart ?? NaN)),
          readEnd: med((r) => r.readEnd),
          longtasks: med((r) => r.longtasks),
          fcp: med((r) => r.fcp),
          load: med((r) => r.load),
          heading: med((r) => r.heading),
          firstReply: med((r) => r.firstReply),
          hostRequests: med((r) => r.hostRequests),
          hostBytes: med((r) => r.hostBytes),
          apiRequests: med((r) => r.apiRequests),
          apiBytes: med((r) => r.apiBytes),
          otherRequests: Math.max(...runs.map((r) => r.otherRequests)),
          reads: med((r) => r.reads.length),
          readsMax: Math.max(...runs.map((r) => r.reads.length)),
          apiPaths: runs[0].apiPaths,
          shifts: runs.flatMap((r) => r.shifts),
          growth: ['topic-card', 'source-list', 'reply-thread'].map((tag) => {
            const seq = runs.map((r) => r.sizes.filter((x) => x.tag === tag));
            return {
              tag,
              first: median(seq.map((q) => q[0]?.h)),
              skeleton: median(seq.map((q) => q.find((x) => x.h > 0)?.h)),
              final: median(seq.map((q) => q.at(-1)?.h)),
              // When the height last changed (none: the element kept its skeleton's height).
              at: median(seq.map((q) => q.findLast((x) => x.h !== q[0]?.h)?.t)),
            };
          }),
        },
      ];
    }),
  );
}

function report(variants, results, throttledResults, lazy, sketch, loads) {
  const m = summarize(variants, results);
  const mt = summarize(variants, throttledResults);
  const { a, b, c } = m;
  const row = (v) => {
    const x = m[v.key];
    return (
      `| ${v.name} | ${x.cls.toFixed(4)} | ${ms(x.tbt)} (${x.longtasks}) | ${ms(x.tbtMax)} | ${ms(x.fcp)} | ${ms(x.load)} | ` +
      `${v.withWidget ? ms(x.heading) : '–'} | ${v.expectReply ? ms(x.firstReply) : '–'} | ` +
      `${x.hostRequests} / ${kb(x.hostBytes)} | ${x.apiRequests} / ${kb(x.apiBytes)} | ${v.withWidget ? x.reads : '–'} |`
    );
  };
  const throttledRow = (v) => {
    const x = mt[v.key];
    return (
      `| ${v.name} | ${x.cls.toFixed(4)} | ${ms(x.tbt)} (${x.longtasks}) | ${ms(x.tbtMax)} | ` +
      `${v.withWidget ? `${ms(x.tbtBeforeData)} / ${ms(x.tbtAfterData)}` : '–'} | ${ms(x.fcp)} | ${ms(x.load)} | ` +
      `${v.withWidget ? ms(x.heading) : '–'} | ${v.expectReply ? ms(x.firstReply) : '–'} | ${v.withWidget ? x.reads : '–'} |`
    );
  };
  const sign = (n, f) => `${n >= 0 ? '+' : '−'}${f(Math.abs(n))}`;
  const added = (x, base) => ({
    requests: x.hostRequests + x.apiRequests - (base.hostRequests + base.apiRequests),
    bytes: x.hostBytes + x.apiBytes - (base.hostBytes + base.apiBytes),
    bytesRatio: (x.hostBytes + x.apiBytes) / (base.hostBytes + base.apiBytes),
    tbt: x.tbt - base.tbt,
    load: x.load - base.load,
    loadRatio: x.load / base.load,
  });
  // Blocking added per round: each run against (a)'s run of the same round (median and worst).
  const pairedTbt = (runs, key, field = 'tbt') => {
    const d = runs[key].map((r, i) => r[field] - (runs.a[i]?.[field] ?? NaN));
    return { median: median(d), worst: Math.max(...d) };
  };
  const pair = { b: pairedTbt(results, 'b'), c: pairedTbt(results, 'c') };
  const pairT = { b: pairedTbt(throttledResults, 'b'), c: pairedTbt(throttledResults, 'c') };
  const pairCpu = {
    b: pairedTbt(results, 'b', 'cpuTbtSlow'),
    c: pairedTbt(results, 'c', 'cpuTbtSlow'),
  };
  const cpuRow = (v) => {
    const x = m[v.key];
    const p = pairCpu[v.key];
    return (
      `| ${v.name} | ${ms(x.cpuTbt)} | ${ms(x.cpuLongest)} | ${ms(x.cpuTbtSlow)} (${ms(x.cpuTbtSlowMax)}) | ` +
      `${v.withWidget ? `${ms(x.cpuSlowBeforeData)} / ${ms(x.cpuSlowAfterData)}` : '–'} | ` +
      `${p ? `${sign(p.median, ms)} / ${sign(p.worst, ms)}` : '–'} | ` +
      `${v.withWidget ? `${ms(x.readStart)} (${ms(x.readStartMax)})` : '–'} |`
    );
  };
  const addB = added(b, a);
  const addC = added(c, a);
  const addBt = added(mt.b, mt.a);
  const addCt = added(mt.c, mt.a);
  const addedRow = (name, d, dt, p, pt) =>
    `| ${name} | ${sign(d.requests, String)} | ${sign(d.bytes, kb)} (${d.bytesRatio.toFixed(2)}×) | ` +
    `${sign(d.tbt, ms)} | ${sign(p.median, ms)} / ${sign(p.worst, ms)} | ${sign(dt.tbt, ms)} | ` +
    `${sign(pt.median, ms)} / ${sign(pt.worst, ms)} | ${sign(d.load, ms)} (${d.loadRatio.toFixed(2)}×) | ` +
    `${sign(dt.load, ms)} (${dt.loadRatio.toFixed(2)}×) |`;
  const growthRows = ['b', 'c'].flatMap((key) =>
    m[key].growth.map(
      (g) =>
        `| ${variants.find((v) => v.key === key).name} | \`<${g.tag}>\` | ${g.first} px | ${g.final} px | ${ms(g.at)} |`,
    ),
  );

  // Targets.
  const clsMet = b.clsMax === 0 && c.clsMax === 0;
  const tbtMet = addB.tbt <= 50 && addC.tbt <= 50;
  const tbtMetThrottled = addBt.tbt <= 50 && addCt.tbt <= 50;
  const cpuMet = pairCpu.b.median <= 50 && pairCpu.c.median <= 50;
  const readsMet = b.readsMax === 1 && c.readsMax === 1;
  const lazyReadsBefore = lazy.before.filter((p) => p.startsWith('GET /api/v1/') && !p.endsWith('/events'));
  const lazyMet = lazyReadsBefore.length === 0 && !lazy.before.some((p) => p.endsWith('/events'));
  const lazyReadAfter = lazy.after.some((p) => p.startsWith('GET /api/v1/') && !p.endsWith('/events'));

  // Where the layout shifts come from: the sources, summed over all runs of (b) and (c).
  const shiftSources = new Map();
  for (const s of [...b.shifts, ...c.shifts]) {
    for (const src of s.sources) {
      const e = shiftSources.get(src.node) ?? { count: 0, value: 0, dy: [] };
      e.count += 1;
      e.value += s.value / Math.max(1, s.sources.length);
      e.dy.push(src.dy);
      shiftSources.set(src.node, e);
    }
  }
  const sourceRows = [...shiftSources.entries()]
    .sort((x, y) => y[1].value - x[1].value)
    .slice(0, 8)
    .map(([node, e]) => `| \`${node}\` | ${e.count} | ${ms(Math.abs(median(e.dy))).replace(' ms', ' px')} |`);
  const shiftTimes = [...b.shifts, ...c.shifts].map((s) => s.t);

  const lines = [
    '## Host-page cost',
    '',
    `The demo article page (\`examples/script-tag/index.html\`, transformed in memory by` +
      ' `bench/host-site.js`) served from its own origin by node:http, the API as the real server' +
      ' process on another origin with a temporary SQLite file, in headless Chromium' +
      ` (puppeteer-core, ${VIEWPORT.width}×${VIEWPORT.height} viewport, no CPU or network throttling, loopback).` +
      ` Each variant is loaded ${RUNS} times, interleaved, each time in a fresh browser context with the` +
      ' cache disabled, after one uncounted warm-up load; figures are medians. Load average (1, 5, 15 min) at the' +
      ` start: ${loads.before}; at the end: ${loads.after} (2 cores, shared with other work).`,
    '',
    '- (a) the page without the widget: no script tag, no elements;',
    `- (b) the page as shipped, seed topic \`${SEED_TOPIC}\` (0 replies);`,
    `- (c) the page as shipped for \`${BIG_TOPIC}\`, the seed topic with ${REPLIES} replies posted through the API` +
      ' (three of four start a thread, the fourth answers the latest thread; the first read carries the first' +
      ' page of 20 threads, so "first reply on screen" is that page).',
    '',
    'CLS is the sum of `layout-shift` entries without recent input; blocking is the sum over long tasks of' +
      ` their time beyond 50 ms (the number of long tasks in brackets), from navigation until ${SETTLE_MS / 1000} s` +
      ' after the replies are on screen ((a): after `load`); the heading time is the first animation frame' +
      ' in which `<reply-thread>` shows "Replies (N)", the first-reply time the frame in which its first reply' +
      ' is in its shadow root, both from navigation start. Requests and bytes on the wire (headers and' +
      ' compressed bodies, from CDP `Network` events) are split by origin; the event stream stays open, so its' +
      ' bytes are those received by the end of the run. JSON reads are GETs to `/api/v1/` other than `/events`.',
    '',
    '| variant | CLS | blocking (long tasks) | worst run\'s blocking | FCP | load | "Replies (N)" on screen | first reply on screen | host page: requests / bytes | API origin: requests / bytes | JSON reads |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...variants.map(row),
    '',
    `Requests to the API origin in one run of (b): ${b.apiPaths.map((p) => `\`${p}\``).join(', ')}` +
      `; of (c): ${c.apiPaths.map((p) => `\`${p}\``).join(', ')}. Requests to any third origin: ${Math.max(b.otherRequests, c.otherRequests)}.`,
    '',
    `The same pages with the CPU slowed down ${THROTTLE}× (CDP \`Emulation.setCPUThrottlingRate\`, closer to a` +
      ` mid-range phone), ${RUNS} more interleaved runs each:`,
    '',
    '| variant | CLS | blocking (long tasks) | worst run\'s blocking | blocking before / after the read\'s response | FCP | load | "Replies (N)" on screen | first reply on screen | JSON reads |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...variants.map(throttledRow),
    '',
    'What the widget adds to the page, medians against (a) in the same pass (bytes: the ratio is the whole' +
      " page's bytes with the widget over those without); for blocking also the difference of each run to (a)'s" +
      ' run of the same round, its median and its worst round:',
    '',
    `| | requests | bytes on the wire | blocking | blocking, per round: median / worst | blocking, CPU ${THROTTLE}× | blocking, CPU ${THROTTLE}×, per round: median / worst | load event | load event, CPU ${THROTTLE}× |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    addedRow('(b) seed topic', addB, addBt, pair.b, pairT.b),
    addedRow(`(c) ${REPLIES} replies`, addC, addCt, pair.c, pairT.c),
    '',
    'The blocking figures above are wall-clock durations of long tasks: on a shared machine a task also' +
      ' lasts while its thread waits for a core, the more the busier the machine, and CPU throttling' +
      " multiplies that wait too. From the unthrottled pass's runs, the blocking computed from the main" +
      " thread's CPU time instead (the thread time, `tdur`, of its top-level `RunTask` events in a Chromium" +
      ` trace, which leaves out waiting for a core), as measured and multiplied by ${THROTTLE} to model the` +
      ` ${THROTTLE}× slower CPU (Lighthouse's simulated throttling scales task times the same way; under CDP` +
      " throttling the thread time grows with the throttling's pauses, so the throttled pass cannot give" +
      ' it); medians, worst run in brackets, and the difference to (a) per round; last, when the JSON read' +
      " starts (its resource entry's `startTime`, from navigation start, unthrottled):",
    '',
    `| variant | CPU blocking | longest task (CPU) | CPU × ${THROTTLE} blocking | CPU × ${THROTTLE} blocking before / after the read's response | added vs (a), per round: median / worst | the read starts (worst) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...variants.map(cpuRow),
    '',
    `The ${REPLIES}-reply topic costs ${kb(c.apiBytes - b.apiBytes)} more from the API than the empty one` +
      ` (${(c.apiBytes / b.apiBytes).toFixed(2)}×, the first page of threads in the one read); its first reply is` +
      ` on screen at ${ms(c.firstReply)} against ${ms(b.heading)} for the empty topic's heading` +
      ` (${(c.firstReply / b.heading).toFixed(2)}×), ${ms(mt.c.firstReply)} against ${ms(mt.b.heading)}` +
      ` (${(mt.c.firstReply / mt.b.heading).toFixed(2)}×) with the CPU ${THROTTLE}× slower.`,
    '',
    '### Lazy loading',
    '',
    `The page as shipped with a ${SPACER_PX} px spacer before the elements: \`<topic-card>\` starts ${lazy.top} px` +
      ` from the top of a ${lazy.viewport} px viewport (${(lazy.top / lazy.viewport).toFixed(1)} screens down).` +
      ' After `load` and one second without network activity, before any scrolling, the API origin saw: ' +
      (lazy.before.length ? lazy.before.map((p) => `\`${p}\``).join(', ') : 'nothing') +
      `. After scrolling the elements into view: ${lazy.after.length ? lazy.after.map((p) => `\`${p}\``).join(', ') : 'no further request'}` +
      ` (${lazyReadAfter ? 'the read happened then' : lazyReadsBefore.length ? 'the read had already happened' : 'no read at all'}).`,
    '',
    '### Targets',
    '',
    `- **CLS 0: ${clsMet ? 'met' : 'MISSED'}** — median ${b.cls.toFixed(4)} for (b), ${c.cls.toFixed(4)} for (c)` +
      ` (worst run ${Math.max(b.clsMax, c.clsMax).toFixed(4)}); (a) ${a.cls.toFixed(4)}.`,
  ];
  if (!clsMet) {
    lines.push(
      '',
      `  The shifts (${shiftTimes.length} entries over ${RUNS * 2} runs, at ${ms(median(shiftTimes))} median) and the` +
        ' elements that moved (Chromium reports up to five sources per shift, the nodes that moved, not the one' +
        ' that grew):',
      '',
      '  | moved node | times | median vertical move |',
      '  | --- | ---: | ---: |',
      ...sourceRows.map((r) => `  ${r}`),
      '',
      "  The elements' heights (ResizeObserver from `DOMContentLoaded`, when the module script has already" +
        ' defined them, medians): the "Loading…" note, then the content once the read' +
        ' has arrived:',
      '',
      '  | variant | element | loading note | with the data | changed at |',
      '  | --- | --- | ---: | ---: | ---: |',
      ...growthRows.map((r) => `  ${r}`),
      '',
      `  Each element shows a ${b.growth[0].first} px loading note until the one read arrives, then its content:` +
        ` \`<topic-card>\` grows to ${b.growth[0].final} px (title, author, body, reactions), \`<reply-thread>\` to` +
        ` ${b.growth[2].final} px in (b) and ${c.growth[2].final} px in (c). The topic card is near the top of the` +
        ' viewport, so its growth moves the source list, the discussion section and the footer down by most of a' +
        ' screen: that one shift is nearly all of the CLS, which is why (b) and (c) score alike.' +
        ' What it would take: the host page reserving the space (`min-height` on the elements or their containers,' +
        ' which the site owner knows roughly), or loading placeholders sized like the content — e.g. the store remembering the' +
        ' last heights per topic in `localStorage` and the placeholder using them on the next visit (a few dozen' +
        ' bytes of code), which helps returning readers only. A reply section below the fold shifts nothing the' +
        ' reader sees (layout shifts count only inside the viewport), so pages that place the widget under the' +
        ' article are less affected than this demo, where the topic card is the article.',
    );
  }
  lines.push(
    `- **Added blocking ≤ 50 ms: ${tbtMet ? 'met' : 'MISSED'}** unthrottled — ${sign(addB.tbt, ms)} for (b),` +
      ` ${sign(addC.tbt, ms)} for (c) (worst single run ${ms(b.tbtMax)} and ${ms(c.tbtMax)}; (a) ${ms(a.tbt)});` +
      ` with the CPU ${THROTTLE}× slower **${tbtMetThrottled ? 'met' : 'missed'}** — ${sign(addBt.tbt, ms)} for (b),` +
      ` ${sign(addCt.tbt, ms)} for (c) (worst single run ${ms(mt.b.tbtMax)} and ${ms(mt.c.tbtMax)}; per round against` +
      ` (a), median ${sign(pairT.b.median, ms)} and ${sign(pairT.c.median, ms)}, worst round ${sign(pairT.b.worst, ms)}` +
      ` and ${sign(pairT.c.worst, ms)}; ${RUNS} runs each); from the main thread's CPU time × ${THROTTLE}` +
      ` **${cpuMet ? 'met' : 'missed'}** — ${sign(pairCpu.b.median, ms)} for (b), ${sign(pairCpu.c.median, ms)} for (c)` +
      ` per round against (a) (worst round ${sign(pairCpu.b.worst, ms)} and ${sign(pairCpu.c.worst, ms)}).` +
      (tbtMet && tbtMetThrottled && cpuMet
        ? ''
        : ` Split at the JSON read's response (medians): at ${THROTTLE}× CPU ${ms(mt.b.tbtBeforeData)} before and` +
          ` ${ms(mt.b.tbtAfterData)} after it for (b), ${ms(mt.c.tbtBeforeData)} and ${ms(mt.c.tbtAfterData)} for (c);` +
          ` from CPU time × ${THROTTLE} ${ms(b.cpuSlowBeforeData)} and ${ms(b.cpuSlowAfterData)} for (b),` +
          ` ${ms(c.cpuSlowBeforeData)} and ${ms(c.cpuSlowAfterData)} for (c). Before it: evaluating the core bundle` +
          " (Lit and the three elements), then each element's first render, of its loading placeholder, in a task" +
          ' of its own; after it: the first render of' +
          ` the data. The longest single task takes ${ms(b.cpuLongest)} of CPU time (median, (b)), which alone is` +
          ` ${ms(Math.max(0, b.cpuLongest * THROTTLE - 50))} of blocking at ${THROTTLE}×.` +
          (tbtMet
            ? ' The unthrottled target is met; the throttled figures show what a slower phone pays.'
            : '')),
    `- **One JSON read at first render: ${readsMet ? 'met' : 'MISSED'}** — at most ${b.readsMax} per run of (b)` +
      ` and ${c.readsMax} per run of (c), unthrottled and throttled alike` +
      ` (throttled: at most ${Math.max(mt.b.readsMax, mt.c.readsMax)}), shared by the three elements.`,
    `- **No request before the widget is within a screen of the viewport: ${lazyMet ? 'met' : 'MISSED'}** — ` +
      (lazyMet
        ? 'the elements made no request until they were scrolled into view.'
        : `the elements ${lazy.before.length ? 'requested' : ''} ${lazy.before
            .filter((p) => !p.endsWith('/widget.js'))
            .map((p) => `\`${p}\``)
            .join(
              ', ',
            )} while ${(lazy.top / lazy.viewport).toFixed(1)} screens below the fold (the script itself,` +
          " `/widget.js`, is loaded by the page's own script tag and is not the elements' choice). What it would" +
          ' take: the store controller deferring its subscription until an `IntersectionObserver` with a' +
          " `rootMargin` of one screen (`100%`) reports one of the topic's elements near the viewport — the first" +
          ' element to come near starts the one shared read, so the one-read target holds; elements without' +
          ' IntersectionObserver or already in view load at once as now. A sketch of it (in `bench/host-page.js`)' +
          ` is ${sketch.minified} bytes minified and adds ${sketch.gzip} bytes gzip to the bundle, against a margin` +
          ` of ${sketch.margin} bytes under the ${GZIP_BUDGET / 1024} KB budget` +
          (sketch.gzip > sketch.margin ? ': it does not fit unless something else shrinks.' : '.') +
          " Not changed here (packages/ is not this part's to change): the lead decides."),
  );
  return lines.join('\n');
}
