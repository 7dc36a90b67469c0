// Two colloquy-server processes on one PostgreSQL database, as behind a load balancer: how fast
// a reply posted through one reaches readers streaming from the other, and whether both
// instances agree on ETags. Runs when COLLOQUY_BENCH_DATABASE_URL or COLLOQUY_TEST_DATABASE_URL
// names a PostgreSQL server; works in a schema of its own and drops it.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from '../scripts/free-port.js';
import { startServerProcess } from '../scripts/server-process.js';

const READERS = 100;
const REPLIES = 50;
const INTERVAL_MS = 100;
const ORIGIN = 'http://localhost:8080';
const ADMIN = 'bench-admin-token';

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs, p) =>
  xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** An SSE reader on raw http (its own socket), calling onReply(id, receivedAt) per reply-created. */
function openStream(url, onReply) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.includes('event: reply-created')) continue;
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (data) onReply(JSON.parse(data.slice(6)).id, performance.now());
        }
      });
      resolve(() => req.destroy());
    });
    req.on('error', reject);
  });
}

export async function run() {
  const url = process.env.COLLOQUY_BENCH_DATABASE_URL ?? process.env.COLLOQUY_TEST_DATABASE_URL;
  const title = '## Scale-out: two instances on PostgreSQL';
  if (!url) {
    return `${title}\n\nSkipped: set COLLOQUY_BENCH_DATABASE_URL (or COLLOQUY_TEST_DATABASE_URL) to a PostgreSQL URL.`;
  }
  const schema = `colloquy_bench_${randomBytes(4).toString('hex')}`;
  const env = {
    DATABASE_URL: url,
    COLLOQUY_DB_SCHEMA: schema,
    COLLOQUY_ADMIN_TOKEN: ADMIN,
    COLLOQUY_ALLOWED_ORIGINS: ORIGIN,
    COLLOQUY_SECRET: 'shared',
    COLLOQUY_REPLY_RATE_LIMIT: '0',
    COLLOQUY_TOPIC_RATE_LIMIT: '0',
    COLLOQUY_WRITE_RATE_LIMIT: '0',
    HOST: '127.0.0.1',
  };
  const a = await startServerProcess({ env: { ...env, PORT: String(await freePort()) } });
  const b = await startServerProcess({ env: { ...env, PORT: String(await freePort()) } });
  const closers = [];
  try {
    const created = await fetch(`${a.url}/api/v1/topics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ id: 'scale', title: 'Scale-out' }),
    });
    if (created.status !== 201) throw new Error(`creating the topic answered ${created.status}`);

    const sentAt = new Map();
    const latencies = [];
    const received = new Map();
    for (let i = 0; i < READERS; i++) {
      closers.push(
        await openStream(`${b.url}/api/v1/topics/scale/events`, (id, at) => {
          const sent = sentAt.get(id);
          if (sent !== undefined) latencies.push(at - sent);
          else received.set(id, (received.get(id) ?? []).concat(at));
        }),
      );
    }
    for (let i = 0; i < REPLIES; i++) {
      const started = performance.now();
      const res = await fetch(`${a.url}/api/v1/topics/scale/replies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
        body: JSON.stringify({ body: `Reply ${i}`, authorName: 'Bench' }),
      });
      const { id } = await res.json();
      sentAt.set(id, started);
      // Events that beat the POST's response are counted from the moment it was sent.
      for (const at of received.get(id) ?? []) latencies.push(at - started);
      received.delete(id);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    for (let i = 0; i < 50 && latencies.length < READERS * REPLIES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const etags = [];
    for (const server of [a, b]) {
      const res = await fetch(`${server.url}/api/v1/topics/scale`);
      etags.push(res.headers.get('etag'));
    }
    const notModified = await fetch(`${b.url}/api/v1/topics/scale`, {
      headers: { 'If-None-Match': etags[0] },
    });

    return [
      title,
      '',
      `Command: \`COLLOQUY_BENCH_DATABASE_URL=postgres://… npm run bench -- scale-out\`. Instance A and`,
      `instance B are two \`colloquy-server\` processes on one database (schema \`${schema}\`, dropped`,
      `afterwards). ${READERS} readers stream \`/events\` from B while ${REPLIES} replies are posted through A,`,
      `one every ${INTERVAL_MS} ms. Latency: from sending the POST to A until each reader on B has the event.`,
      '',
      '| deliveries | p50 | p99 | max |',
      '| ---: | ---: | ---: | ---: |',
      `| ${latencies.length} of ${READERS * REPLIES} | ${median(latencies).toFixed(1)} ms | ${percentile(latencies, 0.99).toFixed(1)} ms | ${Math.max(...latencies).toFixed(1)} ms |`,
      '',
      `Both instances answer the same strong ETag for the topic (${etags[0] === etags[1] ? 'yes' : 'NO'}: \`${etags[0]}\`), and B answers`,
      `${notModified.status} to an \`If-None-Match\` of A's tag, so a CDN in front may revalidate against either.`,
    ].join('\n');
  } finally {
    for (const close of closers) close();
    await Promise.all([a.stop(), b.stop()]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
