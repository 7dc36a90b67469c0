import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { listen } from './listen.js';

/** Longer than the grace event streams get at close(), shorter than the one writes get. */
const SLOW_WRITE_MS = 3500;

/** A stream that stays open until its client goes. */
const openStream = (c: Context) =>
  streamSSE(c, async (stream) => {
    await stream.writeSSE({ data: 'open' });
    await new Promise<void>((resolve) => stream.onAbort(resolve));
  });

describe('closing the server', () => {
  it("lets a write in flight finish, while event streams (readers' and the console's) are cut", async () => {
    let wrote = () => {};
    const writing = new Promise<void>((resolve) => (wrote = resolve));
    const app = new Hono()
      .post('/api/v1/topics/t/replies', async (c) => {
        wrote();
        await new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS));
        return c.json({ stored: true }, 201);
      })
      .get('/api/v1/topics/t/events', (c) => openStream(c))
      .get('/api/v1/admin/stream', (c) => openStream(c));
    const server = await listen(app, { port: 0, hostname: '127.0.0.1' });
    /** The order the responses ended in. */
    let order = 0;
    const call = (method: string, path: string) =>
      new Promise<{ status: number; body: string; end: number; error?: string }>((resolve) => {
        const req = request(`${server.url}${path}`, { method }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (body += chunk));
          const done = (error?: unknown) =>
            resolve({
              status: res.statusCode ?? 0,
              body,
              end: order++,
              ...(error === undefined ? {} : { error: String(error) }),
            });
          res.on('end', () => done());
          res.on('error', (error) => done(error));
          res.on('aborted', () => done('aborted'));
        });
        req.on('error', (error) => resolve({ status: 0, body: '', end: order++, error: String(error) }));
        req.end();
      });
    const stream = call('GET', '/api/v1/topics/t/events');
    const moderation = call('GET', '/api/v1/admin/stream');
    const write = call('POST', '/api/v1/topics/t/replies');
    await writing;
    const closing = server.close();
    const [written, streamed, moderated] = await Promise.all([write, stream, moderation]);
    await closing;
    assert.deepEqual([written.status, written.body, written.error], [201, '{"stored":true}', undefined]);
    assert.match(streamed.body, /data: open/);
    assert.match(moderated.body, /data: open/);
    // Both streams were cut at the streams' grace, before the write finished, not at the
    // longer bound that would have cut the write too.
    assert.ok(streamed.end < written.end && moderated.end < written.end, 'the streams end first');
  });
});
