/**
 * Two server processes on one PostgreSQL database, as behind a load balancer: a reader whose
 * event stream is on B sees a reply posted through A, and after B restarts, resumes from its
 * last event id without losing what was posted meanwhile. Needs COLLOQUY_TEST_DATABASE_URL;
 * runs in a schema of its own, dropped afterwards.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { Reply } from '@colloquy/api';
import { ADMIN_TOKEN, ORIGIN } from '../testing/helpers.js';
import { startServer, type ServerProcess } from '../testing/processes.js';
import { SseReader } from '../testing/sse.js';

const DATABASE_URL = process.env.COLLOQUY_TEST_DATABASE_URL;
const SKIP_REASON =
  'COLLOQUY_TEST_DATABASE_URL is not set: the two-instance test skipped (set it to e.g. postgres://root@127.0.0.1:5432/test)';
if (!DATABASE_URL) console.log(SKIP_REASON);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** `promise`, or a failure naming `what` after `ms` milliseconds. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

describe('two server processes on one PostgreSQL database', {
  skip: DATABASE_URL ? false : SKIP_REASON,
}, () => {
  const schema = `colloquy_test_two_${process.pid}_${randomBytes(4).toString('hex')}`;
  const running: ServerProcess[] = [];
  const env = (port: number) => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: DATABASE_URL!,
    COLLOQUY_DB_SCHEMA: schema,
    COLLOQUY_ADMIN_TOKEN: ADMIN_TOKEN,
    COLLOQUY_ALLOWED_ORIGINS: ORIGIN,
    COLLOQUY_SECRET: 'shared-by-both-instances',
  });
  const start = async (port: number) => {
    const server = await startServer(env(port));
    running.push(server);
    return server;
  };
  const stop = async (server: ServerProcess) => {
    server.child.kill('SIGTERM');
    await server.exited;
  };

  after(async () => {
    await Promise.all(running.map(stop));
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  async function post(server: ServerProcess, body: string): Promise<Reply> {
    const res = await fetch(`${server.url}/api/v1/topics/shared/replies`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify({ body, authorName: 'Ada' }),
    });
    assert.equal(res.status, 201);
    return (await res.json()) as Reply;
  }

  /** The reply-created events of a stream, skipping the counts events between them. */
  async function nextReplyCreated(reader: SseReader) {
    for (;;) {
      const event = await reader.event();
      if (event.event === 'reply-created') return { id: event.id, reply: JSON.parse(event.data) as Reply };
    }
  }

  it('delivers a reply posted through A to a reader on B, and replays what B missed while down', async () => {
    const a = await start(0);
    const portB = await freePort();
    let b = await start(portB);
    const created = await fetch(`${a.url}/api/v1/topics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ id: 'shared', title: 'Shared by two servers' }),
    });
    assert.equal(created.status, 201);

    const stream = await fetch(`${b.url}/api/v1/topics/shared/events`);
    assert.equal(stream.status, 200);
    const reader = new SseReader(stream);
    const first = await post(a, 'Posted through A.');
    const seen = await within(1000, nextReplyCreated(reader), 'event on B for the reply posted through A');
    assert.equal(seen.reply.id, first.id);
    assert.equal(seen.reply.text, 'Posted through A.');
    // Read up to the last event so far (the counts event after the reply), as a browser would.
    const counts = await reader.event();
    assert.equal(counts.event, 'counts');
    const lastEventId = counts.id;

    await stop(b);
    await reader.cancel().catch(() => {});
    const missed = [await post(a, 'Missed one.'), await post(a, 'Missed two.')];
    b = await start(portB);

    const resumed = await fetch(`${b.url}/api/v1/topics/shared/events`, {
      headers: { 'Last-Event-ID': lastEventId },
    });
    assert.equal(resumed.status, 200);
    const again = new SseReader(resumed);
    const replayed = [await nextReplyCreated(again), await nextReplyCreated(again)];
    assert.deepEqual(
      replayed.map((event) => event.reply.id),
      missed.map((reply) => reply.id),
    );
    assert.ok(
      replayed.every((event) => BigInt(event.id) > BigInt(lastEventId)),
      'only events after the last one seen',
    );
    await again.cancel();
  });
});
