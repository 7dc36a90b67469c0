// Largest read: a topic whose one thread has 5,000 replies, each at the longest body a reply
// may have, read as a page of the topic and of its replies (limit=1, the smallest page a
// client can ask for). Pages hold at most MAX_PAGE_REPLIES replies and MAX_PAGE_CONTENT of their
// content in all, so this is the largest read any topic allows: its bytes and the server's time for it (app.request() on the
// real app over a SQLite file: the route, the store's read and serialization, no network),
// median and worst over the runs, and how long /healthz waits while ten such reads run at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PAGE_CONTENT, MAX_PAGE_REPLIES, MAX_REPLY_BODY_LENGTH } from '../packages/api/dist/index.js';
import { createApp, defaultConfig, renderMarkdown, SqliteStore } from '../packages/server/dist/index.js';

const THREAD = Number(process.env.BENCH_LARGEST_READ_REPLIES ?? 5000);
const RUNS = Number(process.env.BENCH_LARGEST_READ_RUNS ?? 20);
const PARALLEL = 10;
const HEALTH_ROUNDS = 5;

/** Bodies of the longest length a reply may have: plain text, and the Markdown whose tree is largest per character. */
const BODIES = {
  'plain text': 'x'.repeat(MAX_REPLY_BODY_LENGTH),
  'emphasis every 4 characters': '*a* '.repeat(MAX_REPLY_BODY_LENGTH / 4).trim(),
};

const median = (sorted) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(sorted), worst: sorted[sorted.length - 1] };
};
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

async function measure(label, markdown) {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-largest-'));
  const store = SqliteStore.open(join(dir, 'bench.db'));
  try {
    // A new app has an empty read cache: its first read of a page reads and serializes it.
    const newApp = () =>
      createApp({
        store,
        config: defaultConfig({
          allowedOrigins: ['https://www.example.org'],
          replyRateLimit: 0,
          topicRateLimit: 0,
          writeRateLimit: 0,
        }),
      });
    const app = newApp();
    await store.upsertTopic({
      id: 'huge',
      title: 'Huge',
      url: null,
      category: null,
      label: null,
      summary: null,
      author: null,
      ...renderMarkdown('One thread of many replies.'),
      sources: [],
      locked: false,
    });
    const rendered = renderMarkdown(markdown);
    const root = await store.createReply({
      topicId: 'huge',
      parentId: null,
      authorName: 'Root',
      ...rendered,
    });
    let parent = root.id;
    for (let k = 1; k < THREAD; k++) {
      // Half answer the root, half the previous answer: nesting as deep threads have it.
      const reply = await store.createReply({
        topicId: 'huge',
        parentId: k % 2 ? root.id : parent,
        authorName: `Reader ${k}`,
        ...rendered,
        notify: false,
      });
      if (k % 2) parent = reply.id;
    }
    const rows = [];
    for (const path of ['/api/v1/topics/huge?limit=1', '/api/v1/topics/huge/replies?limit=1']) {
      const times = [];
      let bytes = 0;
      let replies = 0;
      const cached = [];
      for (let run = 0; run < RUNS + 2; run++) {
        const cold = newApp();
        const timed = async (target) => {
          const start = performance.now();
          const res = await target.request(path);
          const body = await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
          return { elapsed: performance.now() - start, body };
        };
        const first = await timed(cold);
        const again = await timed(cold);
        if (run < 2) continue; // warm-up
        times.push(first.elapsed);
        cached.push(again.elapsed);
        bytes = Math.max(bytes, first.body.byteLength);
        replies = JSON.parse(new TextDecoder().decode(first.body)).replies.length;
      }
      rows.push({ path, bytes, replies, ...stats(times), cached: stats(cached) });
    }
    // /healthz while PARALLEL largest reads are in flight, each on an empty cache.
    const waits = [];
    for (let round = 0; round < HEALTH_ROUNDS; round++) {
      const reads = Array.from({ length: PARALLEL }, () =>
        newApp()
          .request('/api/v1/topics/huge?limit=1')
          .then((r) => r.arrayBuffer()),
      );
      const start = performance.now();
      const health = await app.request('/healthz');
      await health.arrayBuffer();
      waits.push(performance.now() - start);
      await Promise.all(reads);
    }
    return { label, rows, health: stats(waits) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const results = [];
  const load = [loadavg()[0]];
  for (const [label, markdown] of Object.entries(BODIES)) {
    results.push(await measure(label, markdown));
    load.push(loadavg()[0]);
  }
  return [
    '## Largest read',
    '',
    `A topic with one thread of ${THREAD.toLocaleString('en')} replies, every body ${MAX_REPLY_BODY_LENGTH.toLocaleString('en')} characters`,
    `(the longest a reply may be), read with \`limit=1\`: a page holds at most ${MAX_PAGE_REPLIES} replies and`,
    `${MAX_PAGE_CONTENT.toLocaleString('en')} characters of their trees and texts in all, so this is the largest read of any topic.`,
    'Server time is `app.request()` on the real app over a SQLite file (route, store read,',
    `serialization; no network), ${RUNS} runs after 2 warm-up runs. "Uncached" is the first read of`,
    'a new app, whose read cache is empty (what the first reader after a change pays); "cached" is the',
    'same read again, which the read cache answers. `/healthz` is asked while',
    `${PARALLEL} uncached largest reads are in flight, ${HEALTH_ROUNDS} rounds. Before pages were bounded, the same`,
    'topic answered every read with all 5,000 replies (about 21.6 MB at about 0.5 s CPU for plain',
    'replies of an ordinary length); bounded by count alone (300 replies), the emphasis bodies made',
    'a 45.8 MB page at 1.26 s median, too large for the read cache.',
    `One-minute load average at the start and after each body: ${load.map((l) => l.toFixed(1)).join(', ')} (2 cores).`,
    '',
    '| bodies | read | replies | bytes | uncached median | worst | cached median | worst |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.flatMap(({ label, rows }) =>
      rows.map(
        (r) =>
          `| ${label} | \`${r.path}\` | ${r.replies} | ${mb(r.bytes)} | ${ms(r.median)} ms | ${ms(r.worst)} ms | ${ms(r.cached.median)} ms | ${ms(r.cached.worst)} ms |`,
      ),
    ),
    '',
    '| bodies | `/healthz` during 10 uncached largest reads: median | worst |',
    '| --- | ---: | ---: |',
    ...results.map(({ label, health }) => `| ${label} | ${ms(health.median)} ms | ${ms(health.worst)} ms |`),
    '',
  ].join('\n');
}
