import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Topic, TopicSummaries, TopicWithReplies } from '@colloquy/api';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, seededApp, testApp } from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const topicPath = (id: string) => `/api/v1/topics/${encodeURIComponent(id)}`;

describe('topics', () => {
  const t = seededApp();
  const { post, postReply } = t;

  describe('GET /api/v1/topics/:id', () => {
    it('returns the topic with its first page of replies', async () => {
      const res = await t.app.request(topicPath('rsp-update'));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('Content-Type')!, /^application\/json/);
      const topic = (await res.json()) as TopicWithReplies;
      assert.equal(topic.id, 'rsp-update');
      assert.deepEqual(topic.replies, []);
      assert.equal(topic.nextCursor, null);
      assert.equal(topic.sources[0]!.n, 1);
    });

    it('answers 404 for an unknown topic and 400 for an invalid id', async () => {
      const missing = await expectProblem(await t.app.request(topicPath('no-such-topic')), 404);
      assert.match(missing.detail, /no-such-topic/);
      await expectProblem(await t.app.request(topicPath('-bad')), 400);
      await expectProblem(await t.app.request(topicPath('a'.repeat(101))), 400);
      await expectProblem(await t.app.request(topicPath('ftp://x.example/a')), 400);
      await expectProblem(await t.app.request(topicPath(`https://x.example/${'a'.repeat(2048)}`)), 400);
    });

    it('accepts a percent-encoded URL as a topic id', async () => {
      const res = await t.app.request(topicPath('https://pages.example/a/b?c=1'));
      const problem = await expectProblem(res, 404);
      assert.match(problem.detail, /https:\/\/pages\.example\/a\/b\?c=1/);
    });
  });

  describe('POST /api/v1/topics (admin)', () => {
    const input = {
      id: 'admin-topic',
      title: 'Admin topic',
      body: 'Hello **world** [1]\n\n[bad](javascript:alert(1))',
      sources: [
        { title: 'One', url: 'https://one.example/' },
        { title: 'Two', url: 'https://two.example/' },
      ],
    };

    it('creates (201) then updates (200) a topic, rendering Markdown on write', async () => {
      const created = await post('/api/v1/topics', input, admin);
      assert.equal(created.status, 201);
      const topic = (await created.json()) as Topic;
      assert.deepEqual(
        topic.sources.map((s) => [s.n, s.title]),
        [
          [1, 'One'],
          [2, 'Two'],
        ],
      );
      assert.deepEqual(topic.body[0], {
        t: 'p',
        c: [
          { t: 'text', v: 'Hello ' },
          { t: 'strong', c: [{ t: 'text', v: 'world' }] },
          { t: 'text', v: ' ' },
          { t: 'cite', n: 1 },
        ],
      });
      assert.deepEqual(topic.body[1], { t: 'p', c: [{ t: 'text', v: 'bad' }] });
      assert.equal(topic.locked, false);
      const updated = await post('/api/v1/topics', { ...input, title: 'Renamed', locked: true }, admin);
      assert.equal(updated.status, 200);
      assert.equal(((await updated.json()) as Topic).title, 'Renamed');
    });

    it('answers 401 with WWW-Authenticate without or with a wrong token', async () => {
      const none = await post('/api/v1/topics', input);
      await expectProblem(none, 401);
      assert.match(none.headers.get('WWW-Authenticate')!, /^Bearer/);
      const wrong = await post('/api/v1/topics', input, { Authorization: 'Bearer nope' });
      await expectProblem(wrong, 401);
      assert.match(wrong.headers.get('WWW-Authenticate')!, /^Bearer/);
    });

    it('answers 403 naming COLLOQUY_ADMIN_TOKEN when no admin token is configured', async () => {
      const other = await testApp({ adminToken: null });
      try {
        const problem = await expectProblem(
          await other.app.request('/api/v1/topics', json(input, admin)),
          403,
        );
        assert.match(problem.detail, /COLLOQUY_ADMIN_TOKEN/);
      } finally {
        await other.close();
      }
    });

    it('refuses unknown fields and invalid values with 422 and field errors', async () => {
      const unknown = await expectProblem(await post('/api/v1/topics', { ...input, extra: 1 }, admin), 422);
      assert.deepEqual(
        unknown.errors!.map((e) => e.path),
        ['extra'],
      );
      const bad = await expectProblem(
        await post(
          '/api/v1/topics',
          { ...input, title: '  ', sources: [{ title: 'x', url: 'javascript:alert(1)' }] },
          admin,
        ),
        422,
      );
      assert.deepEqual(bad.errors!.map((e) => e.path).sort(), ['sources.0.url', 'title']);
      assert.match(bad.detail, /title must be 1–300 characters/);
    });
  });

  describe('GET /api/v1/topics?ids=', () => {
    it('returns summaries of the known ids only', async () => {
      const res = await t.app.request('/api/v1/topics?ids=rsp-update,unknown-one');
      assert.equal(res.status, 200);
      const { topics } = (await res.json()) as TopicSummaries;
      assert.deepEqual(
        topics.map((s) => s.id),
        ['rsp-update'],
      );
      assert.deepEqual(Object.keys(topics[0]!).sort(), [
        'id',
        'latestReply',
        'reactions',
        'replyCount',
        'title',
        'url',
      ]);
    });

    it('answers 400 for none, too many or invalid ids', async () => {
      await expectProblem(await t.app.request('/api/v1/topics'), 400);
      await expectProblem(await t.app.request('/api/v1/topics?ids='), 400);
      const many = Array.from({ length: 101 }, (_, k) => `t${k}`).join(',');
      await expectProblem(await t.app.request(`/api/v1/topics?ids=${many}`), 400);
      await expectProblem(await t.app.request('/api/v1/topics?ids=ok,-bad'), 400);
    });
  });

  describe('caching of API reads', () => {
    it('sends an ETag and a short public lifetime, answers 304 while unchanged and 200 after a change', async () => {
      const first = await t.app.request(topicPath('rsp-update'), { headers: { Origin: ORIGIN } });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('Cache-Control'), 'public, max-age=5, stale-while-revalidate=60');
      const tag = first.headers.get('ETag')!;
      assert.match(tag, /^"[^"]+"$/);
      const same = await t.app.request(topicPath('rsp-update'), {
        headers: { Origin: ORIGIN, 'If-None-Match': tag },
      });
      assert.equal(same.status, 304);
      assert.equal(same.headers.get('Access-Control-Allow-Origin'), ORIGIN, 'CORS headers survive a 304');
      await postReply('rsp-update', { authorName: 'n', body: 'new' });
      const changed = await t.app.request(topicPath('rsp-update'), { headers: { 'If-None-Match': tag } });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('ETag'), tag);
    });

    it('does not tag errors', async () => {
      const res = await t.app.request(topicPath('not-there'));
      await expectProblem(res, 404);
      assert.equal(res.headers.get('ETag'), null);
    });
  });
});
