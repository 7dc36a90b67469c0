import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Reply, ReplyPage, TopicWithReplies } from '@colloquy/api';
import { ADMIN_TOKEN, expectProblem, ORIGIN, seededApp } from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const topicPath = (id: string) => `/api/v1/topics/${encodeURIComponent(id)}`;

describe('replies', () => {
  const t = seededApp();
  const { post, postReply } = t;
  before(async () => {
    const locked = await post(
      '/api/v1/topics',
      { id: 'admin-topic', title: 'Admin topic', locked: true },
      admin,
    );
    assert.equal(locked.status, 201);
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
      const { editToken, editableUntil, ...published } = reply as Reply & {
        editToken: string;
        editableUntil: string;
      };
      assert.match(editToken, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(Date.parse(editableUntil) > Date.parse(reply.createdAt));
      assert.deepEqual(await fetched.json(), published);
      const topic = (await (await t.app.request(topicPath('rsp-update'))).json()) as TopicWithReplies;
      assert.equal(topic.replyCount, 1);
      assert.deepEqual(
        topic.replies.map((r) => r.id),
        [reply.id],
      );
    });

    it('nests a reply under a parent of the same topic and refuses others with 422', async () => {
      const parent = (await (
        await postReply('rsp-update', { authorName: 'P', body: 'parent' })
      ).json()) as Reply;
      const child = await postReply('rsp-update', { authorName: 'C', body: 'child', parentId: parent.id });
      assert.equal(child.status, 201);
      assert.equal(((await child.json()) as Reply).depth, 1);
      const other = await (await postReply('admin-topic-2', { authorName: 'x', body: 'x' })).status;
      assert.equal(other, 404);
      const problem = await expectProblem(
        await postReply('rsp-update', { authorName: 'C', body: 'x', parentId: 'NOSUCHREPLY' }),
        422,
      );
      assert.equal(problem.errors![0]!.path, 'parentId');
    });

    it('refuses a parent from another topic with 422', async () => {
      await post('/api/v1/topics', { id: 'second', title: 'Second' }, admin);
      const foreign = (await (await postReply('second', { authorName: 'F', body: 'f' })).json()) as Reply;
      await expectProblem(
        await postReply('rsp-update', { authorName: 'C', body: 'x', parentId: foreign.id }),
        422,
      );
    });

    it('enforces lengths after trimming, with messages naming the field', async () => {
      const blankName = await expectProblem(
        await postReply('rsp-update', { authorName: '   ', body: 'x' }),
        422,
      );
      assert.match(blankName.detail, /authorName must be 1–60 characters/);
      await expectProblem(await postReply('rsp-update', { authorName: 'a'.repeat(61), body: 'x' }), 422);
      const longBody = await expectProblem(
        await postReply('rsp-update', { authorName: 'a', body: 'b'.repeat(10_001) }),
        422,
      );
      assert.match(longBody.detail, /body must be 1–10,000 characters/);
      assert.equal(
        (await postReply('rsp-update', { authorName: 'a'.repeat(60), body: 'b'.repeat(10_000) })).status,
        201,
      );
      await expectProblem(await postReply('rsp-update', { authorName: 'a', body: 'x', surprise: true }), 422);
      await expectProblem(await postReply('rsp-update', { authorName: 'a', body: 42 }), 422);
    });

    it('answers 404 for an unknown topic and 409 for a locked one', async () => {
      await expectProblem(await postReply('missing-topic', { authorName: 'a', body: 'x' }), 404);
      // admin-topic was created locked, before these tests.
      const locked = await expectProblem(await postReply('admin-topic', { authorName: 'a', body: 'x' }), 409);
      assert.equal(locked.type, 'urn:colloquy:problem:topic-locked');
    });

    it('creates a page topic on the first reply from its own allowed origin only', async () => {
      const page = `${ORIGIN}/articles/1`;
      const foreignPage = 'https://elsewhere.example/articles/1';
      // Same id from no origin (even with the admin token), or for another site's URL: no topic springs up.
      const noOrigin = {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...admin },
        body: JSON.stringify({ authorName: 'a', body: 'x' }),
      };
      await expectProblem(await t.app.request(`${topicPath(page)}/replies`, noOrigin), 404);
      await expectProblem(
        await postReply(foreignPage, { authorName: 'a', body: 'x' }, { Origin: ORIGIN }),
        404,
      );
      const res = await postReply(
        page,
        { authorName: 'a', body: 'x', pageTitle: 'Article one' },
        { Origin: ORIGIN },
      );
      assert.equal(res.status, 201);
      const topic = (await (await t.app.request(topicPath(page))).json()) as TopicWithReplies;
      assert.equal(topic.title, page, 'titled by its URL, never by the request');
      assert.equal(topic.url, page);
      assert.equal(topic.replyCount, 1);
    });

    it('pages replies with whole threads and an opaque cursor', async () => {
      await post('/api/v1/topics', { id: 'paging', title: 'Paging' }, admin);
      const ids: string[] = [];
      for (let k = 0; k < 3; k++) {
        const root = (await (
          await postReply('paging', { authorName: 'r', body: `root ${k}` })
        ).json()) as Reply;
        const kid = (await (
          await postReply('paging', { authorName: 'k', body: `kid ${k}`, parentId: root.id })
        ).json()) as Reply;
        ids.push(root.id, kid.id);
      }
      const first = (await (
        await t.app.request('/api/v1/topics/paging/replies?limit=2')
      ).json()) as ReplyPage;
      assert.deepEqual(
        first.replies.map((r) => r.id),
        ids.slice(0, 4),
      );
      assert.equal(first.total, 6);
      assert.ok(first.nextCursor);
      const second = (await (
        await t.app.request(`/api/v1/topics/paging/replies?limit=2&cursor=${first.nextCursor}`)
      ).json()) as ReplyPage;
      assert.deepEqual(
        second.replies.map((r) => r.id),
        ids.slice(4),
      );
      assert.equal(second.nextCursor, null);
      const withTopic = (await (
        await t.app.request('/api/v1/topics/paging?limit=1')
      ).json()) as TopicWithReplies;
      assert.equal(withTopic.replies.length, 2);
      assert.ok(withTopic.nextCursor);
    });

    it('answers 400 for a bad limit or a malformed or forged cursor, 404 for an unknown topic', async () => {
      for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
        const problem = await expectProblem(
          await t.app.request(`/api/v1/topics/paging/replies?limit=${limit}`),
          400,
        );
        assert.match(problem.detail, /limit must be a whole number from 1 to 100/);
      }
      await expectProblem(await t.app.request('/api/v1/topics/paging/replies?cursor=***'), 400);
      const forged = Buffer.from('2020-01-01T00:00:00.000Z|01ABCDEFGHJKMNPQRSTVWXYZ00').toString('base64url');
      await expectProblem(await t.app.request(`/api/v1/topics/paging/replies?cursor=${forged}`), 400);
      await expectProblem(await t.app.request(`/api/v1/topics/paging?cursor=${forged}`), 400);
      await expectProblem(await t.app.request('/api/v1/topics/nothing-here/replies'), 404);
    });

    it('reads the pages in the order asked, each reply once, with cursors and cached bodies of that order', async () => {
      await post('/api/v1/topics', { id: 'sorting', title: 'Sorting' }, admin);
      const ids: string[] = [];
      for (const name of ['one', 'two', 'three', 'four']) {
        const reply = (await (await postReply('sorting', { authorName: name, body: name })).json()) as Reply;
        ids.push(reply.id);
      }
      const [one, two, three, four] = ids as [string, string, string, string];
      await postReply('sorting', { authorName: 'answer', body: 'answer', parentId: two });
      for (const key of ['reader-key-aaaaaaaaaaaaaaaa1', 'reader-key-aaaaaaaaaaaaaaaa2'])
        await post(`/api/v1/replies/${three}/reactions`, { kind: 'like' }, { 'X-Colloquy-Reader': key });
      await post(
        `/api/v1/replies/${one}/reactions`,
        { kind: 'disagree' },
        { 'X-Colloquy-Reader': 'reader-key-aaaaaaaaaaaaaaaa1' },
      );
      const roots = async (sort: string) => {
        const seen: string[] = [];
        let url = `/api/v1/topics/sorting/replies?limit=1&sort=${sort}`;
        for (;;) {
          const res = await t.app.request(url);
          assert.equal(res.status, 200);
          const page = (await res.json()) as ReplyPage;
          seen.push(...page.replies.filter((r) => r.parentId === null).map((r) => r.id));
          if (!page.nextCursor) return seen;
          url = `/api/v1/topics/sorting/replies?limit=1&sort=${sort}&cursor=${page.nextCursor}`;
        }
      };
      assert.deepEqual(await roots('oldest'), [one, two, three, four]);
      assert.deepEqual(await roots('newest'), [four, three, two, one]);
      assert.deepEqual(await roots('top'), [three, one, two, four]);
      // The read cache and the ETag tell the orders apart: the same query in another order is
      // another body, and a tag of one is no 304 for another.
      const oldest = await t.app.request('/api/v1/topics/sorting?limit=2');
      const newest = await t.app.request('/api/v1/topics/sorting?limit=2&sort=newest');
      assert.notEqual(oldest.headers.get('ETag'), newest.headers.get('ETag'));
      assert.equal(((await newest.json()) as TopicWithReplies).replies[0]?.id, four);
      const again = await t.app.request('/api/v1/topics/sorting?limit=2&sort=newest', {
        headers: { 'If-None-Match': oldest.headers.get('ETag') ?? '' },
      });
      assert.equal(again.status, 200);

      // A cursor is read only in its own order.
      const first = (await (
        await t.app.request('/api/v1/topics/sorting/replies?limit=1&sort=newest')
      ).json()) as ReplyPage;
      const mismatch = await expectProblem(
        await t.app.request(`/api/v1/topics/sorting/replies?limit=1&sort=top&cursor=${first.nextCursor}`),
        400,
      );
      assert.match(mismatch.detail, /sort=newest, not sort=top/);
      await expectProblem(
        await t.app.request(`/api/v1/topics/sorting?limit=1&cursor=${first.nextCursor}`),
        400,
      );
      for (const sort of ['latest', '', 'OLDEST']) {
        const bad = await expectProblem(
          await t.app.request(`/api/v1/topics/sorting/replies?sort=${sort}`),
          400,
        );
        assert.match(bad.detail, /sort must be one of oldest, newest, top/);
        await expectProblem(await t.app.request(`/api/v1/topics/sorting?sort=${sort}`), 400);
      }
    });

    it('reads the part of a thread that holds a reply (around), and 404 for a reply it cannot', async () => {
      const page = (await (
        await t.app.request('/api/v1/topics/sorting/replies?limit=100')
      ).json()) as ReplyPage;
      const answer = page.replies.find((r) => r.parentId !== null);
      assert.ok(answer);
      const res = await t.app.request(`/api/v1/topics/sorting/replies?around=${answer.id}`);
      assert.equal(res.status, 200);
      const part = (await res.json()) as ReplyPage;
      assert.deepEqual(
        part.replies.map((r) => r.id),
        [answer.parentId, answer.id],
      );
      assert.equal(part.nextCursor, null);
      await expectProblem(await t.app.request('/api/v1/topics/sorting/replies?around=NOSUCHREPLY'), 404);
      await expectProblem(await t.app.request(`/api/v1/topics/rsp-update/replies?around=${answer.id}`), 404);
      await expectProblem(await t.app.request('/api/v1/topics/sorting/replies?around=no%20id'), 400);
      await expectProblem(
        await t.app.request(
          `/api/v1/topics/sorting/replies?around=${answer.id}&cursor=${page.nextCursor ?? 'x'}`,
        ),
        400,
      );
    });

    it('answers 404 for an unknown reply', async () => {
      await expectProblem(await t.app.request('/api/v1/replies/NOPE'), 404);
    });
  });
});
