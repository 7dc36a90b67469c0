// A benchmark server in a process of its own, so that the load generator and the server each
// get a core. Run as `node bench/server-child.js <mode> <options-json>`; prints one line
// `READY <json>` once it listens on 127.0.0.1, and stops (closing its store) on SIGTERM.
//
// Modes:
// - `bare`: a bare Hono app answering a small JSON body at `/`: the ceiling of this machine.
// - `colloquy`: the real app from packages/server/dist (createApp + SqliteStore on `db`, the
//   full production middleware stack), seeded with a topic `bench` of `replies` replies
//   (every third one a child of the top-level reply before it) and an empty topic `writes`.
//   With `root`, the app comes from that checkout's build instead (see baseline.js).
//
// startBenchServer() below spawns it and waits for READY.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { serverBuild } from './baseline.js';

const SELF = fileURLToPath(import.meta.url);
export const ORIGIN = 'https://www.example.org';
export const TOPIC = 'bench';
export const WRITE_TOPIC = 'writes';

/**
 * @param {'bare' | 'colloquy'} mode
 * @param {{ db?: string, replies?: number, heartbeat?: number, root?: string }} [options]
 * @param {{ nodeArgs?: string[], cwd?: string }} [spawnOptions]
 */
export function startBenchServer(mode, options = {}, { nodeArgs = [], cwd } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, SELF, mode, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      // The whole line: a long one (many reply ids) arrives in several chunks.
      const match = /^READY (.*)\n/m.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        const info = JSON.parse(match[1]);
        resolve({ ...info, url: `http://127.0.0.1:${info.port}`, pid: child.pid, child, stop });
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.once('exit', (code) =>
      reject(new Error(`bench server (${mode}) exited with ${code} before listening:\n${output}`)),
    );
  });
}

/** Resident set size of a process in bytes, from /proc (Linux); null elsewhere. */
export async function rssOf(pid) {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function bare(options) {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  // `/payload`: a JSON body of `payloadBytes` serialized once, the ceiling for a body that size.
  const payload = Buffer.from(
    JSON.stringify({ text: 'x'.repeat(Math.max(0, (options.payloadBytes ?? 0) - 12)) }),
  );
  const app = new Hono()
    .get('/', (c) => c.json({ status: 'ok', message: 'Hello from bare Hono' }))
    .get('/payload', (c) => c.body(payload, 200, { 'Content-Type': 'application/json' }));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { port: server.address().port, close: () => new Promise((done) => server.close(() => done())) };
}

async function colloquy(options) {
  const server = await serverBuild(options.root);
  const { createApp, defaultConfig, listen, renderMarkdown, SqliteStore } = server;
  const store = SqliteStore.open(options.db);
  // Production middleware stack; rate limits off (0) so that one loopback client is not refused.
  const config = defaultConfig({
    allowedOrigins: [ORIGIN],
    adminToken: randomBytes(24).toString('hex'),
    replyRateLimit: 0,
    topicRateLimit: 0,
    writeRateLimit: 0,
    // All bench streams come from loopback, one network: the per-network cap would refuse them.
    maxStreamsPerClient: 0,
    ...(options.heartbeat !== undefined ? { heartbeatSeconds: options.heartbeat } : {}),
  });
  const topicBody = renderMarkdown('A topic for the benchmark, with **strong** text and a citation [1].');
  for (const id of [TOPIC, WRITE_TOPIC]) {
    await store.upsertTopic({
      id,
      title: `Benchmark topic ${id}`,
      url: null,
      category: { slug: 'bench', name: 'Bench', path: ['Community', 'Bench'] },
      label: 'Background',
      summary: 'A topic seeded for load tests.',
      author: { name: 'Bench Author', avatarUrl: null },
      body: topicBody.body,
      text: topicBody.text,
      sources: [{ title: 'Source', url: 'https://example.org/source' }],
      locked: false,
    });
  }
  const replyIds = [];
  let root = null;
  for (let k = 0; k < (options.replies ?? 0); k++) {
    const { body, text } = renderMarkdown(
      `Reply number ${k}: a sentence or two of *ordinary* text, as readers write them.`,
    );
    const parentId = k % 3 === 2 && root ? root : null;
    const reply = await store.createReply({
      topicId: TOPIC,
      parentId,
      authorName: `Reader ${k % 17}`,
      body,
      text,
    });
    if (parentId === null) root = reply.id;
    replyIds.push(reply.id);
  }
  const app = createApp({ store, config });
  const listening = await listen(app, { port: 0, hostname: '127.0.0.1' });
  return {
    port: listening.port,
    replyIds,
    close: async () => {
      await listening.close();
      await store.close();
    },
  };
}

if (process.argv[1] === SELF) {
  const [mode, optionsText = '{}'] = process.argv.slice(2);
  const options = JSON.parse(optionsText);
  const running = mode === 'bare' ? await bare(options) : await colloquy(options);
  const { close, ...info } = running;
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await close().catch((error) => console.error(error));
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // An orphan (the bench died) stops by itself.
  process.on('disconnect', shutdown);
  setInterval(() => {
    if (process.ppid === 1) void shutdown();
  }, 2000).unref();
}
