import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { listen, type Listening } from '../listen.js';
import { ORIGIN, testApp, type TestApp } from '../testing/helpers.js';
import { seedDemo } from '../seed.js';

/** Everything the server sends on `socket` until it closes it or `ms` pass. */
function collect(socket: Socket, ms: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const done = (closed: boolean) => {
      clearTimeout(timer);
      resolve({ text, closed });
    };
    const timer = setTimeout(() => done(false), ms);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => done(true));
    socket.on('error', () => undefined);
  });
}

describe('connections of refused requests', () => {
  let t: TestApp;
  let server: Listening;
  before(async () => {
    t = await testApp();
    await seedDemo(t.store);
    server = await listen(t.app, { port: 0, hostname: '127.0.0.1' });
  });
  after(async () => {
    await server.close();
    await t.close();
  });

  it('closes the connection after a 413 whose body it never read, so the socket is not reused', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answer = collect(socket, 5000);
    const size = t.config.maxBodyBytes * 4;
    // Headers and the start of the body; the rest is sent only once the answer is in.
    socket.write(
      'POST /api/v1/topics/rsp-update/replies HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Origin: ${ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n` +
        'Connection: keep-alive\r\n\r\n',
    );
    socket.write('x'.repeat(1024));
    const { text, closed } = await answer;
    socket.destroy();
    assert.match(text, /^HTTP\/1\.1 413 /);
    assert.match(text, /\r\nconnection: close\r\n/i);
    assert.equal(closed, true, 'the server closes the socket after the 413');
  });

  it('keeps a connection whose refused body was read to its end usable for the next request', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const answer = collect(socket, 1500);
    const body = JSON.stringify({ authorName: 'Ana', body: 'hi', parentId: 'no-such-reply' });
    const request = (b: string) =>
      'POST /api/v1/topics/rsp-update/replies HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Origin: ${ORIGIN}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(b)}\r\n\r\n${b}`;
    socket.write(request(body));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const { text } = await answer;
    socket.destroy();
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    assert.deepEqual(statuses, ['422', '200']);
  });
});
