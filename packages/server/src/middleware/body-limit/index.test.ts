import { describe, it } from 'node:test';
import { expectProblem, ORIGIN, seededApp } from '../../testing/helpers.js';

describe('body-limit', () => {
  const t = seededApp();

  describe('request bodies', () => {
    const path = '/api/v1/topics/rsp-update/replies';
    it('answers 413 to a body over maxBodyBytes, by Content-Length or by streaming', async () => {
      const big = JSON.stringify({ authorName: 'a', body: 'x'.repeat(t.config.maxBodyBytes) });
      const declared = await t.app.request(path, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Origin: ORIGIN,
          'Content-Length': String(Buffer.byteLength(big)),
        },
        body: big,
      });
      await expectProblem(declared, 413);
      const stream = new ReadableStream({
        start(controller) {
          for (let k = 0; k < 80; k++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
          controller.close();
        },
      });
      const streamed = await t.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      await expectProblem(streamed, 413);
    });
  });
});
