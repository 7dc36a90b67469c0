// What a reader sees behind the reference nginx deployment (examples/deploy/nginx) while
// instances go away: a rolling restart of both instances, and an instance killed with SIGKILL.
// Needs COLLOQUY_BENCH_DATABASE_URL (or COLLOQUY_TEST_DATABASE_URL) and nginx.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { NGINX, startDeployment } from '../examples/deploy/nginx/start.js';

const DATABASE_URL = process.env.COLLOQUY_BENCH_DATABASE_URL ?? process.env.COLLOQUY_TEST_DATABASE_URL;
const ORIGIN = 'http://localhost:8080';
const TOPIC = 'rsp-update';
/** Rounds of the read-and-write loop, at most, and its longest run. */
const MAX_ROUNDS = 2000;
const MAX_MS = 120_000;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Reads and writes through nginx while `during()` runs: statuses and times of each. */
async function loop(url, during) {
  const results = [];
  let running = true;
  const work = during().finally(() => (running = false));
  const started = Date.now();
  for (let k = 0; running && k < MAX_ROUNDS && Date.now() - started < MAX_MS; k++) {
    const timed = async (what, path, init = {}) => {
      const t0 = performance.now();
      const res = await fetch(`${url}${path}`, { ...init, headers: { Origin: ORIGIN, ...init.headers } });
      await res.arrayBuffer();
      results.push({ what, status: res.status, ms: performance.now() - t0 });
    };
    await timed('write', `/api/v1/topics/${TOPIC}/replies`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ authorName: 'Bench', body: `round ${k}` }),
    });
    await timed('read', `/api/v1/topics/${TOPIC}?limit=${1 + (k % 50)}`);
  }
  await work;
  return results;
}

function summary(results) {
  return ['read', 'write'].map((what) => {
    const mine = results.filter((r) => r.what === what);
    const failed = mine.filter((r) => r.status >= 500).length;
    const times = mine.map((r) => r.ms);
    return `| ${what}s | ${mine.length} | ${failed} | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 99).toFixed(1)} ms | ${Math.max(...times).toFixed(0)} ms |`;
  });
}

/** Time from SIGKILL of the instance holding a stream until that stream delivers a new event. */
async function failover(deployment) {
  const times = [];
  for (let k = 0; k < 6; k++) {
    const controller = new AbortController();
    const received = [];
    let resolveEvent;
    // Where the reader's read ended (asked of an instance, past nginx's cache): the widget
    // starts its stream there, as `after`.
    const read = await fetch(`${deployment.servers[0].url}/api/v1/topics/${TOPIC}`, {
      headers: { Origin: ORIGIN },
    });
    let lastId = (await read.json()).lastEventId;
    const stream = (async () => {
      // A reader's EventSource, reconnecting with Last-Event-ID as the browser does.
      while (!controller.signal.aborted) {
        try {
          const res = await fetch(`${deployment.url}/api/v1/topics/${TOPIC}/events`, {
            headers: { Origin: ORIGIN, ...(lastId ? { 'Last-Event-ID': lastId } : {}) },
            signal: controller.signal,
          });
          const decoder = new TextDecoder();
          let buffer = '';
          for await (const chunk of res.body) {
            buffer += decoder.decode(chunk, { stream: true });
            for (let end; (end = buffer.indexOf('\n\n')) !== -1; ) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const id = /^id: (\d+)$/m.exec(frame)?.[1];
              if (id) lastId = id;
              if (/^event: reply-created$/m.test(frame)) {
                received.push(performance.now());
                resolveEvent?.();
              }
            }
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        // EventSource's retry (3 s, as the server sends it).
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const victim = k % 2;
    const killedAt = performance.now();
    await deployment.kill(victim);
    const posted = await fetch(`${deployment.url}/api/v1/topics/${TOPIC}/replies`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ authorName: 'Bench', body: `after a kill ${k}` }),
    });
    await posted.arrayBuffer();
    const before = received.length;
    try {
      await new Promise((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error('no event within 30 s of a kill')), 30_000);
        resolveEvent = () => {
          if (received.length <= before) return;
          clearTimeout(timeout);
          resolve();
        };
        if (received.length > before) resolveEvent();
      });
    } finally {
      controller.abort();
    }
    times.push(received.at(-1) - killedAt);
    await stream;
    await deployment.revive(victim);
  }
  return times;
}

export async function run() {
  const heading = '## Deployment: nginx in front of two instances';
  if (!DATABASE_URL) return `${heading}\n\nSkipped: COLLOQUY_BENCH_DATABASE_URL is not set.`;
  if (!existsSync(NGINX)) return `${heading}\n\nSkipped: nginx is not installed at ${NGINX}.`;
  const schema = `colloquy_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const deployment = await startDeployment({
    databaseUrl: DATABASE_URL,
    instances: 2,
    env: {
      COLLOQUY_DB_SCHEMA: schema,
      COLLOQUY_ALLOWED_ORIGINS: ORIGIN,
      COLLOQUY_REPLY_RATE_LIMIT: '0',
      COLLOQUY_WRITE_RATE_LIMIT: '0',
      COLLOQUY_TOPIC_RATE_LIMIT: '0',
    },
  });
  try {
    console.log('deploy: quiet loop');
    const quiet = await loop(deployment.url, () => new Promise((resolve) => setTimeout(resolve, 10_000)));
    console.log('deploy: rolling restart');
    const rolling = await loop(deployment.url, () => deployment.rollingRestart());
    console.log('deploy: failover');
    const kills = await failover(deployment);
    return [
      heading,
      '',
      '`npm run bench -- deploy`: `examples/deploy/nginx` on loopback (nginx 1.22, two instances on',
      'PostgreSQL, one schema of its own, dropped afterwards). A loop of one reply posted and one',
      'topic read (a page size nginx has not cached) at a time, through nginx, while nothing',
      'happens for 10 s and then while both instances are restarted in turn (SIGTERM, start again,',
      "wait for nginx's fail_timeout, next).",
      '',
      '| while | requests | 5xx | p50 | p99 | worst |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...summary(quiet).map((row) => row.replace(/^\| /, '| nothing happens: ')),
      ...summary(rolling).map((row) => row.replace(/^\| /, '| rolling restart: ')),
      '',
      `A reader streaming through nginx while an instance is killed with SIGKILL, ${kills.length} times (each`,
      'instance in turn, so some kills hit the instance holding the stream and some the other): a',
      "stream cut by the kill reconnects through nginx to the surviving instance after EventSource's",
      '3 s retry, with `Last-Event-ID`, and gets the reply posted after the kill, as a stream the kill',
      `missed gets it at once. From the kill to that event: median ${percentile(kills, 50).toFixed(0)} ms,`,
      `worst ${Math.max(...kills).toFixed(0)} ms (the reconnect).`,
    ].join('\n');
  } finally {
    await deployment.stop();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}
