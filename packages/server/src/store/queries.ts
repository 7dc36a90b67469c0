import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from 'kysely';
import {
  REACTION_KINDS,
  type DeliveryStatus,
  type NotificationEvent,
  type ReactionKind,
  type ReplyStatus,
} from '@colloquy/api';
import { prepare, prepareNamed } from './prepared.js';
import type {
  CountColumn,
  DeliveriesTable,
  DeliveryAttemptsTable,
  Instant,
  Json,
  ModerationLogTable,
  ModeratorSessionsTable,
  RepliesTable,
  Schema,
  TopicsTable,
  WebhooksTable,
} from './schema.js';
import type { TopicEvent } from './store.js';

/**
 * The SQL that differs between the dialects inside a statement; everything else about a
 * statement is written once, below.
 */
export interface QueryDialect {
  /** `column` is one of `values`, bound as one parameter whatever the length of the list. */
  anyOf(
    column: 'topics.id' | 'replies.root_id' | 'import_topics.source_id' | 'import_replies.source_id',
    values: readonly string[],
  ): Expression<SqlBool>;
  /**
   * The reply's text contains every word of `words` (full-text search: SQLite's FTS5 index,
   * PostgreSQL's tsvector over a GIN index). `words` is the user's text, bound as a value.
   */
  matchesText(words: string): Expression<SqlBool>;
}

/** What a moderation queue page asks for (see Store.moderationQueue). */
export interface QueueFilter {
  queue: 'pending' | 'reported' | 'recent';
  topicId?: string | undefined;
  author?: string | undefined;
  readerHash?: Buffer | undefined;
  network?: string | undefined;
  status?: ReplyStatus | undefined;
  search?: string | undefined;
}

export const countColumn = (kind: ReactionKind): CountColumn => `${kind}_count`;
const COUNT_COLUMNS = REACTION_KINDS.map(countColumn);

/**
 * Constants of a statement go into its text, not its parameters: SQLite uses a partial index
 * (`WHERE status = 'published'`) only for a query that names the same constant.
 */
const published = sql.lit<ReplyStatus>('published');

/**
 * The columns that place a new reply in its thread, read one by one from `reply` (the prepared
 * statements' stand-ins expose their fields only as they are read, so they cannot be spread).
 */
export const replyPlacement = (
  reply: Pick<
    Selectable<RepliesTable>,
    'id' | 'topic_id' | 'parent_id' | 'root_id' | 'depth' | 'author_name' | 'created_at'
  >,
) => ({
  id: reply.id,
  topic_id: reply.topic_id,
  parent_id: reply.parent_id,
  root_id: reply.root_id,
  depth: reply.depth,
  author_name: reply.author_name,
  created_at: reply.created_at,
});

/**
 * The id of a topic's newest published reply: a subquery for the writes that keep
 * topics.latest_reply_id. `topicId` is a value, or a reference to the row being updated.
 */
export const latestPublishedReplyId = (db: Kysely<Schema>, topicId: string | Expression<string>) =>
  db
    .selectFrom('replies')
    .select('replies.id')
    .where('replies.topic_id', '=', topicId)
    .where('replies.status', '=', published)
    .orderBy('replies.created_at', 'desc')
    .orderBy('replies.id', 'desc')
    .limit(1);
const pending = sql.lit<ReplyStatus>('pending');

/**
 * A top-level reply's place in the `top` order: its reactions of every kind, negated so that
 * the order and its keyset run ascending, written exactly as the index replies_top_reacted
 * (migrations.ts) has it, so both dialects read a page of roots as a range of that index.
 */
export const REACTED_RANK = sql<number>`(0 - like_count - insightful_count - disagree_count)`;

export type EventType = TopicEvent['type'];

/**
 * A topic as upsertTopic writes it. `created_at` null keeps an existing topic's (or takes
 * `now` for a new one); an update bumps the version, so version 1 tells a row the statement
 * inserted.
 */
export type TopicValues = Pick<
  Selectable<TopicsTable>,
  'id' | 'title' | 'url' | 'category' | 'label' | 'summary' | 'author' | 'body' | 'text' | 'sources'
> & {
  source: string;
  created_at: string | null;
  locked: boolean;
  now: Instant;
};

export type Queries = ReturnType<typeof compileQueries>;

