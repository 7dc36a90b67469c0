import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_PAGE_REPLIES, type Reply, type ReplyPage } from '@colloquy/api';
import { decodeCursor } from '../cursor.js';
import { renderMarkdown, StoreError, type Store, type TopicRecord } from '../index.js';
import { tempDir } from './helpers.js';

/** A topic record of the contracts, with `extra` over its defaults. */
export const topic = (id: string, extra: Partial<TopicRecord> = {}): TopicRecord => ({
  id,
  title: `Topic ${id}`,
  url: null,
  category: null,
  label: null,
  summary: null,
  author: null,
  ...renderMarkdown('Body'),
  sources: [
    { title: 'A', url: 'https://a.example/' },
    { title: 'B', url: 'https://b.example/' },
  ],
  locked: false,
  ...extra,
});

const reply = (topicId: string, parentId: string | null, text = 'hi') => ({
  topicId,
  parentId,
  authorName: 'Ann',
  ...renderMarkdown(text),
});

/**
 * The behaviour every Store must have, whatever its database. `open(dir)` opens a store whose
 * data lives under `dir`; calling it again with the same dir must see the same data.
 */
export function storeContract(name: string, open: (dir: string) => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let store: Store;

    before(async () => {
      ({ dir, cleanup } = await tempDir());
      store = await open(dir);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    it('creates and updates topics, numbering sources from 1', async () => {
      const first = await store.upsertTopic(topic('t1'));
      assert.equal(first.created, true);
      assert.deepEqual(
        first.topic.sources.map((s) => s.n),
        [1, 2],
      );
      assert.deepEqual(first.topic.reactions, { like: 0, insightful: 0, disagree: 0 });
      const second = await store.upsertTopic(topic('t1', { title: 'Renamed' }));
      assert.equal(second.created, false);
      assert.equal(second.topic.title, 'Renamed');
      assert.equal(second.topic.createdAt, first.topic.createdAt, 'an update without createdAt keeps it');
      assert.equal(await store.countTopics(), 1);
      assert.equal(await store.getTopic('nope'), null);
    });

    it('creates replies with depth and root, and counts them on the topic', async () => {
      await store.upsertTopic(topic('t2'));
      const a = await store.createReply(reply('t2', null));
      const b = await store.createReply(reply('t2', a.id));
      const c = await store.createReply(reply('t2', b.id));
      assert.deepEqual([a.depth, b.depth, c.depth], [0, 1, 2]);
      assert.equal(c.parentId, b.id);
      assert.equal((await store.getTopic('t2'))!.replyCount, 3);
      assert.deepEqual(await store.getReply(c.id), c);
      const [summary] = await store.getTopicSummaries(['t2', 'missing']);
      assert.equal(summary!.replyCount, 3);
      assert.equal(summary!.latestReply!.id, c.id);
    });

    it('issues reply ids that sort in creation order', async () => {
      await store.upsertTopic(topic('t-ids'));
      const ids: string[] = [];
      for (let k = 0; k < 50; k++) ids.push((await store.createReply(reply('t-ids', null))).id);
      assert.deepEqual([...ids].sort(), ids);
      assert.equal(new Set(ids).size, ids.length);
    });

    it('refuses a parent from another topic, an unknown topic and a locked topic', async () => {
      await store.upsertTopic(topic('t3'));
      await store.upsertTopic(topic('t4', { locked: true }));
      const other = await store.createReply(reply('t3', null));
      await store.upsertTopic(topic('t5'));
      await assert.rejects(
        store.createReply(reply('t5', other.id)),
        (e: unknown) => e instanceof StoreError && e.code === 'invalid-parent',
      );
      await assert.rejects(
        store.createReply(reply('none', null)),
        (e: unknown) => e instanceof StoreError && e.code === 'topic-not-found',
      );
      await assert.rejects(
        store.createReply(reply('t4', null)),
        (e: unknown) => e instanceof StoreError && e.code === 'topic-locked',
      );
      assert.equal((await store.getTopic('t5'))!.replyCount, 0, 'a refused reply leaves no count behind');
    });

    it('creates a page topic on its first reply when asked to', async () => {
      const id = 'https://host.example/post';
      const r = await store.createReply({ ...reply(id, null), createTopic: { title: 'Post', url: id } });
      const created = await store.getTopic(id);
      assert.equal(created!.title, 'Post');
      assert.equal(created!.url, id);
      assert.equal(created!.replyCount, 1);
      assert.equal(r.topicId, id);
    });

    it('pages whole threads in thread order', async () => {
      await store.upsertTopic(topic('paged'));
      // Three threads: A (with A1, A1a, A2), B (none), C (C1).
      const A = await store.createReply(reply('paged', null, 'A'));
      const B = await store.createReply(reply('paged', null, 'B'));
      const A1 = await store.createReply(reply('paged', A.id, 'A1'));
      const C = await store.createReply(reply('paged', null, 'C'));
      const A2 = await store.createReply(reply('paged', A.id, 'A2'));
      const A1a = await store.createReply(reply('paged', A1.id, 'A1a'));
      const C1 = await store.createReply(reply('paged', C.id, 'C1'));

      const page1 = await store.listReplies('paged', { limit: 2, cursor: null });
      assert.deepEqual(
        page1.replies.map((r) => r.text),
        ['A', 'A1', 'A1a', 'A2', 'B'],
      );
      assert.equal(page1.total, 7);
      assert.ok(page1.nextCursor);
      const decoded = Buffer.from(page1.nextCursor, 'base64url').toString();
      assert.equal(decoded, `${B.createdAt}|${B.id}`);

      const page2 = await store.listReplies('paged', {
        limit: 2,
        cursor: { createdAt: B.createdAt, id: B.id },
      });
      assert.deepEqual(
        page2.replies.map((r) => r.id),
        [C.id, C1.id],
      );
      assert.equal(page2.nextCursor, null);
      assert.deepEqual(
        [A2.id, A1a.id].every((id) => page1.replies.some((r) => r.id === id)),
        true,
      );
    });

    it('pages every order (oldest, newest, most reacted) reading each reply once, cut threads too', async () => {
      await store.upsertTopic(topic('sorted'));
      const roots: Reply[] = [];
      const all: string[] = [];
      const likes = [0, 3, 1, 3, 0, 2];
      for (const [k, n] of likes.entries()) {
        const root = await store.createReply(reply('sorted', null, `r${k}`));
        roots.push(root);
        all.push(root.id);
        for (let j = 0; j < n; j++)
          await store.toggleReaction({ type: 'reply', id: root.id }, 'like', `reader-${j}-sorted-aaaaaaaa`);
        if (k === 2)
          await store.toggleReaction(
            { type: 'reply', id: root.id },
            'insightful',
            'reader-x-sorted-aaaaaaaa',
          );
        // Thread 1 is longer than a page can hold; the others have an answer or two.
        const answers = k === 1 ? MAX_PAGE_REPLIES + 5 : k % 2;
        let parent = root.id;
        for (let j = 0; j < answers; j++) {
          const answer = await store.createReply(
            reply('sorted', j % 4 === 3 ? parent : root.id, `a${k}.${j}`),
          );
          if (j % 4 === 0) parent = answer.id;
          all.push(answer.id);
        }
      }
      const score = (k: number) => (likes[k] ?? 0) + (k === 2 ? 1 : 0);
      const byCreation = (a: Reply, b: Reply) =>
        a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1;
      const expected = {
        oldest: [...roots].sort(byCreation),
        newest: [...roots].sort(byCreation).reverse(),
        top: roots
          .map((root, k) => ({ root, s: score(k) }))
          .sort((a, b) => b.s - a.s || byCreation(a.root, b.root))
          .map(({ root }) => root),
      };
      for (const sort of ['oldest', 'newest', 'top'] as const) {
        const seen: string[] = [];
        const order: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: ReplyPage = await store.listReplies('sorted', {
            limit: 2,
            cursor: cursor === null ? null : decodeCursor(cursor),
            sort,
          });
          for (const r of page.replies) {
            seen.push(r.id);
            if (r.parentId === null) order.push(r.id);
          }
          if (page.nextCursor)
            assert.equal(decodeCursor(page.nextCursor)?.sort, sort === 'oldest' ? undefined : sort);
          cursor = page.nextCursor;
          assert.ok(++pages < 20);
        } while (cursor);
        assert.equal(seen.length, all.length, `${sort}: every reply read once`);
        assert.deepEqual([...seen].sort(), [...all].sort(), sort);
        assert.deepEqual(
          order,
          expected[sort].map((r) => r.id),
          `${sort}: the threads in order`,
        );
      }
      // Inside a thread, answers stay in creation order whatever the order of the threads.
      const top = await store.listReplies('sorted', { limit: 1, cursor: null, sort: 'top' });
      assert.equal(top.replies[0]?.id, roots[1]?.id);
      assert.ok(top.moreInThread, 'the long thread is cut');
      assert.equal(decodeCursor(top.moreInThread.cursor)?.sort, 'top');

      // The part of a thread that holds a reply: from the thread's start when it is in reach,
      const near = all[all.indexOf(roots[1]?.id ?? '') + 2] ?? '';
      const start = await store.listReplies('sorted', { limit: 20, cursor: null, around: near });
      assert.equal(start.replies[0]?.id, roots[1]?.id);
      assert.ok(start.replies.some((r) => r.id === near));
      assert.equal(start.nextCursor, null);
      assert.ok(start.moreInThread);
      // else its ancestors, then the reply and the thread after it.
      const far = all[all.indexOf(roots[1]?.id ?? '') + MAX_PAGE_REPLIES + 3] ?? '';
      const deep = await store.listReplies('sorted', { limit: 20, cursor: null, around: far });
      const at = deep.replies.findIndex((r) => r.id === far);
      assert.ok(at > 0, 'the reply is on the page, after its ancestors');
      assert.equal(deep.replies[0]?.id, roots[1]?.id);
      const farReply = deep.replies[at];
      assert.equal(deep.replies[at - 1]?.id, farReply?.parentId);
      assert.equal(deep.moreInThread, null);
      await assert.rejects(
        store.listReplies('sorted', { limit: 20, cursor: null, around: 'NOSUCHREPLY' }),
        (error: unknown) => error instanceof StoreError && error.code === 'reply-not-found',
      );
      await store.upsertTopic(topic('sorted-other'));
      await assert.rejects(
        store.listReplies('sorted-other', { limit: 20, cursor: null, around: far }),
        (error: unknown) => error instanceof StoreError && error.code === 'reply-not-found',
        'a reply of another topic',
      );
    });

    it('holds at most MAX_PAGE_REPLIES replies a page and continues a cut thread with a cursor of its own', async () => {
      await store.upsertTopic(topic('budget'));
      // Thread A: the root and MAX_PAGE_REPLIES + 40 replies at depths 1 and 2; then B and C.
      const A = await store.createReply(reply('budget', null, 'A'));
      let parent = A.id;
      const thread = [A.id];
      for (let k = 0; k < MAX_PAGE_REPLIES + 40; k++) {
        const r = await store.createReply(reply('budget', k % 3 === 2 ? parent : A.id, `a${k}`));
        if (k % 3 === 0) parent = r.id;
        thread.push(r.id);
      }
      const B = await store.createReply(reply('budget', null, 'B'));
      const B1 = await store.createReply(reply('budget', B.id, 'B1'));
      await store.createReply(reply('budget', null, 'C'));

      const first = await store.listReplies('budget', { limit: 20, cursor: null });
      assert.equal(first.replies.length, MAX_PAGE_REPLIES);
      assert.ok(first.replies.every((r) => r.id === A.id || r.parentId !== null));
      assert.equal(first.moreInThread?.rootId, A.id);
      assert.equal(first.moreInThread?.count, 41);
      assert.ok(first.nextCursor, 'B and C are on the next page');
      // Each reply of the cut page comes after its parent.
      const seen = new Set<string>();
      for (const r of first.replies) {
        assert.ok(r.parentId === null || seen.has(r.parentId));
        seen.add(r.id);
      }

      const cursor = decodeCursor(first.moreInThread?.cursor ?? '');
      assert.ok(cursor?.rootId === A.id);
      const rest = await store.listReplies('budget', { limit: 20, cursor });
      assert.equal(rest.replies.length, 41);
      assert.equal(rest.moreInThread, null);
      assert.equal(rest.nextCursor, null);
      for (const r of rest.replies) {
        assert.ok(
          r.parentId !== null && seen.has(r.parentId),
          'parents come before, on this page or an earlier one',
        );
        seen.add(r.id);
      }
      assert.deepEqual([...seen].sort(), [...thread].sort(), 'the two pages hold the whole thread once');

      // nextCursor goes on inside the cut thread, then with the threads after it.
      const next = await store.listReplies('budget', { limit: 20, cursor: decodeCursor(first.nextCursor) });
      assert.deepEqual(
        next.replies.map((r) => r.id),
        [...rest.replies.map((r) => r.id), B.id, B1.id, next.replies.at(-1)?.id],
      );
      assert.equal(next.replies.at(-1)?.text, 'C');
      assert.equal(next.moreInThread, null);
      assert.equal(next.nextCursor, null);

      // A thread cursor must name a reply of that thread, in this topic.
      for (const forged of [
        { createdAt: B1.createdAt, id: B1.id, rootId: A.id },
        { createdAt: '2020-01-01T00:00:00.000Z', id: A.id, rootId: A.id },
      ]) {
        await assert.rejects(
          store.listReplies('budget', { limit: 5, cursor: forged }),
          (e: unknown) => e instanceof StoreError && e.code === 'invalid-cursor',
        );
      }
      await assert.rejects(
        store.listReplies('paged', { limit: 5, cursor }),
        (e: unknown) => e instanceof StoreError && e.code === 'invalid-cursor',
      );
    });

    it('refuses a cursor that is not a top-level reply of the topic', async () => {
      await store.upsertTopic(topic('cur'));
      const root = await store.createReply(reply('cur', null));
      const child = await store.createReply(reply('cur', root.id));
      for (const cursor of [
        { createdAt: child.createdAt, id: child.id },
        { createdAt: '2020-01-01T00:00:00.000Z', id: root.id },
        { createdAt: root.createdAt, id: 'FORGED' },
      ]) {
        await assert.rejects(
          store.listReplies('cur', { limit: 5, cursor }),
          (e: unknown) => e instanceof StoreError && e.code === 'invalid-cursor',
        );
      }
      await assert.rejects(
        store.listReplies('nope', { limit: 5, cursor: null }),
        (e: unknown) => e instanceof StoreError && e.code === 'topic-not-found',
      );
    });

    it('toggles reactions per reader and keeps the counts', async () => {
      await store.upsertTopic(topic('react'));
      const r = await store.createReply(reply('react', null));
      const on = await store.toggleReaction({ type: 'topic', id: 'react' }, 'like', 'reader-one-aaaaaaaa');
      assert.deepEqual(on, {
        kind: 'like',
        active: true,
        reactions: { like: 1, insightful: 0, disagree: 0 },
      });
      const other = await store.toggleReaction({ type: 'topic', id: 'react' }, 'like', 'reader-two-bbbbbbbb');
      assert.equal(other!.reactions.like, 2);
      const off = await store.toggleReaction({ type: 'topic', id: 'react' }, 'like', 'reader-one-aaaaaaaa');
      assert.deepEqual(off, {
        kind: 'like',
        active: false,
        reactions: { like: 1, insightful: 0, disagree: 0 },
      });
      const onReply = await store.toggleReaction(
        { type: 'reply', id: r.id },
        'insightful',
        'reader-one-aaaaaaaa',
      );
      assert.deepEqual(onReply!.reactions, { like: 0, insightful: 1, disagree: 0 });
      assert.equal((await store.getReply(r.id))!.reactions.insightful, 1);
      assert.equal(
        await store.toggleReaction({ type: 'reply', id: 'missing' }, 'like', 'reader-one-aaaaaaaa'),
        null,
      );
      assert.equal(
        await store.toggleReaction({ type: 'topic', id: 'missing' }, 'like', 'reader-one-aaaaaaaa'),
        null,
      );
    });

    it('keeps everything across close and reopen', async () => {
      await store.close();
      store = await open(dir);
      assert.equal((await store.getTopic('react'))!.reactions.like, 1);
      assert.equal((await store.getTopic('t2'))!.replyCount, 3);
      const page = await store.listReplies('paged', { limit: 10, cursor: null });
      assert.deepEqual(
        page.replies.map((r) => r.text),
        ['A', 'A1', 'A1a', 'A2', 'B', 'C', 'C1'],
      );
    });

    it('keeps a pending reply out of counts and lists, except for its author', async () => {
      await store.upsertTopic(topic('moderated'));
      const author = Buffer.alloc(32, 1);
      const other = Buffer.alloc(32, 2);
      const pending = await store.createReply({
        ...reply('moderated', null, 'wait'),
        status: 'pending',
        readerHash: author,
      });
      assert.equal(pending.status, 'pending');
      assert.equal((await store.getTopic('moderated'))!.replyCount, 0);
      assert.deepEqual((await store.listReplies('moderated', { limit: 10, cursor: null })).replies, []);
      assert.deepEqual(
        (await store.listReplies('moderated', { limit: 10, cursor: null }, { readerHash: other })).replies,
        [],
      );
      assert.deepEqual(
        (
          await store.listReplies('moderated', { limit: 10, cursor: null }, { readerHash: author })
        ).replies.map((r) => r.id),
        [pending.id],
      );
      assert.equal(await store.getReply(pending.id), null);
      assert.equal((await store.getReply(pending.id, { readerHash: author }))!.id, pending.id);
      assert.deepEqual(
        (await store.listPending(10)).map((r) => r.id),
        [pending.id],
      );
      assert.equal(await store.hasPublishedReply({ readerHash: author }), false);

      const approved = (await store.setReplyStatus(pending.id, 'published'))!;
      assert.equal(approved.status, 'published');
      assert.equal((await store.getTopic('moderated'))!.replyCount, 1);
      assert.equal((await store.getTopicSummaries(['moderated']))[0]!.latestReply!.id, pending.id);
      assert.equal(await store.hasPublishedReply({ readerHash: author }), true);
      assert.deepEqual(await store.listPending(10), []);

      const hidden = (await store.setReplyStatus(pending.id, 'hidden'))!;
      assert.equal(hidden.text, 'wait', 'moderators see hidden text');
      const publicView = (await store.getReply(pending.id))!;
      assert.deepEqual([publicView.status, publicView.text, publicView.author.name], ['hidden', '', '']);
      assert.equal((await store.getTopic('moderated'))!.replyCount, 0);
      assert.equal((await store.getTopicSummaries(['moderated']))[0]!.latestReply, null);
      assert.equal(await store.setReplyStatus('missing', 'hidden'), null);
    });

    it('deletes in place, blanking the author and the text for good', async () => {
      await store.upsertTopic(topic('deletes'));
      const parent = await store.createReply({
        ...reply('deletes', null, 'secret text'),
        editTokenHash: Buffer.alloc(32, 3),
      });
      const child = await store.createReply(reply('deletes', parent.id, 'child'));
      const deleted = (await store.setReplyStatus(parent.id, 'deleted'))!;
      assert.deepEqual(
        [deleted.status, deleted.text, deleted.body, deleted.author.name],
        ['deleted', '', [], ''],
      );
      assert.equal((await store.getReplyCredentials(parent.id))!.editTokenHash, null);
      const page = await store.listReplies('deletes', { limit: 10, cursor: null });
      assert.deepEqual(
        page.replies.map((r) => r.id),
        [parent.id, child.id],
      );
      assert.equal(page.total, 1);
      await assert.rejects(
        store.createReply(reply('deletes', parent.id)),
        (e: unknown) => e instanceof StoreError && e.code === 'invalid-parent',
      );
    });

    it('edits a reply, setting editedAt', async () => {
      await store.upsertTopic(topic('edits'));
      const original = await store.createReply(reply('edits', null, 'before'));
      const edited = (await store.editReply(original.id, renderMarkdown('after')))!;
      assert.equal(edited.text, 'after');
      assert.ok(edited.editedAt);
      assert.equal(await store.editReply('missing', renderMarkdown('x')), null);
    });

    it('reserves a verified name and caps the depth', async () => {
      await store.upsertTopic(topic('names'));
      const verified = await store.createReply({
        ...reply('names', null),
        authorName: 'Gil',
        verifiedSub: 'sub-1',
        nameKey: 'gil',
      });
      assert.deepEqual(verified.author, { name: 'Gil', verified: true });
      await assert.rejects(
        store.createReply({ ...reply('names', null), authorName: 'GIL', nameKey: 'gil' }),
        (e: unknown) => e instanceof StoreError && e.code === 'name-reserved',
      );
      assert.deepEqual((await store.createReply({ ...reply('names', null), nameKey: 'ann' })).author, {
        name: 'Ann',
      });
      const root = await store.createReply({ ...reply('names', null), maxDepth: 1 });
      const one = await store.createReply({ ...reply('names', root.id), maxDepth: 1 });
      await assert.rejects(
        store.createReply({ ...reply('names', one.id), maxDepth: 1 }),
        (e: unknown) => e instanceof StoreError && e.code === 'too-deep',
      );
    });

    it('bans readers and address prefixes, and locks topics', async () => {
      const reader = Buffer.alloc(32, 9);
      assert.equal(await store.isBanned({ readerHash: reader, addressPrefix: '192.0.2.0/24' }), false);
      await store.addBan({ readerHash: reader });
      await store.addBan({ addressPrefix: '192.0.2.0/24' });
      await store.addBan({ addressPrefix: '192.0.2.0/24' }); // twice is fine
      assert.equal(await store.isBanned({ readerHash: reader }), true);
      assert.equal(await store.isBanned({ addressPrefix: '192.0.2.0/24' }), true);
      assert.equal(
        await store.isBanned({ readerHash: Buffer.alloc(32, 8), addressPrefix: '198.51.100.0/24' }),
        false,
      );
      await store.upsertTopic(topic('lockable'));
      assert.equal((await store.setTopicLocked('lockable', true))!.locked, true);
      await assert.rejects(
        store.createReply(reply('lockable', null)),
        (e: unknown) => e instanceof StoreError && e.code === 'topic-locked',
      );
      assert.equal((await store.setTopicLocked('lockable', false))!.locked, false);
      assert.equal(await store.setTopicLocked('missing', true), null);
    });

    it('fails ping once closed', async () => {
      const { dir: other, cleanup: done } = await tempDir();
      const s = await open(other);
      await s.ping();
      await s.close();
      await assert.rejects(s.ping());
      await done();
    });
  });
}

