import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADMIN_TOKEN, expectProblem, ORIGIN, seededApp } from '../../testing/helpers.js';

const READER = 'reader-key-0123456789';
const replyBody = JSON.stringify({ authorName: 'Ann', body: 'Hello' });

describe('cross-site writes', () => {
  const t = seededApp();

  const write = (
    path: string,
    headers: Record<string, string>,
    body: BodyInit | null = replyBody,
    method = 'POST',
  ) => t.app.request(path, { method, headers, body });
  const replies = '/api/v1/topics/rsp-update/replies';
  const reactions = '/api/v1/topics/rsp-update/reactions';

  it('accepts a JSON write from an allowed origin', async () => {
    const res = await write(replies, { 'Content-Type': 'application/json', Origin: ORIGIN });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), ORIGIN);
    assert.match(res.headers.get('Vary')!, /Origin/);
    assert.equal(res.headers.get('Access-Control-Allow-Credentials'), null);
  });

  for (const [name, contentType, body] of [
    ['text/plain', 'text/plain', replyBody],
    ['text/plain with charset', 'text/plain;charset=UTF-8', replyBody],
    ['a form', 'application/x-www-form-urlencoded', 'authorName=Ann&body=Hello'],
    [
      'multipart',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nHello\r\n--x--\r\n',
    ],
    ['no Content-Type', undefined, replyBody],
    ['a JSON look-alike', 'application/jsonp', replyBody],
  ] as const) {
    it(`answers 415 to ${name} from an allowed origin`, async () => {
      const headers: Record<string, string> = { Origin: ORIGIN, 'X-Colloquy-Reader': READER };
      // A Blob body with no type leaves the request without a Content-Type header.
      const res = await write(
        replies,
        contentType ? { ...headers, 'Content-Type': contentType } : headers,
        contentType ? body : new Blob([body]),
      );
      const problem = await expectProblem(res, 415);
      assert.match(problem.detail, /application\/json/);
      await expectProblem(
        await write(
          reactions,
          contentType ? { ...headers, 'Content-Type': contentType } : headers,
          contentType ? '{"kind":"like"}' : new Blob(['{"kind":"like"}']),
        ),
        415,
      );
    });
  }

  for (const [name, origin] of [
    ['a missing Origin', undefined],
    ['Origin: null', 'null'],
    ['a foreign Origin', 'https://evil.example'],
    ['an allowed origin on another port', 'http://localhost:8081'],
    ['an allowed origin with another scheme', 'https://localhost:8080'],
  ] as const) {
    it(`answers 403 to ${name}, for replies and reactions`, async () => {
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'X-Colloquy-Reader': READER,
      };
      if (origin) headers.Origin = origin;
      const problem = await expectProblem(await write(replies, headers), 403);
      assert.equal(problem.type, 'urn:colloquy:problem:origin-not-allowed');
      await expectProblem(await write(reactions, headers, '{"kind":"like"}'), 403);
      await expectProblem(
        await write(
          '/api/v1/replies/SOMEID',
          { ...headers, 'X-Colloquy-Edit-Token': 'x'.repeat(43) },
          '{"body":"x"}',
          'PATCH',
        ),
        403,
      );
      await expectProblem(
        await write(
          '/api/v1/replies/SOMEID',
          { 'X-Colloquy-Edit-Token': 'x'.repeat(43), ...(origin ? { Origin: origin } : {}) },
          null,
          'DELETE',
        ),
        403,
      );
    });
  }

  it('lets the admin token write without an Origin (not an ambient credential)', async () => {
    const res = await write(replies, {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), null);
    const topic = await write(
      '/api/v1/topics',
      { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN_TOKEN}` },
      JSON.stringify({ id: 'tool-made', title: 'From a tool' }),
    );
    assert.equal(topic.status, 201);
  });

  it('still wants JSON from the admin token on a body route', async () => {
    await expectProblem(
      await write(replies, { 'Content-Type': 'text/plain', Authorization: `Bearer ${ADMIN_TOKEN}` }),
      415,
    );
  });

  it('answers 401 to a wrong bearer token without an Origin, and does not let a foreign origin in with the admin token', async () => {
    const wrong = await write(replies, {
      'Content-Type': 'application/json',
      Authorization: 'Bearer not-the-token',
    });
    await expectProblem(wrong, 401);
    assert.match(wrong.headers.get('WWW-Authenticate')!, /^Bearer/);
    await expectProblem(
      await write(replies, {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${ADMIN_TOKEN}`,
        Origin: 'https://evil.example',
      }),
      403,
    );
  });
});
