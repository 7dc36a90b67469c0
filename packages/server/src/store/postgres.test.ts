/**
 * The PostgreSQL store and bus, against a real server named by COLLOQUY_TEST_DATABASE_URL
 * (e.g. postgres://root@127.0.0.1:5432/test). Each run works in schemas of its own
 * (colloquy_test_<pid>_<random>_<n>) and drops them, CASCADE, at the end; without the variable
 * the whole file is skipped, and says so.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Reply, TopicWithReplies } from '@colloquy/api';
import {
  createApp,
  defaultConfig,
  PostgresBus,
  PostgresStore,
  RESYNC,
  renderMarkdown,
  seedDemo,
} from '../index.js';
import { POSTGRES_MIGRATIONS_TABLE } from './migrations.js';
import { MIGRATIONS } from './postgres.js';
import { ADMIN_TOKEN, json, ORIGIN } from '../testing/helpers.js';
import { moderationContract } from '../testing/moderation-contract.js';
import { startServer, type ServerProcess } from '../testing/processes.js';
import { notificationContract } from '../testing/notification-contract.js';
import { LEGACY_INSERTS, sourceContract, sourcesMigration } from '../testing/source-contract.js';
import { eventContract, rateWindowContract, storeContract } from '../testing/store-contract.js';

const DATABASE_URL = process.env.COLLOQUY_TEST_DATABASE_URL;
const SKIP_REASON =
  'COLLOQUY_TEST_DATABASE_URL is not set: PostgreSQL tests skipped (set it to e.g. postgres://root@127.0.0.1:5432/test)';

const RUN_PREFIX = `colloquy_test_${process.pid}_${randomBytes(4).toString('hex')}`;
let schemaCount = 0;
const createdSchemas: string[] = [];
/** A schema name no other test or run uses; dropped at the end of the run. */
function freshSchema(): string {
  const name = `${RUN_PREFIX}_${++schemaCount}`;
  createdSchemas.push(name);
  return name;
}

const topicRecord = (id: string) => ({
  id,
  title: `Topic ${id}`,
  url: null,
  category: null,
  label: null,
  summary: null,
  author: null,
  ...renderMarkdown('Body'),
  sources: [],
  locked: false,
});

function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

