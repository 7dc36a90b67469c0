import { createHash } from 'node:crypto';
import {
  CompiledQuery,
  DummyDriver,
  Kysely,
  type Dialect,
  type KyselyPlugin,
  type QueryResult,
} from 'kysely';
import { MAX_COUNTED_REPLIES, MAX_PAGE_CONTENT, MAX_PAGE_REPLIES, REACTION_KINDS } from '@colloquy/api';
import type {
  BanRecord,
  Doc,
  ModerationAction,
  ModerationItem,
  ModerationLog,
  ModerationPage,
  NotificationEvent,
  ReactionKind,
  ReactionState,
  Reply,
  ReplyPage,
  ReplySort,
  ReplyStatus,
  ThreadContinuation,
  Topic,
  TopicSummary,
} from '@colloquy/api';
import { isDeepStrictEqual } from 'node:util';
import { newReplyId } from '../ids.js';
import { docToMarkdown } from '../markdown/from-doc.js';
import { encodeCursor } from './cursor.js';
import type { ImportStore } from './imports.js';
import type { ModeratorStore } from './moderation.js';
import {
  compileQueries,
  type EventType,
  type Queries,
  type QueryDialect,
  type QueueFilter,
} from './queries.js';
import {
  listed,
  publicView,
  reactionsOf,
  type ReplyRow,
  threadOrder,
  topicContent,
  toReply,
  toTopic,
} from './rows.js';
import type { NotificationStore } from './notifications.js';
import type { Schema } from './schema.js';
import { SqlImports } from './sql-imports.js';
import { logAction, SqlModerators } from './sql-moderation.js';
import { SqlNotifications } from './sql-notifications.js';
import { StoreError } from './store.js';
import type {
  Actor,
  Ban,
  NewReplyRecord,
  PageCursor,
  RateWindow,
  ReactionTarget,
  Renderer,
  ReplyCredentials,
  RerenderBatch,
  Store,
  TopicEvent,
  TopicRecord,
  Viewer,
} from './store.js';

/** Events older than this are pruned, except each topic's newest (see Store.listEvents). */
export const EVENT_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** Pruning runs after a write at most this often per store. */
const PRUNE_EVERY_MS = 3600 * 1000;

/** Larger than any log entry's id: the first page of the log. */
const NEWEST_ID = '9223372036854775807';

/** Runs compiled statements: the connection, or a transaction of it. */
export interface Executor {
  executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>>;
  /** The first row only: SQLite then stops after it (most of the store's reads are of one row). */
  takeFirst<Row>(query: CompiledQuery<Row>): Promise<Row | undefined>;
}

