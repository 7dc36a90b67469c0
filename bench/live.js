// Live connections: 1,000 Server-Sent Event streams open on one server (SQLite, MemoryBus,
// default heartbeat) while replies keep coming through the API: the server's memory and the
// delay from a reply's POST to each stream receiving its `reply-created` event.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORIGIN, TOPIC, rssOf, startBenchServer } from './server-child.js';

const CONNECTIONS = Number(process.env.BENCH_LIVE_CONNECTIONS ?? 1000);
const RATE = 10; // replies a second
const POST_SECONDS = 20;
const CONNECT_BATCH = 100;
const SETTLE_MS = 2000;

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes) => (bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

/** One event stream over its own socket (`agent: false`); calls onReply(seq, at) per reply-created. */
function openStream(port, onReply) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/v1/topics/${TOPIC}/events`,
        headers: { Accept: 'text/event-stream', Origin: ORIGIN },
        agent: false,
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`event stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk) => {
          const at = performance.now();
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!frame.includes('event: reply-created')) continue;
            const match = /Live reply #(\d+)#/.exec(frame);
            if (match) onReply(Number(match[1]), at);
          }
        });
        res.on('error', () => {});
        resolve({ close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.setTimeout(0);
    req.end();
  });
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-bench-live-'));
  const server = await startBenchServer('colloquy', { db: join(dir, 'colloquy.db'), replies: 20 });
  const streams = [];
  try {
    // A few reads and writes first, so the baseline is a server that has served something.
    for (let k = 0; k < 20; k++) await (await fetch(`${server.url}/api/v1/topics/${TOPIC}`)).arrayBuffer();
    await sleep(500);
    const rssBefore = await rssOf(server.pid);

    const sentAt = new Map();
    /** Per reply: the delays of its deliveries, in ms. */
    const delays = new Map();
    let deliveries = 0;
    const onReply = (seq, at) => {
      const sent = sentAt.get(seq);
      if (sent === undefined) return;
      delays.get(seq).push(at - sent);
      deliveries++;
    };
    const connectStart = performance.now();
    for (let k = 0; k < CONNECTIONS; k += CONNECT_BATCH) {
      const batch = [];
      for (let j = k; j < Math.min(CONNECTIONS, k + CONNECT_BATCH); j++)
        batch.push(openStream(server.port, onReply));
      streams.push(...(await Promise.all(batch)));
    }
    const connectMs = performance.now() - connectStart;
    await sleep(SETTLE_MS);
    const rssConnected = await rssOf(server.pid);

    // Replies at a steady rate through the API, as readers post them.
    let failed = 0;
    const posts = [];
    let peakRss = rssConnected ?? 0;
    const total = RATE * POST_SECONDS;
    const start = performance.now();
    for (let seq = 0; seq < total; seq++) {
      const due = start + (seq * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      delays.set(seq, []);
      sentAt.set(seq, performance.now());
      posts.push(
        fetch(`${server.url}/api/v1/topics/${TOPIC}/replies`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Origin: ORIGIN,
            'X-Colloquy-Reader': `live-bench-reader-${seq % 50}`,
          },
          body: JSON.stringify({
            authorName: 'Live Bench',
            body: `Live reply #${seq}# posted while ${CONNECTIONS} streams listen.`,
          }),
        }).then(
          async (res) => {
            if (res.status !== 201) failed++;
            await res.arrayBuffer();
          },
          () => failed++,
        ),
      );
      if (seq % RATE === 0) peakRss = Math.max(peakRss, (await rssOf(server.pid)) ?? 0);
    }
    await Promise.all(posts);
    // Until every stream has every reply, or a few seconds more.
    const deadline = performance.now() + 10_000;
    while (deliveries < total * CONNECTIONS && performance.now() < deadline) await sleep(100);
    const rssAfterPosts = await rssOf(server.pid);
    peakRss = Math.max(peakRss, rssAfterPosts ?? 0);

    for (const stream of streams.splice(0)) stream.close();
    await sleep(SETTLE_MS);
    const rssClosed = await rssOf(server.pid);

    const all = [...delays.values()].flat().sort((a, b) => a - b);
    const lastPerReply = [...delays.values()]
      .filter((d) => d.length === CONNECTIONS)
      .map((d) => Math.max(...d))
      .sort((a, b) => a - b);
    const expected = total * CONNECTIONS;
    const perConnection =
      rssConnected !== null && rssBefore !== null ? (rssConnected - rssBefore) / CONNECTIONS : null;
    const fmt = (v) => (v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
    return [
      '## Live connections',
      '',
      '`npm run bench -- live` (bench/live.js). One server process (`bench/server-child.js`:',
      '`createApp` with `SqliteStore` on a temp file, the in-process `MemoryBus`, the default',
      `15 s heartbeat, rate limits off); ${CONNECTIONS.toLocaleString('en')} event streams (\`GET /api/v1/topics/:id/events\`)`,
      'from the bench process, each over its own socket (`http.request` with `agent: false`).',
      `While all are open, ${total} replies are posted through the API at ${RATE} a second for ${POST_SECONDS} s;`,
      "the delay is from just before a POST is sent to the moment a stream's socket delivers the",
      "chunk holding that reply's `reply-created` event (the send time is kept per reply, on the",
      'same clock). Server memory is VmRSS from `/proc/<pid>/status`.',
      '',
      '| | |',
      '| --- | ---: |',
      `| streams opened | ${CONNECTIONS.toLocaleString('en')} in ${(connectMs / 1000).toFixed(1)} s |`,
      `| server RSS before the streams | ${mib(rssBefore)} |`,
      `| server RSS with ${CONNECTIONS.toLocaleString('en')} streams open, idle | ${mib(rssConnected)} (${perConnection === null ? 'n/a' : `${(perConnection / 1024).toFixed(1)} KiB`} a stream) |`,
      `| server RSS after the replies, streams still open (peak seen) | ${mib(rssAfterPosts)} (${mib(peakRss)}) |`,
      `| server RSS ${SETTLE_MS / 1000} s after the streams closed | ${mib(rssClosed)} |`,
      `| replies posted (failed) | ${total} (${failed}) |`,
      `| \`reply-created\` deliveries | ${deliveries.toLocaleString('en')} of ${expected.toLocaleString('en')} |`,
      `| delivery delay p50 / p99 / max, over all deliveries | ${fmt(percentile(all, 50))} / ${fmt(percentile(all, 99))} / ${fmt(all[all.length - 1])} |`,
      `| time until the last stream has a reply, p50 / p99 over replies | ${fmt(percentile(lastPerReply, 50))} / ${fmt(percentile(lastPerReply, 99))} |`,
      '',
      'Each reply is one write (with its `reply-created` and `counts` events) and one bus notice;',
      'every stream then reads the events after its last one from the store and writes them out,',
      `so one reply costs ${CONNECTIONS.toLocaleString('en')} small indexed reads and socket writes on the server's one core.`,
      'Machine-independent notes: the bench process parses all streams on the other core, so its',
      'own delay is part of the figures; RSS includes the V8 heap, which grows and is collected',
      'in steps, so differences of a few MiB are noise. No target is set for this part.',
    ].join('\n');
  } finally {
    for (const stream of streams) stream.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
