import Database from 'better-sqlite3';
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
 * Counters (reply_count, *_count) and latest_reply_id are kept up to date in the same
 * transaction as the write that changes them, so no read has to aggregate over replies.
 */
export const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE topics (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  url TEXT,
  category TEXT,
  label TEXT,
  summary TEXT,
  author TEXT,
  created_at TEXT NOT NULL,
  body TEXT NOT NULL,
  text TEXT NOT NULL,
  sources TEXT NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0,
  reply_count INTEGER NOT NULL DEFAULT 0,
  latest_reply_id TEXT,
  updated_at TEXT NOT NULL,
  ${countColumns}
);
CREATE TABLE replies (
  id TEXT PRIMARY KEY,
  topic_id TEXT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES replies(id),
  root_id TEXT NOT NULL,
  depth INTEGER NOT NULL,
  author_name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  edited_at TEXT,
  body TEXT NOT NULL,
  text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'published',
  ${countColumns}
);
-- A page of top-level replies, first or deep, is a range scan on this small partial index.
CREATE INDEX replies_top_level ON replies (topic_id, created_at, id) WHERE parent_id IS NULL;
-- A whole thread is one range scan, already in creation order.
CREATE INDEX replies_thread ON replies (root_id, created_at, id);
CREATE INDEX replies_parent ON replies (parent_id) WHERE parent_id IS NOT NULL;
CREATE TABLE reactions (
  target_type TEXT NOT NULL CHECK (target_type IN ('topic', 'reply')),
  target_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reader_hash BLOB NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (target_type, target_id, kind, reader_hash)
) WITHOUT ROWID;
`,
  // 2: identity (edit tokens, reader keys, signed-in authors), moderation and bans.
  `
