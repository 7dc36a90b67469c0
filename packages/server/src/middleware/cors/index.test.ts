import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, ORIGIN, seededApp } from '../../testing/helpers.js';

const topicPath = (id: string) => `/api/v1/topics/${encodeURIComponent(id)}`;

describe('cors', () => {
  const t = seededApp();
  const { postReply } = t;

  describe('CORS', () => {
    it('reflects an allowed origin with Vary and exposed headers', async () => {
      const res = await t.app.request(topicPath('rsp-update'), { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
      assert.match(res.headers.get('Vary')!, /Origin/);
      assert.match(res.headers.get('Access-Control-Expose-Headers')!, /ETag/);
      assert.match(res.headers.get('Access-Control-Expose-Headers')!, /Location/);
      assert.equal(res.headers.get('Access-Control-Allow-Credentials'), null);
    });

    it('adds CORS headers to error responses for an allowed origin', async () => {
      const res = await t.app.request(topicPath('nope-nope'), { headers: { Origin: ORIGIN } });
      await expectProblem(res, 404);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
    });

    it('gives a foreign origin no CORS headers on reads and 403 on writes', async () => {
      const read = await t.app.request(topicPath('rsp-update'), {
        headers: { Origin: 'https://evil.example' },
      });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('Access-Control-Allow-Origin'), null);
      const write = await postReply(
        'rsp-update',
        { authorName: 'a', body: 'b' },
        { Origin: 'https://evil.example' },
      );
      const problem = await expectProblem(write, 403);
      assert.match(problem.detail, /COLLOQUY_ALLOWED_ORIGINS/);
    });

    it('answers a preflight from an allowed origin, refuses a foreign one', async () => {
      const res = await t.app.request('/api/v1/topics/rsp-update/replies', {
        method: 'OPTIONS',
        headers: {
          Origin: ORIGIN,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
      assert.equal(res.headers.get('Access-Control-Allow-Methods'), 'GET, POST, PATCH, DELETE, OPTIONS');
      assert.equal(
        res.headers.get('Access-Control-Allow-Headers'),
        'Content-Type, Authorization, X-Colloquy-Reader, X-Colloquy-Edit-Token, X-Colloquy-Proof, Last-Event-ID',
      );
      assert.equal(res.headers.get('Access-Control-Allow-Credentials'), null);
      assert.match(res.headers.get('Vary')!, /Origin/);
      const foreign = await t.app.request('/api/v1/topics/rsp-update/replies', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
      });
      await expectProblem(foreign, 403);
      assert.equal(foreign.headers.get('Access-Control-Allow-Origin'), null);
    });
  });

  const replies = '/api/v1/topics/rsp-update/replies';
  const write = (path: string, headers: Record<string, string>) =>
    t.app.request(path, {
      method: 'POST',
      headers,
      body: JSON.stringify({ authorName: 'Ann', body: 'Hello' }),
    });

  it('sends CORS headers only to allowed origins, always with Vary: Origin and never credentials', async () => {
    for (const origin of [ORIGIN, 'https://evil.example', undefined]) {
      const res = await t.app.request('/api/v1/topics/rsp-update', {
        headers: origin ? { Origin: origin } : {},
      });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('Vary') ?? '', /Origin/, `Vary for ${origin}`);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), origin === ORIGIN ? ORIGIN : null);
      assert.equal(res.headers.get('Access-Control-Allow-Credentials'), null);
    }
    const refused = await write(replies, {
      'Content-Type': 'application/json',
      Origin: 'https://evil.example',
    });
    await expectProblem(refused, 403);
    assert.equal(refused.headers.get('Access-Control-Allow-Origin'), null);
    assert.match(refused.headers.get('Vary') ?? '', /Origin/);
    const preflight = await t.app.request(replies, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'POST' },
    });
    await expectProblem(preflight, 403);
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), null);
  });
});
