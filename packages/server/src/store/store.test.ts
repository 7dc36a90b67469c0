import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { seedDemo, SqliteStore } from '../index.js';
import { SQLITE_MIGRATIONS_TABLE } from './migrations.js';
import { MIGRATIONS } from './sqlite.js';
import { tempDir } from '../testing/helpers.js';
import { moderationContract } from '../testing/moderation-contract.js';
import { notificationContract } from '../testing/notification-contract.js';
import { LEGACY_INSERTS, sourceContract, sourcesMigration } from '../testing/source-contract.js';
import { eventContract, rateWindowContract, storeContract } from '../testing/store-contract.js';

storeContract('SqliteStore', async (dir) => SqliteStore.open(join(dir, 'store.db')));
eventContract('SqliteStore', async (dir) => SqliteStore.open(join(dir, 'store.db')));
rateWindowContract('SqliteStore', async (dir) => SqliteStore.open(join(dir, 'store.db')));
notificationContract('SqliteStore', async (dir) => SqliteStore.open(join(dir, 'store.db')), {
  concurrentStores: false,
});
moderationContract('SqliteStore', async (dir) => SqliteStore.open(join(dir, 'store.db')));
sourceContract(
  'SqliteStore',
  async (dir) => SqliteStore.open(join(dir, 'store.db')),
  async (dir) => {
    const file = join(dir, 'old.db');
    const db = new Database(file);
    db.exec(SQLITE_MIGRATIONS_TABLE);
    MIGRATIONS.slice(0, sourcesMigration(MIGRATIONS)).forEach((sql, k) => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(k + 1, '2026-01-01T00:00:00.000Z');
    });
    for (const sql of LEGACY_INSERTS) db.exec(sql);
    db.close();
    return SqliteStore.open(file);
  },
);

describe('SqliteStore specifics', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const file = () => join(dir, 'store.db');

  before(async () => {
    ({ dir, cleanup } = await tempDir());
    const store = SqliteStore.open(file());
    await seedDemo(store);
    const r = await store.createReply({
      topicId: 'rsp-update',
      parentId: null,
      authorName: 'a',
      body: [],
      text: '',
    });
    await store.toggleReaction({ type: 'reply', id: r.id }, 'like', 'reader-one-aaaaaaaa');
    await store.close();
  });
  after(() => cleanup());

  it('stores a hash of the reader key, never the key itself', async () => {
    const db = new Database(file(), { readonly: true });
    try {
      const rows = db.prepare('SELECT reader_hash FROM reactions').all() as Array<{ reader_hash: Buffer }>;
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.equal(row.reader_hash.length, 32);
        assert.ok(!row.reader_hash.toString('latin1').includes('reader-'));
      }
    } finally {
      db.close();
    }
  });

  it('uses the indexes for a page and a thread', async () => {
    const db = new Database(file(), { readonly: true });
    try {
      const plan = (sql: string, ...args: unknown[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>)
          .map((r) => r.detail)
          .join('\n');
      assert.match(
        plan(
          'SELECT id, created_at FROM replies WHERE topic_id = ? AND parent_id IS NULL AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?',
          'rsp-update',
          '',
          '',
          21,
        ),
        /USING (COVERING )?INDEX replies_top_level/,
      );
      // Newest first reads the same index backwards; most reacted first is a range of its own.
      assert.match(
        plan(
          'SELECT id, created_at FROM replies WHERE topic_id = ? AND parent_id IS NULL AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?',
          'rsp-update',
          '',
          '',
          21,
        ),
        /^SEARCH replies USING (COVERING )?INDEX replies_top_level \(topic_id=\? AND \(created_at,id\)<\(\?,\?\)\)$/,
      );
      const rank = '(0 - like_count - insightful_count - disagree_count)';
      assert.match(
        plan(
          `SELECT id, created_at, ${rank} AS rank FROM replies WHERE topic_id = ? AND parent_id IS NULL AND ${rank} = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`,
          'rsp-update',
          -3,
          '',
          '',
          21,
        ),
        /^SEARCH replies USING INDEX replies_top_reacted \(topic_id=\? AND <expr>=\? AND \(created_at,id\)>\(\?,\?\)\)$/,
      );
      assert.match(
        plan(
          `SELECT id, created_at, ${rank} AS rank FROM replies WHERE topic_id = ? AND parent_id IS NULL AND ${rank} > ? ORDER BY ${rank}, created_at, id LIMIT ?`,
          'rsp-update',
          -3,
          21,
        ),
        /^SEARCH replies USING INDEX replies_top_reacted \(topic_id=\? AND <expr>>\?\)$/,
      );
      assert.match(
        plan(
          'SELECT * FROM replies WHERE root_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id',
          '[]',
        ),
        /INDEX replies_thread_visible/,
      );
      // The rest of a cut thread is counted from the index alone, never from the rows (whose
      // visibility columns sit after the body, behind its overflow pages).
      assert.match(
        plan(
          "SELECT count(*) FROM (SELECT id FROM replies WHERE root_id = ? AND (created_at, id) > (?, ?) AND (status <> 'pending' OR reader_hash = ?) LIMIT 10000)",
          'r',
          '',
          '',
          null,
        ),
        /USING COVERING INDEX replies_thread_visible/,
      );
    } finally {
      db.close();
    }
  });

  it('records its migrations once and uses WAL', async () => {
    await SqliteStore.open(file()).close();
    const db = new Database(file(), { readonly: true });
    try {
      const versions = db.prepare('SELECT version FROM schema_migrations').all();
      assert.deepEqual(
        versions,
        MIGRATIONS.map((_, k) => ({ version: k + 1 })),
      );
      assert.equal((db.pragma('journal_mode', { simple: true }) as string).toLowerCase(), 'wal');
    } finally {
      db.close();
    }
  });
});