ALTER TABLE replies ADD COLUMN edit_token_hash BLOB;
ALTER TABLE replies ADD COLUMN reader_hash BLOB;
ALTER TABLE replies ADD COLUMN author_sub TEXT;
CREATE INDEX replies_pending ON replies (created_at, id) WHERE status = 'pending';
CREATE INDEX replies_reader ON replies (reader_hash) WHERE reader_hash IS NOT NULL;
CREATE INDEX replies_author_sub ON replies (author_sub) WHERE author_sub IS NOT NULL;
-- latest_reply_id is recomputed from this when a reply leaves or joins the published ones.
CREATE INDEX replies_published ON replies (topic_id, created_at, id) WHERE status = 'published';
-- Names signed-in users have posted under, so no anonymous reply can pose as them.
CREATE TABLE verified_names (
  name_key TEXT PRIMARY KEY,
  sub TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE bans (
  kind TEXT NOT NULL CHECK (kind IN ('reader', 'address')),
  value TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (kind, value)
) WITHOUT ROWID;
`,
  // 3: live updates and HTTP caching. AUTOINCREMENT so an id is never reused, even after the
  // newest events are pruned; writes are serialized, so ids increase in commit order.
  `
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic_id TEXT NOT NULL,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX events_topic ON events (topic_id, id);
CREATE INDEX events_created ON events (created_at);
ALTER TABLE topics ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
`,
];

/** A reply's status as readers other than its author see it: pending ones are not there. */
type Visibility = 'none' | 'listed';
const visibility = (status: ReplyStatus): Visibility => (status === 'pending' ? 'none' : 'listed');

interface TopicRow {
  id: string;
  title: string;
  url: string | null;
  category: string | null;
  label: string | null;
  summary: string | null;
  author: string | null;
  created_at: string;
  body: string;
  text: string;
  sources: string;
  locked: number;
  reply_count: number;
  latest_reply_id: string | null;
  [count: `${string}_count`]: number;
}

interface ReplyRow {
  id: string;
  topic_id: string;
  parent_id: string | null;
  root_id: string;
  depth: number;
  author_name: string;
  created_at: string;
  edited_at: string | null;
  body: string;
  text: string;
  status: string;
  edit_token_hash: Buffer | null;
  reader_hash: Buffer | null;
  author_sub: string | null;
  [count: `${string}_count`]: number;
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();
  #prunedAt = 0;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(file: string): SqliteStore {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL'); // durable enough with WAL, much faster
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000'); // another process (a second server, a backup) may hold the lock
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db);
  }

  /** Prepared statements are compiled once per SQL text. */
  #sql(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  async getTopic(id: string): Promise<Topic | null> {
    const row = this.#sql('SELECT * FROM topics WHERE id = ?').get(id) as TopicRow | undefined;
    return row ? toTopic(row) : null;
  }

  async getTopicSummaries(ids: readonly string[]): Promise<TopicSummary[]> {
    const rows = this.#sql(
      `SELECT t.id, t.title, t.url, t.reply_count, ${REACTION_KINDS.map((k) => `t.${countColumn(k)}`).join(', ')},
              r.id AS latest_id, r.author_name AS latest_author, r.created_at AS latest_created_at, r.text AS latest_text
         FROM json_each(?) AS wanted
         JOIN topics t ON t.id = wanted.value
         LEFT JOIN replies r ON r.id = t.latest_reply_id
        ORDER BY wanted.key`,
    ).all(JSON.stringify(ids)) as Array<Record<string, unknown>>;
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
            createdAt: row['latest_created_at'] as string,
            text: row['latest_text'] as string,
          }
        : null,
    }));
  }

  async upsertTopic(topic: TopicRecord): Promise<{ topic: Topic; created: boolean }> {
    const write = this.#db.transaction((): boolean => {
      const now = new Date().toISOString();
      const existing = this.#sql('SELECT created_at FROM topics WHERE id = ?').get(topic.id) as
        | { created_at: string }
        | undefined;
      const values = {
        id: topic.id,
        title: topic.title,
        url: topic.url,
        category: topic.category ? JSON.stringify(topic.category) : null,
        label: topic.label,
        summary: topic.summary,
        author: topic.author ? JSON.stringify(topic.author) : null,
        created_at: topic.createdAt ?? existing?.created_at ?? now,
        body: JSON.stringify(topic.body),
        text: topic.text,
        sources: JSON.stringify(topic.sources),
        locked: topic.locked ? 1 : 0,
        updated_at: now,
      };
      if (existing) {
        this.#sql(
          `UPDATE topics SET title = @title, url = @url, category = @category, label = @label,
             summary = @summary, author = @author, created_at = @created_at, body = @body,
             text = @text, sources = @sources, locked = @locked, updated_at = @updated_at,
             version = version + 1
           WHERE id = @id`,
        ).run(values);
      } else {
        this.#sql(
          `INSERT INTO topics (id, title, url, category, label, summary, author, created_at, body,
             text, sources, locked, updated_at)
           VALUES (@id, @title, @url, @category, @label, @summary, @author, @created_at, @body,
             @text, @sources, @locked, @updated_at)`,
        ).run(values);
      }
      return !existing;
    });
    const created = write.immediate();
    return { topic: (await this.getTopic(topic.id))!, created };
  }

  async listReplies(
    topicId: string,
    page: { limit: number; cursor: PageCursor | null },
    viewer: Viewer = {},
  ): Promise<ReplyPage> {
    const reader = viewer.readerHash ?? null;
    const read = this.#db.transaction((): ReplyPage => {
      const topic = this.#sql('SELECT reply_count FROM topics WHERE id = ?').get(topicId) as
        | { reply_count: number }
        | undefined;
      if (!topic) throw new StoreError('topic-not-found', `No topic "${topicId}".`);
      if (page.cursor) {
        // A cursor must name a top-level reply of this topic: anything else was forged or
        // belongs to another topic, and silently paging from it would hide replies.
        const anchor = this.#sql(
          'SELECT 1 FROM replies WHERE id = ? AND topic_id = ? AND parent_id IS NULL AND created_at = ?',
        ).get(page.cursor.id, topicId, page.cursor.createdAt);
        if (!anchor) throw new StoreError('invalid-cursor', 'The cursor does not belong to this topic.');
      }
      const after = page.cursor ?? { createdAt: '', id: '' };
      const roots = this.#sql(
        `SELECT id, created_at FROM replies
          WHERE topic_id = ? AND parent_id IS NULL AND (created_at, id) > (?, ?)
            AND (status <> 'pending' OR reader_hash = ?)
          ORDER BY created_at, id LIMIT ?`,
      ).all(topicId, after.createdAt, after.id, reader, page.limit + 1) as Array<{ id: string; created_at: string }>;
      const hasMore = roots.length > page.limit;
      const pageRoots = roots.slice(0, page.limit);
      const rows = this.#sql(
        `SELECT * FROM replies WHERE root_id IN (SELECT value FROM json_each(?))
            AND (status <> 'pending' OR reader_hash = ?)
          ORDER BY created_at, id`,
      ).all(JSON.stringify(pageRoots.map((r) => r.id)), reader) as ReplyRow[];
      const last = pageRoots[pageRoots.length - 1];
      return {
        replies: threadOrder(pageRoots.map((r) => r.id), rows).map((row) => toReply(row, viewer)),
        nextCursor: hasMore && last ? encodeCursorOf(last) : null,
        total: topic.reply_count,
      };
    });
    return read();
  }

  async getReply(id: string, viewer: Viewer = {}): Promise<Reply | null> {
    const row = this.#sql('SELECT * FROM replies WHERE id = ?').get(id) as ReplyRow | undefined;
    if (!row) return null;
    if (row.status === 'pending' && !viewer.admin && !sameHash(row.reader_hash, viewer.readerHash)) return null;
    return toReply(row, viewer);
  }

  async createReply(reply: NewReplyRecord): Promise<Reply> {
    const write = this.#db.transaction((): string => {
      const now = new Date().toISOString();
      const topic = this.#sql('SELECT locked FROM topics WHERE id = ?').get(reply.topicId) as
        | { locked: number }
        | undefined;
      if (!topic) {
        if (!reply.createTopic) throw new StoreError('topic-not-found', `No topic "${reply.topicId}".`);
        this.#sql(
          `INSERT INTO topics (id, title, url, created_at, body, text, sources, updated_at)
           VALUES (?, ?, ?, ?, '[]', '', '[]', ?)`,
        ).run(reply.topicId, reply.createTopic.title, reply.createTopic.url, now, now);
      } else if (topic.locked) {
        throw new StoreError('topic-locked', 'This topic is locked: it accepts no new replies.');
      }
      let rootId: string | null = null;
      let depth = 0;
      if (reply.parentId !== null) {
        const parent = this.#sql('SELECT topic_id, root_id, depth, status FROM replies WHERE id = ?').get(reply.parentId) as
          | { topic_id: string; root_id: string; depth: number; status: string }
          | undefined;
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
        if (sub === null) {
          if (this.#sql('SELECT 1 FROM verified_names WHERE name_key = ?').get(reply.nameKey)) {
            throw new StoreError('name-reserved', `The name "${reply.authorName}" belongs to a signed-in user of this site; choose another name, or sign in.`);
          }
        } else {
          this.#sql('INSERT OR IGNORE INTO verified_names (name_key, sub, created_at) VALUES (?, ?, ?)').run(reply.nameKey, sub, now);
        }
      }
      const status = reply.status ?? 'published';
      const id = newReplyId();
      this.#sql(
        `INSERT INTO replies (id, topic_id, parent_id, root_id, depth, author_name, created_at, body, text,
           status, edit_token_hash, reader_hash, author_sub)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
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
      );
      if (status === 'published') {
        this.#sql('UPDATE topics SET reply_count = reply_count + 1, latest_reply_id = ? WHERE id = ?').run(id, reply.topicId);
        this.#bumpVersion(reply.topicId);
        this.#appendEvent(reply.topicId, 'reply-created', publicReply(this.#replyRow(id)));
        this.#appendCounts(reply.topicId);
      }
      return id;
    });
    const id = write.immediate();
    return (await this.getReply(id, { admin: true }))!;
  }

  async getReplyCredentials(id: string): Promise<ReplyCredentials | null> {
    const row = this.#sql('SELECT topic_id, created_at, status, edit_token_hash FROM replies WHERE id = ?').get(id) as
      | { topic_id: string; created_at: string; status: ReplyStatus; edit_token_hash: Buffer | null }
      | undefined;
    return row ? { topicId: row.topic_id, createdAt: row.created_at, status: row.status, editTokenHash: row.edit_token_hash } : null;
  }

  async editReply(id: string, edit: { body: Doc; text: string; status?: 'published' | 'pending' }): Promise<Reply | null> {
    const write = this.#db.transaction((): boolean => {
      const row = this.#sql('SELECT topic_id, status FROM replies WHERE id = ?').get(id) as
        | { topic_id: string; status: ReplyStatus }
        | undefined;
      if (!row) return false;
      this.#sql('UPDATE replies SET body = ?, text = ?, edited_at = ? WHERE id = ?').run(
        JSON.stringify(edit.body),
        edit.text,
        new Date().toISOString(),
        id,
      );
      const countChanged = edit.status && edit.status !== row.status ? this.#moveStatus(id, row.topic_id, row.status, edit.status) : false;
      this.#recordChange(id, row.topic_id, row.status, countChanged);
      return true;
    });
    return write.immediate() ? this.getReply(id, { admin: true }) : null;
  }

  async setReplyStatus(id: string, status: 'published' | 'hidden' | 'deleted'): Promise<Reply | null> {
    const write = this.#db.transaction((): boolean => {
      const row = this.#sql('SELECT topic_id, status FROM replies WHERE id = ?').get(id) as
        | { topic_id: string; status: ReplyStatus }
        | undefined;
      if (!row) return false;
      if (row.status === status) return true; // nothing readers see changes
      if (status === 'deleted') {
        // Gone for good: nothing of the author or the text stays, only the reply's place.
        this.#sql(
          `UPDATE replies SET body = '[]', text = '', author_name = '', author_sub = NULL,
             edit_token_hash = NULL, reader_hash = NULL WHERE id = ?`,
        ).run(id);
      }
      const countChanged = this.#moveStatus(id, row.topic_id, row.status, status);
      this.#recordChange(id, row.topic_id, row.status, countChanged);
      return true;
    });
    return write.immediate() ? this.getReply(id, { admin: true }) : null;
  }

  /**
   * Changes a reply's status and keeps the topic's count and latest reply in step; true when
   * the count changed.
   */
  #moveStatus(id: string, topicId: string, from: ReplyStatus, to: ReplyStatus): boolean {
    this.#sql('UPDATE replies SET status = ? WHERE id = ?').run(to, id);
    const delta = (to === 'published' ? 1 : 0) - (from === 'published' ? 1 : 0);
    if (delta === 0) return false;
    const latest = this.#sql(
      `SELECT id FROM replies WHERE topic_id = ? AND status = 'published' ORDER BY created_at DESC, id DESC LIMIT 1`,
    ).get(topicId) as { id: string } | undefined;
    this.#sql('UPDATE topics SET reply_count = reply_count + ?, latest_reply_id = ? WHERE id = ?').run(
      delta,
      latest?.id ?? null,
      topicId,
    );
    return true;
  }

  /**
   * After a reply changed (inside the write's transaction): the events and version bump that
   * Store.listEvents documents, from the status it had before to the one it has now.
   */
  #recordChange(id: string, topicId: string, before: ReplyStatus, countChanged: boolean): void {
    const row = this.#replyRow(id);
    const was = visibility(before);
    const is = visibility(row.status as ReplyStatus);
    if (was === 'none' && is === 'none') return;
    this.#bumpVersion(topicId);
    if (was === 'listed') this.#appendEvent(topicId, 'reply-changed', publicReply(row));
    else if (row.status === 'published') this.#appendEvent(topicId, 'reply-created', publicReply(row));
    if (countChanged) this.#appendCounts(topicId);
  }

  #replyRow(id: string): ReplyRow {
    return this.#sql('SELECT * FROM replies WHERE id = ?').get(id) as ReplyRow;
  }

  #bumpVersion(topicId: string): void {
    this.#sql('UPDATE topics SET version = version + 1 WHERE id = ?').run(topicId);
  }

  #appendCounts(topicId: string): void {
    const { reply_count } = this.#sql('SELECT reply_count FROM topics WHERE id = ?').get(topicId) as { reply_count: number };
    this.#appendEvent(topicId, 'counts', { replyCount: reply_count });
  }

  /** Call inside a write transaction, so the event commits (or not) with the write. */
  #appendEvent(topicId: string, type: TopicEvent['type'], data: unknown): void {
    const now = Date.now();
    this.#sql('INSERT INTO events (topic_id, type, data, created_at) VALUES (?, ?, ?, ?)').run(
      topicId,
      type,
      JSON.stringify(data),
      new Date(now).toISOString(),
    );
    if (now - this.#prunedAt >= PRUNE_EVERY_MS) {
      this.#prunedAt = now;
      this.#prune(new Date(now - EVENT_RETENTION_MS));
    }
  }

  #prune(before: Date): number {
    // Each topic keeps its newest event, so lastEventId() (and with it the topic read that
    // carries it, under an unchanged ETag) never changes by pruning.
    return this.#sql(
      `DELETE FROM events WHERE created_at < ?
          AND id NOT IN (SELECT max(id) FROM events GROUP BY topic_id)`,
    ).run(before.toISOString()).changes;
  }

  /** Deletes events created before `before`, keeping each topic's newest; returns how many. */
  pruneEvents(before: Date): number {
    return this.#db.transaction(() => this.#prune(before)).immediate();
  }

  async topicVersion(id: string): Promise<number | null> {
    const row = this.#sql('SELECT version FROM topics WHERE id = ?').get(id) as { version: number } | undefined;
    return row ? row.version : null;
  }

  async listEvents(topicId: string, afterId: string, limit: number): Promise<TopicEvent[]> {
    const rows = this.#sql(
      // The text id is aliased apart, so that ORDER BY sorts by the integer.
      `SELECT CAST(e.id AS TEXT) AS event_id, e.topic_id, e.type, e.data FROM events e
        WHERE e.topic_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`,
    ).all(topicId, eventIdParam(afterId), limit) as Array<{ event_id: string; topic_id: string; type: TopicEvent['type']; data: string }>;
    return rows.map((row) => ({ id: row.event_id, topicId: row.topic_id, type: row.type, data: JSON.parse(row.data) as unknown }));
  }

  async lastEventId(topicId: string): Promise<string> {
    const row = this.#sql('SELECT CAST(max(id) AS TEXT) AS id FROM events WHERE topic_id = ?').get(topicId) as { id: string | null };
    return row.id ?? '0';
  }

  async listPending(limit: number): Promise<Reply[]> {
    const rows = this.#sql(`SELECT * FROM replies WHERE status = 'pending' ORDER BY created_at, id LIMIT ?`).all(limit) as ReplyRow[];
    return rows.map((row) => toReply(row, { admin: true }));
  }

  async hasPublishedReply(author: { readerHash?: Buffer | null; sub?: string | null }): Promise<boolean> {
    if (author.sub && this.#sql(`SELECT 1 FROM replies WHERE author_sub = ? AND status = 'published' LIMIT 1`).get(author.sub)) {
      return true;
    }
    return (
      !!author.readerHash &&
      !!this.#sql(`SELECT 1 FROM replies WHERE reader_hash = ? AND status = 'published' LIMIT 1`).get(author.readerHash)
    );
  }

  async addBan(ban: Ban): Promise<void> {
    const now = new Date().toISOString();
    const add = this.#sql('INSERT OR IGNORE INTO bans (kind, value, created_at) VALUES (?, ?, ?)');
    this.#db.transaction(() => {
      if (ban.readerHash) add.run('reader', ban.readerHash.toString('hex'), now);
      if (ban.addressPrefix) add.run('address', ban.addressPrefix, now);
    }).immediate();
  }

  async isBanned(ban: Ban): Promise<boolean> {
    const found = this.#sql('SELECT 1 FROM bans WHERE kind = ? AND value = ?');
    return (
      (!!ban.readerHash && !!found.get('reader', ban.readerHash.toString('hex'))) ||
      (!!ban.addressPrefix && !!found.get('address', ban.addressPrefix))
    );
  }

  async setTopicLocked(id: string, locked: boolean): Promise<Topic | null> {
    const changed = this.#sql('UPDATE topics SET locked = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(
      locked ? 1 : 0,
      new Date().toISOString(),
      id,
    ).changes;
    return changed ? this.getTopic(id) : null;
  }

  async toggleReaction(target: ReactionTarget, kind: ReactionKind, readerKey: string): Promise<ReactionState | null> {
    if (!REACTION_KINDS.includes(kind)) throw new TypeError(`Unknown reaction kind ${kind}`);
    const table = target.type === 'topic' ? 'topics' : 'replies';
    const column = countColumn(kind);
    const toggle = this.#db.transaction((): ReactionState | null => {
      // Only published replies take reactions: a pending, hidden or deleted one is not there for others.
      const exists = this.#sql(`SELECT 1 FROM ${table} WHERE id = ?${table === 'replies' ? ` AND status = 'published'` : ''}`);
      if (!exists.get(target.id)) return null;
      const key = [target.type, target.id, kind, readerHash(readerKey)] as const;
      const removed = this.#sql(
        'DELETE FROM reactions WHERE target_type = ? AND target_id = ? AND kind = ? AND reader_hash = ?',
      ).run(...key).changes;
      if (!removed) {
        this.#sql(
          'INSERT INTO reactions (target_type, target_id, kind, reader_hash, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(...key, new Date().toISOString());
      }
      this.#sql(`UPDATE ${table} SET ${column} = ${column} + ? WHERE id = ?`).run(removed ? -1 : 1, target.id);
      const row = this.#sql(`SELECT * FROM ${table} WHERE id = ?`).get(target.id) as Record<string, unknown>;
      const reactions = reactionsOf(row);
      const topicId = target.type === 'topic' ? target.id : (row['topic_id'] as string);
      this.#bumpVersion(topicId);
      this.#appendEvent(topicId, 'reactions', { replyId: target.type === 'reply' ? target.id : null, reactions });
      return { kind, active: !removed, reactions };
    });
    return toggle.immediate();
  }

  async countTopics(): Promise<number> {
    return (this.#sql('SELECT count(*) AS n FROM topics').get() as { n: number }).n;
  }

  async ping(): Promise<void> {
    this.#sql('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (applied > MIGRATIONS.length) {
    throw new Error(`The database schema (version ${applied}) is newer than this server knows (${MIGRATIONS.length}).`);
  }
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= applied) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    }).immediate();
  });
}

