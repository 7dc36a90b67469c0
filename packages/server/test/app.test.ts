import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Reply, ReplyPage, Topic, TopicSummaries, TopicWithReplies, ReactionState } from '@colloquy/api';
import { seedDemo } from '../src/index.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, testApp } from './helpers.js';

type TestApp = Awaited<ReturnType<typeof testApp>>;
const READER = { 'X-Colloquy-Reader': 'reader-key-0123456789' };
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const topicPath = (id: string) => `/api/v1/topics/${encodeURIComponent(id)}`;

describe('app', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedDemo(t.store);
  });
  after(() => t.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => t.app.request(path, json(body, headers));
  const postReply = (id: string, body: unknown, headers: Record<string, string> = {}) => post(`${topicPath(id)}/replies`, body, headers);

  describe('GET /healthz', () => {
    it('answers ok while the store answers', async () => {
      const res = await t.app.request('/healthz');
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
    });
  });

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
      sources: [{ title: 'One', url: 'https://one.example/' }, { title: 'Two', url: 'https://two.example/' }],
    };

    it('creates (201) then updates (200) a topic, rendering Markdown on write', async () => {
      const created = await post('/api/v1/topics', input, admin);
      assert.equal(created.status, 201);
      const topic = (await created.json()) as Topic;
      assert.deepEqual(topic.sources.map((s) => [s.n, s.title]), [[1, 'One'], [2, 'Two']]);
      assert.deepEqual(topic.body[0], {
        t: 'p',
        c: [{ t: 'text', v: 'Hello ' }, { t: 'strong', c: [{ t: 'text', v: 'world' }] }, { t: 'text', v: ' ' }, { t: 'cite', n: 1 }],
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
        const problem = await expectProblem(await other.app.request('/api/v1/topics', json(input, admin)), 403);
        assert.match(problem.detail, /COLLOQUY_ADMIN_TOKEN/);
      } finally {
        await other.close();
      }
    });

    it('refuses unknown fields and invalid values with 422 and field errors', async () => {
      const unknown = await expectProblem(await post('/api/v1/topics', { ...input, extra: 1 }, admin), 422);
      assert.deepEqual(unknown.errors!.map((e) => e.path), ['extra']);
      const bad = await expectProblem(
        await post('/api/v1/topics', { ...input, title: '  ', sources: [{ title: 'x', url: 'javascript:alert(1)' }] }, admin),
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
      assert.deepEqual(topics.map((s) => s.id), ['rsp-update']);
      assert.deepEqual(Object.keys(topics[0]!).sort(), ['id', 'latestReply', 'reactions', 'replyCount', 'title', 'url']);
    });

    it('answers 400 for none, too many or invalid ids', async () => {
      await expectProblem(await t.app.request('/api/v1/topics'), 400);
      await expectProblem(await t.app.request('/api/v1/topics?ids='), 400);
      const many = Array.from({ length: 101 }, (_, k) => `t${k}`).join(',');
      await expectProblem(await t.app.request(`/api/v1/topics?ids=${many}`), 400);
      await expectProblem(await t.app.request('/api/v1/topics?ids=ok,-bad'), 400);
    });
  });

  describe('replies', () => {
    it('creates a reply (201, Location) and counts it', async () => {
      const res = await postReply('rsp-update', { authorName: '  Ann  ', body: 'First *reply* [1]' });
      assert.equal(res.status, 201);
      const reply = (await res.json()) as Reply;
      assert.equal(reply.author.name, 'Ann');
      assert.equal(reply.depth, 0);
      assert.equal(reply.text, 'First reply [1]');
      assert.equal(res.headers.get('Location'), `/api/v1/replies/${reply.id}`);
      const fetched = await t.app.request(res.headers.get('Location')!);
      const { editToken, editableUntil, ...published } = reply as Reply & { editToken: string; editableUntil: string };
      assert.match(editToken, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(Date.parse(editableUntil) > Date.parse(reply.createdAt));
      assert.deepEqual(await fetched.json(), published);
      const topic = (await (await t.app.request(topicPath('rsp-update'))).json()) as TopicWithReplies;
      assert.equal(topic.replyCount, 1);
      assert.deepEqual(topic.replies.map((r) => r.id), [reply.id]);
    });

    it('nests a reply under a parent of the same topic and refuses others with 422', async () => {
      const parent = (await (await postReply('rsp-update', { authorName: 'P', body: 'parent' })).json()) as Reply;
      const child = await postReply('rsp-update', { authorName: 'C', body: 'child', parentId: parent.id });
      assert.equal(child.status, 201);
      assert.equal(((await child.json()) as Reply).depth, 1);
      const other = (await (await postReply('admin-topic-2', { authorName: 'x', body: 'x' })).status);
      assert.equal(other, 404);
      const problem = await expectProblem(await postReply('rsp-update', { authorName: 'C', body: 'x', parentId: 'NOSUCHREPLY' }), 422);
      assert.equal(problem.errors![0]!.path, 'parentId');
    });

    it('refuses a parent from another topic with 422', async () => {
      await post('/api/v1/topics', { id: 'second', title: 'Second' }, admin);
      const foreign = (await (await postReply('second', { authorName: 'F', body: 'f' })).json()) as Reply;
      await expectProblem(await postReply('rsp-update', { authorName: 'C', body: 'x', parentId: foreign.id }), 422);
    });

    it('enforces lengths after trimming, with messages naming the field', async () => {
      const blankName = await expectProblem(await postReply('rsp-update', { authorName: '   ', body: 'x' }), 422);
      assert.match(blankName.detail, /authorName must be 1–60 characters/);
      await expectProblem(await postReply('rsp-update', { authorName: 'a'.repeat(61), body: 'x' }), 422);
      const longBody = await expectProblem(await postReply('rsp-update', { authorName: 'a', body: 'b'.repeat(10_001) }), 422);
      assert.match(longBody.detail, /body must be 1–10,000 characters/);
      assert.equal((await postReply('rsp-update', { authorName: 'a'.repeat(60), body: 'b'.repeat(10_000) })).status, 201);
      await expectProblem(await postReply('rsp-update', { authorName: 'a', body: 'x', surprise: true }), 422);
      await expectProblem(await postReply('rsp-update', { authorName: 'a', body: 42 }), 422);
    });

    it('answers 404 for an unknown topic and 409 for a locked one', async () => {
      await expectProblem(await postReply('missing-topic', { authorName: 'a', body: 'x' }), 404);
      // admin-topic was locked by the update above.
      const locked = await expectProblem(await postReply('admin-topic', { authorName: 'a', body: 'x' }), 409);
      assert.equal(locked.type, 'urn:colloquy:problem:topic-locked');
    });

    it('creates a page topic on the first reply from its own allowed origin only', async () => {
      const page = `${ORIGIN}/articles/1`;
      const foreignPage = 'https://elsewhere.example/articles/1';
      // Same id from no origin (even with the admin token), or for another site's URL: no topic springs up.
      const noOrigin = { method: 'POST', headers: { 'Content-Type': 'application/json', ...admin }, body: JSON.stringify({ authorName: 'a', body: 'x' }) };
      await expectProblem(await t.app.request(`${topicPath(page)}/replies`, noOrigin), 404);
      await expectProblem(await postReply(foreignPage, { authorName: 'a', body: 'x' }, { Origin: ORIGIN }), 404);
      const res = await postReply(page, { authorName: 'a', body: 'x', pageTitle: 'Article one' }, { Origin: ORIGIN });
      assert.equal(res.status, 201);
      const topic = (await (await t.app.request(topicPath(page))).json()) as TopicWithReplies;
      assert.equal(topic.title, 'Article one');
      assert.equal(topic.url, page);
      assert.equal(topic.replyCount, 1);
    });

    it('pages replies with whole threads and an opaque cursor', async () => {
      await post('/api/v1/topics', { id: 'paging', title: 'Paging' }, admin);
      const ids: string[] = [];
      for (let k = 0; k < 3; k++) {
        const root = (await (await postReply('paging', { authorName: 'r', body: `root ${k}` })).json()) as Reply;
        const kid = (await (await postReply('paging', { authorName: 'k', body: `kid ${k}`, parentId: root.id })).json()) as Reply;
        ids.push(root.id, kid.id);
      }
      const first = (await (await t.app.request('/api/v1/topics/paging/replies?limit=2')).json()) as ReplyPage;
      assert.deepEqual(first.replies.map((r) => r.id), ids.slice(0, 4));
      assert.equal(first.total, 6);
      assert.ok(first.nextCursor);
      const second = (await (await t.app.request(`/api/v1/topics/paging/replies?limit=2&cursor=${first.nextCursor}`)).json()) as ReplyPage;
      assert.deepEqual(second.replies.map((r) => r.id), ids.slice(4));
      assert.equal(second.nextCursor, null);
      const withTopic = (await (await t.app.request('/api/v1/topics/paging?limit=1')).json()) as TopicWithReplies;
      assert.equal(withTopic.replies.length, 2);
      assert.ok(withTopic.nextCursor);
    });

    it('answers 400 for a bad limit or a malformed or forged cursor, 404 for an unknown topic', async () => {
      for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
        const problem = await expectProblem(await t.app.request(`/api/v1/topics/paging/replies?limit=${limit}`), 400);
        assert.match(problem.detail, /limit must be a whole number from 1 to 100/);
      }
      await expectProblem(await t.app.request('/api/v1/topics/paging/replies?cursor=***'), 400);
      const forged = Buffer.from('2020-01-01T00:00:00.000Z|01ABCDEFGHJKMNPQRSTVWXYZ00').toString('base64url');
      await expectProblem(await t.app.request(`/api/v1/topics/paging/replies?cursor=${forged}`), 400);
      await expectProblem(await t.app.request(`/api/v1/topics/paging?cursor=${forged}`), 400);
      await expectProblem(await t.app.request('/api/v1/topics/nothing-here/replies'), 404);
    });

    it('answers 404 for an unknown reply', async () => {
      await expectProblem(await t.app.request('/api/v1/replies/NOPE'), 404);
    });
  });

  describe('reactions', () => {
    it('toggles a topic reaction per reader', async () => {
      const on = await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, READER);
      assert.equal(on.status, 200);
      assert.deepEqual(await on.json(), { kind: 'like', active: true, reactions: { like: 1, insightful: 0, disagree: 0 } } satisfies ReactionState);
      const other = (await (await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, { 'X-Colloquy-Reader': 'another-reader-key-xyz' })).json()) as ReactionState;
      assert.equal(other.reactions.like, 2);
      const off = (await (await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, READER)).json()) as ReactionState;
      assert.deepEqual([off.active, off.reactions.like], [false, 1]);
    });

    it('toggles a reply reaction', async () => {
      const reply = (await (await postReply('rsp-update', { authorName: 'r', body: 'react to me' })).json()) as Reply;
      const res = await post(`/api/v1/replies/${reply.id}/reactions`, { kind: 'insightful' }, READER);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as ReactionState).reactions.insightful, 1);
      assert.equal(((await (await t.app.request(`/api/v1/replies/${reply.id}`)).json()) as Reply).reactions.insightful, 1);
    });

    it('refuses a missing or malformed reader key (400), a bad kind (422), unknown targets (404)', async () => {
      await expectProblem(await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }), 400);
      const short = await expectProblem(await post('/api/v1/topics/rsp-update/reactions', { kind: 'like' }, { 'X-Colloquy-Reader': 'short' }), 400);
      assert.match(short.detail, /X-Colloquy-Reader/);
      await expectProblem(await post('/api/v1/topics/rsp-update/reactions', { kind: 'love' }, READER), 422);
      await expectProblem(await post('/api/v1/topics/rsp-update/reactions', { kind: 'like', x: 1 }, READER), 422);
      await expectProblem(await post('/api/v1/topics/missing/reactions', { kind: 'like' }, READER), 404);
      await expectProblem(await post('/api/v1/replies/MISSING/reactions', { kind: 'like' }, READER), 404);
    });
  });

  describe('request bodies', () => {
    const path = '/api/v1/topics/rsp-update/replies';
    it('answers 400 to malformed JSON and 422 to JSON that is not an object', async () => {
      const bad = await t.app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body: '{"body":' });
      assert.equal((await expectProblem(bad, 400)).type, 'urn:colloquy:problem:malformed-json');
      for (const body of ['[]', '"text"', 'null', '42']) {
        await expectProblem(await t.app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN }, body }), 422);
      }
    });

    it('answers 415 to a write without a JSON Content-Type', async () => {
      const body = JSON.stringify({ authorName: 'a', body: 'b' });
      await expectProblem(await t.app.request(path, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN }, body }), 415);
      await expectProblem(await t.app.request(path, { method: 'POST', headers: { Origin: ORIGIN }, body: new Blob([body]) }), 415);
      const ok = await t.app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', Origin: ORIGIN }, body });
      assert.equal(ok.status, 201);
    });

    it('answers 413 to a body over maxBodyBytes, by Content-Length or by streaming', async () => {
      const big = JSON.stringify({ authorName: 'a', body: 'x'.repeat(t.config.maxBodyBytes) });
      const declared = await t.app.request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: ORIGIN, 'Content-Length': String(Buffer.byteLength(big)) },
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
      const read = await t.app.request(topicPath('rsp-update'), { headers: { Origin: 'https://evil.example' } });
      assert.equal(read.status, 200);
      assert.equal(read.headers.get('Access-Control-Allow-Origin'), null);
      const write = await postReply('rsp-update', { authorName: 'a', body: 'b' }, { Origin: 'https://evil.example' });
      const problem = await expectProblem(write, 403);
      assert.match(problem.detail, /COLLOQUY_ALLOWED_ORIGINS/);
    });

    it('answers a preflight from an allowed origin, refuses a foreign one', async () => {
      const res = await t.app.request('/api/v1/topics/rsp-update/replies', {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
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

  describe('caching of API reads', () => {
    it('sends an ETag and a short public lifetime, answers 304 while unchanged and 200 after a change', async () => {
      const first = await t.app.request(topicPath('rsp-update'), { headers: { Origin: ORIGIN } });
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('Cache-Control'), 'public, max-age=5, stale-while-revalidate=60');
      const tag = first.headers.get('ETag')!;
      assert.match(tag, /^"[^"]+"$/);
      const same = await t.app.request(topicPath('rsp-update'), { headers: { Origin: ORIGIN, 'If-None-Match': tag } });
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

  describe('unknown routes and methods', () => {
    it('answers 404 problem for an unknown path and 405 with Allow for a wrong method', async () => {
      await expectProblem(await t.app.request('/nope'), 404);
      await expectProblem(await t.app.request('/api/v2/topics/x'), 404);
      const res = await t.app.request(topicPath('rsp-update'), { method: 'DELETE', headers: { Origin: ORIGIN } });
      await expectProblem(res, 405);
      assert.equal(res.headers.get('Allow'), 'GET, HEAD, OPTIONS');
      const put = await t.app.request('/api/v1/topics', json({}, admin));
      assert.equal(put.status, 422, 'POST is allowed on /api/v1/topics');
      await expectProblem(await t.app.request('/healthz', { method: 'POST' }), 405);
    });

    it('lists in Allow what each path answers, as the routes are registered', async () => {
      const allow = async (path: string, method = 'PUT') => {
        const headers = { Origin: ORIGIN, 'Content-Type': 'application/json', ...(path.includes('/admin/') ? admin : {}) };
        const res = await t.app.request(path, { method, headers });
        await expectProblem(res, 405);
        return res.headers.get('Allow');
      };
      assert.equal(await allow('/api/v1/topics'), 'GET, HEAD, POST, OPTIONS');
      assert.equal(await allow('/api/v1/topics/rsp-update/replies'), 'GET, HEAD, POST, OPTIONS');
      assert.equal(await allow('/api/v1/topics/rsp-update/events'), 'GET, HEAD, OPTIONS');
      assert.equal(await allow('/api/v1/replies/r1'), 'GET, HEAD, PATCH, DELETE, OPTIONS');
      assert.equal(await allow('/api/v1/replies/r1/reactions'), 'POST, OPTIONS');
      assert.equal(await allow('/api/v1/admin/replies/r1/approve'), 'POST, OPTIONS');
      assert.equal(await allow('/api/v1/admin/replies/r1'), 'DELETE, OPTIONS');
      assert.equal(await allow('/api/v1/challenge'), 'GET, HEAD, OPTIONS');
      assert.equal(await allow('/api/v1/messages/de'), 'GET, HEAD, OPTIONS');
      assert.equal(await allow('/widget.js', 'POST'), 'GET, HEAD');
    });

    it('needs no list beside the routes: a route added to the app is a known path at once', async () => {
      const extra = await testApp();
      try {
        extra.app.put('/api/v1/things/:id', (c) => c.json({ put: c.req.param('id') }));
        assert.equal((await extra.app.request('/api/v1/things/1', { method: 'PUT', headers: { Origin: ORIGIN, 'Content-Type': 'application/json' }, body: '{}' })).status, 200);
        const res = await extra.app.request('/api/v1/things/1', { headers: { Origin: ORIGIN } });
        await expectProblem(res, 405);
        assert.equal(res.headers.get('Allow'), 'PUT, OPTIONS');
        await expectProblem(await extra.app.request('/api/v1/things/1/more'), 404);
        await expectProblem(await extra.app.request('/api/v1/other'), 404);
      } finally {
        await extra.close();
      }
    });
  });
});

describe('GET /widget.js', () => {
  let t: TestApp;
  let bundle: string;
  before(async () => {
    t = await testApp();
    bundle = join(t.dir, 'colloquy.js');
    t.config.widgetBundlePath = bundle;
  });
  after(() => t.close());

  it('answers 503 with a hint while the bundle is not built', async () => {
    const problem = await expectProblem(await t.app.request('/widget.js'), 503);
    assert.equal(problem.detail, 'The widget bundle has not been built; run npm run build.');
  });

  it('serves the bundle with caching headers, CORS and a strong ETag; 304 when unchanged', async () => {
    await writeFile(bundle, 'export const v = 1;\n');
    const res = await t.app.request('/widget.js', { headers: { Origin: 'https://any.example' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'export const v = 1;\n');
    assert.equal(res.headers.get('Content-Type'), 'text/javascript; charset=utf-8');
    assert.equal(res.headers.get('Cache-Control'), 'public, max-age=3600, stale-while-revalidate=86400');
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), '*');
    const etag = res.headers.get('ETag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/, 'a strong ETag');
    const again = await t.app.request('/widget.js');
    assert.equal(again.headers.get('ETag'), etag);
    const notModified = await t.app.request('/widget.js', { headers: { 'If-None-Match': etag } });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.text(), '');
    assert.equal(notModified.headers.get('ETag'), etag);
    const weak = await t.app.request('/widget.js', { headers: { 'If-None-Match': `"other", W/${etag}` } });
    assert.equal(weak.status, 304);
  });

  it('sends it brotli- or gzip-compressed as the client accepts, each coding with its own ETag', async () => {
    const source = `export const words = ${JSON.stringify('colloquy '.repeat(500))};\n`;
    await writeFile(bundle, source);
    const plain = await t.app.request('/widget.js', { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(plain.headers.get('Vary'), 'Accept-Encoding');
    const br = await t.app.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers.get('Content-Encoding'), 'br');
    const brBytes = Buffer.from(await br.arrayBuffer());
    assert.equal(brotliDecompressSync(brBytes).toString(), source);
    assert.ok(brBytes.length < source.length / 10, `brotli sent ${brBytes.length} of ${source.length} bytes`);
    const gz = await t.app.request('/widget.js', { headers: { 'Accept-Encoding': 'gzip;q=1, br;q=0' } });
    assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), source);
    const etags = new Set([plain, br, gz].map((r) => r.headers.get('ETag')));
    assert.equal(etags.size, 3, 'a strong ETag names one representation');
    const notModified = await t.app.request('/widget.js', {
      headers: { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.get('ETag')! },
    });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get('Content-Encoding'), 'br');
  });

  it('changes the ETag when the file changes', async () => {
    const before = (await t.app.request('/widget.js')).headers.get('ETag');
    await writeFile(bundle, 'export const v = 22;\n');
    const res = await t.app.request('/widget.js', { headers: { 'If-None-Match': before! } });
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get('ETag'), before);
    assert.equal(await res.text(), 'export const v = 22;\n');
  });
});

describe('a store that fails', () => {
  it('makes /healthz answer 503 and other routes 500, as problems', async () => {
    const t = await testApp();
    await t.store.close();
    const originalError = console.error;
    console.error = () => {}; // the expected failure is logged; keep the test output clean
    try {
      const problem = await expectProblem(await t.app.request('/healthz'), 503);
      assert.equal(problem.type, 'urn:colloquy:problem:store-unavailable');
      // A real server fault elsewhere is a 500 problem that leaks nothing of the error.
      const fault = await expectProblem(await t.app.request(topicPath('rsp-update')), 500);
      assert.equal(fault.type, 'urn:colloquy:problem:internal');
      assert.doesNotMatch(fault.detail, /database|sqlite/i);
    } finally {
      console.error = originalError;
      await t.close();
    }
  });
});