/** Every statement the store runs, compiled once for the dialect of `db` (see prepare()). */
export function compileQueries(db: Kysely<Schema>, dialect: QueryDialect) {
  const topics = db.selectFrom('topics');
  const replies = db.selectFrom('replies');
  /** Per reaction kind: adds `delta` to the kind's counter of a topic or reply; the new counts. */
  const countUpdates = (table: 'topics' | 'replies') => {
    const update = (kind: ReactionKind) =>
      prepare((delta: number, id: string) =>
        db
          .updateTable(table)
          .set(countColumn(kind), (eb) => eb(countColumn(kind), '+', delta))
          .where('id', '=', id)
          .returning(COUNT_COLUMNS),
      );
    return Object.fromEntries(REACTION_KINDS.map((kind) => [kind, update(kind)])) as Record<
      ReactionKind,
      ReturnType<typeof update>
    >;
  };

  return {
    // Topics
    topic: prepare((id: string) => topics.selectAll().where('id', '=', id)),
    topicVersion: prepare((id: string) => topics.select('version').where('id', '=', id)),
    topicSource: prepare((id: string) => topics.select('source').where('id', '=', id)),
    replyCount: prepare((id: string) => topics.select('reply_count').where('id', '=', id)),
    countTopics: prepare(() => topics.select((eb) => eb.fn.countAll<number | string>().as('n'))),
    summaries: prepare((ids: readonly string[]) =>
      db
        .selectFrom('topics')
        .leftJoin('replies', 'replies.id', 'topics.latest_reply_id')
        .select([
          'topics.id',
          'topics.title',
          'topics.url',
          'topics.reply_count',
          ...COUNT_COLUMNS.map((c) => `topics.${c}` as const),
        ])
        .select([
          'replies.id as latest_id',
          'replies.author_name as latest_author',
          'replies.created_at as latest_created_at',
          'replies.text as latest_text',
        ])
        .where(dialect.anyOf('topics.id', ids)),
    ),
    /** Inserts or updates in one statement, so two admins upserting the same new topic cannot both insert it. */
    upsertTopic: prepareNamed((topic: TopicValues) =>
      db
        .insertInto('topics')
        .values((eb) => ({
          id: topic.id,
          title: topic.title,
          url: topic.url,
          category: topic.category,
          label: topic.label,
          summary: topic.summary,
          author: topic.author,
          created_at: eb.fn.coalesce(eb.val(topic.created_at), eb.val(topic.now)),
          body: topic.body,
          text: topic.text,
          source: topic.source,
          sources: topic.sources,
          locked: topic.locked,
          updated_at: topic.now,
        }))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            url: eb.ref('excluded.url'),
            category: eb.ref('excluded.category'),
            label: eb.ref('excluded.label'),
            summary: eb.ref('excluded.summary'),
            author: eb.ref('excluded.author'),
            created_at: eb.fn.coalesce(eb.val(topic.created_at), eb.ref('topics.created_at')),
            body: eb.ref('excluded.body'),
            text: eb.ref('excluded.text'),
            source: eb.ref('excluded.source'),
            sources: eb.ref('excluded.sources'),
            locked: eb.ref('excluded.locked'),
            updated_at: eb.ref('excluded.updated_at'),
            version: eb('topics.version', '+', 1),
          })),
        )
        .returningAll(),
    ),
    /** A page topic made by its first reply; a concurrent first reply finds the row. */
    insertPageTopic: prepare((id: string, title: string, url: string, now: Instant) =>
      db
        .insertInto('topics')
        .values({
          id,
          title,
          url,
          created_at: now,
          body: '[]',
          text: '',
          source: '',
          sources: '[]',
          updated_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing()),
    ),
    setTopicLocked: prepare((id: string, locked: boolean, now: Instant) =>
      db
        .updateTable('topics')
        .set((eb) => ({ locked, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returningAll(),
    ),
    /**
     * The topic's row lock serializes the writers of its counters; every write that touches a
     * reply takes its topic's lock first, so locks are always taken topic, then reply.
     */
    lockTopic: prepare((id: string) => topics.select('locked').where('id', '=', id).forUpdate()),
    bumpVersion: prepare((id: string) =>
      db
        .updateTable('topics')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', id),
    ),
    countNewReply: prepare((id: string, replyId: string) =>
      db
        .updateTable('topics')
        .set((eb) => ({
          reply_count: eb('reply_count', '+', 1),
          latest_reply_id: replyId,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .returning('reply_count'),
    ),
    /** After a reply joined or left the published ones: the count and the latest reply follow. */
    recount: prepare((id: string, delta: number) =>
      db
        .updateTable('topics')
        .set((eb) => ({
          reply_count: eb('reply_count', '+', delta),
          latest_reply_id: latestPublishedReplyId(db, id),
        }))
        .where('id', '=', id)
        .returning('reply_count'),
    ),
    addToTopicCount: countUpdates('topics'),

    // Replies
    reply: prepare((id: string) => replies.selectAll().where('id', '=', id)),
    replyTopic: prepare((id: string) => replies.select('topic_id').where('id', '=', id)),
    replyVersion: prepare((id: string) =>
      db
        .selectFrom('replies')
        .innerJoin('topics', 'topics.id', 'replies.topic_id')
        .select(['topics.version', 'replies.status'])
        .where('replies.id', '=', id),
    ),
    lockReply: prepare((id: string) =>
      replies.select(['topic_id', 'status']).where('id', '=', id).forUpdate(),
    ),
    parent: prepare((id: string) =>
      replies.select(['topic_id', 'root_id', 'depth', 'status']).where('id', '=', id).forShare(),
    ),
    credentials: prepare((id: string) =>
      replies.select(['topic_id', 'created_at', 'status', 'edit_token_hash']).where('id', '=', id),
    ),
    insertReply: prepareNamed(
      (reply: Omit<Selectable<RepliesTable>, CountColumn | 'edited_at' | 'report_count'>) =>
        db
          .insertInto('replies')
          .values({
            ...replyPlacement(reply),
            body: reply.body,
            text: reply.text,
            source: reply.source,
            status: reply.status,
            edit_token_hash: reply.edit_token_hash,
            reader_hash: reply.reader_hash,
            author_sub: reply.author_sub,
            client_prefix: reply.client_prefix,
          })
          .returningAll(),
    ),
    editReply: prepare((id: string, body: Json, text: string, source: string, editedAt: Instant) =>
      db.updateTable('replies').set({ body, text, source, edited_at: editedAt }).where('id', '=', id),
    ),
    setReplyStatus: prepare((id: string, status: ReplyStatus) =>
      db.updateTable('replies').set({ status }).where('id', '=', id),
    ),
    /** Gone for good: nothing of the author or the text stays, only the reply's place. */
    blankReply: prepare((id: string) =>
      db
        .updateTable('replies')
        .set({
          body: '[]',
          text: '',
          source: '',
          author_name: '',
          author_sub: null,
          edit_token_hash: null,
          reader_hash: null,
        })
        .where('id', '=', id),
    ),
    // Whole rows in id order, a page at a time (keyset), for an export.
    topicsAfter: prepare((after: string, limit: number) =>
      topics.selectAll().where('id', '>', after).orderBy('id').limit(limit),
    ),
    repliesAfter: prepare((after: string, limit: number) =>
      replies.selectAll().where('id', '>', after).orderBy('id').limit(limit),
    ),
    // Every body, a batch at a time in id order (keyset), for a re-rendering.
    replyBodies: prepare((after: string, limit: number) =>
      replies.select(['id', 'body', 'text', 'source']).where('id', '>', after).orderBy('id').limit(limit),
    ),
    topicBodies: prepare((after: string, limit: number) =>
      topics.select(['id', 'body', 'text', 'source']).where('id', '>', after).orderBy('id').limit(limit),
    ),
    /** A body rendered again from its source: not an edit, so no edit time. */
    rerenderReply: prepare((id: string, body: Json, text: string) =>
      db.updateTable('replies').set({ body, text }).where('id', '=', id),
    ),
    rerenderTopic: prepare((id: string, body: Json, text: string) =>
      db
        .updateTable('topics')
        .set((eb) => ({ body, text, version: eb('version', '+', 1) }))
        .where('id', '=', id),
    ),
    /** A cursor names a top-level reply of its topic, at its exact time. */
    cursorReply: prepare((topicId: string, createdAt: Instant, id: string) =>
      replies
        .select('id')
        .where('id', '=', id)
        .where('topic_id', '=', topicId)
        .where('parent_id', 'is', null)
        .where('created_at', '=', createdAt),
    ),
    // Pending replies are listed only to their author (`reader`); the rest are for everyone.
    firstRoots: prepare((topicId: string, reader: Buffer | null, limit: number) =>
      replies
        .select(['id', 'created_at'])
        .where('topic_id', '=', topicId)
        .where('parent_id', 'is', null)
        .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit),
    ),
    rootsAfter: prepare(
      (topicId: string, createdAt: Instant, id: string, reader: Buffer | null, limit: number) =>
        replies
          .select(['id', 'created_at'])
          .where('topic_id', '=', topicId)
          .where('parent_id', 'is', null)
          .where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(createdAt, id)))
          .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit),
    ),
    // The same pages of top-level replies newest first: the same index, read backwards.
    newestFirstRoots: prepare((topicId: string, reader: Buffer | null, limit: number) =>
      replies
        .select(['id', 'created_at'])
        .where('topic_id', '=', topicId)
        .where('parent_id', 'is', null)
        .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit),
    ),
    newestRootsAfter: prepare(
      (topicId: string, createdAt: Instant, id: string, reader: Buffer | null, limit: number) =>
        replies
          .select(['id', 'created_at'])
          .where('topic_id', '=', topicId)
          .where('parent_id', 'is', null)
          .where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, id)))
          .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit),
    ),
    // And most reacted first, ties oldest first: a range of replies_top_reacted.
    topFirstRoots: prepare((topicId: string, reader: Buffer | null, limit: number) =>
      replies
        .select(['id', 'created_at', REACTED_RANK.as('rank')])
        .where('topic_id', '=', topicId)
        .where('parent_id', 'is', null)
        .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
        .orderBy(REACTED_RANK)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit),
    ),
    // Past a cursor, in two ranges (a row value over the rank and the creation columns is no
    // range to SQLite, which would walk the topic's roots from the first): the roots tied with
    // the cursor's after it, then those ranked lower.
    topTiedAfter: prepare(
      (topicId: string, rank: number, createdAt: Instant, id: string, reader: Buffer | null, limit: number) =>
        replies
          .select(['id', 'created_at', REACTED_RANK.as('rank')])
          .where('topic_id', '=', topicId)
          .where('parent_id', 'is', null)
          .where(sql<SqlBool>`${REACTED_RANK} = ${rank}`)
          .where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(createdAt, id)))
          .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit),
    ),
    topRanksAfter: prepare((topicId: string, rank: number, reader: Buffer | null, limit: number) =>
      replies
        .select(['id', 'created_at', REACTED_RANK.as('rank')])
        .where('topic_id', '=', topicId)
        .where('parent_id', 'is', null)
        .where(sql<SqlBool>`${REACTED_RANK} > ${rank}`)
        .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
        .orderBy(REACTED_RANK)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit),
    ),
    /** The first `limit` replies of one thread (its root first), in creation order. */
    threadStart: prepare((rootId: string, reader: Buffer | null, limit: number) =>
      replies
        .selectAll()
        .where('root_id', '=', rootId)
        .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit),
    ),
    /** The next `limit` replies of one thread after (createdAt, id), in creation order. */
    threadAfter: prepare(
      (rootId: string, createdAt: Instant, id: string, reader: Buffer | null, limit: number) =>
        replies
          .selectAll()
          .where('root_id', '=', rootId)
          .where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(createdAt, id)))
          .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
          .orderBy('created_at')
          .orderBy('id')
          .limit(limit),
    ),
    /** How many replies of one thread come after (createdAt, id), counted up to `cap`. */
    threadRest: prepare(
      (rootId: string, createdAt: Instant, id: string, reader: Buffer | null, cap: number) =>
        db
          .selectFrom(
            replies
              .select('id')
              .where('root_id', '=', rootId)
              .where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(createdAt, id)))
              .where((eb) => eb.or([eb('status', '<>', pending), eb('reader_hash', '=', reader)]))
              .limit(cap)
              .as('rest'),
          )
          .select((eb) => eb.fn.countAll().as('n')),
    ),
    /** A thread cursor names a reply of that thread in this topic, at its exact time. */
    threadCursorReply: prepare((topicId: string, rootId: string, createdAt: Instant, id: string) =>
      replies
        .select('id')
        .where('id', '=', id)
        .where('topic_id', '=', topicId)
        .where('root_id', '=', rootId)
        .where('created_at', '=', createdAt),
    ),
    pendingReplies: prepare((limit: number) =>
      replies.selectAll().where('status', '=', pending).orderBy('created_at').orderBy('id').limit(limit),
    ),
    publishedBySub: prepare((sub: string) =>
      replies.select('id').where('author_sub', '=', sub).where('status', '=', published).limit(1),
    ),
    publishedByReader: prepare((readerHash: Buffer) =>
      replies.select('id').where('reader_hash', '=', readerHash).where('status', '=', published).limit(1),
    ),
    addToReplyCount: countUpdates('replies'),

    // Reactions, names and bans
    removeReaction: prepare((type: 'topic' | 'reply', id: string, kind: ReactionKind, readerHash: Buffer) =>
      db
        .deleteFrom('reactions')
        .where('target_type', '=', type)
        .where('target_id', '=', id)
        .where('kind', '=', kind)
        .where('reader_hash', '=', readerHash),
    ),
    addReaction: prepare(
      (type: 'topic' | 'reply', id: string, kind: ReactionKind, readerHash: Buffer, now: Instant) =>
        db
          .insertInto('reactions')
          .values({ target_type: type, target_id: id, kind, reader_hash: readerHash, created_at: now }),
    ),
    verifiedName: prepare((nameKey: string) =>
      db.selectFrom('verified_names').select('sub').where('name_key', '=', nameKey),
    ),
    claimName: prepare((nameKey: string, sub: string, now: Instant) =>
      db
        .insertInto('verified_names')
        .values({ name_key: nameKey, sub, created_at: now })
        .onConflict((oc) => oc.column('name_key').doNothing()),
    ),
    /** A ban, or a ban set again: its expiry, author and reason are the new ones. */
    addBan: prepareNamed(
      (b: {
        kind: 'reader' | 'address';
        value: string;
        now: Instant;
        expires_at: Instant | null;
        created_by: string | null;
        reason: string | null;
      }) =>
        db
          .insertInto('bans')
          .values({
            kind: b.kind,
            value: b.value,
            created_at: b.now,
            expires_at: b.expires_at,
            created_by: b.created_by,
            reason: b.reason,
          })
          .onConflict((oc) =>
            oc.columns(['kind', 'value']).doUpdateSet((eb) => ({
              created_at: eb.ref('excluded.created_at'),
              expires_at: eb.ref('excluded.expires_at'),
              created_by: eb.ref('excluded.created_by'),
              reason: eb.ref('excluded.reason'),
            })),
          ),
    ),
    /** A ban in force at `now` (one whose expiry has passed is as good as lifted). */
    ban: prepare((kind: 'reader' | 'address', value: string, now: Instant) =>
      db
        .selectFrom('bans')
        .select('kind')
        .where('kind', '=', kind)
        .where('value', '=', value)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])),
    ),
    liftBan: prepare((kind: 'reader' | 'address', value: string) =>
      db.deleteFrom('bans').where('kind', '=', kind).where('value', '=', value).returning('kind'),
    ),
    /** The bans in force, newest first. */
    bans: prepare((now: Instant, limit: number) =>
      db
        .selectFrom('bans')
        .selectAll()
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .orderBy('created_at', 'desc')
        .orderBy('value')
        .limit(limit),
    ),
    pruneBans: prepare((now: Instant) => db.deleteFrom('bans').where('expires_at', '<=', now)),

    // Moderation: reports, the log, moderators and their sessions.
    addReport: prepare((replyId: string, reporter: string, reason: string | null, now: Instant) =>
      db
        .insertInto('reports')
        .values({ reply_id: replyId, reporter, reason, created_at: now })
        .onConflict((oc) => oc.columns(['reply_id', 'reporter']).doNothing()),
    ),
    countReport: prepare((replyId: string) =>
      db
        .updateTable('replies')
        .set((eb) => ({ report_count: eb('report_count', '+', 1) }))
        .where('id', '=', replyId),
    ),
    /** A moderator dealt with the reports: the reply leaves the reported queue. */
    dismissReports: prepare((replyId: string) =>
      db.updateTable('replies').set({ report_count: 0 }).where('id', '=', replyId),
    ),
    deleteReports: prepare((replyId: string) => db.deleteFrom('reports').where('reply_id', '=', replyId)),
    addLogEntry: prepareNamed((e: Omit<ModerationLogTable, 'id'>) =>
      db.insertInto('moderation_log').values({
        at: e.at,
        moderator: e.moderator,
        action: e.action,
        reply_id: e.reply_id,
        topic_id: e.topic_id,
        target: e.target,
        detail: e.detail,
      }),
    ),
    logPage: prepare((before: string, limit: number) =>
      db
        .selectFrom('moderation_log')
        .select((eb) => [
          eb.cast<string>('id', 'text').as('entry_id'),
          'at',
          'moderator',
          'action',
          'reply_id',
          'topic_id',
          'target',
          'detail',
        ])
        .where('id', '<', before)
        .orderBy('id', 'desc')
        .limit(limit),
    ),
    logOfReply: prepare((replyId: string, before: string, limit: number) =>
      db
        .selectFrom('moderation_log')
        .select((eb) => [
          eb.cast<string>('id', 'text').as('entry_id'),
          'at',
          'moderator',
          'action',
          'reply_id',
          'topic_id',
          'target',
          'detail',
        ])
        .where('reply_id', '=', replyId)
        .where('id', '<', before)
        .orderBy('id', 'desc')
        .limit(limit),
    ),
    addModerator: prepare((name: string, tokenHash: Buffer, createdBy: string, now: Instant) =>
      db
        .insertInto('moderators')
        .values({ name, token_hash: tokenHash, created_at: now, created_by: createdBy })
        .onConflict((oc) => oc.column('name').doNothing())
        .returningAll(),
    ),
    moderators: prepare((limit: number) =>
      db.selectFrom('moderators').select(['name', 'created_at', 'created_by']).orderBy('name').limit(limit),
    ),
    moderatorByToken: prepare((tokenHash: Buffer) =>
      db.selectFrom('moderators').select('name').where('token_hash', '=', tokenHash),
    ),
    removeModerator: prepare((name: string) =>
      db.deleteFrom('moderators').where('name', '=', name).returning('name'),
    ),
    endSessionsOf: prepare((moderator: string) =>
      db.deleteFrom('moderator_sessions').where('moderator', '=', moderator),
    ),
    addSession: prepareNamed((s: ModeratorSessionsTable) =>
      db.insertInto('moderator_sessions').values({
        id_hash: s.id_hash,
        moderator: s.moderator,
        role: s.role,
        csrf_token: s.csrf_token,
        started_at: s.started_at,
        issued_at: s.issued_at,
        expires_at: s.expires_at,
      }),
    ),
    session: prepare((idHash: Buffer, now: Instant) =>
      db
        .selectFrom('moderator_sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', now)
        .forUpdate(),
    ),
    setSessionExpiry: prepare((idHash: Buffer, expiresAt: Instant) =>
      db.updateTable('moderator_sessions').set({ expires_at: expiresAt }).where('id_hash', '=', idHash),
    ),
    endSession: prepare((idHash: Buffer) =>
      db.deleteFrom('moderator_sessions').where('id_hash', '=', idHash),
    ),
    pruneSessions: prepare((now: Instant) =>
      db.deleteFrom('moderator_sessions').where('expires_at', '<=', now),
    ),
    /** Changes whenever a queue may have: a reply posted, reported or moderated. */
    moderationVersion: prepare(() =>
      db.selectFrom('replies').select((eb) => [
        eb.cast<string | null>(eb.fn.max('replies.id'), 'text').as('newest_reply'),
        eb
          .selectFrom('moderation_log')
          .select((inner) => inner.cast<string | null>(inner.fn.max('id'), 'text').as('n'))
          .as('newest_action'),
        eb
          .selectFrom('reports')
          .select((inner) => inner.cast<string | null>(inner.fn.max('created_at'), 'text').as('r'))
          .as('newest_report'),
      ]),
    ),

    // Events
    addEvent: prepare((topicId: string, type: EventType, data: Json, replyId: string | null, now: Instant) =>
      db.insertInto('events').values({ topic_id: topicId, type, data, reply_id: replyId, created_at: now }),
    ),
    /** Two events of one write, in this order (VALUES rows are inserted, and numbered, in order). */
    addEvents: prepare(
      (
        topicId: string,
        type: EventType,
        data: Json,
        replyId: string | null,
        then: EventType,
        thenData: Json,
        thenReplyId: string | null,
        now: Instant,
      ) =>
        db.insertInto('events').values([
          { topic_id: topicId, type, data, reply_id: replyId, created_at: now },
          { topic_id: topicId, type: then, data: thenData, reply_id: thenReplyId, created_at: now },
        ]),
    ),
    /**
     * Every event of a reply says what readers may read of it now: its earlier versions (the
     * text before an edit, the body and name before hiding or deletion) leave the log.
     */
    redactReplyEvents: prepare((replyId: string, data: Json) =>
      db.updateTable('events').set({ data }).where('reply_id', '=', replyId),
    ),
    events: prepare((topicId: string, afterId: string, limit: number) =>
      db
        .selectFrom('events')
        // Aliased apart from the integer column, which ORDER BY sorts by.
        .select((eb) => [eb.cast<string>('id', 'text').as('event_id'), 'type', 'data'])
        .where('topic_id', '=', topicId)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit),
    ),
    lastEventId: prepare((topicId: string) =>
      db
        .selectFrom('events')
        .select((eb) => eb.cast<string | null>(eb.fn.max('id'), 'text').as('id'))
        .where('topic_id', '=', topicId),
    ),
    eventsPrunedThrough: prepare((topicId: string) =>
      topics
        .select((eb) => eb.cast<string>('events_pruned_through', 'text').as('id'))
        .where('id', '=', topicId),
    ),
    /**
     * Before pruning: each topic remembers the newest of its events about to go, so that a
     * client resuming from before it is told its replay would be incomplete.
     */
    raisePrunedThrough: prepare((before: Instant) =>
      db
        .updateTable('topics')
        .set((eb) => ({
          events_pruned_through: eb
            .selectFrom('events')
            .select((e) => e.fn.max('events.id').as('newest'))
            .whereRef('events.topic_id', '=', 'topics.id')
            .where('events.created_at', '<', before)
            .where(
              'events.id',
              '<',
              eb
                .selectFrom('events as kept')
                .select((k) => k.fn.max('kept.id').as('kept'))
                .whereRef('kept.topic_id', '=', 'topics.id'),
            ),
        }))
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('events')
              .select('events.id')
              .whereRef('events.topic_id', '=', 'topics.id')
              .where('events.created_at', '<', before)
              .where(
                'events.id',
                '<',
                eb
                  .selectFrom('events as kept')
                  .select((k) => k.fn.max('kept.id').as('kept'))
                  .whereRef('kept.topic_id', '=', 'topics.id'),
              ),
          ),
        ),
    ),
    /**
     * Each topic keeps its newest event, so lastEventId() (and with it the topic read that
     * carries it, under an unchanged ETag) never changes by pruning.
     */
    pruneEvents: prepare((before: Instant) =>
      db
        .deleteFrom('events')
        .where('created_at', '<', before)
        .where(
          'id',
          'not in',
          db
            .selectFrom('events')
            .select((eb) => eb.fn.max('id').as('newest'))
            .groupBy('topic_id'),
        ),
    ),

    // Rate limits shared by the servers of one database: fixed windows, counted in one statement.
    /** Counts one hit of `key` in limit `name`, starting a new window when the current one is over. */
    hitRateWindow: prepare((name: string, key: string, now: number, windowStartedBefore: number) =>
      db
        .insertInto('rate_windows')
        .values({ name, key, window_start: now, count: 1 })
        .onConflict((oc) =>
          oc.columns(['name', 'key']).doUpdateSet({
            window_start: sql<number>`CASE WHEN rate_windows.window_start <= ${windowStartedBefore} THEN excluded.window_start ELSE rate_windows.window_start END`,
            count: sql<number>`CASE WHEN rate_windows.window_start <= ${windowStartedBefore} THEN 1 ELSE rate_windows.count + 1 END`,
          }),
        )
        .returning((eb) => [eb.cast<string>('window_start', 'text').as('start'), 'count']),
    ),
    peekRateWindow: prepare((name: string, key: string) =>
      db
        .selectFrom('rate_windows')
        .select((eb) => [eb.cast<string>('window_start', 'text').as('start'), 'count'])
        .where('name', '=', name)
        .where('key', '=', key),
    ),
    pruneRateWindows: prepare((before: number) =>
      db.deleteFrom('rate_windows').where('window_start', '<', before),
    ),

    // Notifications: the outbox, webhook subscriptions, deliveries and their attempts, email
    // addresses and links (see notifications.ts).
    enqueue: prepare((type: NotificationEvent, replyId: string, topicId: string, now: Instant) =>
      db.insertInto('outbox').values({ type, reply_id: replyId, topic_id: topicId, created_at: now }),
    ),
    /** The oldest entry no other dispatcher holds; held until the transaction ends. */
    nextOutbox: prepare(() =>
      db
        .selectFrom('outbox')
        .select((eb) => [
          eb.cast<string>('id', 'text').as('outbox_id'),
          'type',
          'reply_id',
          'topic_id',
          'created_at',
        ])
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    ),
    deleteOutbox: prepare((id: string) => db.deleteFrom('outbox').where('id', '=', id)),
    pruneOutbox: prepare((before: Instant) => db.deleteFrom('outbox').where('created_at', '<', before)),
    activeWebhooks: prepare(() =>
      db
        .selectFrom('webhooks')
        .select(['id', 'events'])
        .where('deleted_at', 'is', null)
        .where('disabled_at', 'is', null)
        .orderBy('created_at'),
    ),
    listWebhooks: prepare(() =>
      db
        .selectFrom('webhooks')
        .selectAll()
        .where('deleted_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id'),
    ),
    countWebhooks: prepare(() =>
      db
        .selectFrom('webhooks')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('deleted_at', 'is', null),
    ),
    webhook: prepare((id: string) => db.selectFrom('webhooks').selectAll().where('id', '=', id)),
    insertWebhook: prepareNamed((hook: Omit<Selectable<WebhooksTable>, 'disabled_at' | 'deleted_at'>) =>
      db
        .insertInto('webhooks')
        .values({
          id: hook.id,
          url: hook.url,
          events: hook.events,
          secret: hook.secret,
          description: hook.description,
          created_at: hook.created_at,
        })
        .returningAll(),
    ),
    deleteWebhook: prepare((id: string, now: Instant) =>
      db
        .updateTable('webhooks')
        .set({ deleted_at: now })
        .where('id', '=', id)
        .where('deleted_at', 'is', null),
    ),
    disableWebhook: prepare((id: string, now: Instant) =>
      db
        .updateTable('webhooks')
        .set({ disabled_at: now })
        .where('id', '=', id)
        .where('disabled_at', 'is', null),
    ),
    insertAuthorEmail: prepare((replyId: string, email: string) =>
      db.insertInto('author_emails').values({ reply_id: replyId, email }),
    ),
    deleteAuthorEmail: prepare((replyId: string) =>
      db.deleteFrom('author_emails').where('reply_id', '=', replyId),
    ),
    authorEmail: prepare((replyId: string) =>
      db.selectFrom('author_emails').select('email').where('reply_id', '=', replyId),
    ),
    /** The address the author of the reply's parent gave, if any. */
    parentAuthorEmail: prepare((replyId: string) =>
      db
        .selectFrom('replies')
        .innerJoin('author_emails', 'author_emails.reply_id', 'replies.parent_id')
        .select('author_emails.email')
        .where('replies.id', '=', replyId),
    ),
    optedOut: prepare((hash: Buffer) =>
      db.selectFrom('email_opt_outs').select('created_at').where('email_hash', '=', hash),
    ),
    optOut: prepare((hash: Buffer, now: Instant) =>
      db
        .insertInto('email_opt_outs')
        .values({ email_hash: hash, created_at: now })
        .onConflict((oc) => oc.column('email_hash').doNothing()),
    ),
    emailsToSince: prepare((recipient: string, since: Instant) =>
      db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('recipient', '=', recipient)
        .where('created_at', '>=', since),
    ),
    countPendingDeliveries: prepare(() =>
      db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('status', '=', sql.lit<DeliveryStatus>('pending')),
    ),
    insertDelivery: prepareNamed(
      (d: Omit<Selectable<DeliveriesTable>, 'id' | 'attempts' | 'lease_until' | 'lease_token'>) =>
        db.insertInto('deliveries').values({
          message_id: d.message_id,
          channel: d.channel,
          event: d.event,
          reply_id: d.reply_id,
          topic_id: d.topic_id,
          event_at: d.event_at,
          webhook_id: d.webhook_id,
          recipient_kind: d.recipient_kind,
          recipient: d.recipient,
          status: d.status,
          next_attempt_at: d.next_attempt_at,
          last_error: d.last_error,
          created_at: d.created_at,
          updated_at: d.updated_at,
        }),
    ),
    /** The delivery due first that no dispatcher holds (or whose holder's lease ran out). */
    nextDue: prepare((now: Instant) =>
      db
        .selectFrom('deliveries')
        .select((eb) => eb.cast<string>('id', 'text').as('delivery_id'))
        .where('status', '=', sql.lit<DeliveryStatus>('pending'))
        .where('next_attempt_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('next_attempt_at')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    ),
    leaseDelivery: prepare((id: string, until: Instant, token: string) =>
      db
        .updateTable('deliveries')
        .set({ lease_until: until, lease_token: token })
        .where('id', '=', id)
        .returning((eb) => [
          eb.cast<string>('id', 'text').as('delivery_id'),
          'message_id',
          'channel',
          'event',
          'reply_id',
          'topic_id',
          'event_at',
          'webhook_id',
          'recipient_kind',
          'recipient',
          'attempts',
          'lease_token',
        ]),
    ),
    /** The delivery as its lease holder left it, locked until the attempt is recorded. */
    heldDelivery: prepare((id: string) =>
      db
        .selectFrom('deliveries')
        .select(['status', 'attempts', 'lease_token', 'webhook_id'])
        .where('id', '=', id)
        .forUpdate(),
    ),
    addAttempt: prepareNamed(
      (a: Omit<Selectable<DeliveryAttemptsTable>, 'delivery_id'> & { delivery_id: string }) =>
        db.insertInto('delivery_attempts').values({
          delivery_id: a.delivery_id,
          attempt: a.attempt,
          at: a.at,
          status: a.status,
          error: a.error,
        }),
    ),
    finishDelivery: prepareNamed(
      (d: {
        id: string;
        status: DeliveryStatus;
        attempts: number;
        next_attempt_at: Instant | null;
        last_error: string | null;
        now: Instant;
      }) =>
        db
          .updateTable('deliveries')
          .set({
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_error: d.last_error,
            lease_until: null,
            lease_token: null,
            updated_at: d.now,
          })
          .where('id', '=', d.id),
    ),
    /** A page of the delivery log, newest first; `webhook` and `status` null for any. */
    deliveries: prepare(
      (before: string, webhook: string | null, status: DeliveryStatus | null, limit: number) =>
        db
          .selectFrom('deliveries')
          .select((eb) => [
            eb.cast<string>('id', 'text').as('delivery_id'),
            'channel',
            'event',
            'reply_id',
            'webhook_id',
            'recipient_kind',
            'recipient',
            'status',
            'attempts',
            'next_attempt_at',
            'last_error',
            'created_at',
          ])
          .where('id', '<', before)
          .where((eb) =>
            eb.or([eb(eb.cast(eb.val(webhook), 'text'), 'is', null), eb('webhook_id', '=', webhook)]),
          )
          .where((eb) => eb.or([eb(eb.cast(eb.val(status), 'text'), 'is', null), eb('status', '=', status)]))
          .orderBy('id', 'desc')
          .limit(limit),
    ),
    /** The attempts of a page of the log (between its oldest and newest id, same filters), oldest first. */
    attemptsOfPage: prepare(
      (oldest: string, newest: string, webhook: string | null, status: DeliveryStatus | null) =>
        db
          .selectFrom('delivery_attempts')
          .innerJoin('deliveries', 'deliveries.id', 'delivery_attempts.delivery_id')
          .select((eb) => [
            eb.cast<string>('delivery_attempts.delivery_id', 'text').as('delivery_id'),
            'delivery_attempts.attempt',
            'delivery_attempts.at',
            'delivery_attempts.status',
            'delivery_attempts.error',
          ])
          .where('deliveries.id', '>=', oldest)
          .where('deliveries.id', '<=', newest)
          .where((eb) =>
            eb.or([
              eb(eb.cast(eb.val(webhook), 'text'), 'is', null),
              eb('deliveries.webhook_id', '=', webhook),
            ]),
          )
          .where((eb) =>
            eb.or([eb(eb.cast(eb.val(status), 'text'), 'is', null), eb('deliveries.status', '=', status)]),
          )
          .orderBy('delivery_attempts.delivery_id')
          .orderBy('delivery_attempts.attempt'),
    ),
    pruneDeliveries: prepare((before: Instant) =>
      db
        .deleteFrom('deliveries')
        .where('created_at', '<', before)
        .where('status', '<>', sql.lit<DeliveryStatus>('pending')),
    ),
    notificationKey: prepare((name: string) =>
      db.selectFrom('notification_keys').select('key').where('name', '=', name),
    ),
    addNotificationKey: prepare((name: string, key: Buffer, now: Instant) =>
      db
        .insertInto('notification_keys')
        .values({ name, key, created_at: now })
        .onConflict((oc) => oc.column('name').doNothing()),
    ),
    spendLink: prepare((nonce: string, expiresAt: Instant) =>
      db
        .insertInto('spent_links')
        .values({ nonce, expires_at: expiresAt })
        .onConflict((oc) => oc.column('nonce').doNothing()),
    ),
    pruneSpentLinks: prepare((now: Instant) => db.deleteFrom('spent_links').where('expires_at', '<', now)),

    // Feeds: published replies only, newest first.
    topicFeed: prepare((topicId: string, limit: number) =>
      replies
        .selectAll()
        .where('topic_id', '=', topicId)
        .where('status', '=', published)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit),
    ),
    siteFeed: prepare((limit: number) =>
      db
        .selectFrom('replies')
        .innerJoin('topics', 'topics.id', 'replies.topic_id')
        .selectAll('replies')
        .select(['topics.title as topic_title', 'topics.url as topic_url'])
        .where('replies.status', '=', published)
        .orderBy('replies.created_at', 'desc')
        .orderBy('replies.id', 'desc')
        .limit(limit),
    ),
    /** What the site's feed is tagged by: the newest event of any topic and the newest topic change. */
    siteVersion: prepare(() =>
      db.selectFrom('events').select((eb) => [
        eb.cast<string | null>(eb.fn.max('id'), 'text').as('event_id'),
        eb
          .selectFrom('topics')
          .select((inner) => inner.fn.max('updated_at').as('u'))
          .as('topic_updated_at'),
      ]),
    ),

    /**
     * A page of a moderation queue: built for the filters given, so that each filter's index
     * can serve it (the admin's reads are few; compiling per call costs microseconds). Pending
     * replies oldest first (the longest waiting first), the others newest first.
     */
    moderationQueue: (
      filter: QueueFilter,
      cursor: { createdAt: Instant; id: string } | null,
      limit: number,
    ) => {
      const oldestFirst = filter.queue === 'pending';
      let query = db
        .selectFrom('replies')
        .innerJoin('topics', 'topics.id', 'replies.topic_id')
        .selectAll('replies')
        .select(['topics.title as topic_title', 'topics.locked as topic_locked']);
      if (filter.queue === 'pending') query = query.where('replies.status', '=', pending);
      if (filter.queue === 'reported')
        query = query.where('replies.report_count', '>', sql.lit(0)).where('replies.status', '=', published);
      if (filter.status !== undefined) query = query.where('replies.status', '=', filter.status);
      if (filter.topicId !== undefined) query = query.where('replies.topic_id', '=', filter.topicId);
      if (filter.author !== undefined)
        query = query.where(sql`lower(${sql.ref('replies.author_name')})`, '=', filter.author.toLowerCase());
      if (filter.readerHash !== undefined) query = query.where('replies.reader_hash', '=', filter.readerHash);
      if (filter.network !== undefined) query = query.where('replies.client_prefix', '=', filter.network);
      if (filter.search !== undefined) query = query.where(dialect.matchesText(filter.search));
      if (cursor)
        query = query.where((eb) =>
          eb(
            eb.refTuple('replies.created_at', 'replies.id'),
            oldestFirst ? '>' : '<',
            eb.tuple(cursor.createdAt, cursor.id),
          ),
        );
      const direction = oldestFirst ? 'asc' : 'desc';
      return query
        .orderBy('replies.created_at', direction)
        .orderBy('replies.id', direction)
        .limit(limit)
        .compile();
    },
  };
}