describe('schema upgrade', () => {
  it('brings a version 1 database with replies and reactions up to date', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'v1.db');
    try {
      const db = new Database(file);
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      db.exec(MIGRATIONS[0]!);
      db.prepare(`INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.000Z')`).run();
      db.prepare(
        `INSERT INTO topics (id, title, created_at, body, text, sources, updated_at, reply_count, latest_reply_id)
         VALUES ('old', 'Old', '2026-01-01T00:00:00.000Z', '[]', '', '[]', '2026-01-01T00:00:00.000Z', 1, 'R1')`,
      ).run();
      db.prepare(
        `INSERT INTO replies (id, topic_id, parent_id, root_id, depth, author_name, created_at, body, text)
         VALUES ('R1', 'old', NULL, 'R1', 0, 'Old timer', '2026-01-01T00:00:01.000Z', '[]', 'kept')`,
      ).run();
      db.close();

      const store = SqliteStore.open(file);
      try {
        const page = await store.listReplies('old', { limit: 10, cursor: null });
        assert.deepEqual(
          page.replies.map((r) => [r.id, r.status, r.author]),
          [['R1', 'published', { name: 'Old timer' }]],
        );
        assert.equal(page.total, 1);
        // An old reply has no edit token: nobody can edit it.
        assert.equal((await store.getReplyCredentials('R1'))!.editTokenHash, null);
        const reply = await store.createReply({
          topicId: 'old',
          parentId: 'R1',
          authorName: 'New',
          body: [],
          text: 'new',
        });
        assert.equal(reply.depth, 1);
      } finally {
        await store.close();
      }
      const check = new Database(file, { readonly: true });
      try {
        assert.deepEqual(
          check.prepare('SELECT version FROM schema_migrations ORDER BY version').all(),
          MIGRATIONS.map((_, k) => ({ version: k + 1 })),
        );
      } finally {
        check.close();
      }
    } finally {
      await cleanup();
    }
  });
});

describe('seedDemo', () => {
  it('inserts the demo topic into an empty store only', async () => {
    const { dir, cleanup } = await tempDir();
    const store = SqliteStore.open(join(dir, 'seed.db'));
    try {
      assert.equal(await seedDemo(store), true);
      assert.equal(await seedDemo(store), false);
      const t = (await store.getTopic('rsp-update'))!;
      assert.equal(t.title, 'Updated Responsible Scaling Policy: a step towards safe AI');
      assert.deepEqual(t.category, {
        slug: 'anthropic',
        name: 'Anthropic',
        path: ['Community', 'Anthropic'],
      });
      assert.equal(t.label, 'Background');
      assert.deepEqual(t.author, { name: 'Natalya Tihonova', avatarUrl: null });
      assert.equal(t.createdAt, '2026-04-21T16:20:34Z');
      assert.equal(t.body.length, 6);
      assert.ok(
        t.text.startsWith(
          'Anthropic has announced updates to its Responsible Scaling Policy (RSP), aimed at',
        ),
      );
      assert.ok(t.text.endsWith('challenges facing the industry.'));
      assert.ok(t.summary!.startsWith('Anthropic has announced updates'));
      assert.deepEqual(t.sources, [
        {
          n: 1,
          title: 'Anthropic News',
          url: 'https://www.anthropic.com/news/announcing-our-updated-responsible-scaling-policy',
        },
      ]);
      assert.equal(t.replyCount, 0);
      assert.deepEqual(t.reactions, { like: 0, insightful: 0, disagree: 0 });
    } finally {
      await store.close();
      await cleanup();
    }
  });
});