const encodeCursorOf = (root: { id: string; created_at: string }) =>
  encodeCursor({ createdAt: root.created_at, id: root.id });

function toTopic(row: TopicRow): Topic {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    category: row.category ? JSON.parse(row.category) : null,
    label: row.label,
    summary: row.summary,
    author: row.author ? JSON.parse(row.author) : null,
    createdAt: row.created_at,
    body: JSON.parse(row.body) as Doc,
    text: row.text,
    sources: (JSON.parse(row.sources) as Array<{ title: string; url: string }>).map((s, k) => ({
      n: k + 1,
      title: s.title,
      url: s.url,
    })),
    reactions: reactionsOf(row),
    replyCount: row.reply_count,
    locked: row.locked === 1,
  };
}

/** An event id as SQLite compares it: an integer, exact beyond 2^53. */
function eventIdParam(id: string): bigint {
  if (!/^\d{1,19}$/.test(id)) throw new TypeError(`Not an event id: "${id}"`);
  return BigInt(id);
}

/** The reply as every reader but its author and moderators sees it; a pending one is blanked. */
function publicReply(row: ReplyRow): Reply {
  return publicView(toReply(row));
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
    createdAt: row.created_at,
    editedAt: row.edited_at,
    body: blank ? [] : (JSON.parse(row.body) as Doc),
    text: blank ? '' : row.text,
    reactions: reactionsOf(row),
    status: row.status as ReplyStatus,
  };
}
