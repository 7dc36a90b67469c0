import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderMarkdown, StoreError, type Store, type TopicRecord } from '../src/index.js';
import { tempDir } from './helpers.js';

const topic = (id: string, extra: Partial<TopicRecord> = {}): TopicRecord => ({
  id,
  title: `Topic ${id}`,
  url: null,
  category: null,
  label: null,
  summary: null,
  author: null,
  ...renderMarkdown('Body'),
  sources: [{ title: 'A', url: 'https://a.example/' }, { title: 'B', url: 'https://b.example/' }],
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
      assert.deepEqual(first.topic.sources.map((s) => s.n), [1, 2]);
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
      await assert.rejects(store.createReply(reply('t5', other.id)), (e: unknown) => e instanceof StoreError && e.code === 'invalid-parent');
      await assert.rejects(store.createReply(reply('none', null)), (e: unknown) => e instanceof StoreError && e.code === 'topic-not-found');
      await assert.rejects(store.createReply(reply('t4', null)), (e: unknown) => e instanceof StoreError && e.code === 'topic-locked');
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
      assert.deepEqual(page1.replies.map((r) => r.text), ['A', 'A1', 'A1a', 'A2', 'B']);
      assert.equal(page1.total, 7);
      assert.ok(page1.nextCursor);
      const decoded = Buffer.from(page1.nextCursor, 'base64url').toString();
      assert.equal(decoded, `${B.createdAt}|${B.id}`);

      const page2 = await store.listReplies('paged', { limit: 2, cursor: { createdAt: B.createdAt, id: B.id } });
      assert.deepEqual(page2.replies.map((r) => r.id), [C.id, C1.id]);
      assert.equal(page2.nextCursor, null);
      assert.deepEqual([A2.id, A1a.id].every((id) => page1.replies.some((r) => r.id === id)), true);
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
        await assert.rejects(store.listReplies('cur', { limit: 5, cursor }), (e: unknown) => e instanceof StoreError && e.code === 'invalid-cursor');
      }
      await assert.rejects(store.listReplies('nope', { limit: 5, cursor: null }), (e: unknown) => e instanceof StoreError && e.code === 'topic-not-found');
    });

    it('toggles reactions per reader and keeps the counts', async () => {
      await store.upsertTopic(topic('react'));
      const r = await store.createReply(reply('react', null));
      const on = await store.toggleReaction({ type: 'topic', id: 'react' }, 'like', 'reader-one-aaaaaaaa');
      assert.deepEqual(on, { kind: 'like', active: true, reactions: { like: 1, insightful: 0, disagree: 0 } });
      const other = await store.toggleReaction({ type: 'topic', id: 'react' }, 'like', 'reader-two-bbbbbbbb');
      assert.equal(other!.reactions.like, 2);
      const off = await store.toggleReaction({ type: 'topic', id: 'react' }, 'like', 'reader-one-aaaaaaaa');
      assert.deepEqual(off, { kind: 'like', active: false, reactions: { like: 1, insightful: 0, disagree: 0 } });
      const onReply = await store.toggleReaction({ type: 'reply', id: r.id }, 'insightful', 'reader-one-aaaaaaaa');
      assert.deepEqual(onReply!.reactions, { like: 0, insightful: 1, disagree: 0 });
      assert.equal((await store.getReply(r.id))!.reactions.insightful, 1);
      assert.equal(await store.toggleReaction({ type: 'reply', id: 'missing' }, 'like', 'reader-one-aaaaaaaa'), null);
      assert.equal(await store.toggleReaction({ type: 'topic', id: 'missing' }, 'like', 'reader-one-aaaaaaaa'), null);
    });

  it('keeps everything across close and reopen', async () => {
      await store.close();
      store = await open(dir);
      assert.equal((await store.getTopic('react'))!.reactions.like, 1);
      assert.equal((await store.getTopic('t2'))!.replyCount, 3);
      const page = await store.listReplies('paged', { limit: 10, cursor: null });
      assert.deepEqual(page.replies.map((r) => r.text), ['A', 'A1', 'A1a', 'A2', 'B', 'C', 'C1']);
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