/** A dialect's connection (pool or single connection), as the store uses it. */
export interface SqlConnection extends Executor {
  /**
   * Runs `work` in one transaction, committed when it resolves and rolled back when it throws.
   * A read-only one sees one snapshot of the database; writes are serialized (by row locks in
   * PostgreSQL, by the database's write lock in SQLite).
   */
  transaction<T>(access: 'read only' | 'read write', work: (trx: Executor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Kysely for a dialect, only to compile the store's statements (no driver): the dialect's
 * SqlConnection runs them.
 */
export function compilerFor(
  dialect: Omit<Dialect, 'createDriver'>,
  plugins: KyselyPlugin[] = [],
): Kysely<Schema> {
  return new Kysely<Schema>({ dialect: { ...dialect, createDriver: () => new DummyDriver() }, plugins });
}

/** What a dialect adds to the store's statements (see SqliteStore and PostgresStore). */
export interface SqlDialect extends QueryDialect {
  /**
   * Holds `key` until the transaction ends, so that transactions taking the same key pass
   * this point one at a time. Taken for a name key before the name is checked or claimed, and
   * for 'events' just before a write inserts its events, so that event ids follow commit order.
   */
  lock(trx: Executor, key: string): Promise<void>;
}

const rowsOf = async <Row>(db: Executor, query: CompiledQuery<Row>): Promise<Row[]> =>
  (await db.executeQuery(query)).rows;
const firstOf = <Row>(db: Executor, query: CompiledQuery<Row>): Promise<Row | undefined> =>
  db.takeFirst(query);
/** The one row a statement must return (an insert's, or an update's of a row the transaction holds). */
async function oneOf<Row>(db: Executor, query: CompiledQuery<Row>): Promise<Row> {
  const row = await db.takeFirst(query);
  if (row === undefined) throw new Error(`No row from ${query.sql}`);
  return row;
}
const changesOf = async (db: Executor, query: CompiledQuery<unknown>): Promise<number> =>
  Number((await db.executeQuery(query)).numAffectedRows ?? 0);

/** Reader keys are stored only as this digest. */
const readerHash = (readerKey: string) => createHash('sha256').update(readerKey).digest();
const sameHash = (a: Buffer | null, b: Buffer | null | undefined) => !!a && !!b && a.equals(b);

/**
 * Reply times are written by Date#toISOString, so a time in any other form (or no date at
 * all) names no reply: PostgreSQL would read "…:00Z" as the instant "…:00.000Z" is, while
 * SQLite compares the text.
 */
/**
 * How many ancestors of a reply a page around it brings at most (one lookup by key each): the
 * default reply depth limit and then some; deeper ones are shown without the highest.
 */
const MAX_ANCESTORS = 64;

/** A top-level reply as a page of roots reads it; `rank` in the `top` order only. */
type RootRow = { id: string; created_at: string; rank?: number | string };
/** The reactions a root row was ranked by, in the `top` order. */
const rankScore = (root: RootRow): number | undefined =>
  root.rank === undefined ? undefined : -Number(root.rank);
/** A reply row's reactions of every kind. */
const scoreOf = (row: ReplyRow): number => REACTION_KINDS.reduce((n, kind) => n + row[`${kind}_count`], 0);

function isReplyTime(text: string): boolean {
  const at = new Date(text);
  return !Number.isNaN(at.getTime()) && at.toISOString() === text;
}

/**
 * The store, once for both dialects: its rules (replies, moderation, reactions, names, bans),
 * the events and version bumps of every write, row mapping and error messages. A dialect
 * subclass brings the connection, its migrations, its locks and its type conversion; its
 * `compiler` (see compilerFor) compiles the store's statements for its SQL.
 */
export abstract class SqlStore implements Store {
  readonly #db: SqlConnection;
  readonly #dialect: SqlDialect;
  readonly #q: Queries;
  #prunedAt = 0;
  #closed = false;
  readonly notifications: NotificationStore;
  readonly imports: ImportStore;
  abstract readonly sharedByServers: boolean;
  readonly moderators: ModeratorStore;

  protected constructor(compiler: Kysely<Schema>, connection: SqlConnection, dialect: SqlDialect) {
    this.#db = connection;
    this.#dialect = dialect;
    this.#q = compileQueries(compiler, dialect);
    this.notifications = new SqlNotifications(connection, this.#q, dialect);
    this.imports = new SqlImports(compiler, connection, dialect);
    this.moderators = new SqlModerators(connection, this.#q);
  }

  /** A write transaction; now and then, events past their retention go after it. */
  async #write<T>(work: (trx: Executor) => Promise<T>): Promise<T> {
    const result = await this.#db.transaction('read write', work);
    this.#maybePrune();
    return result;
  }

  /** In the background, outside the write's transaction. */
  #maybePrune(): void {
    const now = Date.now();
    if (now - this.#prunedAt < PRUNE_EVERY_MS) return;
    this.#prunedAt = now;
    this.deleteEventsBefore(new Date(now - EVENT_RETENTION_MS)).catch((error: unknown) => {
      if (!this.#closed) console.error('colloquy: pruning events failed:', error);
    });
    // A window older than an hour is over for every limit (the longest is a minute).
    this.#db.executeQuery(this.#q.pruneRateWindows(now - 3600 * 1000)).catch((error: unknown) => {
      if (!this.#closed) console.error('colloquy: pruning rate-limit windows failed:', error);
    });
    this.notifications.prune(new Date(now), EVENT_RETENTION_MS).catch((error: unknown) => {
      if (!this.#closed) console.error('colloquy: pruning notifications failed:', error);
    });
    const at = new Date(now);
    Promise.all([
      this.moderators.pruneSessions(at),
      this.#db.executeQuery(this.#q.pruneBans(at.toISOString())),
    ]).catch((error: unknown) => {
      if (!this.#closed) console.error('colloquy: pruning sessions and bans failed:', error);
    });
  }

  /**
   * Deletes events created before `before`, keeping each topic's newest; returns how many.
   * Each topic first remembers the newest of the events going (see eventsPrunedThrough).
   */
  protected deleteEventsBefore(before: Date): Promise<number> {
    const [raise, prune] = this.pruneStatements(before);
    return this.#db.transaction('read write', async (trx) => {
      await trx.executeQuery(raise);
      return changesOf(trx, prune);
    });
  }

  /**
   * The statements deleteEventsBefore() runs, in this order, for a dialect that runs them its
   * own way: the first raises each topic's pruned-through id, the second deletes.
   */
  protected pruneStatements(before: Date): [CompiledQuery, CompiledQuery] {
    const at = before.toISOString();
    return [this.#q.raisePrunedThrough(at), this.#q.pruneEvents(at)];
  }

  async getTopic(id: string): Promise<Topic | null> {
    const row = await firstOf(this.#db, this.#q.topic(id));
    return row ? toTopic(row) : null;
  }

  async getTopicSource(id: string): Promise<string | null> {
    const row = await firstOf(this.#db, this.#q.topicSource(id));
    return row ? (row.source ?? '') : null;
  }

  async getTopicSummaries(ids: readonly string[]): Promise<TopicSummary[]> {
    if (ids.length === 0) return [];
    const found = new Map((await rowsOf(this.#db, this.#q.summaries(ids))).map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = found.get(id);
      if (!row) return [];
      const { latest_id, latest_author, latest_created_at, latest_text } = row;
      return {
        id: row.id,
        title: row.title,
        url: row.url,
        replyCount: row.reply_count,
        reactions: reactionsOf(row),
        latestReply:
          latest_id !== null && latest_author !== null && latest_created_at !== null && latest_text !== null
            ? {
                id: latest_id,
                author: { name: latest_author },
                createdAt: latest_created_at,
                text: latest_text,
              }
            : null,
      };
    });
  }

  async upsertTopic(topic: TopicRecord, by?: Actor): Promise<{ topic: Topic; created: boolean }> {
    if (by)
      return this.#write(async (trx) => {
        const row = await oneOf(trx, this.#topicUpsert(topic));
        const created = Number(row.version) === 1;
        await logAction(trx, this.#q, by, created ? 'topic.create' : 'topic.edit', { topicId: topic.id });
        return { topic: toTopic(row), created };
      });
    const row = await oneOf(this.#db, this.#topicUpsert(topic));
    return { topic: toTopic(row), created: Number(row.version) === 1 };
  }

  #topicUpsert(topic: TopicRecord) {
    return this.#q.upsertTopic({
      id: topic.id,
      title: topic.title,
      ...topicContent(topic),
      created_at: topic.createdAt ?? null,
      source: topic.source ?? docToMarkdown(topic.body),
      locked: topic.locked,
      now: new Date().toISOString(),
    });
  }

  async listReplies(
    topicId: string,
    page: { limit: number; cursor: PageCursor | null; sort?: ReplySort; around?: string },
    viewer: Viewer = {},
  ): Promise<ReplyPage> {
    const reader = viewer.readerHash ?? null;
    const { cursor, limit, sort = 'oldest', around } = page;
    const q = this.#q;
    /** What every cursor of this order carries besides its position. */
    const order = (score: number | undefined): Pick<PageCursor, 'sort' | 'score'> =>
      sort === 'oldest' ? {} : sort === 'newest' ? { sort } : { sort, score: score ?? 0 };
    // One snapshot for the count, the page and its threads.
    return this.#db.transaction('read only', async (trx): Promise<ReplyPage> => {
      const topic = await firstOf(trx, q.replyCount(topicId));
      if (!topic) throw new StoreError('topic-not-found', `No topic "${topicId}".`);
      const total = topic.reply_count;
      /** The rest of a thread after `last`, when the page could not hold it. */
      const continuation = async (
        rootId: string,
        last: ReplyRow,
        score: number | undefined,
      ): Promise<ThreadContinuation> => {
        const rest = await firstOf(
          trx,
          q.threadRest(rootId, last.created_at, last.id, reader, MAX_COUNTED_REPLIES),
        );
        return {
          rootId,
          cursor: encodeCursor({ createdAt: last.created_at, id: last.id, rootId, ...order(score) }),
          count: Number(rest?.n ?? 0),
        };
      };

      /** The cursor of a page that goes on inside a cut thread after `last`, then past it. */
      const resumeAfter = (rootId: string, last: ReplyRow, score: number | undefined) =>
        encodeCursor({ createdAt: last.created_at, id: last.id, rootId, resume: true, ...order(score) });
      let budget = MAX_PAGE_REPLIES;
      let room = MAX_PAGE_CONTENT;
      let taken = 0;
      /**
       * The first of `rows` that fit what is left of the page, in replies and in content, and
       * takes them from the budgets. The page's first reply is kept whatever its size, so every
       * page moves its reader on.
       */
      const fitting = (rows: ReplyRow[]): ReplyRow[] => {
        let n = 0;
        for (const row of rows) {
          const size = row.body.length + row.text.length;
          if (n === budget || (size > room && taken + n > 0)) break;
          room -= size;
          n++;
        }
        budget -= n;
        taken += n;
        return rows.slice(0, n);
      };
      /**
       * A thread's replies in creation order, from its start or after `from`, as many as fit the
       * page, and whether more follow. Read in batches that double from a few rows, so what is
       * read past the cut is at most about what was kept, even when the content bound cuts the
       * thread long before the reply count would.
       */
      const threadPart = async (
        rootId: string,
        from: { createdAt: string; id: string } | null,
      ): Promise<{ kept: ReplyRow[]; more: boolean }> => {
        const kept: ReplyRow[] = [];
        let position = from;
        for (let batch = 8; ; batch *= 2) {
          const size = Math.min(batch, budget);
          const rows = await rowsOf(
            trx,
            position
              ? q.threadAfter(rootId, position.createdAt, position.id, reader, size + 1)
              : q.threadStart(rootId, reader, size + 1),
          );
          const fit = fitting(rows.slice(0, size));
          kept.push(...fit);
          const last = fit.at(-1);
          if (rows.length <= size && fit.length === rows.length) return { kept, more: false };
          if (fit.length < size || budget === 0 || !last) return { kept, more: true };
          position = { createdAt: last.created_at, id: last.id };
        }
      };
      if (around !== undefined) {
        // The part of one reply's thread that holds it: the thread from its start when the
        // page's bounds reach that far, else the reply's ancestors (root first, at most
        // MAX_ANCESTORS lookups by key), the reply and the thread's replies after it.
        const target = await firstOf(trx, q.reply(around));
        const visible = (row: ReplyRow | undefined): row is ReplyRow =>
          !!row && (row.status !== 'pending' || sameHash(row.reader_hash, reader));
        if (!visible(target) || target.topic_id !== topicId)
          throw new StoreError('reply-not-found', `No reply "${around}" in this topic.`);
        const rootId = target.root_id;
        const root = rootId === target.id ? target : await firstOf(trx, q.reply(rootId));
        const score = root && sort === 'top' ? scoreOf(root) : undefined;
        let part = await threadPart(rootId, null);
        // From its start, the thread's part is in thread order; from the reply on, in creation
        // order (each after its parent, which may be among the replies skipped).
        let rows = threadOrder([rootId], part.kept);
        if (!part.kept.some((row) => row.id === around)) {
          budget = MAX_PAGE_REPLIES;
          room = MAX_PAGE_CONTENT;
          taken = 0;
          const ancestors: ReplyRow[] = [];
          let up = target.parent_id;
          for (let n = 0; up !== null && n < MAX_ANCESTORS; n++) {
            const row = await firstOf(trx, q.reply(up));
            if (!row) break;
            if (visible(row)) ancestors.unshift(row);
            up = row.parent_id;
          }
          const head = fitting([...ancestors, target]);
          part = await threadPart(rootId, { createdAt: target.created_at, id: target.id });
          rows = [...head, ...part.kept];
        } else if (rows.length !== part.kept.length) rows = part.kept;
        const last = part.kept.at(-1) ?? target;
        return {
          replies: rows.map((row) => toReply(row, viewer)),
          nextCursor: null,
          total,
          moreInThread: part.more ? await continuation(rootId, last, score) : null,
        };
      }
      /** Replies continuing a thread an earlier page cut, in creation order. */
      let continued: ReplyRow[] = [];
      /** Top-level threads start after this one. */
      let after: PageCursor | null = cursor;
      if (cursor?.rootId !== undefined) {
        const { rootId } = cursor;
        const root = await firstOf(trx, q.reply(rootId));
        if (
          !(
            root &&
            isReplyTime(cursor.createdAt) &&
            (await firstOf(trx, q.threadCursorReply(topicId, rootId, cursor.createdAt, cursor.id)))
          )
        ) {
          throw new StoreError('invalid-cursor', 'The cursor does not belong to a thread of this topic.');
        }
        const part = await threadPart(rootId, cursor);
        continued = part.kept;
        const last = continued.at(-1);
        if (part.more && last) {
          const more = await continuation(rootId, last, cursor.score);
          return {
            replies: continued.map((row) => toReply(row, viewer)),
            nextCursor: cursor.resume ? resumeAfter(rootId, last, cursor.score) : null,
            total,
            moreInThread: more,
          };
        }
        if (!cursor.resume)
          return {
            replies: continued.map((row) => toReply(row, viewer)),
            nextCursor: null,
            total,
            moreInThread: null,
          };
        after = { createdAt: root.created_at, id: root.id, ...order(cursor.score) };
      } else if (
        // A cursor must name a top-level reply of this topic: anything else was forged or
        // belongs to another topic, and silently paging from it would hide replies.
        cursor &&
        !(
          isReplyTime(cursor.createdAt) &&
          (await firstOf(trx, q.cursorReply(topicId, cursor.createdAt, cursor.id)))
        )
      ) {
        throw new StoreError('invalid-cursor', 'The cursor does not belong to this topic.');
      }
      const roots: RootRow[] = await rowsOf(
        trx,
        sort === 'newest'
          ? after
            ? q.newestRootsAfter(topicId, after.createdAt, after.id, reader, limit + 1)
            : q.newestFirstRoots(topicId, reader, limit + 1)
          : sort === 'top'
            ? after
              ? q.topTiedAfter(topicId, -(after.score ?? 0), after.createdAt, after.id, reader, limit + 1)
              : q.topFirstRoots(topicId, reader, limit + 1)
            : after
              ? q.rootsAfter(topicId, after.createdAt, after.id, reader, limit + 1)
              : q.firstRoots(topicId, reader, limit + 1),
      );
      if (sort === 'top' && after && roots.length <= limit)
        roots.push(
          ...(await rowsOf(
            trx,
            q.topRanksAfter(topicId, -(after.score ?? 0), reader, limit + 1 - roots.length),
          )),
        );
      // Whole threads, root by root, until the page holds MAX_PAGE_REPLIES replies or
      // MAX_PAGE_CONTENT of content: each thread is read in batches within what is left (threadPart),
      // and the thread that does not fit is cut (its first replies in creation order always include their
      // parents) and continues with a cursor of its own.
      const rootIds: string[] = [];
      const rows: ReplyRow[] = [];
      let moreInThread: ThreadContinuation | null = null;
      let resume: string | null = null;
      for (const root of roots.slice(0, limit)) {
        if (budget === 0) break;
        const { kept, more } = await threadPart(root.id, null);
        // Not even the thread's first reply fits: the thread starts the next page.
        if (kept.length === 0) break;
        rootIds.push(root.id);
        rows.push(...kept);
        const last = kept.at(-1);
        if (more && last) {
          moreInThread = await continuation(root.id, last, rankScore(root));
          resume = resumeAfter(root.id, last, rankScore(root));
          break;
        }
      }
      const lastRoot = rootIds.length > 0 ? roots[rootIds.length - 1] : undefined;
      const position: PageCursor | null = lastRoot
        ? { createdAt: lastRoot.created_at, id: lastRoot.id, ...order(rankScore(lastRoot)) }
        : after;
      return {
        replies: [...continued, ...threadOrder(rootIds, rows)].map((row) => toReply(row, viewer)),
        nextCursor:
          resume ??
          (roots.length > rootIds.length && position
            ? encodeCursor({ createdAt: position.createdAt, id: position.id, ...order(position.score) })
            : null),
        total,
        moreInThread,
      };
    });
  }

  async getReply(id: string, viewer: Viewer = {}): Promise<Reply | null> {
    const row = await firstOf(this.#db, this.#q.reply(id));
    if (!row) return null;
    if (
      row.status === 'pending' &&
      !viewer.admin &&
      !viewer.author &&
      !sameHash(row.reader_hash, viewer.readerHash)
    )
      return null;
    return toReply(row, viewer);
  }

  async createReply(reply: NewReplyRecord): Promise<Reply> {
    const q = this.#q;
    return this.#write(async (trx) => {
      const now = new Date();
      const at = now.toISOString();
      if (reply.createTopic)
        await trx.executeQuery(
          q.insertPageTopic(reply.topicId, reply.createTopic.title, reply.createTopic.url, at),
        );
      const topic = await firstOf(trx, q.lockTopic(reply.topicId));
      if (!topic) throw new StoreError('topic-not-found', `No topic "${reply.topicId}".`);
      if (topic.locked)
        throw new StoreError('topic-locked', 'This topic is locked: it accepts no new replies.');
      let rootId: string | null = null;
      let depth = 0;
      if (reply.parentId !== null) {
        const parent = await firstOf(trx, q.parent(reply.parentId));
        if (!parent || parent.topic_id !== reply.topicId) {
          throw new StoreError(
            'invalid-parent',
            `parentId "${reply.parentId}" is not a reply of this topic.`,
          );
        }
        if (parent.status !== 'published') {
          const why = parent.status === 'pending' ? 'not published yet' : 'removed';
          throw new StoreError(
            'invalid-parent',
            `parentId "${reply.parentId}" was ${why}; it takes no replies.`,
          );
        }
        rootId = parent.root_id;
        depth = parent.depth + 1;
      }
      if (reply.maxDepth !== undefined && depth > reply.maxDepth) {
        throw new StoreError(
          'too-deep',
          `Replies nest at most ${reply.maxDepth} levels deep; reply to an earlier reply of this thread instead.`,
        );
      }
      const sub = reply.verifiedSub ?? null;
      if (reply.nameKey !== undefined) {
        // Checking and claiming a name race (an anonymous check passes while a verified claim
        // is not yet committed), hence the lock per name key, taken in one order.
        const keys = [...new Set([reply.nameKey, ...(reply.moreNameKeys ?? [])])].sort();
        for (const key of keys) await this.#dialect.lock(trx, `name:${key}`);
        if (sub !== null) {
          for (const key of keys) await trx.executeQuery(q.claimName(key, sub, at));
        } else {
          for (const key of keys) {
            if (await firstOf(trx, q.verifiedName(key))) {
              throw new StoreError(
                'name-reserved',
                `The name "${reply.authorName}" belongs to a signed-in user of this site; choose another name, or sign in.`,
              );
            }
          }
        }
      }
      const status = reply.status ?? 'published';
      const id = newReplyId(now.getTime());
      const row = await oneOf(
        trx,
        q.insertReply({
          id,
          topic_id: reply.topicId,
          parent_id: reply.parentId,
          root_id: rootId ?? id,
          depth,
          author_name: reply.authorName,
          created_at: at,
          body: JSON.stringify(reply.body),
          text: reply.text,
          source: reply.source ?? docToMarkdown(reply.body),
          status,
          edit_token_hash: reply.editTokenHash ?? null,
          reader_hash: reply.readerHash ?? null,
          author_sub: sub,
          client_prefix: reply.clientPrefix ?? null,
        }),
      );
      // A pending reply changes no read but its author's own: no event, no version bump.
      if (status === 'published') {
        const { reply_count } = await oneOf(trx, q.countNewReply(reply.topicId, id));
        await this.#appendEvents(
          trx,
          reply.topicId,
          ['reply-created', publicView(toReply(row)), id],
          ['counts', { replyCount: reply_count }],
        );
      }
      if (reply.authorEmail) await trx.executeQuery(q.insertAuthorEmail(id, reply.authorEmail));
      if (reply.notify !== false)
        await this.#enqueue(
          trx,
          status === 'published' ? 'reply.created' : 'reply.pending',
          id,
          reply.topicId,
        );
      return toReply(row, { admin: true });
    });
  }

  async getReplyCredentials(id: string): Promise<ReplyCredentials | null> {
    const row = await firstOf(this.#db, this.#q.credentials(id));
    return row
      ? {
          topicId: row.topic_id,
          createdAt: row.created_at,
          status: row.status,
          editTokenHash: row.edit_token_hash,
        }
      : null;
  }

  async editReply(
    id: string,
    edit: { body: Doc; text: string; source?: string; status?: 'published' | 'pending' },
  ): Promise<Reply | null> {
    return this.#write(async (trx) => {
      const locked = await this.#lockReply(trx, id);
      if (!locked) return null;
      const source = edit.source ?? docToMarkdown(edit.body);
      await trx.executeQuery(
        this.#q.editReply(id, JSON.stringify(edit.body), edit.text, source, new Date().toISOString()),
      );
      return this.#changeStatus(trx, id, locked, edit.status ?? locked.status);
    });
  }

