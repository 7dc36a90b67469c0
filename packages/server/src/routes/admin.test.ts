import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CreatedReply,
  PendingReplies,
  Reply,
  ReplyPage,
  Topic,
  TopicSummaries,
  TopicWithReplies,
} from '@colloquy/api';
import type { AppConfig } from '../index.js';
import { ADMIN_TOKEN, expectProblem, fromAddress, json, testApp } from '../testing/helpers.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const AUTHOR = 'author-key-0123456789';
const OTHER = 'other-reader-key-987654';

async function setup(overrides: Partial<AppConfig>) {
  const t = await testApp(overrides);
  await t.app.request('/api/v1/topics', json({ id: 'topic', title: 'Topic' }, admin));
  const post = async (body: object, reader: string | null = AUTHOR, address = '192.0.2.1') => {
    const res = await t.app.request(
      '/api/v1/topics/topic/replies',
      json(body, reader ? { 'X-Colloquy-Reader': reader } : {}),
      fromAddress(address),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as CreatedReply;
  };
  const get = (path: string, reader?: string) =>
    t.app.request(path, { headers: reader ? { 'X-Colloquy-Reader': reader } : {} });
  const adminCall = (method: string, path: string, body?: object) =>
    t.app.request(path, body ? json(body, admin, method) : { method, headers: admin });
  return { ...t, post, get, adminCall };
}

describe('moderation', () => {
  it('off by default: replies are published at once', async () => {
    const t = await setup({});
    try {
      assert.equal(t.config.moderation, 'off');
      assert.equal((await t.post({ authorName: 'A', body: 'b' })).status, 'published');
    } finally {
      await t.close();
    }
  });

  it('all: a pending reply is shown only to its author, privately, and not counted', async () => {
    const t = await setup({ moderation: 'all' });
    try {
      const reply = await t.post({ authorName: 'Ann', body: 'please review' });
      assert.equal(reply.status, 'pending');

      const own = await t.get('/api/v1/topics/topic', AUTHOR);
      assert.equal(own.headers.get('Cache-Control'), 'private, no-store');
      const ownTopic = (await own.json()) as TopicWithReplies;
      assert.deepEqual(
        ownTopic.replies.map((r) => [r.id, r.status]),
        [[reply.id, 'pending']],
      );
      assert.equal(ownTopic.replyCount, 0);
      const ownPage = await t.get('/api/v1/topics/topic/replies', AUTHOR);
      assert.equal(ownPage.headers.get('Cache-Control'), 'private, no-store');
      assert.equal(((await ownPage.json()) as ReplyPage).replies.length, 1);
      const ownReply = await t.get(`/api/v1/replies/${reply.id}`, AUTHOR);
      assert.equal(ownReply.status, 200);
      assert.equal(ownReply.headers.get('Cache-Control'), 'private, no-store');

      for (const reader of [OTHER, undefined]) {
        const res = await t.get('/api/v1/topics/topic', reader);
        assert.equal(res.headers.get('Cache-Control'), 'public, max-age=5, stale-while-revalidate=60');
        assert.deepEqual(((await res.json()) as TopicWithReplies).replies, []);
        assert.deepEqual(
          ((await (await t.get('/api/v1/topics/topic/replies', reader)).json()) as ReplyPage).replies,
          [],
        );
        await expectProblem(await t.get(`/api/v1/replies/${reply.id}`, reader), 404);
      }
      const summary = ((await (await t.get('/api/v1/topics?ids=topic')).json()) as TopicSummaries).topics[0]!;
      assert.deepEqual([summary.replyCount, summary.latestReply], [0, null]);
      // Nobody can react to it or reply under it while it waits.
      await expectProblem(
        await t.app.request(
          `/api/v1/replies/${reply.id}/reactions`,
          json({ kind: 'like' }, { 'X-Colloquy-Reader': OTHER }),
        ),
        404,
      );
      await expectProblem(
        await t.app.request(
          '/api/v1/topics/topic/replies',
          json({ authorName: 'B', body: 'x', parentId: reply.id }, { 'X-Colloquy-Reader': AUTHOR }),
        ),
        422,
      );
    } finally {
      await t.close();
    }
  });

  it('admin: lists pending, approves (counted, listed), hides (blanked in place), deletes', async () => {
    const t = await setup({ moderation: 'all' });
    try {
      const first = await t.post({ authorName: 'Ann', body: 'first' });
      const second = await t.post({ authorName: 'Bob', body: 'second' });
      const pending = await t.adminCall('GET', '/api/v1/admin/pending');
      assert.equal(pending.status, 200);
      assert.equal(pending.headers.get('Cache-Control'), 'private, no-store');
      const listed = (await pending.json()) as PendingReplies;
      assert.deepEqual(
        listed.replies.map((r) => [r.id, r.text, r.author.name]),
        [
          [first.id, 'first', 'Ann'],
          [second.id, 'second', 'Bob'],
        ],
      );

      const approved = await t.adminCall('POST', `/api/v1/admin/replies/${first.id}/approve`);
      assert.equal(approved.status, 200);
      assert.equal(((await approved.json()) as Reply).status, 'published');
      const topic = (await (await t.get('/api/v1/topics/topic', OTHER)).json()) as TopicWithReplies;
      assert.equal(topic.replyCount, 1);
      assert.deepEqual(
        topic.replies.map((r) => r.id),
        [first.id],
      );
      assert.deepEqual(
        ((await (await t.adminCall('GET', '/api/v1/admin/pending')).json()) as PendingReplies).replies.map(
          (r) => r.id,
        ),
        [second.id],
      );

      // A child, then hiding its parent: the thread keeps its shape, the text goes.
      await t.adminCall('POST', `/api/v1/admin/replies/${second.id}/approve`);
      const child = await t.post({ authorName: 'Cy', body: 'child', parentId: first.id });
      await t.adminCall('POST', `/api/v1/admin/replies/${child.id}/approve`);
      const hidden = await t.adminCall('POST', `/api/v1/admin/replies/${first.id}/hide`);
      assert.equal(((await hidden.json()) as Reply).status, 'hidden');
      const page = (await (await t.get('/api/v1/topics/topic/replies', OTHER)).json()) as ReplyPage;
      const shown = page.replies.find((r) => r.id === first.id)!;
      assert.deepEqual([shown.status, shown.author.name, shown.text, shown.body], ['hidden', '', '', []]);
      assert.equal(page.replies.find((r) => r.id === child.id)?.parentId, first.id);
      assert.equal(page.total, 2);
      // Its author can no longer edit it.
      await expectProblem(
        await t.app.request(
          `/api/v1/replies/${first.id}`,
          json({ body: 'x' }, { 'X-Colloquy-Edit-Token': first.editToken }, 'PATCH'),
        ),
        403,
      );

      const removed = await t.adminCall('DELETE', `/api/v1/admin/replies/${second.id}`);
      assert.equal(((await removed.json()) as Reply).status, 'deleted');
      assert.equal(((await (await t.get('/api/v1/topics/topic')).json()) as TopicWithReplies).replyCount, 1);
      await expectProblem(await t.adminCall('POST', '/api/v1/admin/replies/NOPE/approve'), 404);
    } finally {
      await t.close();
    }
  });

  it('first: an author’s first reply waits; once one is approved, the next are published', async () => {
    const t = await setup({ moderation: 'first' });
    try {
      const first = await t.post({ authorName: 'Ann', body: 'hello' });
      assert.equal(first.status, 'pending');
      assert.equal((await t.post({ authorName: 'Ann', body: 'again' })).status, 'pending');
      await t.adminCall('POST', `/api/v1/admin/replies/${first.id}/approve`);
      assert.equal((await t.post({ authorName: 'Ann', body: 'known now' })).status, 'published');
      assert.equal((await t.post({ authorName: 'Bob', body: 'new here' }, OTHER)).status, 'pending');
      assert.equal((await t.post({ authorName: 'Nobody', body: 'no reader key' }, null)).status, 'pending');
    } finally {
      await t.close();
    }
  });

  it('links: replies with links wait, others are published; an edit adding links waits again', async () => {
    const t = await setup({ moderation: 'links' });
    try {
      assert.equal((await t.post({ authorName: 'A', body: 'see https://example.org/' })).status, 'pending');
      assert.equal(
        (await t.post({ authorName: 'A', body: 'a [link](https://example.org/)' })).status,
        'pending',
      );
      const plain = await t.post({ authorName: 'A', body: 'no links, [x](javascript:void 0) is text' });
      assert.equal(plain.status, 'published');
      const res = await t.app.request(
        `/api/v1/replies/${plain.id}`,
        json(
          { body: 'now https://spam.example/' },
          { 'X-Colloquy-Edit-Token': plain.editToken, 'X-Colloquy-Reader': AUTHOR },
          'PATCH',
        ),
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Cache-Control'), 'private, no-store');
      assert.equal(((await res.json()) as Reply).status, 'pending');
      assert.equal(((await (await t.get('/api/v1/topics/topic')).json()) as TopicWithReplies).replyCount, 0);
    } finally {
      await t.close();
    }
  });

  it('the admin’s own replies are published in every mode', async () => {
    const t = await setup({ moderation: 'all' });
    try {
      const res = await t.app.request(
        '/api/v1/topics/topic/replies',
        json({ authorName: 'Mod', body: 'official' }, admin),
      );
      assert.equal(((await res.json()) as Reply).status, 'published');
    } finally {
      await t.close();
    }
  });
});

describe('admin API', () => {
  it('bans a reader key or an address prefix: their writes get 403', async () => {
    const t = await setup({});
    try {
      const banned = await t.adminCall('POST', '/api/v1/admin/bans', { readerKey: OTHER });
      assert.equal(banned.status, 201);
      assert.ok(!(await banned.text()).includes(OTHER), 'the reader key is not echoed');
      const reply = (reader: string, address: string) =>
        t.app.request(
          '/api/v1/topics/topic/replies',
          json({ authorName: 'A', body: 'b' }, { 'X-Colloquy-Reader': reader }),
          fromAddress(address),
        );
      const problem = await expectProblem(await reply(OTHER, '192.0.2.1'), 403);
      assert.equal(problem.type, 'urn:colloquy:problem:banned');
      await expectProblem(
        await t.app.request(
          '/api/v1/topics/topic/reactions',
          json({ kind: 'like' }, { 'X-Colloquy-Reader': OTHER }),
        ),
        403,
      );
      assert.equal((await reply(AUTHOR, '192.0.2.1')).status, 201);

      assert.equal(
        (await t.adminCall('POST', '/api/v1/admin/bans', { addressPrefix: '198.51.100.7' })).status,
        201,
      );
      await expectProblem(await reply(AUTHOR, '198.51.100.200'), 403);
      assert.equal((await reply(AUTHOR, '198.51.101.1')).status, 201);
      assert.equal(
        (await t.adminCall('POST', '/api/v1/admin/bans', { addressPrefix: '2001:db8:aa::/48' })).status,
        201,
      );
      await expectProblem(await reply(AUTHOR, '2001:db8:aa:0:1::5'), 403);
      // Reads stay open; the admin is never banned.
      assert.equal(
        (await t.app.request('/api/v1/topics/topic', {}, fromAddress('198.51.100.9'))).status,
        200,
      );
      assert.equal(
        (
          await t.app.request(
            '/api/v1/topics/topic/replies',
            json({ authorName: 'M', body: 'b' }, { ...admin, 'X-Colloquy-Reader': OTHER }),
            fromAddress('198.51.100.9'),
          )
        ).status,
        201,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a ban that is not an address or reader key, naming every wrong field', async () => {
    const t = await setup({});
    try {
      const rule = 'addressPrefix must be an IP address or prefix such as 203.0.113.0/24 or 2001:db8::/64';
      const address = await expectProblem(
        await t.adminCall('POST', '/api/v1/admin/bans', { addressPrefix: '999.1.1.1' }),
        422,
      );
      assert.deepEqual(address.errors, [{ path: 'addressPrefix', message: rule }]);
      const both = await expectProblem(
        await t.adminCall('POST', '/api/v1/admin/bans', { readerKey: 'short', addressPrefix: 'nowhere' }),
        422,
      );
      assert.deepEqual(
        both.errors?.map((e) => e.path),
        ['readerKey', 'addressPrefix'],
      );
      const long = await expectProblem(
        await t.adminCall('POST', '/api/v1/admin/bans', { addressPrefix: '1'.repeat(65) }),
        422,
      );
      assert.deepEqual(
        long.errors,
        [{ path: 'addressPrefix', message: rule }],
        'one refusal of a long address, not two',
      );
      const none = await expectProblem(await t.adminCall('POST', '/api/v1/admin/bans', {}), 422);
      assert.equal(none.detail, 'Give readerKey, addressPrefix or both');
    } finally {
      await t.close();
    }
  });

  it('locks and unlocks a topic', async () => {
    const t = await setup({});
    try {
      const locked = await t.adminCall('POST', '/api/v1/admin/topics/topic/lock', { locked: true });
      assert.equal(locked.status, 200);
      assert.equal(((await locked.json()) as Topic).locked, true);
      await expectProblem(
        await t.app.request('/api/v1/topics/topic/replies', json({ authorName: 'A', body: 'b' })),
        409,
      );
      await t.adminCall('POST', '/api/v1/admin/topics/topic/lock', { locked: false });
      assert.equal(
        (await t.app.request('/api/v1/topics/topic/replies', json({ authorName: 'A', body: 'b' }))).status,
        201,
      );
      await expectProblem(
        await t.adminCall('POST', '/api/v1/admin/topics/missing/lock', { locked: true }),
        404,
      );
    } finally {
      await t.close();
    }
  });
});