describe('SqliteStore events', () => {
  it("prunes old events but keeps each topic's newest, so lastEventId never goes back", async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'events.db');
    const store = SqliteStore.open(file);
    try {
      await seedDemo(store);
      for (const text of ['a', 'b']) {
        await store.createReply({ topicId: 'rsp-update', parentId: null, authorName: 'A', body: [], text });
      }
      const last = await store.lastEventId('rsp-update');
      assert.equal((await store.listEvents('rsp-update', '0', 100)).length, 4);
      assert.equal(store.pruneEvents(new Date('2000-01-01T00:00:00Z')), 0, 'nothing is that old');
      assert.equal(store.pruneEvents(new Date(Date.now() + 60_000)), 3);
      const kept = await store.listEvents('rsp-update', '0', 100);
      assert.deepEqual(
        kept.map((e) => e.id),
        [last],
      );
      assert.equal(await store.lastEventId('rsp-update'), last);
      // Ids are never reused, even once the newest rows are gone.
      const db = new Database(file);
      db.prepare('DELETE FROM events').run();
      db.close();
      await store.createReply({
        topicId: 'rsp-update',
        parentId: null,
        authorName: 'A',
        body: [],
        text: 'c',
      });
      assert.ok(BigInt(await store.lastEventId('rsp-update')) > BigInt(last));
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('gives the topics of a version 2 database version 1 and no events', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'v2.db');
    try {
      const db = new Database(file);
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      db.exec(MIGRATIONS[0]!);
      db.exec(MIGRATIONS[1]!);
      db.prepare(
        `INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00.000Z'), (2, '2026-01-01T00:00:00.000Z')`,
      ).run();
      db.prepare(
        `INSERT INTO topics (id, title, created_at, body, text, sources, updated_at)
         VALUES ('old', 'Old', '2026-01-01T00:00:00.000Z', '[]', '', '[]', '2026-01-01T00:00:00.000Z')`,
      ).run();
      db.close();
      const store = SqliteStore.open(file);
      try {
        assert.equal(await store.topicVersion('old'), 1);
        assert.equal(await store.lastEventId('old'), '0');
        await store.toggleReaction({ type: 'topic', id: 'old' }, 'like', 'reader-one-aaaaaaaa');
        assert.equal(await store.topicVersion('old'), 2);
        assert.equal((await store.listEvents('old', '0', 10)).length, 1);
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  });
  it('brings the event log of a version 4 database to what readers may read now', async () => {
    const { dir, cleanup } = await tempDir();
    const file = join(dir, 'v4.db');
    try {
      const db = new Database(file);
      db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      for (let k = 0; k < 4; k++) {
        db.exec(MIGRATIONS[k]!);
        db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run(k + 1, '2026-01-01T00:00:00.000Z');
      }
      db.prepare(
        `INSERT INTO topics (id, title, created_at, body, text, sources, updated_at)
         VALUES ('old', 'Old', '2026-01-01T00:00:00.000Z', '[]', '', '[]', '2026-01-01T00:00:00.000Z')`,
      ).run();
      // As version 4 left it: the reply was hidden, and its creation still says what it said.
      const view = (text: string, name: string, status: string) =>
        JSON.stringify({ id: 'R1', author: { name }, text, status });
      const event = db.prepare(
        `INSERT INTO events (topic_id, type, data, created_at) VALUES ('old', ?, ?, '2026-01-01T00:00:00.000Z')`,
      );
      event.run('reply-created', view('the secret text', 'Sam Secret', 'published'));
      event.run('counts', JSON.stringify({ replyCount: 1 }));
      event.run('reply-changed', view('', '', 'hidden'));
      db.close();
      const store = SqliteStore.open(file);
      try {
        const events = await store.listEvents('old', '0', 10);
        assert.deepEqual(
          events.map((e) => [e.type, e.data]),
          [
            ['reply-created', { id: 'R1', author: { name: '' }, text: '', status: 'hidden' }],
            ['counts', { replyCount: 1 }],
            ['reply-changed', { id: 'R1', author: { name: '' }, text: '', status: 'hidden' }],
          ],
        );
        // What came before the oldest kept event is unknown: a replay from before it reloads.
        assert.equal(await store.eventsPrunedThrough('old'), String(BigInt(events[0]!.id) - 1n));
      } finally {
        await store.close();
      }
    } finally {
      await cleanup();
    }
  });
});