  async rerenderBodies(
    kind: 'reply' | 'topic',
    after: string,
    limit: number,
    render: Renderer,
  ): Promise<RerenderBatch> {
    const q = this.#q;
    return this.#write(async (trx) => {
      const rows = await rowsOf(
        trx,
        kind === 'reply' ? q.replyBodies(after, limit) : q.topicBodies(after, limit),
      );
      let changed = 0;
      for (const row of rows) {
        // A row not yet given its source (see fillMissingSources) keeps its tree.
        if (row.source === null) continue;
        const fresh = render(row.source);
        // Compared as values: PostgreSQL's JSONB gives the tree back in its own key order.
        if (fresh.text === row.text && isDeepStrictEqual(JSON.parse(row.body), fresh.body)) continue;
        changed++;
        const body = JSON.stringify(fresh.body);
        if (kind === 'topic') {
          await trx.executeQuery(q.rerenderTopic(row.id, body, fresh.text));
          continue;
        }
        const locked = await this.#lockReply(trx, row.id);
        if (!locked) continue;
        await trx.executeQuery(q.rerenderReply(row.id, body, fresh.text));
        await this.#changeStatus(trx, row.id, locked, locked.status);
      }
      return { read: rows.length, changed, last: rows.at(-1)?.id ?? null };
    });
  }

  async exportTopics(after: string, limit: number): Promise<Array<Topic & { source: string }>> {
    const rows = await rowsOf(this.#db, this.#q.topicsAfter(after, limit));
    return rows.map((row) => ({ ...toTopic(row), source: row.source ?? '' }));
  }

  async exportReplies(
    after: string,
    limit: number,
  ): Promise<Array<{ reply: Reply & { source: string }; authorSub: string | null }>> {
    const rows = await rowsOf(this.#db, this.#q.repliesAfter(after, limit));
    return rows.map((row) => ({
      reply: { ...toReply(row, { admin: true }), source: row.source ?? '' },
      authorSub: row.author_sub,
    }));
  }

  async setReplyStatus(
    id: string,
    status: 'published' | 'hidden' | 'deleted',
    by?: Actor,
  ): Promise<Reply | null> {
    const action = status === 'published' ? 'approve' : status === 'hidden' ? 'hide' : 'delete';
    return this.#write(async (trx) => {
      const locked = await this.#lockReply(trx, id);
      if (!locked) return null;
      if (by) await logAction(trx, this.#q, by, `reply.${action}`, { replyId: id, topicId: locked.topic_id });
      return this.#setStatus(trx, id, locked, status);
    });
  }

  async #setStatus(
    trx: Executor,
    id: string,
    locked: { topic_id: string; status: ReplyStatus },
    status: 'published' | 'hidden' | 'deleted',
  ): Promise<Reply> {
    if (locked.status === status) return toReply(await oneOf(trx, this.#q.reply(id)), { admin: true }); // nothing readers see changes
    if (status === 'deleted') {
      await trx.executeQuery(this.#q.blankReply(id));
      await trx.executeQuery(this.#q.deleteReports(id));
      await trx.executeQuery(this.#q.dismissReports(id));
    }
    return this.#changeStatus(trx, id, locked, status);
  }

  async moderate(
    id: string,
    action: ModerationAction,
    by: Actor,
  ): Promise<{ reply: Reply } | { refused: string } | null> {
    return this.#write(async (trx) => {
      const locked = await this.#lockReply(trx, id);
      if (!locked) return null;
      if ((action === 'approve' || action === 'restore') && locked.status === 'deleted')
        return { refused: 'It was deleted: its text and author are gone for good.' };
      if (action === 'restore' && locked.status !== 'hidden')
        return { refused: `Only a hidden reply can be restored; this one is ${locked.status}.` };
      await logAction(trx, this.#q, by, `reply.${action}`, { replyId: id, topicId: locked.topic_id });
      // Approving deals with the readers' reports: the reply leaves the reported queue.
      if (action === 'approve') await trx.executeQuery(this.#q.dismissReports(id));
      const status = action === 'hide' ? 'hidden' : action === 'delete' ? 'deleted' : 'published';
      return { reply: await this.#setStatus(trx, id, locked, status) };
    });
  }

  async moderationQueue(
    filter: QueueFilter,
    page: { limit: number; cursor: PageCursor | null },
  ): Promise<ModerationPage> {
    const { cursor, limit } = page;
    return this.#db.transaction('read only', async (trx): Promise<ModerationPage> => {
      // A cursor names a reply at its exact time; anything else was forged.
      if (cursor && !(isReplyTime(cursor.createdAt) && (await firstOf(trx, this.#q.credentials(cursor.id)))))
        throw new StoreError('invalid-cursor', 'The cursor names no reply; start from the first page.');
      const rows = await rowsOf(trx, this.#q.moderationQueue(filter, cursor, limit + 1));
      const items = rows.slice(0, limit).map(
        (row): ModerationItem => ({
          reply: toReply(row, { admin: true }),
          topic: { id: row.topic_id, title: row.topic_title, locked: Boolean(row.topic_locked) },
          reports: Number(row.report_count),
          readerId: row.reader_hash ? row.reader_hash.toString('hex') : null,
          network: row.client_prefix,
        }),
      );
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ createdAt: last.reply.createdAt, id: last.reply.id })
            : null,
      };
    });
  }

  async moderationLog(page: {
    limit: number;
    before: string | null;
    replyId?: string;
  }): Promise<ModerationLog> {
    const before = page.before ?? NEWEST_ID;
    if (!/^\d{1,19}$/.test(before)) throw new TypeError(`Not a log cursor: "${before}"`);
    const rows = await rowsOf(
      this.#db,
      page.replyId === undefined
        ? this.#q.logPage(before, page.limit + 1)
        : this.#q.logOfReply(page.replyId, before, page.limit + 1),
    );
    const entries = rows.slice(0, page.limit).map((row) => ({
      id: row.entry_id,
      at: row.at,
      moderator: row.moderator,
      action: row.action,
      replyId: row.reply_id,
      topicId: row.topic_id,
      target: row.target,
      detail: row.detail,
    }));
    return { entries, nextCursor: rows.length > page.limit ? (entries.at(-1)?.id ?? null) : null };
  }

  /** Locks a reply's topic, then the reply (the order every writer follows). Null when missing. */
  async #lockReply(trx: Executor, id: string): Promise<{ topic_id: string; status: ReplyStatus } | null> {
    const seen = await firstOf(trx, this.#q.replyTopic(id));
    if (!seen) return null;
    await trx.executeQuery(this.#q.lockTopic(seen.topic_id));
    return (await firstOf(trx, this.#q.lockReply(id))) ?? null;
  }

  /**
   * After a reply's body changed or before its status does (inside the write's transaction):
   * the status, the topic's count and latest reply, then the version bump and events that
   * Store.listEvents documents, from the status the reply had before to the one it has now.
   */
  async #changeStatus(
    trx: Executor,
    id: string,
    before: { topic_id: string; status: ReplyStatus },
    status: ReplyStatus,
  ): Promise<Reply> {
    const q = this.#q;
    const topicId = before.topic_id;
    let replyCount: number | null = null;
    if (status !== before.status) {
      await trx.executeQuery(q.setReplyStatus(id, status));
      const delta = (status === 'published' ? 1 : 0) - (before.status === 'published' ? 1 : 0);
      if (delta !== 0) replyCount = (await oneOf(trx, q.recount(topicId, delta))).reply_count;
    }
    const row = await oneOf(trx, q.reply(id));
    await this.#notifyStatusChange(trx, id, topicId, before.status, status);
    if (listed(before.status) || listed(status)) {
      await trx.executeQuery(q.bumpVersion(topicId));
      const view = publicView(toReply(row));
      const events: Array<[EventType, unknown, string?]> = [];
      if (listed(before.status)) events.push(['reply-changed', view, id]);
      else if (status === 'published') events.push(['reply-created', view, id]);
      if (replyCount !== null) events.push(['counts', { replyCount }]);
      await this.#appendEvents(trx, topicId, ...events);
      // What the log said of this reply before (its text before an edit, its body and author
      // before hiding or deletion) is no longer readable anywhere else: replays say it no more.
      await trx.executeQuery(q.redactReplyEvents(id, JSON.stringify(view)));
    } // else only its author ever saw it: no bump, no event
    return toReply(row, { admin: true });
  }

  /**
   * The outbox entry a change of status makes (in the write's transaction, so that it commits
   * or not with the write): published by a moderator → reply.approved, hidden → reply.hidden,
   * held again for review → reply.pending. A deleted reply's author address goes for good.
   */
  async #notifyStatusChange(
    trx: Executor,
    id: string,
    topicId: string,
    before: ReplyStatus,
    after: ReplyStatus,
  ): Promise<void> {
    if (before === after) return;
    if (after === 'deleted') await trx.executeQuery(this.#q.deleteAuthorEmail(id));
    const type: NotificationEvent | null =
      after === 'published'
        ? 'reply.approved'
        : after === 'hidden'
          ? 'reply.hidden'
          : after === 'pending'
            ? 'reply.pending'
            : null;
    if (type !== null) await this.#enqueue(trx, type, id, topicId);
  }

  /** An outbox entry, inside the transaction of the write it tells about. */
  async #enqueue(trx: Executor, type: NotificationEvent, replyId: string, topicId: string): Promise<void> {
    await trx.executeQuery(this.#q.enqueue(type, replyId, topicId, new Date().toISOString()));
  }

  async recordReport(
    replyId: string,
    report: { reporter: string; reason: string | null } = { reporter: 'anonymous', reason: null },
  ): Promise<{ reply: Reply; counted: boolean } | null> {
    return this.#write(async (trx) => {
      const locked = await this.#lockReply(trx, replyId);
      // Only what readers can see can be reported.
      if (locked?.status !== 'published') return null;
      const q = this.#q;
      const added = await changesOf(
        trx,
        q.addReport(replyId, report.reporter, report.reason, new Date().toISOString()),
      );
      // A reader reports a reply once: reporting it again changes nothing and tells nobody.
      if (added > 0) {
        await trx.executeQuery(q.countReport(replyId));
        await this.#enqueue(trx, 'reply.reported', replyId, locked.topic_id);
      }
      return { reply: toReply(await oneOf(trx, q.reply(replyId)), { admin: true }), counted: added > 0 };
    });
  }

  /**
   * Inside the write's transaction, so that the events commit (or not) with the write. An
   * event of a reply (reply-created, reply-changed) names it as its third element.
   */
  async #appendEvents(
    trx: Executor,
    topicId: string,
    ...events: Array<[EventType, unknown, string?]>
  ): Promise<void> {
    const [event, next] = events;
    if (!event) return;
    await this.#dialect.lock(trx, 'events');
    const now = new Date().toISOString();
    const [type, data, replyId = null] = event;
    await trx.executeQuery(
      next
        ? this.#q.addEvents(
            topicId,
            type,
            JSON.stringify(data),
            replyId,
            next[0],
            JSON.stringify(next[1]),
            next[2] ?? null,
            now,
          )
        : this.#q.addEvent(topicId, type, JSON.stringify(data), replyId, now),
    );
  }

  async listPending(limit: number): Promise<Reply[]> {
    return (await rowsOf(this.#db, this.#q.pendingReplies(limit))).map((row) =>
      toReply(row, { admin: true }),
    );
  }

  async hasPublishedReply(author: { readerHash?: Buffer | null; sub?: string | null }): Promise<boolean> {
    if (author.sub && (await firstOf(this.#db, this.#q.publishedBySub(author.sub)))) return true;
    return !!author.readerHash && !!(await firstOf(this.#db, this.#q.publishedByReader(author.readerHash)));
  }

  async addBan(ban: Ban, by?: Actor): Promise<void> {
    const now = new Date().toISOString();
    await this.#db.transaction('read write', async (trx) => {
      const targets: Array<['reader' | 'address', string]> = [];
      if (ban.readerHash) targets.push(['reader', ban.readerHash.toString('hex')]);
      if (ban.addressPrefix) targets.push(['address', ban.addressPrefix]);
      for (const [kind, value] of targets) {
        await trx.executeQuery(
          this.#q.addBan({
            kind,
            value,
            now,
            expires_at: ban.expiresAt ?? null,
            created_by: by?.moderator ?? null,
            reason: ban.reason ?? null,
          }),
        );
        if (by)
          await logAction(trx, this.#q, by, 'ban.add', {
            target: `${kind}:${value}`,
            detail:
              [ban.expiresAt ? `until ${ban.expiresAt}` : null, ban.reason ?? null]
                .filter((part) => part !== null)
                .join('; ') || null,
          });
      }
    });
  }

  async liftBan(kind: 'reader' | 'address', value: string, by: Actor): Promise<boolean> {
    return this.#db.transaction('read write', async (trx) => {
      if (!(await firstOf(trx, this.#q.liftBan(kind, value)))) return false;
      await logAction(trx, this.#q, by, 'ban.lift', { target: `${kind}:${value}` });
      return true;
    });
  }

  async listBans(limit: number): Promise<BanRecord[]> {
    const rows = await rowsOf(this.#db, this.#q.bans(new Date().toISOString(), limit));
    return rows.map((row) => ({
      kind: row.kind,
      value: row.value,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      createdBy: row.created_by,
      reason: row.reason,
    }));
  }

  async isBanned(ban: Ban): Promise<boolean> {
    const now = new Date().toISOString();
    const banned = async (kind: 'reader' | 'address', value: string) =>
      !!(await firstOf(this.#db, this.#q.ban(kind, value, now)));
    return (
      (!!ban.readerHash && (await banned('reader', ban.readerHash.toString('hex')))) ||
      (!!ban.addressPrefix && (await banned('address', ban.addressPrefix)))
    );
  }

  async setTopicLocked(id: string, locked: boolean, by?: Actor): Promise<Topic | null> {
    const query = this.#q.setTopicLocked(id, locked, new Date().toISOString());
    if (!by) {
      const row = await firstOf(this.#db, query);
      return row ? toTopic(row) : null;
    }
    return this.#write(async (trx) => {
      const row = await firstOf(trx, query);
      if (!row) return null;
      await logAction(trx, this.#q, by, locked ? 'topic.lock' : 'topic.unlock', { topicId: id });
      return toTopic(row);
    });
  }

  async toggleReaction(
    target: ReactionTarget,
    kind: ReactionKind,
    readerKey: string,
  ): Promise<ReactionState | null> {
    if (!REACTION_KINDS.includes(kind)) throw new TypeError(`Unknown reaction kind ${kind}`);
    const q = this.#q;
    return this.#write(async (trx): Promise<ReactionState | null> => {
      let topicId: string;
      if (target.type === 'topic') {
        if (!(await firstOf(trx, q.lockTopic(target.id)))) return null;
        topicId = target.id;
      } else {
        const reply = await this.#lockReply(trx, target.id);
        // Only published replies take reactions: a pending, hidden or deleted one is not there for others.
        if (reply?.status !== 'published') return null;
        topicId = reply.topic_id;
      }
      const hash = readerHash(readerKey);
      const removed = (await changesOf(trx, q.removeReaction(target.type, target.id, kind, hash))) > 0;
      if (!removed)
        await trx.executeQuery(q.addReaction(target.type, target.id, kind, hash, new Date().toISOString()));
      const counters = target.type === 'topic' ? q.addToTopicCount : q.addToReplyCount;
      const reactions = reactionsOf(await oneOf(trx, counters[kind](removed ? -1 : 1, target.id)));
      await trx.executeQuery(q.bumpVersion(topicId));
      await this.#appendEvents(trx, topicId, [
        'reactions',
        { replyId: target.type === 'reply' ? target.id : null, reactions },
      ]);
      return { kind, active: !removed, reactions };
    });
  }

  async countTopics(): Promise<number> {
    return Number((await oneOf(this.#db, this.#q.countTopics())).n);
  }

  async topicVersion(id: string): Promise<number | null> {
    const row = await this.#db.takeFirst(this.#q.topicVersion(id));
    return row ? Number(row.version) : null;
  }

  async replyVersion(id: string): Promise<{ topicVersion: number; pending: boolean } | null> {
    const row = await this.#db.takeFirst(this.#q.replyVersion(id));
    return row ? { topicVersion: Number(row.version), pending: row.status === 'pending' } : null;
  }

  async listEvents(topicId: string, afterId: string, limit: number): Promise<TopicEvent[]> {
    if (!/^\d{1,19}$/.test(afterId)) throw new TypeError(`Not an event id: "${afterId}"`);
    const rows = await rowsOf(this.#db, this.#q.events(topicId, afterId, limit));
    return rows.map((row) => ({
      id: row.event_id,
      topicId,
      type: row.type,
      data: JSON.parse(row.data) as unknown,
    }));
  }

  async lastEventId(topicId: string): Promise<string> {
    return (await firstOf(this.#db, this.#q.lastEventId(topicId)))?.id ?? '0';
  }

  async eventsPrunedThrough(topicId: string): Promise<string> {
    return (await firstOf(this.#db, this.#q.eventsPrunedThrough(topicId)))?.id ?? '0';
  }

  async feedReplies(topicId: string, limit: number): Promise<Reply[]> {
    return (await rowsOf(this.#db, this.#q.topicFeed(topicId, limit))).map((row) => toReply(row));
  }

  async siteFeedReplies(
    limit: number,
  ): Promise<Array<Reply & { topic: { title: string; url: string | null } }>> {
    const rows = await rowsOf(this.#db, this.#q.siteFeed(limit));
    return rows.map((row) => ({ ...toReply(row), topic: { title: row.topic_title, url: row.topic_url } }));
  }

  async siteVersion(): Promise<string> {
    const row = await firstOf(this.#db, this.#q.siteVersion());
    return `${row?.event_id ?? '0'}/${row?.topic_updated_at ?? ''}`;
  }

  async hitRateWindow(name: string, key: string, windowMs: number, now = Date.now()): Promise<RateWindow> {
    const row = await oneOf(this.#db, this.#q.hitRateWindow(name, key, now, now - windowMs));
    return { start: Number(row.start), count: row.count };
  }

  async peekRateWindow(name: string, key: string): Promise<RateWindow | null> {
    const row = await firstOf(this.#db, this.#q.peekRateWindow(name, key));
    return row ? { start: Number(row.start), count: row.count } : null;
  }

  async ping(): Promise<void> {
    if (this.#closed) throw new Error('The store is closed.');
    await this.#db.executeQuery(CompiledQuery.raw('select 1'));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#db.close();
  }
}
