import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { renderMarkdown, type Store, type TopicRecord } from '../index.js';
import { decodeCursor } from '../store/cursor.js';
import { tempDir } from './helpers.js';

const topic = (id: string, title = `Topic ${id}`): TopicRecord => ({
  id,
  title,
  url: null,
  category: null,
  label: null,
  summary: null,
  author: null,
  ...renderMarkdown('Body'),
  sources: [],
  locked: false,
});

const hash = (key: string) => createHash('sha256').update(key).digest();
const grace = { moderator: 'Grace' };

/**
 * Moderation as every Store must do it: the queues and their filters (full-text search
 * included), keyset paging, actions logged under the moderator's name in their own
 * transaction, reports once per reporter, bans that expire and lift, moderators and sessions.
 */
export function moderationContract(name: string, open: (dir: string) => Promise<Store>): void {
  describe(`Store moderation: ${name}`, () => {
    let cleanup: () => Promise<void>;
    let store: Store;
    const ids: Record<string, string> = {};

    before(async () => {
      let dir: string;
      ({ dir, cleanup } = await tempDir());
      store = await open(dir);
      await store.upsertTopic(topic('m1', 'First'));
      await store.upsertTopic(topic('m2', 'Second'));
      const add = async (key: string, topicId: string, text: string, extra: object = {}) => {
        const reply = await store.createReply({
          topicId,
          parentId: null,
          authorName: key === 'ann' ? 'Ann' : 'Bob',
          ...renderMarkdown(text),
          readerHash: hash(`${key}-reader-key-0123456`),
          clientPrefix: key === 'ann' ? '192.0.2.0/24' : '198.51.100.0/24',
          ...extra,
        });
        ids[text] = reply.id;
      };
      await add('ann', 'm1', 'Held: the quick brown fox', { status: 'pending' });
      await add('bob', 'm1', 'Published about foxes and hounds');
      await add('ann', 'm2', 'Another held one', { status: 'pending' });
      await add('bob', 'm2', 'Plain words');
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    const queue = async (filter: Parameters<Store['moderationQueue']>[0], limit = 50) =>
      (await store.moderationQueue(filter, { limit, cursor: null })).items.map((i) => i.reply.text);

    it('lists what awaits review, oldest first, with the topic, reader id and network', async () => {
      const page = await store.moderationQueue({ queue: 'pending' }, { limit: 50, cursor: null });
      assert.deepEqual(
        page.items.map((i) => [i.reply.text, i.topic.title, i.network]),
        [
          ['Held: the quick brown fox', 'First', '192.0.2.0/24'],
          ['Another held one', 'Second', '192.0.2.0/24'],
        ],
      );
      assert.equal(page.items[0]?.readerId, hash('ann-reader-key-0123456').toString('hex'));
      assert.equal(page.nextCursor, null);
    });

    it('filters by topic, author (any case), reader, network and status, and searches the text', async () => {
      assert.deepEqual(await queue({ queue: 'recent', topicId: 'm2' }), ['Plain words', 'Another held one']);
      assert.deepEqual(await queue({ queue: 'recent', author: 'bOB' }), [
        'Plain words',
        'Published about foxes and hounds',
      ]);
      assert.deepEqual(
        await queue({ queue: 'recent', readerHash: hash('bob-reader-key-0123456'), topicId: 'm1' }),
        ['Published about foxes and hounds'],
      );
      assert.deepEqual(await queue({ queue: 'recent', network: '192.0.2.0/24', status: 'pending' }), [
        'Another held one',
        'Held: the quick brown fox',
      ]);
      assert.deepEqual(await queue({ queue: 'recent', search: 'FOX' }), ['Held: the quick brown fox']);
      assert.deepEqual(await queue({ queue: 'recent', search: 'foxes hounds' }), [
        'Published about foxes and hounds',
      ]);
      assert.deepEqual(await queue({ queue: 'recent', search: 'foxes nothing' }), []);
      // The search's own syntax is only text: quotes, operators and column filters match nothing special.
      assert.deepEqual(await queue({ queue: 'recent', search: '" OR text:* NEAR(' }), []);
    });

    it('pages by keyset: every reply once, in order, whatever the page size', async () => {
      const all = await queue({ queue: 'recent' });
      const seen: string[] = [];
      let cursor = null;
      do {
        const page = await store.moderationQueue({ queue: 'recent' }, { limit: 1, cursor });
        seen.push(...page.items.map((i) => i.reply.text));
        cursor = page.nextCursor === null ? null : decodeCursor(page.nextCursor);
      } while (cursor);
      assert.deepEqual(seen, all);
      await assert.rejects(
        store.moderationQueue(
          { queue: 'recent' },
          { limit: 1, cursor: { createdAt: '2020-01-01T00:00:00.000Z', id: 'nope' } },
        ),
        { code: 'invalid-cursor' },
      );
    });

    it('approves, hides and restores in the moderator’s name, logged in the same transaction', async () => {
      const id = ids['Held: the quick brown fox'] ?? '';
      const approved = await store.moderate(id, 'approve', grace);
      assert.ok(approved && 'reply' in approved);
      assert.equal(approved.reply.status, 'published');
      assert.ok((await store.moderate(id, 'hide', grace)) !== null);
      const restored = await store.moderate(id, 'restore', grace);
      assert.ok(restored && 'reply' in restored && restored.reply.status === 'published');
      const refused = await store.moderate(id, 'restore', grace);
      assert.ok(refused && 'refused' in refused, 'only a hidden reply is restored');
      assert.equal(await store.moderate('missing', 'approve', grace), null);
      const log = await store.moderationLog({ limit: 10, before: null, replyId: id });
      assert.deepEqual(
        log.entries.map((e) => [e.moderator, e.action, e.topicId]),
        [
          ['Grace', 'reply.restore', 'm1'],
          ['Grace', 'reply.hide', 'm1'],
          ['Grace', 'reply.approve', 'm1'],
        ],
      );
      const older = await store.moderationLog({ limit: 1, before: log.entries[0]?.id ?? null, replyId: id });
      assert.equal(older.entries[0]?.action, 'reply.hide');
    });

    it('refuses to bring back a deleted reply', async () => {
      const id = ids['Plain words'] ?? '';
      await store.moderate(id, 'delete', grace);
      const outcome = await store.moderate(id, 'approve', grace);
      assert.ok(outcome && 'refused' in outcome);
      assert.equal((await store.getReply(id, { admin: true }))?.text, '');
    });

    it('counts a report once per reporter; approving dismisses the reports', async () => {
      const id = ids['Published about foxes and hounds'] ?? '';
      assert.equal((await store.recordReport(id, { reporter: 'r1', reason: 'rude' }))?.counted, true);
      assert.equal((await store.recordReport(id, { reporter: 'r1', reason: 'again' }))?.counted, false);
      assert.equal((await store.recordReport(id, { reporter: 'r2', reason: null }))?.counted, true);
      const reported = await store.moderationQueue({ queue: 'reported' }, { limit: 10, cursor: null });
      assert.deepEqual(
        reported.items.map((i) => [i.reply.id, i.reports]),
        [[id, 2]],
      );
      await store.moderate(id, 'approve', grace);
      assert.deepEqual(await queue({ queue: 'reported' }), []);
      assert.equal(
        await store.recordReport(ids['Another held one'] ?? '', { reporter: 'r1', reason: null }),
        null,
      );
    });

    it('bans until lifted or until they expire, logged with who set them', async () => {
      const reader = hash('ban-me-reader-key-0123');
      await store.addBan({ readerHash: reader, reason: 'spam' }, grace);
      await store.addBan(
        { addressPrefix: '203.0.113.0/24', expiresAt: new Date(Date.now() - 1000).toISOString() },
        grace,
      );
      assert.equal(await store.isBanned({ readerHash: reader }), true);
      assert.equal(await store.isBanned({ addressPrefix: '203.0.113.0/24' }), false, 'expired');
      const bans = await store.listBans(10);
      assert.deepEqual(
        bans.map((b) => [b.kind, b.value, b.createdBy, b.reason, b.expiresAt]),
        [['reader', reader.toString('hex'), 'Grace', 'spam', null]],
      );
      assert.equal(await store.liftBan('reader', reader.toString('hex'), grace), true);
      assert.equal(await store.liftBan('reader', reader.toString('hex'), grace), false);
      assert.equal(await store.isBanned({ readerHash: reader }), false);
      const actions = (await store.moderationLog({ limit: 10, before: null })).entries.map((e) => e.action);
      assert.deepEqual(actions.slice(0, 3), ['ban.lift', 'ban.add', 'ban.add']);
    });

    it('locks and edits topics in the moderator’s name', async () => {
      assert.equal((await store.setTopicLocked('m2', true, grace))?.locked, true);
      assert.equal((await store.upsertTopic(topic('m3'), grace)).created, true);
      assert.equal((await store.upsertTopic(topic('m3', 'Renamed'), grace)).created, false);
      const log = (await store.moderationLog({ limit: 3, before: null })).entries;
      assert.deepEqual(
        log.map((e) => [e.action, e.topicId]),
        [
          ['topic.edit', 'm3'],
          ['topic.create', 'm3'],
          ['topic.lock', 'm2'],
        ],
      );
    });

    it('keeps moderators by their token’s digest, and their sessions until they end', async () => {
      assert.ok(await store.moderators.add('Ada', hash('ada-token'), { moderator: 'admin' }));
      assert.equal(
        await store.moderators.add('Ada', hash('other'), { moderator: 'admin' }),
        null,
        'name taken',
      );
      assert.equal(await store.moderators.byToken(hash('ada-token')), 'Ada');
      assert.equal(await store.moderators.byToken(hash('wrong')), null);
      const now = new Date();
      const later = new Date(now.getTime() + 60_000);
      const session = {
        idHash: hash('session-1'),
        moderator: 'Ada',
        role: 'moderator' as const,
        csrfToken: 'csrf',
        startedAt: now.toISOString(),
        issuedAt: now.toISOString(),
        expiresAt: later.toISOString(),
      };
      await store.moderators.startSession(session);
      assert.equal((await store.moderators.session(hash('session-1'), now))?.moderator, 'Ada');
      assert.equal(
        await store.moderators.session(hash('session-1'), new Date(later.getTime() + 1)),
        null,
        'expired',
      );
      const rotated = await store.moderators.rotateSession(hash('session-1'), hash('session-2'), {
        now,
        expiresAt: later,
        oldUntil: new Date(now.getTime() + 1000),
      });
      assert.equal(rotated?.csrfToken, 'csrf');
      assert.equal((await store.moderators.session(hash('session-2'), now))?.startedAt, session.startedAt);
      assert.equal(
        await store.moderators.session(hash('session-1'), new Date(now.getTime() + 2000)),
        null,
        'old id lapses',
      );
      const version = await store.moderators.version();
      assert.ok(await store.moderators.remove('Ada', { moderator: 'admin' }));
      assert.equal(
        await store.moderators.session(hash('session-2'), now),
        null,
        'removing a moderator ends their sessions',
      );
      assert.notEqual(await store.moderators.version(), version, 'the live stream sees the change');
    });
  });
}
