// Moderation: the console's queue reads over a store of many replies, through the store the
// server uses (SQLite always; PostgreSQL when COLLOQUY_BENCH_DATABASE_URL or
// COLLOQUY_TEST_DATABASE_URL is set, in a schema of its own, dropped afterwards). Each read is
// timed over many runs: median and worst, never the best.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore, renderMarkdown, SqliteStore } from '../packages/server/dist/index.js';
import { decodeCursor } from '../packages/server/dist/store/cursor.js';

const REPLIES = Number(process.env.BENCH_MODERATION_REPLIES ?? 20_000);
const RUNS = Number(process.env.BENCH_MODERATION_RUNS ?? 100);
const TOPICS = 50;
const WORDS = ['policy', 'scaling', 'safety', 'model', 'release', 'evaluation', 'risk', 'capability'];
const PG_URL = process.env.COLLOQUY_BENCH_DATABASE_URL ?? process.env.COLLOQUY_TEST_DATABASE_URL;

const median = (sorted) => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
const hash = (key) => createHash('sha256').update(key).digest();

async function fill(store) {
  for (let t = 0; t < TOPICS; t++) {
    await store.upsertTopic({
      id: `t${t}`,
      title: `Topic ${t}`,
      url: null,
      category: null,
      label: null,
      summary: null,
      author: null,
      ...renderMarkdown('Body'),
      sources: [],
      locked: false,
    });
  }
  for (let k = 0; k < REPLIES; k++) {
    const words = Array.from({ length: 12 }, (_, j) => WORDS[(k * 7 + j * 3) % WORDS.length]).join(' ');
    const text = k % 1000 === 0 ? `${words} zeppelin` : words;
    const reply = await store.createReply({
      topicId: `t${k % TOPICS}`,
      parentId: null,
      authorName: `Author ${k % 500}`,
      ...renderMarkdown(text),
      status: k % 20 === 0 ? 'pending' : 'published',
      readerHash: hash(`reader-${k % 2000}`),
      clientPrefix: `10.${(k >> 8) % 256}.${k % 256}.0/24`,
      notify: false,
    });
    if (k % 50 === 0) await store.recordReport(reply.id, { reporter: `r${k}`, reason: null }).catch(() => {});
  }
}

async function deepCursor(store, pages) {
  let cursor = null;
  for (let p = 0; p < pages; p++) {
    const page = await store.moderationQueue({ queue: 'recent' }, { limit: 50, cursor });
    if (!page.nextCursor) break;
    cursor = decodeCursor(page.nextCursor);
  }
  return cursor;
}

async function measure(store) {
  const deep = await deepCursor(store, 20);
  const reads = [
    ['awaiting review, first page', { queue: 'pending' }, null],
    ['reported, first page', { queue: 'reported' }, null],
    ['recent, first page', { queue: 'recent' }, null],
    ['recent, page 21 (keyset)', { queue: 'recent' }, deep],
    ['recent by topic', { queue: 'recent', topicId: 't7' }, null],
    ['recent by author', { queue: 'recent', author: 'author 42' }, null],
    ['recent by reader', { queue: 'recent', readerHash: hash('reader-42') }, null],
    ['recent by network', { queue: 'recent', network: '10.3.7.0/24' }, null],
    ['search, a common word', { queue: 'recent', search: 'safety' }, null],
    ['search, a rare word', { queue: 'recent', search: 'zeppelin' }, null],
    ['search, two words', { queue: 'recent', search: 'zeppelin policy' }, null],
  ];
  const rows = [];
  for (const [name, filter, cursor] of reads) {
    const samples = [];
    let count = 0;
    for (let i = 0; i < 5; i++) await store.moderationQueue(filter, { limit: 50, cursor });
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const page = await store.moderationQueue(filter, { limit: 50, cursor });
      samples.push(performance.now() - start);
      count = page.items.length;
    }
    samples.sort((a, b) => a - b);
    rows.push({ name, count, median: median(samples), worst: samples[samples.length - 1] });
  }
  return rows;
}

const table = (rows) =>
  [
    '| read (50 a page) | replies on the page | median ms | worst ms |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.count} | ${ms(r.median)} | ${ms(r.worst)} |`),
  ].join('\n');

export async function run() {
  const out = [
    '## Moderation queues',
    '',
    `The console's queue reads (\`store.moderationQueue\`, as \`GET /api/v1/admin/queue\` runs it) over ${REPLIES.toLocaleString('en-US')} replies in ${TOPICS} topics (5% awaiting review, 2% reported), ${RUNS} timed runs each after 5 warm-up runs. Reproduce with \`npm run bench -- moderation\` (\`BENCH_MODERATION_REPLIES\`, \`BENCH_MODERATION_RUNS\`).`,
    '',
  ];
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-moderation-'));
  try {
    const sqlite = SqliteStore.open(join(dir, 'bench.db'));
    await fill(sqlite);
    out.push('### SQLite', '', table(await measure(sqlite)), '');
    await sqlite.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!PG_URL) {
    out.push('### PostgreSQL', '', 'Skipped: set COLLOQUY_BENCH_DATABASE_URL to measure PostgreSQL.', '');
    return out.join('\n');
  }
  const schema = `bench_moderation_${randomBytes(4).toString('hex')}`;
  const store = await PostgresStore.open(PG_URL, { schema });
  try {
    await fill(store);
    const analyze = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await analyze.query(`ANALYZE "${schema}".replies`);
    await analyze.end();
    out.push('### PostgreSQL', '', table(await measure(store)), '');
  } finally {
    await store.close();
    const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
  return out.join('\n');
}
