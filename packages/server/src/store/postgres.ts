import pg from 'pg';
import { REACTION_KINDS } from '@colloquy/api';
import type {
  Doc,
  ReactionKind,
  ReactionState,
  Reply,
  ReplyPage,
  ReplyStatus,
  Topic,
  TopicSummary,
} from '@colloquy/api';
import { encodeCursor } from './cursor.js';
import { newReplyId } from '../ids.js';
import {
  StoreError,
  type Ban,
  type NewReplyRecord,
  type ReplyCredentials,
  type Viewer,
  type PageCursor,
  type ReactionTarget,
  type Store,
  type TopicEvent,
  type TopicRecord,
} from './store.js';
import {
  countColumn,
  countColumns,
  EVENT_RETENTION_MS,
  PRUNE_EVERY_MS,
  publicView,
  reactionsOf,
  readerHash,
  sameHash,
  threadOrder,
} from './shared.js';

export { EVENT_RETENTION_MS };

/**
 * Ordered, append-only: a released migration is never edited, a change is a new entry.
 * The same model as the SQLite store (see sqlite.ts), in PostgreSQL's own types. Counters are
 * INTEGER so that the driver hands them back as numbers (BIGINT comes back as a string).
 *
 * topics.created_at stays TEXT: it is whatever ISO instant the admin API was given
 * ("2026-04-21T16:20:34Z"), and it must come back verbatim, as it does from SQLite. Reply times
 * are TIMESTAMPTZ: the server makes them (milliseconds, as Date#toISOString writes them), they
 * round-trip exactly and they order and compare as instants.
 */