if (!DATABASE_URL) {
  console.log(SKIP_REASON);
  describe('PostgreSQL', () => {
    it('PostgresStore contracts, PostgresBus, createApp and the CLI over PostgreSQL', {
      skip: SKIP_REASON,
    }, () => {});
  });
} else {
  const url = DATABASE_URL;

  describe('PostgreSQL', () => {
    const admin = new pg.Pool({ connectionString: url, max: 2 });
    after(async () => {
      for (const schema of createdSchemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    });

    // One schema per contract run; the same `dir` (a reopen) finds the same schema.
    const schemaOfDir = new Map<string, string>();
    const openInSchemaOf = async (dir: string) => {
      let schema = schemaOfDir.get(dir);
      if (!schema) schemaOfDir.set(dir, (schema = freshSchema()));
      return PostgresStore.open(url, { schema });
    };
    storeContract('PostgresStore', openInSchemaOf);
    eventContract('PostgresStore', openInSchemaOf);
    rateWindowContract('PostgresStore', openInSchemaOf);
    notificationContract('PostgresStore', openInSchemaOf, { concurrentStores: true });
    moderationContract('PostgresStore', openInSchemaOf);
    sourceContract('PostgresStore', openInSchemaOf, async () => {
      const schema = freshSchema();
      const client = await admin.connect();
      try {
        await client.query(`CREATE SCHEMA "${schema}"`);
        await client.query(`SET search_path TO "${schema}"`);
        await client.query(POSTGRES_MIGRATIONS_TABLE);
        for (const [k, sql] of MIGRATIONS.slice(0, sourcesMigration(MIGRATIONS)).entries()) {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [k + 1]);
        }
        for (const sql of LEGACY_INSERTS) await client.query(sql);
      } finally {
        await client.query('RESET search_path');
        client.release();
      }
      return PostgresStore.open(url, { schema });
    });

    describe('PostgresStore specifics', () => {
      let schema: string;
      let store: PostgresStore;
      before(async () => {
        schema = freshSchema();
        store = await PostgresStore.open(url, { schema });
      });
      after(() => store.close());

      it('migrates once when several servers start at once, under its own schema', async () => {
        const other = freshSchema();
        const stores = await Promise.all([1, 2, 3, 4].map(() => PostgresStore.open(url, { schema: other })));
        await Promise.all(stores.map((s) => s.close()));
        const { rows } = await admin.query(
          `SELECT version FROM "${other}".schema_migrations ORDER BY version`,
        );
        assert.deepEqual(
          rows.map((r) => r.version),
          MIGRATIONS.map((_, k) => k + 1),
        );
        const tables = await admin.query(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
          [other],
        );
        assert.deepEqual(
          tables.rows.map((r) => r.table_name),
          [
            'author_emails',
            'bans',
            'deliveries',
            'delivery_attempts',
            'email_opt_outs',
            'events',
            'import_replies',
            'import_topics',
            'moderation_log',
            'moderator_sessions',
            'moderators',
            'notification_keys',
            'outbox',
            'rate_windows',
            'reactions',
            'replies',
            'reports',
            'schema_migrations',
            'spent_links',
            'topics',
            'verified_names',
            'webhooks',
          ],
        );
      });

      it('keeps stores in different schemas apart', async () => {
        const [one, two] = await Promise.all(
          [freshSchema(), freshSchema()].map((name) => PostgresStore.open(url, { schema: name })),
        );
        try {
          await one!.upsertTopic(topicRecord('only-in-one'));
          assert.equal((await one!.getTopic('only-in-one'))!.id, 'only-in-one');
          assert.equal(await two!.getTopic('only-in-one'), null);
          assert.equal(await two!.countTopics(), 0);
        } finally {
          await Promise.all([one!.close(), two!.close()]);
        }
      });

      it('refuses a schema name that is not a plain identifier', async () => {
        await assert.rejects(PostgresStore.open(url, { schema: 'x; DROP TABLE topics' }), TypeError);
        await assert.rejects(PostgresStore.open(url, { schema: 'MixedCase' }), TypeError);
      });

      it('refuses a database newer than it knows', async () => {
        const other = freshSchema();
        await (await PostgresStore.open(url, { schema: other })).close();
        await admin.query(`INSERT INTO "${other}".schema_migrations (version) VALUES ($1)`, [
          MIGRATIONS.length + 1,
        ]);
        await assert.rejects(PostgresStore.open(url, { schema: other }), /newer than this server knows/);
      });

      it('stores hashes as 32-byte BYTEA, never the reader key, and documents as JSONB', async () => {
        await store.upsertTopic(topicRecord('hashes'));
        const r = await store.createReply({
          topicId: 'hashes',
          parentId: null,
          authorName: 'a',
          ...renderMarkdown('*x*'),
        });
        await store.toggleReaction({ type: 'reply', id: r.id }, 'like', 'reader-one-aaaaaaaa');
        const { rows } = await admin.query(`SELECT reader_hash FROM "${schema}".reactions`);
        assert.ok(rows.length > 0);
        for (const row of rows) {
          assert.ok(Buffer.isBuffer(row.reader_hash));
          assert.equal(row.reader_hash.length, 32);
          assert.ok(!row.reader_hash.toString('latin1').includes('reader-'));
        }
        const types = await admin.query(
          `SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = $1 AND column_name IN ('body', 'reader_hash', 'created_at', 'locked', 'data') ORDER BY 1, 2`,
          [schema],
        );
        const typeOf = (table: string, column: string) =>
          types.rows.find((r) => r.table_name === table && r.column_name === column)?.data_type;
        assert.equal(typeOf('replies', 'body'), 'jsonb');
        assert.equal(typeOf('replies', 'reader_hash'), 'bytea');
        assert.equal(typeOf('replies', 'created_at'), 'timestamp with time zone');
        assert.equal(typeOf('topics', 'locked'), 'boolean');
        assert.equal(typeOf('events', 'data'), 'jsonb');
      });

      it('returns a topic createdAt verbatim, as SQLite does', async () => {
        const { topic } = await store.upsertTopic({
          ...topicRecord('verbatim'),
          createdAt: '2026-04-21T16:20:34Z',
        });
        assert.equal(topic.createdAt, '2026-04-21T16:20:34Z');
        assert.equal((await store.getTopic('verbatim'))!.createdAt, '2026-04-21T16:20:34Z');
      });

      it('can use the partial top-level index and the thread index', async () => {
        const client = await admin.connect();
        try {
          await client.query(`SET search_path = "${schema}"`);
          await client.query('SET enable_seqscan = off');
          const plan = async (sql: string, params: unknown[]) =>
            (await client.query(`EXPLAIN ${sql}`, params)).rows.map((r) => r['QUERY PLAN']).join('\n');
          assert.match(
            await plan(
              `SELECT id, created_at FROM replies WHERE topic_id = $1 AND parent_id IS NULL AND (created_at, id) > ($2, $3)
                ORDER BY created_at, id LIMIT 21`,
              ['hashes', new Date(0), ''],
            ),
            /replies_top_level/,
          );
          assert.match(
            await plan(
              `SELECT id, created_at FROM replies WHERE topic_id = $1 AND parent_id IS NULL AND (created_at, id) < ($2, $3)
                ORDER BY created_at DESC, id DESC LIMIT 21`,
              ['hashes', new Date(0), ''],
            ),
            /Index (Only )?Scan Backward using replies_top_level/,
          );
          const rank = '(0 - like_count - insightful_count - disagree_count)';
          const tied = await plan(
            `SELECT id, created_at, ${rank} AS rank FROM replies WHERE topic_id = $1 AND parent_id IS NULL
              AND ${rank} = $2 AND (created_at, id) > ($3, $4) ORDER BY created_at, id LIMIT 21`,
            ['hashes', -3, new Date(0), ''],
          );
          assert.match(tied, /Index (Only )?Scan using replies_top_reacted/);
          assert.doesNotMatch(tied, /Sort/);
          const lower = await plan(
            `SELECT id, created_at, ${rank} AS rank FROM replies WHERE topic_id = $1 AND parent_id IS NULL
              AND ${rank} > $2 ORDER BY ${rank}, created_at, id LIMIT 21`,
            ['hashes', -3],
          );
          assert.match(lower, /Index (Only )?Scan using replies_top_reacted/);
          assert.doesNotMatch(lower, /Sort/);
          assert.match(
            await plan('SELECT * FROM replies WHERE root_id = ANY($1::text[]) ORDER BY created_at, id', [
              ['a'],
            ]),
            /replies_thread_visible/,
          );
        } finally {
          client.release();
        }
      });

      it('keeps counters exact under concurrent writers', async () => {
        await store.upsertTopic(topicRecord('busy'));
        const replies = await Promise.all(
          Array.from({ length: 20 }, (_, k) =>
            store.createReply({
              topicId: 'busy',
              parentId: null,
              authorName: `n${k}`,
              ...renderMarkdown('x'),
            }),
          ),
        );
        assert.equal((await store.getTopic('busy'))!.replyCount, 20);
        await Promise.all(
          Array.from({ length: 20 }, (_, k) =>
            store.toggleReaction({ type: 'topic', id: 'busy' }, 'like', `reader-${k}-aaaaaaaa`),
          ),
        );
        assert.equal((await store.getTopic('busy'))!.reactions.like, 20);
        // The same reader toggling 10 times at once: an even number of toggles leaves it off.
        await Promise.all(
          Array.from({ length: 10 }, () =>
            store.toggleReaction({ type: 'reply', id: replies[0]!.id }, 'insightful', 'same-reader-aaaaaaaa'),
          ),
        );
        assert.equal((await store.getReply(replies[0]!.id))!.reactions.insightful, 0);
        const hidden = replies.slice(0, 5);
        await Promise.all(hidden.map((r) => store.setReplyStatus(r.id, 'hidden')));
        assert.equal((await store.getTopic('busy'))!.replyCount, 15);
      });

      it('serializes a name claim against an anonymous use of the same name', async () => {
        await store.upsertTopic(topicRecord('race-names'));
        const base = { topicId: 'race-names', parentId: null, ...renderMarkdown('x') };
        const results = await Promise.allSettled([
          store.createReply({ ...base, authorName: 'Zed', nameKey: 'zed', verifiedSub: 'sub-z' }),
          ...Array.from({ length: 5 }, () =>
            store.createReply({ ...base, authorName: 'Zed', nameKey: 'zed' }),
          ),
        ]);
        assert.equal(results[0]!.status, 'fulfilled');
        // Anonymous replies that won the race before the claim are allowed; any after it are refused.
        const anonymous = results.slice(1);
        assert.ok(
          anonymous.every(
            (r) => r.status === 'fulfilled' || (r.reason as { code?: string }).code === 'name-reserved',
          ),
        );
        await assert.rejects(
          store.createReply({ ...base, authorName: 'ZED', nameKey: 'zed' }),
          /belongs to a signed-in user/,
        );
      });

      it('records events in id order with the write, bumping the version', async () => {
        await store.upsertTopic(topicRecord('ev'));
        const v0 = (await store.topicVersion('ev'))!;
        assert.equal(await store.lastEventId('ev'), '0');
        const r = await store.createReply({
          topicId: 'ev',
          parentId: null,
          authorName: 'A',
          ...renderMarkdown('x'),
        });
        await store.toggleReaction({ type: 'reply', id: r.id }, 'like', 'reader-one-aaaaaaaa');
        await store.setReplyStatus(r.id, 'hidden');
        const events = await store.listEvents('ev', '0', 100);
        assert.deepEqual(
          events.map((e) => e.type),
          ['reply-created', 'counts', 'reactions', 'reply-changed', 'counts'],
        );
        const ids = events.map((e) => BigInt(e.id));
        assert.deepEqual(
          [...ids].sort((a, b) => (a < b ? -1 : 1)),
          ids,
        );
        assert.equal(await store.lastEventId('ev'), events.at(-1)!.id);
        assert.deepEqual(events[1]!.data, { replyCount: 1 });
        assert.deepEqual(events[2]!.data, {
          replyId: r.id,
          reactions: { like: 1, insightful: 0, disagree: 0 },
        });
        assert.equal((events[3]!.data as Reply).text, '', 'a hidden reply is blanked in its event');
        assert.ok((await store.topicVersion('ev'))! > v0);
        assert.deepEqual(
          (await store.listEvents('ev', events[2]!.id, 100)).map((e) => e.type),
          ['reply-changed', 'counts'],
        );
        assert.equal(await store.topicVersion('missing'), null);
        await assert.rejects(store.listEvents('ev', 'nope', 10), TypeError);
      });

      it("prunes old events, keeping each topic's newest", async () => {
        await store.upsertTopic(topicRecord('prune'));
        for (let k = 0; k < 3; k++)
          await store.toggleReaction({ type: 'topic', id: 'prune' }, 'like', `reader-${k}-cccccccc`);
        const last = await store.lastEventId('prune');
        assert.ok((await store.pruneEvents(new Date(Date.now() + 60_000))) >= 2);
        assert.deepEqual(
          (await store.listEvents('prune', '0', 10)).map((e) => e.id),
          [last],
        );
        assert.equal(await store.lastEventId('prune'), last);
      });

      it('gives concurrently committed events ids in commit order', async () => {
        await store.upsertTopic(topicRecord('ev-race'));
        await Promise.all(
          Array.from({ length: 20 }, (_, k) =>
            store.toggleReaction({ type: 'topic', id: 'ev-race' }, 'like', `reader-${k}-bbbbbbbb`),
          ),
        );
        const events = await store.listEvents('ev-race', '0', 100);
        assert.equal(events.length, 20);
        // In commit order, each toggle's count is one more than the last one's.
        assert.deepEqual(
          events.map((e) => (e.data as { reactions: { like: number } }).reactions.like),
          Array.from({ length: 20 }, (_, k) => k + 1),
        );
      });
    });

    describe('createApp over PostgresStore', () => {
      let store: PostgresStore;
      let app: ReturnType<typeof createApp>;
      before(async () => {
        store = await PostgresStore.open(url, { schema: freshSchema() });
        await seedDemo(store);
        app = createApp({
          store,
          config: defaultConfig({
            allowedOrigins: [ORIGIN],
            adminToken: ADMIN_TOKEN,
            widgetBundlePath: '/nonexistent/colloquy.js',
            replyRateLimit: 0,
            topicRateLimit: 0,
            writeRateLimit: 0,
          }),
        });
      });
      after(() => store.close());

      it('is healthy, serves the seeded topic, takes replies and reactions', async () => {
        assert.equal((await app.request('/healthz')).status, 200);
        const posted = await app.request(
          '/api/v1/topics/rsp-update/replies',
          json({ authorName: 'Pat', body: 'Hello **there**' }),
        );
        assert.equal(posted.status, 201, await posted.clone().text());
        const reply = (await posted.json()) as Reply;
        const child = await app.request(
          '/api/v1/topics/rsp-update/replies',
          json({ authorName: 'Sam', body: 'Hi', parentId: reply.id }),
        );
        assert.equal(child.status, 201);
        const reacted = await app.request(
          `/api/v1/replies/${reply.id}/reactions`,
          json({ kind: 'like' }, { 'X-Colloquy-Reader': 'reader-key-aaaaaaaaaaaaaaaa' }),
        );
        assert.ok(
          reacted.status === 200 || reacted.status === 201,
          `reaction: ${reacted.status} ${await reacted.clone().text()}`,
        );
        const topic = (await (
          await app.request('/api/v1/topics/rsp-update', { headers: { Origin: ORIGIN } })
        ).json()) as TopicWithReplies;
        assert.equal(topic.title, 'Updated Responsible Scaling Policy: a step towards safe AI');
        assert.equal(topic.createdAt, '2026-04-21T16:20:34Z');
        assert.equal(topic.replyCount, 2);
        assert.deepEqual(
          topic.replies.map((r) => r.author.name),
          ['Pat', 'Sam'],
        );
        assert.equal(topic.replies[0]!.text, 'Hello there');
      });

      it('moderates: hides a reply through the admin API', async () => {
        const posted = (await (
          await app.request(
            '/api/v1/topics/rsp-update/replies',
            json({ authorName: 'Spam', body: 'buy now' }),
          )
        ).json()) as Reply;
        const hidden = await app.request(`/api/v1/admin/replies/${posted.id}/hide`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        assert.equal(hidden.status, 200, await hidden.clone().text());
        const read = (await (
          await app.request(`/api/v1/replies/${posted.id}`, { headers: { Origin: ORIGIN } })
        ).json()) as Reply;
        assert.deepEqual([read.status, read.text], ['hidden', '']);
      });

      it('answers 503 on /healthz once the store is closed', async () => {
        const closed = await PostgresStore.open(url, { schema: freshSchema() });
        await closed.close();
        const down = createApp({
          store: closed,
          config: defaultConfig({ widgetBundlePath: '/nonexistent/colloquy.js' }),
        });
        const errors = console.error;
        console.error = () => {};
        try {
          assert.equal((await down.request('/healthz')).status, 503);
        } finally {
          console.error = errors;
        }
      });
    });

    describe('two servers on one database', () => {
      it('streams a reply posted on one server to an event stream on the other', async () => {
        const schema = freshSchema();
        const channel = `colloquy_test_${randomBytes(4).toString('hex')}`;
        const config = defaultConfig({
          allowedOrigins: [ORIGIN],
          widgetBundlePath: '/nonexistent/colloquy.js',
          replyRateLimit: 0,
          topicRateLimit: 0,
          writeRateLimit: 0,
          heartbeatSeconds: 0,
        });
        const servers = await Promise.all(
          [1, 2].map(async () => {
            const store = await PostgresStore.open(url, { schema });
            const bus = await PostgresBus.connect(url, { channel });
            return { store, bus, app: createApp({ store, config, bus }) };
          }),
        );
        const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
        const abort = new AbortController();
        try {
          await seedDemo(a.store);
          const stream = await b.app.request('/api/v1/topics/rsp-update/events', {
            headers: { Origin: ORIGIN },
            signal: abort.signal,
          });
          assert.equal(stream.status, 200);
          assert.match(stream.headers.get('Content-Type') ?? '', /^text\/event-stream/);
          const reader = stream.body!.getReader();
          const posted = await a.app.request(
            '/api/v1/topics/rsp-update/replies',
            json({ authorName: 'Remote', body: 'From server A' }),
          );
          assert.equal(posted.status, 201, await posted.clone().text());
          const reply = (await posted.json()) as Reply;
          let text = '';
          const decoder = new TextDecoder();
          const deadline = setTimeout(() => abort.abort(), 5000);
          while (!/event: counts/.test(text)) {
            const { value, done } = await reader.read();
            if (done) break;
            text += decoder.decode(value, { stream: true });
          }
          clearTimeout(deadline);
          assert.match(text, /event: reply-created\ndata: .*"From server A"/);
          assert.ok(text.includes(reply.id));
          assert.match(text, /event: counts\ndata: \{"replyCount":1\}/);
          await reader.cancel();
        } finally {
          abort.abort();
          for (const server of servers) {
            await server.bus.close();
            await server.store.close();
          }
        }
      });
    });

    describe('PostgresBus', () => {
      it('delivers a publish on one bus to a subscriber on another', async () => {
        const channel = `colloquy_test_${randomBytes(4).toString('hex')}`;
        const [a, b] = await Promise.all([
          PostgresBus.connect(url, { channel }),
          PostgresBus.connect(url, { channel }),
        ]);
        try {
          const heardOnB: string[] = [];
          const heardOther: string[] = [];
          b.subscribe('topic-1', (id) => heardOnB.push(id));
          b.subscribe('topic-2', (id) => heardOther.push(id));
          const heardOnA: string[] = [];
          const unsubscribe = a.subscribe('topic-1', (id) => heardOnA.push(id));
          await a.publish('topic-1', '41');
          await a.publish('topic-1', '42');
          await until(() => heardOnB.length === 2, 'two notifications');
          assert.deepEqual(heardOnB, ['41', '42']);
          assert.deepEqual(heardOther, [], 'other topics hear nothing');
          await until(() => heardOnA.length === 2, 'the publishing server hearing itself');
          assert.deepEqual(heardOnA, ['41', '42'], "the publisher's own subscribers hear it too");
          unsubscribe();
          await a.publish('topic-1', '43');
          await until(() => heardOnB.length === 3, 'a third notification');
          assert.deepEqual(heardOnA, ['41', '42'], 'an unsubscribed listener hears nothing more');
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      });

      it('reconnects a dropped listener and tells subscribers to re-read', async () => {
        const channel = `colloquy_test_${randomBytes(4).toString('hex')}`;
        const bus = await PostgresBus.connect(url, { channel, minBackoffMs: 20, maxBackoffMs: 200 });
        const sender = await PostgresBus.connect(url, { channel });
        const errors = console.error;
        console.error = () => {};
        try {
          const heard: string[] = [];
          bus.subscribe('t', (id) => heard.push(id));
          // Kill the listening backend, as a database restart or a network cut would.
          await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE pid <> pg_backend_pid() AND query = $1`,
            [`LISTEN ${channel}`],
          );
          await until(() => heard.includes(RESYNC), 'the resync call after reconnecting');
          assert.equal(bus.reconnects, 1);
          await sender.publish('t', '7');
          await until(() => heard.includes('7'), 'a notification after reconnecting');
        } finally {
          console.error = errors;
          await Promise.all([bus.close(), sender.close()]);
        }
      });

      it('rejects at start when the database cannot be reached', async () => {
        await assert.rejects(PostgresBus.connect('postgres://root@127.0.0.1:1/none'));
      });
    });

    describe('colloquy-server with DATABASE_URL', () => {
      it('seeds the demo topic once when two servers start together on an empty database', async () => {
        const schema = freshSchema();
        // Hold the migration lock the servers take, so both are started and waiting on it
        // before either may go on: they then race for the seed as closely as two can.
        const holder = await admin.connect();
        const lockKey = [`colloquy:migrations:${schema}`];
        await holder.query('SELECT pg_advisory_lock(hashtext($1))', lockKey);
        const env = {
          DATABASE_URL: url,
          COLLOQUY_DB_SCHEMA: schema,
          COLLOQUY_SEED: '1',
          COLLOQUY_DB: '/nonexistent/never.db',
        };
        const starting = [startServer(env), startServer(env)];
        const servers: ServerProcess[] = [];
        try {
          const started = Date.now();
          for (;;) {
            const { rows } = await admin.query<{ n: string }>(
              "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = (SELECT hashtext($1)::oid)",
              lockKey,
            );
            if (Number(rows[0]?.n) === 2) break;
            if (Date.now() - started > 20_000)
              throw new Error('the two servers never waited on the migration lock');
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          await holder.query('SELECT pg_advisory_unlock(hashtext($1))', lockKey);
          servers.push(...(await Promise.all(starting)));
          const seeded = servers.filter((server) => server.output().includes('Seeded the demo topic'));
          assert.equal(seeded.length, 1, servers.map((server) => server.output()).join('\n---\n'));
          const { rows } = await admin.query<{ id: string; version: string }>(
            `SELECT id, version FROM "${schema}".topics`,
          );
          // Written once: a second seed would have been an update, moving the version.
          assert.deepEqual(
            rows.map((row) => [row.id, Number(row.version)]),
            [['rsp-update', 1]],
          );
          for (const server of servers) {
            const topic = (await (
              await fetch(`${server.url}/api/v1/topics/rsp-update`)
            ).json()) as TopicWithReplies;
            assert.equal(topic.title, 'Updated Responsible Scaling Policy: a step towards safe AI');
          }
        } finally {
          await holder.query('SELECT pg_advisory_unlock_all()').catch(() => {});
          holder.release();
          const all = await Promise.allSettled(starting);
          for (const result of all) {
            if (result.status !== 'fulfilled') continue;
            result.value.child.kill('SIGTERM');
            await result.value.exited;
          }
        }
      });

      it('serves the seeded topic from PostgreSQL', async () => {
        const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
        const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve'], {
          env: {
            ...process.env,
            PORT: '0',
            DATABASE_URL: url,
            COLLOQUY_DB_SCHEMA: freshSchema(),
            COLLOQUY_SEED: '1',
            COLLOQUY_DB: '/nonexistent/never.db',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        try {
          const base = await new Promise<string>((resolve, reject) => {
            const onData = (chunk: Buffer) => {
              output += chunk.toString();
              const match = /Colloquy API on (http:\/\/\S+)/.exec(output);
              if (match) resolve(match[1]!);
            };
            child.stdout.on('data', onData);
            child.stderr.on('data', onData);
            child.once('exit', (code) =>
              reject(new Error(`exited with ${code} before listening:\n${output}`)),
            );
          });
          assert.match(output, /PostgreSQL/);
          const topic = (await (await fetch(`${base}/api/v1/topics/rsp-update`)).json()) as TopicWithReplies;
          assert.equal(topic.title, 'Updated Responsible Scaling Policy: a step towards safe AI');
          assert.equal((await fetch(`${base}/healthz`)).status, 200);
        } finally {
          const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          assert.equal(await exited, 0, output);
        }
      });
    });
  });
}