/** Rate-limit windows as every Store keeps them (see Store.hitRateWindow). */
export function rateWindowContract(name: string, open: (dir: string) => Promise<Store>): void {
  describe(`Store rate-limit windows: ${name}`, () => {
    let cleanup: () => Promise<void>;
    let store: Store;
    before(async () => {
      const temp = await tempDir();
      cleanup = temp.cleanup;
      store = await open(temp.dir);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    it('counts hits per limit and key in fixed windows, and starts a new window when one is over', async () => {
      const t0 = 1_800_000_000_000;
      assert.equal(await store.peekRateWindow('reply', 'net-a'), null);
      assert.deepEqual(await store.hitRateWindow('reply', 'net-a', 60_000, t0), { start: t0, count: 1 });
      assert.deepEqual(await store.hitRateWindow('reply', 'net-a', 60_000, t0 + 59_999), {
        start: t0,
        count: 2,
      });
      assert.deepEqual(await store.hitRateWindow('reply', 'net-b', 60_000, t0 + 10), {
        start: t0 + 10,
        count: 1,
      });
      assert.deepEqual(await store.hitRateWindow('topic', 'net-a', 60_000, t0 + 20), {
        start: t0 + 20,
        count: 1,
      });
      assert.deepEqual(await store.peekRateWindow('reply', 'net-a'), { start: t0, count: 2 });
      // A hit once the window is over opens the next one.
      assert.deepEqual(await store.hitRateWindow('reply', 'net-a', 60_000, t0 + 60_000), {
        start: t0 + 60_000,
        count: 1,
      });
    });

    it('counts concurrent hits exactly', async () => {
      const t0 = 1_900_000_000_000;
      await Promise.all(Array.from({ length: 25 }, () => store.hitRateWindow('write', 'busy', 60_000, t0)));
      assert.deepEqual(await store.peekRateWindow('write', 'busy'), { start: t0, count: 25 });
    });
  });
}

/**
 * Live updates and HTTP caching: the events and the version counter every Store keeps (see
 * Store.topicVersion and Store.listEvents). `open(dir)` as for storeContract().
 */
export function eventContract(name: string, open: (dir: string) => Promise<Store>): void {
  describe(`Store events and versions: ${name}`, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let store: Store;

    before(async () => {
      ({ dir, cleanup } = await tempDir());
      store = await open(dir);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    /** The version after `write`, checked to have moved (or not) from before it. */
    async function versionAcross(id: string, write: () => Promise<unknown>, moves = true): Promise<number> {
      const before = (await store.topicVersion(id))!;
      await write();
      const after = (await store.topicVersion(id))!;
      if (moves) assert.ok(after > before, `version ${after} should be above ${before}`);
      else assert.equal(after, before, 'version unchanged');
      return after;
    }
    const eventsOf = async (id: string, after = '0') => store.listEvents(id, after, 1000);
    const brief = (events: Array<{ type: string; data: unknown }>) => events.map((e) => [e.type, e.data]);

    it('has no version for a missing topic and no events for a new one', async () => {
      assert.equal(await store.topicVersion('missing'), null);
      await store.upsertTopic(topic('ev-new'));
      assert.equal(typeof (await store.topicVersion('ev-new')), 'number');
      assert.equal(await store.lastEventId('ev-new'), '0');
      assert.equal(await store.lastEventId('missing'), '0');
      assert.deepEqual(await eventsOf('ev-new'), []);
    });

    it("gives a reply's topic version and whether it awaits review, and moves it with the reply", async () => {
      assert.equal(await store.replyVersion('missing'), null);
      await store.upsertTopic(topic('ev-one'));
      const published = await store.createReply(reply('ev-one', null, 'one'));
      const held = await store.createReply({
        ...reply('ev-one', null, 'held'),
        status: 'pending',
        readerHash: Buffer.alloc(32, 7),
      });
      assert.deepEqual(await store.replyVersion(published.id), {
        topicVersion: await store.topicVersion('ev-one'),
        pending: false,
      });
      assert.equal((await store.replyVersion(held.id))?.pending, true);
      const before = await store.replyVersion(published.id);
      await store.toggleReaction({ type: 'reply', id: published.id }, 'like', 'reader-key-ev-one-0002');
      const after = await store.replyVersion(published.id);
      assert.ok((after?.topicVersion ?? 0) > (before?.topicVersion ?? 0), 'a reaction moves it');
      await store.setReplyStatus(held.id, 'published');
      assert.equal((await store.replyVersion(held.id))?.pending, false);
    });

    it('bumps the version without events when the topic itself changes', async () => {
      await store.upsertTopic(topic('ev-topic'));
      await versionAcross('ev-topic', () => store.upsertTopic(topic('ev-topic', { title: 'Renamed' })));
      await versionAcross('ev-topic', () => store.setTopicLocked('ev-topic', true));
      await versionAcross('ev-topic', () => store.setTopicLocked('ev-topic', false));
      assert.deepEqual(await eventsOf('ev-topic'), []);
    });

    it('records a published reply as reply-created and counts, with increasing decimal ids', async () => {
      await store.upsertTopic(topic('ev-reply'));
      let first!: Awaited<ReturnType<Store['createReply']>>;
      await versionAcross(
        'ev-reply',
        async () => (first = await store.createReply(reply('ev-reply', null, 'one'))),
      );
      const second = await store.createReply(reply('ev-reply', first.id, 'two'));
      const events = await eventsOf('ev-reply');
      assert.deepEqual(brief(events), [
        ['reply-created', await store.getReply(first.id)],
        ['counts', { replyCount: 1 }],
        ['reply-created', await store.getReply(second.id)],
        ['counts', { replyCount: 2 }],
      ]);
      for (const event of events) {
        assert.match(event.id, /^[1-9]\d*$/);
        assert.equal(event.topicId, 'ev-reply');
      }
      const ids = events.map((e) => BigInt(e.id));
      assert.ok(
        ids.every((id, k) => k === 0 || id > ids[k - 1]!),
        'ids increase',
      );
      assert.equal(await store.lastEventId('ev-reply'), events.at(-1)!.id);
    });

    it('pages events after an id, oldest first, and keeps topics apart', async () => {
      await store.upsertTopic(topic('ev-page'));
      await store.upsertTopic(topic('ev-other'));
      for (let k = 0; k < 3; k++) {
        await store.createReply(reply('ev-page', null, `p${k}`));
        await store.createReply(reply('ev-other', null, `o${k}`));
      }
      const all = await eventsOf('ev-page');
      assert.equal(all.length, 6);
      assert.ok(all.every((e) => e.topicId === 'ev-page'));
      const page = await store.listEvents('ev-page', all[1]!.id, 2);
      assert.deepEqual(
        page.map((e) => e.id),
        [all[2]!.id, all[3]!.id],
      );
      assert.deepEqual(await store.listEvents('ev-page', all[5]!.id, 10), []);
      // Ids increase across the whole database: the other topic's are interleaved.
      const other = await eventsOf('ev-other');
      assert.ok(BigInt(other[0]!.id) > BigInt(all[1]!.id) && BigInt(other[0]!.id) < BigInt(all[2]!.id));
    });

    it('records nothing for a pending reply until it is approved', async () => {
      await store.upsertTopic(topic('ev-pending'));
      let pending!: Awaited<ReturnType<Store['createReply']>>;
      await versionAcross(
        'ev-pending',
        async () =>
          (pending = await store.createReply({
            ...reply('ev-pending', null, 'wait'),
            status: 'pending',
            readerHash: Buffer.alloc(32, 5),
          })),
        false,
      );
      assert.deepEqual(await eventsOf('ev-pending'), []);
      assert.equal(await store.lastEventId('ev-pending'), '0');
      await versionAcross('ev-pending', () => store.setReplyStatus(pending.id, 'published'));
      const approved = (await store.getReply(pending.id))!;
      assert.equal(approved.status, 'published');
      assert.deepEqual(brief(await eventsOf('ev-pending')), [
        ['reply-created', approved],
        ['counts', { replyCount: 1 }],
      ]);
    });

    it('records edits, hiding and deletion as reply-changed as everyone reads it, with counts', async () => {
      await store.upsertTopic(topic('ev-change'));
      const a = await store.createReply(reply('ev-change', null, 'a'));
      const b = await store.createReply(reply('ev-change', null, 'b'));
      const start = await store.lastEventId('ev-change');

      await versionAcross('ev-change', () => store.editReply(a.id, renderMarkdown('a, edited')));
      const [edited, ...none] = await eventsOf('ev-change', start);
      assert.deepEqual(none, []);
      assert.equal(edited!.type, 'reply-changed');
      assert.deepEqual(edited!.data, await store.getReply(a.id));
      assert.equal((edited!.data as { text: string }).text, 'a, edited');

      const beforeHide = await store.lastEventId('ev-change');
      await versionAcross('ev-change', () => store.setReplyStatus(a.id, 'hidden'));
      const hidden = await eventsOf('ev-change', beforeHide);
      assert.deepEqual(brief(hidden), [
        ['reply-changed', await store.getReply(a.id)],
        ['counts', { replyCount: 1 }],
      ]);
      const blanked = hidden[0]!.data as {
        status: string;
        text: string;
        body: unknown[];
        author: { name: string };
      };
      assert.deepEqual(
        [blanked.status, blanked.text, blanked.body, blanked.author.name],
        ['hidden', '', [], ''],
        'no hidden text in an event',
      );

      const beforeDelete = await store.lastEventId('ev-change');
      await versionAcross('ev-change', () => store.setReplyStatus(b.id, 'deleted'));
      const deleted = await eventsOf('ev-change', beforeDelete);
      assert.deepEqual(brief(deleted), [
        ['reply-changed', await store.getReply(b.id)],
        ['counts', { replyCount: 0 }],
      ]);
      assert.deepEqual((deleted[0]!.data as { status: string; text: string }).text, '');
    });

    it('records reaction counts of the topic and of a reply', async () => {
      await store.upsertTopic(topic('ev-react'));
      const r = await store.createReply(reply('ev-react', null));
      const start = await store.lastEventId('ev-react');
      await versionAcross('ev-react', () =>
        store.toggleReaction({ type: 'topic', id: 'ev-react' }, 'like', 'reader-one-aaaaaaaa'),
      );
      await versionAcross('ev-react', () =>
        store.toggleReaction({ type: 'reply', id: r.id }, 'insightful', 'reader-one-aaaaaaaa'),
      );
      await versionAcross('ev-react', () =>
        store.toggleReaction({ type: 'topic', id: 'ev-react' }, 'like', 'reader-one-aaaaaaaa'),
      );
      assert.deepEqual(brief(await eventsOf('ev-react', start)), [
        ['reactions', { replyId: null, reactions: { like: 1, insightful: 0, disagree: 0 } }],
        ['reactions', { replyId: r.id, reactions: { like: 0, insightful: 1, disagree: 0 } }],
        ['reactions', { replyId: null, reactions: { like: 0, insightful: 0, disagree: 0 } }],
      ]);
    });

    it('leaves no event and no version change behind a refused write', async () => {
      await store.upsertTopic(topic('ev-locked', { locked: true }));
      await versionAcross(
        'ev-locked',
        () => store.createReply(reply('ev-locked', null)).catch(() => undefined),
        false,
      );
      assert.deepEqual(await eventsOf('ev-locked'), []);
    });

    it('keeps events and versions across close and reopen', async () => {
      const version = await store.topicVersion('ev-reply');
      const events = await eventsOf('ev-reply');
      await store.close();
      store = await open(dir);
      assert.equal(await store.topicVersion('ev-reply'), version);
      assert.deepEqual(await eventsOf('ev-reply'), events);
      const next = await store.createReply(reply('ev-reply', null, 'after reopen'));
      const [created] = await eventsOf('ev-reply', events.at(-1)!.id);
      assert.ok(BigInt(created!.id) > BigInt(events.at(-1)!.id), 'ids keep increasing after a reopen');
      assert.equal((created!.data as { id: string }).id, next.id);
    });

    it('leaves no trace in the event log of a text before its edit, nor of a hidden or deleted reply', async () => {
      await store.upsertTopic(topic('ev-redact'));
      const secrets = ['first-draft-7c1f', 'hidden-body-52aa', 'deleted-body-e90d'];
      const names = ['Edith Original', 'Hilda Hidden', 'Dora Deleted'];
      const [edited, hidden, deleted] = await Promise.all(
        secrets.map(async (text, k) => ({
          ...(await store.createReply({ ...reply('ev-redact', null, text), authorName: names[k]! })),
        })),
      );
      const child = await store.createReply(reply('ev-redact', deleted!.id, 'a child stays'));
      const log = async () => JSON.stringify(await eventsOf('ev-redact'));
      for (const text of [...secrets, ...names]) assert.ok((await log()).includes(text), 'written first');

      await store.editReply(edited!.id, renderMarkdown('second draft'));
      await store.setReplyStatus(hidden!.id, 'hidden');
      await store.setReplyStatus(deleted!.id, 'deleted');
      const after = await log();
      for (const text of [...secrets, names[1]!, names[2]!])
        assert.ok(!after.includes(text), `"${text}" is gone from every event`);
      assert.ok(after.includes('second draft') && after.includes(names[0]!), 'the edit is readable');
      assert.ok(after.includes('a child stays'), 'other replies keep their events');
      // Every event of a reply now says what a read of it says, and ids and order are unchanged.
      const events = await eventsOf('ev-redact');
      for (const event of events) {
        if (event.type !== 'reply-created' && event.type !== 'reply-changed') continue;
        const id = (event.data as { id: string }).id;
        assert.deepEqual(event.data, await store.getReply(id));
      }
      assert.deepEqual(
        events.map((e) => e.type),
        [
          ...['reply-created', 'counts', 'reply-created', 'counts', 'reply-created', 'counts'],
          ...[
            'reply-created',
            'counts',
            'reply-changed',
            'reply-changed',
            'counts',
            'reply-changed',
            'counts',
          ],
        ],
      );
      assert.equal((await store.getReply(child.id))?.text, 'a child stays');
      // Published again, a hidden reply's events read as published again: still never its past.
      await store.setReplyStatus(hidden!.id, 'published');
      assert.ok((await log()).includes(secrets[1]!));
    });

    it("remembers up to which event a topic's log was pruned, and nothing before any pruning", async () => {
      await store.upsertTopic(topic('ev-pruned'));
      assert.equal(await store.eventsPrunedThrough('ev-pruned'), '0');
      assert.equal(await store.eventsPrunedThrough('missing'), '0');
      for (let k = 0; k < 3; k++) await store.createReply(reply('ev-pruned', null, `p${k}`));
      const events = await eventsOf('ev-pruned');
      const prune = (store as unknown as { pruneEvents(before: Date): unknown }).pruneEvents.bind(store);
      await prune(new Date('2000-01-01T00:00:00Z'));
      assert.equal(await store.eventsPrunedThrough('ev-pruned'), '0', 'nothing was that old');
      await prune(new Date(Date.now() + 60_000));
      // The newest event stays; the one before it is the newest that went.
      assert.deepEqual(await eventsOf('ev-pruned'), [events.at(-1)]);
      assert.equal(await store.eventsPrunedThrough('ev-pruned'), events.at(-2)!.id);
      await prune(new Date(Date.now() + 60_000));
      assert.equal(
        await store.eventsPrunedThrough('ev-pruned'),
        events.at(-2)!.id,
        'a second pruning keeps it',
      );
    });
  });
}
