// Lighthouse as site owners run it: the demo article page without the widget, with it as
// shipped (client-only, and a repeat visit in the same browser profile), and with the elements
// server-rendered from GET /api/v1/topics/:id/embed.html, on Lighthouse's mobile preset
// (simulated throttling, 4× CPU) and its desktop preset. The page is served from its own origin
// (bench/host-site.js), the API by the real server process on another, over a temporary SQLite file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import puppeteer from 'puppeteer-core';
import { freePort } from '../scripts/free-port.js';
import { startServerProcess } from '../scripts/server-process.js';
import { CHROME_ARGS, findChrome } from '../scripts/find-chrome.js';
import { serveVariants } from './host-site.js';

const RUNS = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 5);
const TOPIC = 'rsp-update';
/** Targets: what the widget may cost in performance points against (a), and the CLS bound. */
const SCORE_COST = 3;
const CLS_BOUND = 0.01;

const PRESETS = [
  {
    key: 'mobile',
    name: 'mobile (Lighthouse default: simulated throttling, 4× CPU slowdown, Moto G Power screen)',
    config: { extends: 'lighthouse:default', settings: { onlyCategories: ['performance'] } },
  },
  {
    key: 'desktop',
    name: 'desktop (`lighthouse/core/config/desktop-config.js`: simulated throttling, no CPU slowdown)',
    config: { ...desktopConfig, settings: { ...desktopConfig.settings, onlyCategories: ['performance'] } },
  },
];

const VARIANTS = [
  { key: 'a', name: '(a) without the widget', path: '/plain.html' },
  { key: 'b', name: '(b) client-only, first visit', path: `/widget-${TOPIC}.html` },
  { key: 'r', name: '(b′) client-only, repeat visit', path: `/widget-${TOPIC}.html`, repeatOf: 'b' },
  { key: 'c', name: '(c) server-rendered fragment', path: `/ssr-${TOPIC}.html` },
];

const METRICS = [
  { key: 'score', name: 'performance', worst: Math.min, format: (v) => String(Math.round(v)) },
  { key: 'cls', audit: 'cumulative-layout-shift', name: 'CLS', worst: Math.max, format: (v) => v.toFixed(3) },
  {
    key: 'tbt',
    audit: 'total-blocking-time',
    name: 'TBT',
    worst: Math.max,
    format: (v) => `${Math.round(v)} ms`,
  },
  {
    key: 'lcp',
    audit: 'largest-contentful-paint',
    name: 'LCP',
    worst: Math.max,
    format: (v) => `${Math.round(v)} ms`,
  },
  {
    key: 'fcp',
    audit: 'first-contentful-paint',
    name: 'FCP',
    worst: Math.max,
    format: (v) => `${Math.round(v)} ms`,
  },
  {
    key: 'si',
    audit: 'speed-index',
    name: 'Speed Index',
    worst: Math.max,
    format: (v) => `${Math.round(v)} ms`,
  },
];