export const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE topics (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  url TEXT,
  category JSONB,
  label TEXT,
  summary TEXT,
  author JSONB,
  created_at TEXT NOT NULL,
  body JSONB NOT NULL,
  text TEXT NOT NULL,
  sources JSONB NOT NULL,
  locked BOOLEAN NOT NULL DEFAULT false,
  reply_count INTEGER NOT NULL DEFAULT 0,
  latest_reply_id TEXT,
  updated_at TIMESTAMPTZ NOT NULL,
  ${countColumns}
);
CREATE TABLE replies (
  id TEXT PRIMARY KEY,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES replies(id),
  root_id TEXT NOT NULL,
  depth INTEGER NOT NULL,
  author_name TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  edited_at TIMESTAMPTZ,
  body JSONB NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending', 'hidden', 'deleted')),
  edit_token_hash BYTEA,
  reader_hash BYTEA,
  author_sub TEXT,
  ${countColumns}
);
-- A page of top-level replies, first or deep, is a range scan on this small partial index.
CREATE INDEX replies_top_level ON replies (topic_id, created_at, id) WHERE parent_id IS NULL;
-- A whole thread is one range scan, already in creation order.
CREATE INDEX replies_thread ON replies (root_id, created_at, id);
CREATE INDEX replies_parent ON replies (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX replies_pending ON replies (created_at, id) WHERE status = 'pending';
CREATE INDEX replies_reader ON replies (reader_hash) WHERE reader_hash IS NOT NULL;
CREATE INDEX replies_author_sub ON replies (author_sub) WHERE author_sub IS NOT NULL;
-- latest_reply_id is recomputed from this when a reply leaves or joins the published ones.
CREATE INDEX replies_published ON replies (topic_id, created_at, id) WHERE status = 'published';
CREATE TABLE reactions (
  target_type TEXT NOT NULL CHECK (target_type IN ('topic', 'reply')),
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reader_hash BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (target_type, target_id, kind, reader_hash)
);
-- Names signed-in users have posted under, so no anonymous reply can pose as them.
CREATE TABLE verified_names (
  name_key TEXT PRIMARY KEY,
  sub TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE bans (
  kind TEXT NOT NULL CHECK (kind IN ('reader', 'address')),
  value TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (kind, value)
);
`,
  // 2: live updates. A topic's version is bumped by every write that changes a read of it;
  // events are what a live reader needs to catch up, in commit order (see #appendEvents).
  `
ALTER TABLE topics ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  type TEXT NOT NULL CHECK (type IN ('reply-created', 'reply-changed', 'reactions', 'counts')),
  data JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_topic ON events (topic_id, id);
`,
];

/**
 * Keys of the advisory locks this store takes (PostgreSQL's lock space is per database and
 * shared by every schema in it, hence the prefix).
 */
const MIGRATION_LOCK = 'colloquy:migrations';
/** Held from an event's insert to its commit: see #appendEvents. */
const EVENT_LOCK = 'colloquy:events';
const NAME_LOCK = 'colloquy:name:';

/**
 * Lowercase only: search_path folds an unquoted name to lowercase, so "Site" would be created
 * as one schema and searched as another. Plain names also need no quoting in the startup options.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface TopicRow {
  id: string;
  title: string;
  url: string | null;
  category: Topic['category'];
  label: string | null;
  summary: string | null;
  author: Topic['author'];
  created_at: string;
  body: Doc;
  text: string;
  sources: Array<{ title: string; url: string }>;
  locked: boolean;
  reply_count: number;
  latest_reply_id: string | null;
  version: string;
  [count: `${string}_count`]: number;
}

interface ReplyRow {
  id: string;
  topic_id: string;
  parent_id: string | null;
  root_id: string;
  depth: number;
  author_name: string;
  created_at: Date;
  edited_at: Date | null;
  body: Doc;
  text: string;
  status: ReplyStatus;
  edit_token_hash: Buffer | null;
  reader_hash: Buffer | null;
  author_sub: string | null;
  [count: `${string}_count`]: number;
}

type NewEvent = Omit<TopicEvent, 'id'>;

/** What a client (pool or transaction client) can run. */
type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PostgresStoreOptions {
  /**
   * Schema to keep the tables in: created when missing and put first on every pooled
   * connection's search_path. Omitted: the connection's default (usually `public`).
   */
  schema?: string;
  /** Most pooled connections (default 10). */
  max?: number;
}

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  #closed = false;
  #prunedAt = 0;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /**
   * Connects and brings the schema up to date. Several servers may start at once: migrations
   * run under an advisory lock, so exactly one of them applies each version.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { schema } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new TypeError(`Schema name "${schema}" must be lowercase letters, digits and underscores.`);
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      // An unreachable server (a dropped packet, not a refusal) must fail a request, not hang it.
      connectionTimeoutMillis: 10_000,
      // Every connection of the pool, including ones made later, starts with the schema first.
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's connection can drop (a server restart); the pool replaces it, and the
    // error must not crash the process.
    pool.on('error', (error) => console.error('colloquy: idle PostgreSQL connection failed:', error.message));
    try {
      await migrate(pool, schema ?? null);
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return new PostgresStore(pool);
  }

  /** Runs `work` in one transaction on one connection; rolls back on any error. */
  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      if (begin === 'BEGIN') this.#maybePrune();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** After a write, now and then: in the background, outside the write's transaction. */
  #maybePrune(): void {
    const now = Date.now();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    this.pruneEvents(new Date(now - EVENT_RETENTION_MS)).catch((error: unknown) => {
      if (!this.#closed) console.error('colloquy: pruning events failed:', error);
    });
  }

  /** Deletes events created before `before`, keeping each topic's newest; returns how many. */
  async pruneEvents(before: Date): Promise<number> {
    // Each topic keeps its newest event, so lastEventId() (and with it the topic read that
    // carries it, under an unchanged ETag) never changes by pruning.
    const { rowCount } = await this.#pool.query(
      `DELETE FROM events e WHERE e.created_at < $1
          AND e.id < (SELECT max(id) FROM events newest WHERE newest.topic_id = e.topic_id)`,
      [before],
    );
    return rowCount ?? 0;
  }

  async getTopic(id: string): Promise<Topic | null> {
    const { rows } = await this.#pool.query<TopicRow>('SELECT * FROM topics WHERE id = $1', [id]);
    return rows[0] ? toTopic(rows[0]) : null;
  }

  async getTopicSummaries(ids: readonly string[]): Promise<TopicSummary[]> {
    const { rows } = await this.#pool.query<Record<string, unknown>>(
      `SELECT t.id, t.title, t.url, t.reply_count, ${REACTION_KINDS.map((k) => `t.${countColumn(k)}`).join(', ')},
              r.id AS latest_id, r.author_name AS latest_author, r.created_at AS latest_created_at, r.text AS latest_text
         FROM unnest($1::text[]) WITH ORDINALITY AS wanted(id, n)
         JOIN topics t ON t.id = wanted.id
         LEFT JOIN replies r ON r.id = t.latest_reply_id
        ORDER BY wanted.n`,
      [ids],
    );
    return rows.map((row) => ({
      id: row['id'] as string,
      title: row['title'] as string,
      url: row['url'] as string | null,
      replyCount: row['reply_count'] as number,
      reactions: reactionsOf(row),
      latestReply: row['latest_id']
        ? {
            id: row['latest_id'] as string,
            author: { name: row['latest_author'] as string },
            createdAt: (row['latest_created_at'] as Date).toISOString(),
            text: row['latest_text'] as string,
          }
        : null,
    }));
  }

  async upsertTopic(topic: TopicRecord): Promise<{ topic: Topic; created: boolean }> {
    const now = new Date().toISOString();
    // One statement, so two admins upserting the same new topic cannot both insert it.
    // xmax is 0 on a row this statement inserted, and the updating transaction's id otherwise.
    const { rows } = await this.#pool.query<TopicRow & { created: boolean }>(
      `INSERT INTO topics AS t (id, title, url, category, label, summary, author, created_at, body, text,
         sources, locked, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, $13), $9, $10, $11, $12, now())
       ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url, category = EXCLUDED.category,
         label = EXCLUDED.label, summary = EXCLUDED.summary, author = EXCLUDED.author,
         created_at = COALESCE($8, t.created_at), body = EXCLUDED.body, text = EXCLUDED.text,
         sources = EXCLUDED.sources, locked = EXCLUDED.locked, updated_at = EXCLUDED.updated_at,
         version = t.version + 1
       RETURNING t.*, (t.xmax = 0) AS created`,
      [
        topic.id,
        topic.title,
        topic.url,
        topic.category ? JSON.stringify(topic.category) : null,
        topic.label,
        topic.summary,
        topic.author ? JSON.stringify(topic.author) : null,
        topic.createdAt ?? null,
        JSON.stringify(topic.body),
        topic.text,
        JSON.stringify(topic.sources),
        topic.locked,
        now,
      ],
    );
    const row = rows[0]!;
    return { topic: toTopic(row), created: row.created };
  }

  async listReplies(
    topicId: string,
    page: { limit: number; cursor: PageCursor | null },
    viewer: Viewer = {},
  ): Promise<ReplyPage> {
    const reader = viewer.readerHash ?? null;
    // One snapshot for the count, the page and its threads, as SQLite's read transaction gives.
    return this.#transaction(async (client): Promise<ReplyPage> => {
      const topic = (await client.query<{ reply_count: number }>('SELECT reply_count FROM topics WHERE id = $1', [topicId])).rows[0];
      if (!topic) throw new StoreError('topic-not-found', `No topic "${topicId}".`);
      let roots: Array<{ id: string; created_at: Date }>;
      if (page.cursor) {
        // A cursor must name a top-level reply of this topic: anything else was forged or
        // belongs to another topic, and silently paging from it would hide replies. Reply times
        // are written by Date#toISOString, so a cursor that is not in that exact form (or is no
        // date at all) cannot name one — as in SQLite, where the text must match.
        const at = new Date(page.cursor.createdAt);
        const exact = !Number.isNaN(at.getTime()) && at.toISOString() === page.cursor.createdAt;
        const anchor =
          exact &&
          (
            await client.query(
              'SELECT 1 FROM replies WHERE id = $1 AND topic_id = $2 AND parent_id IS NULL AND created_at = $3',
              [page.cursor.id, topicId, at],
            )
          ).rowCount;
        if (!anchor) throw new StoreError('invalid-cursor', 'The cursor does not belong to this topic.');
        roots = (
          await client.query<{ id: string; created_at: Date }>(
            `SELECT id, created_at FROM replies
              WHERE topic_id = $1 AND parent_id IS NULL AND (created_at, id) > ($2, $3)
                AND (status <> 'pending' OR reader_hash = $4)
              ORDER BY created_at, id LIMIT $5`,
            [topicId, at, page.cursor.id, reader, page.limit + 1],
          )
        ).rows;
      } else {
        roots = (
          await client.query<{ id: string; created_at: Date }>(
            `SELECT id, created_at FROM replies
              WHERE topic_id = $1 AND parent_id IS NULL AND (status <> 'pending' OR reader_hash = $2)
              ORDER BY created_at, id LIMIT $3`,
            [topicId, reader, page.limit + 1],
          )
        ).rows;
      }
      const hasMore = roots.length > page.limit;
      const pageRoots = roots.slice(0, page.limit);
      const rows = (
        await client.query<ReplyRow>(
          `SELECT * FROM replies WHERE root_id = ANY($1::text[])
              AND (status <> 'pending' OR reader_hash = $2)
            ORDER BY created_at, id`,
          [pageRoots.map((r) => r.id), reader],
        )
      ).rows;
      const last = pageRoots[pageRoots.length - 1];
      return {
        replies: threadOrder(pageRoots.map((r) => r.id), rows).map((row) => toReply(row, viewer)),
        nextCursor: hasMore && last ? encodeCursor({ createdAt: last.created_at.toISOString(), id: last.id }) : null,
        total: topic.reply_count,
      };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async getReply(id: string, viewer: Viewer = {}): Promise<Reply | null> {
    const row = (await this.#pool.query<ReplyRow>('SELECT * FROM replies WHERE id = $1', [id])).rows[0];
    if (!row) return null;
    if (row.status === 'pending' && !viewer.admin && !sameHash(row.reader_hash, viewer.readerHash)) return null;
    return toReply(row, viewer);
  }

  async createReply(reply: NewReplyRecord): Promise<Reply> {
    return this.#transaction(async (client) => {
      const now = new Date();
      if (reply.createTopic) {
        // Two first replies on a page at once: one inserts, the other finds the row.
        await client.query(
          `INSERT INTO topics (id, title, url, created_at, body, text, sources, updated_at)
           VALUES ($1, $2, $3, $4, '[]', '', '[]', $5) ON CONFLICT (id) DO NOTHING`,
          [reply.topicId, reply.createTopic.title, reply.createTopic.url, now.toISOString(), now],
        );
      }
      // The topic's row lock serializes the writers of its counters; every write that touches a
      // reply takes its topic's lock first, so locks are always taken topic, then reply.
      const topic = (await client.query<{ locked: boolean }>('SELECT locked FROM topics WHERE id = $1 FOR UPDATE', [reply.topicId]))
        .rows[0];
      if (!topic) throw new StoreError('topic-not-found', `No topic "${reply.topicId}".`);
      if (topic.locked) throw new StoreError('topic-locked', 'This topic is locked: it accepts no new replies.');
      let rootId: string | null = null;
      let depth = 0;
      if (reply.parentId !== null) {
        const parent = (
          await client.query<{ topic_id: string; root_id: string; depth: number; status: string }>(
            'SELECT topic_id, root_id, depth, status FROM replies WHERE id = $1 FOR SHARE',
            [reply.parentId],
          )
        ).rows[0];
        if (!parent || parent.topic_id !== reply.topicId) {
          throw new StoreError('invalid-parent', `parentId "${reply.parentId}" is not a reply of this topic.`);
        }
        if (parent.status !== 'published') {
          throw new StoreError('invalid-parent', `parentId "${reply.parentId}" was ${parent.status === 'pending' ? 'not published yet' : 'removed'}; it takes no replies.`);
        }
        rootId = parent.root_id;
        depth = parent.depth + 1;
      }
      if (reply.maxDepth !== undefined && depth > reply.maxDepth) {
        throw new StoreError('too-deep', `Replies nest at most ${reply.maxDepth} levels deep; reply to an earlier reply of this thread instead.`);
      }
      const sub = reply.verifiedSub ?? null;
      if (reply.nameKey !== undefined) {
        // Checking and claiming a name race (an anonymous check passes while a verified claim
        // is not yet committed); a transaction lock per name key orders them.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [NAME_LOCK + reply.nameKey]);
        if (sub === null) {
          if ((await client.query('SELECT 1 FROM verified_names WHERE name_key = $1', [reply.nameKey])).rowCount) {
            throw new StoreError('name-reserved', `The name "${reply.authorName}" belongs to a signed-in user of this site; choose another name, or sign in.`);
          }
        } else {
          await client.query(
            'INSERT INTO verified_names (name_key, sub, created_at) VALUES ($1, $2, $3) ON CONFLICT (name_key) DO NOTHING',
            [reply.nameKey, sub, now],
          );
        }
      }
      const status = reply.status ?? 'published';
      const id = newReplyId(now.getTime());
      const row = (
        await client.query<ReplyRow>(
          `INSERT INTO replies (id, topic_id, parent_id, root_id, depth, author_name, created_at, body, text,
             status, edit_token_hash, reader_hash, author_sub)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
          [
            id,
            reply.topicId,
            reply.parentId,
            rootId ?? id,
            depth,
            reply.authorName,
            now,
            JSON.stringify(reply.body),
            reply.text,
            status,
            reply.editTokenHash ?? null,
            reply.readerHash ?? null,
            sub,
          ],
        )
      ).rows[0]!;
      if (status === 'published') {
        const { reply_count } = (
          await client.query<{ reply_count: number }>(
            `UPDATE topics SET reply_count = reply_count + 1, latest_reply_id = $1, version = version + 1
              WHERE id = $2 RETURNING reply_count`,
            [id, reply.topicId],
          )
        ).rows[0]!;
        await appendEvents(client, [
          { topicId: reply.topicId, type: 'reply-created', data: publicReply(row) },
          { topicId: reply.topicId, type: 'counts', data: { replyCount: reply_count } },
        ]);
      }
      // A pending reply changes no read but its author's own: no event, no version bump.
      return toReply(row, { admin: true });
    });
  }

  async getReplyCredentials(id: string): Promise<ReplyCredentials | null> {
    const row = (
      await this.#pool.query<{ topic_id: string; created_at: Date; status: ReplyStatus; edit_token_hash: Buffer | null }>(
        'SELECT topic_id, created_at, status, edit_token_hash FROM replies WHERE id = $1',
        [id],
      )
    ).rows[0];
    return row ? { topicId: row.topic_id, createdAt: row.created_at.toISOString(), status: row.status, editTokenHash: row.edit_token_hash } : null;
  }

  async editReply(id: string, edit: { body: Doc; text: string; status?: 'published' | 'pending' }): Promise<Reply | null> {
    return this.#transaction(async (client) => {
      const locked = await lockReply(client, id);
      if (!locked) return null;
      await client.query('UPDATE replies SET body = $1, text = $2, edited_at = $3 WHERE id = $4', [
        JSON.stringify(edit.body),
        edit.text,
        new Date(),
        id,
      ]);
      const from = locked.status;
      const to = edit.status ?? from;
      const replyCount = to !== from ? await moveStatus(client, id, locked.topic_id, from, to) : null;
      const row = await readReply(client, id);
      await recordChange(client, row, from, replyCount);
      return toReply(row, { admin: true });
    });
  }

  async setReplyStatus(id: string, status: 'published' | 'hidden' | 'deleted'): Promise<Reply | null> {
    return this.#transaction(async (client) => {
      const locked = await lockReply(client, id);
      if (!locked) return null;
      if (locked.status === status) return toReply(await readReply(client, id), { admin: true }); // nothing readers see changes
      if (status === 'deleted') {
        // Gone for good: nothing of the author or the text stays, only the reply's place.
        await client.query(
          `UPDATE replies SET body = '[]', text = '', author_name = '', author_sub = NULL,
             edit_token_hash = NULL, reader_hash = NULL WHERE id = $1`,
          [id],
        );
      }
      const from = locked.status;
      const replyCount = await moveStatus(client, id, locked.topic_id, from, status);
      const row = await readReply(client, id);
      await recordChange(client, row, from, replyCount);
      return toReply(row, { admin: true });
    });
  }

  async listPending(limit: number): Promise<Reply[]> {
    const { rows } = await this.#pool.query<ReplyRow>(
      `SELECT * FROM replies WHERE status = 'pending' ORDER BY created_at, id LIMIT $1`,
      [limit],
    );
    return rows.map((row) => toReply(row, { admin: true }));
  }

  async hasPublishedReply(author: { readerHash?: Buffer | null; sub?: string | null }): Promise<boolean> {
    if (author.sub && (await this.#pool.query(`SELECT 1 FROM replies WHERE author_sub = $1 AND status = 'published' LIMIT 1`, [author.sub])).rowCount) {
      return true;
    }
    return (
      !!author.readerHash &&
      !!(await this.#pool.query(`SELECT 1 FROM replies WHERE reader_hash = $1 AND status = 'published' LIMIT 1`, [author.readerHash]))
        .rowCount
    );
  }

  async addBan(ban: Ban): Promise<void> {
    const values: Array<[string, string]> = [];
    if (ban.readerHash) values.push(['reader', ban.readerHash.toString('hex')]);
    if (ban.addressPrefix) values.push(['address', ban.addressPrefix]);
    if (values.length === 0) return;
    await this.#pool.query(
      `INSERT INTO bans (kind, value, created_at)
       SELECT kind, value, now() FROM unnest($1::text[], $2::text[]) AS b(kind, value)
       ON CONFLICT (kind, value) DO NOTHING`,
      [values.map((v) => v[0]), values.map((v) => v[1])],
    );
  }

  async isBanned(ban: Ban): Promise<boolean> {
    const found = (kind: string, value: string) =>
      this.#pool.query('SELECT 1 FROM bans WHERE kind = $1 AND value = $2', [kind, value]).then((r) => !!r.rowCount);
    return (
      (!!ban.readerHash && (await found('reader', ban.readerHash.toString('hex')))) ||
      (!!ban.addressPrefix && (await found('address', ban.addressPrefix)))
    );
  }

  async setTopicLocked(id: string, locked: boolean): Promise<Topic | null> {
    const { rows } = await this.#pool.query<TopicRow>(
      'UPDATE topics SET locked = $1, updated_at = now(), version = version + 1 WHERE id = $2 RETURNING *',
      [locked, id],
    );
    return rows[0] ? toTopic(rows[0]) : null;
  }

  async toggleReaction(target: ReactionTarget, kind: ReactionKind, readerKey: string): Promise<ReactionState | null> {
    if (!REACTION_KINDS.includes(kind)) throw new TypeError(`Unknown reaction kind ${kind}`);
    const column = countColumn(kind);
    return this.#transaction(async (client): Promise<ReactionState | null> => {
      let topicId: string;
      if (target.type === 'topic') {
        const topic = (await client.query('SELECT id FROM topics WHERE id = $1 FOR UPDATE', [target.id])).rows[0];
        if (!topic) return null;
        topicId = target.id;
      } else {
        // Topic first, then reply: the lock order every writer follows.
        const locked = await lockReply(client, target.id);
        // Only published replies take reactions: a pending, hidden or deleted one is not there for others.
        if (!locked || locked.status !== 'published') return null;
        topicId = locked.topic_id;
      }
      const hash = readerHash(readerKey);
      const removed = (
        await client.query('DELETE FROM reactions WHERE target_type = $1 AND target_id = $2 AND kind = $3 AND reader_hash = $4', [
          target.type,
          target.id,
          kind,
          hash,
        ])
      ).rowCount;
      if (!removed) {
        await client.query(
          'INSERT INTO reactions (target_type, target_id, kind, reader_hash, created_at) VALUES ($1, $2, $3, $4, now())',
          [target.type, target.id, kind, hash],
        );
      }
      const table = target.type === 'topic' ? 'topics' : 'replies';
      const row = (
        await client.query<Record<string, unknown>>(`UPDATE ${table} SET ${column} = ${column} + $1 WHERE id = $2 RETURNING *`, [
          removed ? -1 : 1,
          target.id,
        ])
      ).rows[0]!;
      const reactions = reactionsOf(row);
      await bumpVersion(client, topicId);
      await appendEvents(client, [
        { topicId, type: 'reactions', data: { replyId: target.type === 'reply' ? target.id : null, reactions } },
      ]);
      return { kind, active: !removed, reactions };
    });
  }

  async countTopics(): Promise<number> {
    return (await this.#pool.query<{ n: number }>('SELECT count(*)::int AS n FROM topics')).rows[0]!.n;
  }

  /** Bumped in the same transaction by every write that changes a read of the topic; null when there is no topic. */
  async topicVersion(id: string): Promise<number | null> {
    const row = (await this.#pool.query<{ version: string }>('SELECT version FROM topics WHERE id = $1', [id])).rows[0];
    return row ? Number(row.version) : null;
  }

  /** The topic's events after `afterId`, oldest first. */
  async listEvents(topicId: string, afterId: string, limit: number): Promise<TopicEvent[]> {
    if (!/^\d{1,19}$/.test(afterId)) throw new TypeError(`Not an event id: "${afterId}"`);
    const { rows } = await this.#pool.query<{ id: string; topic_id: string; type: TopicEvent['type']; data: unknown }>(
      'SELECT id, topic_id, type, data FROM events WHERE topic_id = $1 AND id > $2::bigint ORDER BY id LIMIT $3',
      [topicId, afterId, limit],
    );
    return rows.map((row) => ({ id: row.id, topicId: row.topic_id, type: row.type, data: row.data }));
  }

  /** '0' when the topic has no events. */
  async lastEventId(topicId: string): Promise<string> {
    const { rows } = await this.#pool.query<{ id: string | null }>('SELECT max(id)::text AS id FROM events WHERE topic_id = $1', [topicId]);
    return rows[0]?.id ?? '0';
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new Error('The store is closed.');
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

async function migrate(pool: pg.Pool, schema: string | null): Promise<void> {
  const client = await pool.connect();
  // Session lock, keyed by the schema the tables go into: servers starting together wait
  // here, and each then finds the schema and the versions the first one made.
  const lockSql = (fn: string) => `SELECT ${fn}(hashtext($1))`;
  let lockKey: string[] = [];
  try {
    const target = schema ?? (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]!.s ?? '';
    lockKey = [`${MIGRATION_LOCK}:${target}`];
    await client.query(lockSql('pg_advisory_lock'), lockKey);
    try {
      // Concurrent CREATE SCHEMA IF NOT EXISTS can still collide, hence inside the lock.
      if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const applied = (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]!.v ?? 0;
      if (applied > MIGRATIONS.length) {
        throw new Error(`The database schema (version ${applied}) is newer than this server knows (${MIGRATIONS.length}).`);
      }
      for (const [index, sql] of MIGRATIONS.entries()) {
        const version = index + 1;
        if (version <= applied) continue;
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }
    } finally {
      await client.query(lockSql('pg_advisory_unlock'), lockKey).catch(() => {});
    }
  } finally {
    client.release();
  }
}

/**
 * Events must be readable in id order without a reader ever skipping one: a reader that has
 * seen id 12 must never later find a newly committed 11. BIGSERIAL hands ids out at insert
 * time, and two transactions can commit in the other order. So every event-writing transaction
 * takes one database-wide advisory transaction lock just before its insert, and holds it to
 * its commit: inserts and commits of events are then serialized, and ids follow commit order.
 * (A row lock on a single counter row would do the same; the advisory lock needs no row and
 * no schema, and it is taken last, after the topic's row lock, so it cannot join a deadlock.)
 * Its cost is that event writes are serialized across the database for the few
 * microseconds between insert and commit.
 */
async function appendEvents(client: Queryable, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [EVENT_LOCK]);
  await client.query(
    `INSERT INTO events (topic_id, type, data)
     SELECT topic_id, type, data FROM unnest($1::text[], $2::text[], $3::jsonb[]) WITH ORDINALITY AS e(topic_id, type, data, n)
     ORDER BY n`,
    [events.map((e) => e.topicId), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
  );
}

async function bumpVersion(client: Queryable, topicId: string): Promise<void> {
  await client.query('UPDATE topics SET version = version + 1 WHERE id = $1', [topicId]);
}

/** Locks a reply's topic, then the reply (the order every writer follows). Null when missing. */
async function lockReply(client: Queryable, id: string): Promise<{ topic_id: string; status: ReplyStatus } | null> {
  const seen = (await client.query<{ topic_id: string }>('SELECT topic_id FROM replies WHERE id = $1', [id])).rows[0];
  if (!seen) return null;
  await client.query('SELECT 1 FROM topics WHERE id = $1 FOR UPDATE', [seen.topic_id]);
  const row = (await client.query<{ topic_id: string; status: ReplyStatus }>('SELECT topic_id, status FROM replies WHERE id = $1 FOR UPDATE', [id]))
    .rows[0];
  return row ?? null;
}

async function readReply(client: Queryable, id: string): Promise<ReplyRow> {
  return (await client.query<ReplyRow>('SELECT * FROM replies WHERE id = $1', [id])).rows[0]!;
}

/** Changes a reply's status and keeps the topic's count and latest reply in step; the new count when it changed. */
async function moveStatus(client: Queryable, id: string, topicId: string, from: ReplyStatus, to: ReplyStatus): Promise<number | null> {
  await client.query('UPDATE replies SET status = $1 WHERE id = $2', [to, id]);
  const delta = (to === 'published' ? 1 : 0) - (from === 'published' ? 1 : 0);
  if (delta === 0) return null;
  const { rows } = await client.query<{ reply_count: number }>(
    `UPDATE topics SET reply_count = reply_count + $1,
       latest_reply_id = (SELECT id FROM replies WHERE topic_id = $2 AND status = 'published' ORDER BY created_at DESC, id DESC LIMIT 1)
     WHERE id = $2 RETURNING reply_count`,
    [delta, topicId],
  );
  return rows[0]!.reply_count;
}

/**
 * After a reply changed (inside the write's transaction): the version bump and events that
 * Store.listEvents documents, from the status it had before to the one it has now.
 */
async function recordChange(client: Queryable, row: ReplyRow, before: ReplyStatus, replyCount: number | null): Promise<void> {
  const wasListed = before !== 'pending';
  const isListed = row.status !== 'pending';
  if (!wasListed && !isListed) return; // only its author ever saw it
  await bumpVersion(client, row.topic_id);
  const events: NewEvent[] = [];
  if (wasListed) events.push({ topicId: row.topic_id, type: 'reply-changed', data: publicReply(row) });
  else if (row.status === 'published') events.push({ topicId: row.topic_id, type: 'reply-created', data: publicReply(row) });
  if (replyCount !== null) events.push({ topicId: row.topic_id, type: 'counts', data: { replyCount } });
  await appendEvents(client, events);
}

/** The reply as every reader but its author and moderators sees it; a pending one is blanked. */
function publicReply(row: ReplyRow): Reply {
  return publicView(toReply(row));
}

function toTopic(row: TopicRow): Topic {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    category: row.category ?? null,
    label: row.label,
    summary: row.summary,
    author: row.author ?? null,
    createdAt: row.created_at,
    body: row.body,
    text: row.text,
    sources: row.sources.map((s, k) => ({ n: k + 1, title: s.title, url: s.url })),
    reactions: reactionsOf(row),
    replyCount: row.reply_count,
    locked: row.locked,
  };
}

/**
 * The wire form. Never includes the reader hash, edit token hash or `sub`. A hidden reply is
 * blanked for everyone but moderators, so it keeps its place in the thread without its text.
 */
function toReply(row: ReplyRow, viewer: Viewer = {}): Reply {
  const blank = row.status === 'hidden' && !viewer.admin;
  return {
    id: row.id,
    topicId: row.topic_id,
    parentId: row.parent_id,
    depth: row.depth,
    author: blank ? { name: '' } : row.author_sub !== null ? { name: row.author_name, verified: true } : { name: row.author_name },
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    body: blank ? [] : row.body,
    text: blank ? '' : row.text,
    reactions: reactionsOf(row),
    status: row.status,
  };
}
