// Server-rendered fragment: GET /api/v1/topics/:id/embed.html on the real app over a SQLite
// file (app.request(): the route, the store's read, Lit's server render, no network), for the
// demo topic with a first page of 20 and of 100 replies. Three costs: a render (the first
// request of a new topic version: read, render, keep), a request answered from the kept
// fragment of the version, and a revalidation (304). Also the fragment's bytes, raw and
// gzipped, beside the JSON read of the same page. Median and worst over the runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createApp, defaultConfig, seedDemo, SqliteStore } from '../packages/server/dist/index.js';
import { median } from './baseline.js';

const RUNS = Number(process.env.BENCH_SSR_RUNS ?? 40);
const ORIGIN = 'https://www.example.org';
const ADMIN = 'bench-admin-token';

const stats = (samples) => ({ median: median(samples), worst: Math.max(...samples) });
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function measure(pageSize) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-ssr-'));
  const store = SqliteStore.open(join(dir, 'bench.db'));
  try {
    const config = defaultConfig({
      allowedOrigins: [ORIGIN],
      adminToken: ADMIN,
      pageSize,
      replyRateLimit: 0,
      topicRateLimit: 0,
      writeRateLimit: 0,
    });
    const app = createApp({ store, config });
    await seedDemo(store);
    const post = (path, body) =>
      app.request(path, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Origin: ORIGIN,
          Authorization: `Bearer ${ADMIN}`,
          'X-Colloquy-Reader': 'bench-reader-0123456789',
        },
        body: JSON.stringify(body),
      });
    for (let i = 0; i < pageSize; i++) {
      const body = `Reply ${i}: a paragraph of **ordinary** length, with a [link](https://example.org/${i}) and a little more text to read.`;
      const res = await post('/api/v1/topics/rsp-update/replies', { authorName: `Reader ${i % 7}`, body });
      if (res.status !== 201) throw new Error(`reply: ${res.status}`);
    }
    const path = '/api/v1/topics/rsp-update/embed.html?lang=en';
    const get = async (headers = {}) => {
      const res = await app.request(path, { headers });
      const body = await res.text();
      return { res, body };
    };
    await get(); // loads the renderer
    const render = [];
    let lastTag = null;
    const kept = [];
    const revalidate = [];
    for (let run = 0; run < RUNS; run++) {
      // A new version: the topic's reaction toggled, so the next request renders.
      const toggled = await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' });
      if (toggled.status !== 200) throw new Error(`reaction: ${toggled.status}`);
      await toggled.arrayBuffer();
      const before = performance.now();
      const rendered = await get();
      render.push(performance.now() - before);
      if (rendered.res.headers.get('ETag') === lastTag) throw new Error('the version did not move');
      lastTag = rendered.res.headers.get('ETag');
      kept.push(await timed(() => get()));
      const { res } = await get();
      const tag = res.headers.get('ETag');
      revalidate.push(await timed(() => get({ 'If-None-Match': tag })));
    }
    const { body: html } = await get();
    const json = await (await app.request('/api/v1/topics/rsp-update')).text();
    return {
      pageSize,
      render: stats(render),
      kept: stats(kept),
      revalidate: stats(revalidate),
      html: { raw: Buffer.byteLength(html), gzip: gzipSync(html, { level: 9 }).length },
      json: { raw: Buffer.byteLength(json), gzip: gzipSync(json, { level: 9 }).length },
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const rows = [];
  for (const size of [20, 100]) rows.push(await measure(size));
  const lines = [
    '## Server-rendered fragment (embed.html)',
    '',
    `\`GET /api/v1/topics/rsp-update/embed.html\` on the app in process (SQLite file, no network), the demo topic with a first page of 20 and of 100 replies; ${RUNS} runs each, median / worst in ms. *Render*: the first request of a new topic version (read, Lit SSR of the three elements, JSON-LD, kept); *kept*: the next request of that version; *304*: a revalidation with its ETag. Bytes: the fragment (elements with their styles, the embedded read, the JSON-LD) and the JSON read of the same page, raw and gzip -9.`,
    '',
    '| replies | render | kept | 304 | fragment | JSON read |',
    '| ------- | ------ | ---- | --- | -------- | --------- |',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.pageSize} | ${ms(r.render.median)} / ${ms(r.render.worst)} | ${ms(r.kept.median)} / ${ms(r.kept.worst)} | ${ms(r.revalidate.median)} / ${ms(r.revalidate.worst)} | ${kb(r.html.raw)} (${kb(r.html.gzip)} gzip) | ${kb(r.json.raw)} (${kb(r.json.gzip)} gzip) |`,
    );
  return lines.join('\n');
}