const median = (values) => {
  const v = [...values].sort((x, y) => x - y);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ');
const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${load()}`;
  }
};

/** A fresh browser (its own temporary profile) that Lighthouse drives through its debugging port. */
async function launch() {
  const browser = await puppeteer.launch({
    executablePath: findChrome(),
    headless: true, // --headless=new
    args: CHROME_ARGS,
  });
  return { browser, port: Number(new URL(browser.wsEndpoint()).port) };
}

/** One Lighthouse navigation of `url` in the browser on `port`; `repeat` keeps the profile's storage and cache. */
async function audit(url, port, preset, repeat = false) {
  const result = await lighthouse(
    url,
    { port, output: 'json', logLevel: 'error', disableStorageReset: repeat },
    preset.config,
  );
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`lighthouse: no result for ${url}`);
  if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const run = {
    score: (lhr.categories.performance?.score ?? NaN) * 100,
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
  for (const m of METRICS) {
    if (!m.audit) continue;
    const value = lhr.audits[m.audit]?.numericValue;
    if (typeof value !== 'number') throw new Error(`lighthouse: no ${m.audit} for ${url}`);
    run[m.key] = value;
  }
  run.warnings = lhr.runWarnings;
  run.lcpElement =
    lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.selector ?? null;
  return run;
}

/**
 * The embed.html fragment of a topic for a page, kept with its ETag and revalidated on each use,
 * as a caching server-side include would (examples/express does the same).
 */
function fragmentInclude(api) {
  const kept = new Map();
  return async (topic, pageUrl) => {
    const url = `${api}/api/v1/topics/${topic}/embed.html?lang=en&url=${encodeURIComponent(pageUrl)}`;
    const known = kept.get(url);
    const res = await fetch(url, {
      headers: known ? { 'If-None-Match': known.etag } : {},
      signal: AbortSignal.timeout(5000),
    });
    if (res.status === 304 && known) return known.html;
    if (!res.ok) throw new Error(`embed.html: HTTP ${res.status}`);
    const html = await res.text();
    const etag = res.headers.get('ETag');
    if (etag) kept.set(url, { etag, html });
    return html;
  };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-lighthouse-'));
  const sitePort = await freePort();
  const loadBefore = uptime();
  let api;
  let site;
  try {
    api = await startServerProcess({
      env: {
        PORT: String(await freePort()),
        COLLOQUY_DB: join(dir, 'colloquy.db'),
        COLLOQUY_ALLOWED_ORIGINS: `http://localhost:${sitePort}`,
        COLLOQUY_ADMIN_TOKEN: randomBytes(24).toString('hex'),
      },
      args: ['--seed'],
    });
    site = await serveVariants({
      port: sitePort,
      apiOrigin: api.url,
      topics: [TOPIC],
      fragment: fragmentInclude(api.url),
    });
    const results = Object.fromEntries(
      PRESETS.map((p) => [p.key, Object.fromEntries(VARIANTS.map((v) => [v.key, []]))]),
    );
    /** One visit of each variant (the repeat right after the first visit, in the same browser). */
    const round = async (preset, record) => {
      for (const v of VARIANTS) {
        if (v.repeatOf) continue;
        const { browser, port } = await launch();
        try {
          record(v.key, await audit(site.url + v.path, port, preset));
          for (const r of VARIANTS.filter((x) => x.repeatOf === v.key)) {
            record(r.key, await audit(site.url + r.path, port, preset, true));
          }
        } finally {
          await browser.close().catch(() => {});
        }
      }
    };
    // One uncounted round (the server's and the browser's code warm, the fragment rendered once).
    await round(PRESETS[0], () => {});
    // Interleaved: every round visits every variant on both presets, so drift affects all alike.
    for (let i = 0; i < RUNS; i++) {
      for (const preset of PRESETS) {
        await round(preset, (key, r) => results[preset.key][key].push(r));
      }
      console.log(`lighthouse: round ${i + 1}/${RUNS} done (load ${load()})`);
    }
    return report(results, loadBefore, uptime());
  } finally {
    await site?.close().catch(() => {});
    await api?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(results, loadBefore, loadAfter) {
  const sign = (n, f) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${f(Math.abs(n))}`;
  const lines = [
    '## Lighthouse',
    '',
    'Lighthouse 12.2.3 (its Node API, performance category only) on the demo article page' +
      ' (`examples/script-tag/index.html`, transformed in memory by `bench/host-site.js`), served from its own' +
      ' origin by node:http; the API is the real server process on another origin over a temporary SQLite' +
      ` file with the seed topic \`${TOPIC}\`. Chromium headless (\`--headless=new\`), a fresh browser and` +
      ' profile for each visit, Lighthouse resetting storage and cache before it as usual:',
    '',
    '- (a) the page without the widget: no script tag, no elements;',
    '- (b) the page as shipped: the script tag and the three elements, rendered in the browser;',
    '- (b′) the same page loaded again right after (b) in the same browser profile, Lighthouse told not to' +
      ' reset storage (`disableStorageReset`), so what the first visit kept (`localStorage`, the HTTP cache) is there;',
    '- (c) server-rendered: the page includes the fragment of' +
      ` \`GET /api/v1/topics/${TOPIC}/embed.html?lang=en&url=…\` in its discussion section, fetched by the` +
      " page's server on each request and revalidated with its ETag (as examples/express's `/fragment` does)," +
      ' and keeps the script tag, which hydrates the elements.',
    '',
    `${RUNS} counted runs per variant and preset after one uncounted round, interleaved (each round visits` +
      ' every variant on both presets). Figures are medians, the worst run in brackets (the lowest score, the' +
      ` highest of the others). Load average before: \`${loadBefore}\`; after: \`${loadAfter}\`` +
      ' (2 cores, shared).',
  ];
  const verdicts = [];
  for (const preset of PRESETS) {
    const r = results[preset.key];
    const bench = median(VARIANTS.flatMap((v) => r[v.key].map((x) => x.benchmarkIndex)));
    lines.push(
      '',
      `### ${preset.name}`,
      '',
      `Lighthouse's benchmark index of the machine (median over the runs): ${Math.round(bench)}.`,
      '',
      `| variant | ${METRICS.map((m) => m.name).join(' | ')} |`,
      `| --- | ${METRICS.map(() => '---:').join(' | ')} |`,
      ...VARIANTS.map(
        (v) =>
          `| ${v.name} | ${METRICS.map((m) => {
            const values = r[v.key].map((x) => x[m.key]);
            return `${m.format(median(values))} (${m.format(m.worst(...values))})`;
          }).join(' | ')} |`,
      ),
      '',
      'Against (a), medians (and the worst of the per-round differences, each round pairing the variant with' +
        " (a)'s run of the same round):",
      '',
      `| variant | ${METRICS.map((m) => m.name).join(' | ')} |`,
      `| --- | ${METRICS.map(() => '---:').join(' | ')} |`,
    );
    for (const v of VARIANTS.filter((x) => x.key !== 'a')) {
      const cells = METRICS.map((m) => {
        const base = r.a.map((x) => x[m.key]);
        const values = r[v.key].map((x) => x[m.key]);
        const paired = values.map((x, i) => x - (base[i] ?? NaN));
        const worstPaired = m.key === 'score' ? Math.min(...paired) : Math.max(...paired);
        return `${sign(median(values) - median(base), m.format)} (${sign(worstPaired, m.format)})`;
      });
      lines.push(`| ${v.name} | ${cells.join(' | ')} |`);
      const cost = median(r.a.map((x) => x.score)) - median(r[v.key].map((x) => x.score));
      const cls = r[v.key].map((x) => x.cls);
      verdicts.push({
        preset: preset.key,
        variant: v,
        cost,
        clsMedian: median(cls),
        clsWorst: Math.max(...cls),
      });
    }
    const elements = new Map();
    for (const v of VARIANTS) {
      const sel = r[v.key].map((x) => x.lcpElement).find(Boolean);
      if (sel) elements.set(v.key, sel);
    }
    if (elements.size) {
      lines.push(
        '',
        `LCP element: ${[...elements].map(([k, sel]) => `${VARIANTS.find((v) => v.key === k)?.name.split(' ')[0]} \`${sel}\``).join(', ')}.`,
      );
    }
    const warnings = new Set(VARIANTS.flatMap((v) => r[v.key].flatMap((x) => x.warnings ?? [])));
    if (warnings.size) lines.push('', `Lighthouse's warnings: ${[...warnings].join(' ')}`);
  }
  const scoreMet = (v) => verdicts.filter((x) => x.variant.key === v).every((x) => x.cost <= SCORE_COST);
  const clsMet = (v) => verdicts.filter((x) => x.variant.key === v).every((x) => x.clsWorst < CLS_BOUND);
  const describe = (key) =>
    verdicts
      .filter((x) => x.variant.key === key)
      .map(
        (x) =>
          `${x.preset} ${x.cost > 0 ? '−' : '+'}${Math.abs(x.cost).toFixed(0)} points, CLS ${x.clsMedian.toFixed(3)} (worst ${x.clsWorst.toFixed(3)})`,
      )
      .join('; ');
  lines.push(
    '',
    '### Targets',
    '',
    `The widget costs at most ${SCORE_COST} performance points against (a) on both presets (medians), and CLS stays` +
      ` below ${CLS_BOUND} in every run, over ${RUNS} runs per variant and preset:`,
    '',
    ...VARIANTS.filter((v) => v.key !== 'a').map(
      (v) =>
        `- ${v.name}: points **${scoreMet(v.key) ? 'met' : 'missed'}**, CLS **${clsMet(v.key) ? 'met' : 'missed'}** — ${describe(v.key)}.`,
    ),
  );
  return lines.join('\n');
}
