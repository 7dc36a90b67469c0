import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { listen } from './listen.js';

/** Longer than the grace event streams get at close(), shorter than the one writes get. */
const SLOW_WRITE_MS = 3500;

describe('closing the server', () => {
  it('lets a write in flight finish, while event streams are cut', async () => {
    let wrote = () => {};
    const writing = new Promise<void>((resolve) => (wrote = resolve));
    const app = new Hono()
      .post('/api/v1/topics/t/replies', async (c) => {
        wrote();
        await new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS));
        return c.json({ stored: true }, 201);
      })
      .get('/api/v1/topics/t/events', (c) =>
        streamSSE(c, async (stream) => {
          await stream.writeSSE({ data: 'open' });
          await new Promise<void>((resolve) => stream.onAbort(resolve));
        }),
      );
    const server = await listen(app, { port: 0, hostname: '127.0.0.1' });
    const call = (method: string, path: string) =>
      new Promise<{ status: number; body: string; error?: string }>((resolve) => {
        const req = request(`${server.url}${path}`, { method }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.on('error', (error) => resolve({ status: res.statusCode ?? 0, body, error: String(error) }));
        });
        req.on('error', (error) => resolve({ status: 0, body: '', error: String(error) }));
        req.end();
      });
    const stream = call('GET', '/api/v1/topics/t/events');
    const write = call('POST', '/api/v1/topics/t/replies');
    await writing;
    const closed = server.close();
    const [written, streamed] = await Promise.all([write, stream]);
    await closed;
    assert.deepEqual([written.status, written.body, written.error], [201, '{"stored":true}', undefined]);
    assert.match(streamed.body, /data: open/);
  });
});
