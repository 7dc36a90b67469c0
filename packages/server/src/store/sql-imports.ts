import type { Kysely, Selectable } from 'kysely';
import { REACTION_KINDS, type Reactions } from '@colloquy/api';
import { importedReplyId } from '../ids.js';
import type {
  ImportBatchResult,
  ImportedReply,
  ImportedTopic,
  ImportOutcome,
  ImportStore,
} from './imports.js';
import { prepare, prepareNamed, prepareRows } from './prepared.js';
import { countColumn, latestPublishedReplyId, type QueryDialect, replyPlacement } from './queries.js';
import type { CountColumn, RepliesTable, Schema, TopicsTable } from './schema.js';
import { topicContent } from './rows.js';
import type { SqlConnection } from './sql-store.js';

/** The counter columns of a row's values, each read by its name (the values may be a stand-in). */
const counters = (row: Record<CountColumn, number>) =>
  Object.fromEntries(REACTION_KINDS.map((kind) => [countColumn(kind), row[countColumn(kind)]])) as Record<
    CountColumn,
    number
  >;
/** Reaction counts as counter column values. */
const countsFrom = (reactions: Reactions | undefined) =>
  Object.fromEntries(REACTION_KINDS.map((kind) => [countColumn(kind), reactions?.[kind] ?? 0])) as Record<
    CountColumn,
    number
  >;
/** No reactions, shared by the replies of every format but Colloquy's own (one object less a reply). */
const NO_COUNTS = Object.freeze(countsFrom(undefined));
/** Reaction counts as counter column values; none: all zero. */
const countsOf = (reactions: Reactions | undefined) =>
  reactions === undefined ? NO_COUNTS : countsFrom(reactions);

type ReplyRow = Pick<
  Selectable<RepliesTable>,
  | 'id'
  | 'topic_id'
  | 'parent_id'
  | 'root_id'
  | 'depth'
  | 'author_name'
  | 'created_at'
  | 'edited_at'
  | 'body'
  | 'text'
  | 'source'
  | 'status'
  | 'author_sub'
  | CountColumn
>;
const replyColumns: readonly (keyof ReplyRow)[] = [
  'id',
  'topic_id',
  'parent_id',
  'root_id',
  'depth',
  'author_name',
  'created_at',
  'edited_at',
  'body',
  'text',
  'source',
  'status',
  'author_sub',
  ...REACTION_KINDS.map(countColumn),
];

interface ReplySourceRow {
  source: string;
  source_id: string;
  reply_id: string;
}

/**
 * Rows a statement: 16 values a reply, 800 a statement, far below either database's limit on
 * parameters. At most this many statements of each kind are compiled (one per count of rows).
 */
export const ROWS_PER_STATEMENT = 50;

/** The statements of an import, compiled once for the store's dialect (see prepare()). */
function compileImportQueries(db: Kysely<Schema>, dialect: QueryDialect) {
  return {
    knownTopics: prepare((source: string, ids: readonly string[]) =>
      db
        .selectFrom('import_topics')
        .select(['source_id', 'topic_id'])
        .where('source', '=', source)
        .where(dialect.anyOf('import_topics.source_id', ids)),
    ),
    knownReplies: prepare((source: string, ids: readonly string[]) =>
      db
        .selectFrom('import_replies')
        .innerJoin('replies', 'replies.id', 'import_replies.reply_id')
        .select([
          'import_replies.source_id',
          'replies.id',
          'replies.root_id',
          'replies.depth',
          'replies.topic_id',
        ])
        .where('import_replies.source', '=', source)
        .where(dialect.anyOf('import_replies.source_id', ids)),
    ),
    /** A page topic; one already at this URL (made by a first reply, say) is kept as it is. */
    insertTopic: prepareNamed(
      (topic: { id: string; title: string; created_at: string; locked: boolean; now: string }) =>
        db
          .insertInto('topics')
          .values({
            id: topic.id,
            title: topic.title,
            url: topic.id,
            created_at: topic.created_at,
            body: '[]',
            text: '',
            source: '',
            sources: '[]',
            locked: topic.locked,
            updated_at: topic.now,
          })
          .onConflict((oc) => oc.column('id').doNothing()),
    ),
    /** A Colloquy export's topic, whole, under its own id; one already there is kept as it is. */
    insertKeptTopic: prepareNamed(
      (
        topic: Omit<
          Selectable<TopicsTable>,
          'reply_count' | 'latest_reply_id' | 'version' | 'events_pruned_through' | 'locked'
        > & { locked: boolean },
      ) =>
        db
          .insertInto('topics')
          .values({
            id: topic.id,
            title: topic.title,
            url: topic.url,
            category: topic.category,
            label: topic.label,
            summary: topic.summary,
            author: topic.author,
            created_at: topic.created_at,
            body: topic.body,
            text: topic.text,
            source: topic.source,
            sources: topic.sources,
            locked: topic.locked,
            updated_at: topic.updated_at,
            ...counters(topic),
          })
          .onConflict((oc) => oc.column('id').doNothing()),
    ),
    topicSource: prepare((source: string, sourceId: string, topicId: string) =>
      db.insertInto('import_topics').values({ source, source_id: sourceId, topic_id: topicId }),
    ),
    /** Replies, several a statement: one statement a reply cost more than SQLite's writing of it. */
    insertReplies: prepareRows(replyColumns, (rows: ReplyRow[]) =>
      db.insertInto('replies').values(
        rows.map((reply) => ({
          ...replyPlacement(reply),
          edited_at: reply.edited_at,
          body: reply.body,
          text: reply.text,
          source: reply.source,
          status: reply.status,
          author_sub: reply.author_sub,
          ...counters(reply),
        })),
      ),
    ),
    replySources: prepareRows(['source', 'source_id', 'reply_id'], (rows: ReplySourceRow[]) =>
      db
        .insertInto('import_replies')
        .values(
          rows.map((row) => ({ source: row.source, source_id: row.source_id, reply_id: row.reply_id })),
        ),
    ),
    /**
     * After a batch added replies to topics: their counts go up by the published replies the
     * batch gave each (`added`, the same for every topic of the statement), their latest
     * replies and versions follow, in one statement for all the topics with that count.
     * Counting a topic's replies again instead cost a scan of all it held after every batch,
     * which grew with the import: at 50 replies a topic it was most of the batch's statements.
     */
    recount: prepare((ids: readonly string[], added: number, now: string) =>
      db
        .updateTable('topics')
        .set((eb) => ({
          reply_count: eb('reply_count', '+', added),
          latest_reply_id: latestPublishedReplyId(db, eb.ref('topics.id')),
          version: eb('version', '+', 1),
          updated_at: now,
        }))
        .where(dialect.anyOf('topics.id', ids)),
    ),
  };
}

type ImportQueries = ReturnType<typeof compileImportQueries>;

/** Where an already written reply sits, for the replies that answer it. */
interface Placed {
  id: string;
  rootId: string;
  depth: number;
  topicId: string;
}

/** The store's ImportStore, for both dialects. */
export class SqlImports implements ImportStore {
  readonly #db: SqlConnection;
  readonly #q: ImportQueries;

  constructor(compiler: Kysely<Schema>, connection: SqlConnection, dialect: QueryDialect) {
    this.#db = connection;
    this.#q = compileImportQueries(compiler, dialect);
  }

  importBatch(
    source: string,
    batch: { topics: readonly ImportedTopic[]; replies: readonly ImportedReply[] },
  ): Promise<ImportBatchResult> {
    const q = this.#q;
    return this.#db.transaction('read write', async (trx) => {
      const now = new Date().toISOString();
      const threadIds = new Set<string>();
      for (const topic of batch.topics) threadIds.add(topic.sourceId);
      for (const reply of batch.replies) threadIds.add(reply.threadSourceId);
      const topicOf = new Map<string, string>();
      if (threadIds.size > 0) {
        const known = await trx.executeQuery(q.knownTopics(source, [...threadIds]));
        for (const row of known.rows) topicOf.set(row.source_id, row.topic_id);
      }
      const topics = { imported: 0, present: 0 };
      for (const topic of batch.topics) {
        if (topicOf.has(topic.sourceId)) {
          topics.present++;
          continue;
        }
        const { kept } = topic;
        const id = kept?.id ?? topic.url;
        await trx.executeQuery(
          kept
            ? q.insertKeptTopic({
                id,
                title: topic.title,
                ...topicContent(kept),
                created_at: topic.createdAt ?? now,
                source: kept.source,
                locked: topic.locked,
                updated_at: now,
                ...countsOf(kept.reactions),
              })
            : q.insertTopic({
                id,
                title: topic.title,
                created_at: topic.createdAt ?? now,
                locked: topic.locked,
                now,
              }),
        );
        await trx.executeQuery(q.topicSource(source, topic.sourceId, id));
        topicOf.set(topic.sourceId, id);
        topics.imported++;
      }

      const wanted = new Set<string>();
      for (const reply of batch.replies) {
        wanted.add(reply.sourceId);
        if (reply.parentSourceId !== null) wanted.add(reply.parentSourceId);
      }
      const placed = new Map<string, Placed>();
      if (wanted.size > 0) {
        const known = await trx.executeQuery(q.knownReplies(source, [...wanted]));
        for (const row of known.rows) {
          placed.set(row.source_id, {
            id: row.id,
            rootId: row.root_id,
            depth: row.depth,
            topicId: row.topic_id,
          });
        }
      }
      const outcomes: ImportOutcome[] = [];
      /** Topic → how many published replies the batch gave it (0: only replies readers don't see). */
      const touched = new Map<string, number>();
      /** Replies placed and not yet inserted: in order, so a parent is inserted with or before its replies. */
      let rows: ReplyRow[] = [];
      let sources: ReplySourceRow[] = [];
      const insert = async () => {
        if (rows.length === 0) return;
        await trx.executeQuery(q.insertReplies(rows));
        await trx.executeQuery(q.replySources(sources));
        rows = [];
        sources = [];
      };
      for (const reply of batch.replies) {
        if (placed.has(reply.sourceId)) {
          outcomes.push('present');
          continue;
        }
        const topicId = topicOf.get(reply.threadSourceId);
        if (topicId === undefined) {
          outcomes.push('no-topic');
          continue;
        }
        let parent: Placed | undefined;
        if (reply.parentSourceId !== null) {
          parent = placed.get(reply.parentSourceId);
          // A parent on another page is no parent: the reply would show under a thread it is not in.
          if (parent === undefined || parent.topicId !== topicId) {
            outcomes.push('no-parent');
            continue;
          }
        }
        const id = reply.kept?.id ?? importedReplyId(Date.parse(reply.createdAt));
        const depth = parent === undefined ? 0 : parent.depth + 1;
        const rootId = parent === undefined ? id : parent.rootId;
        rows.push({
          id,
          topic_id: topicId,
          parent_id: parent?.id ?? null,
          root_id: rootId,
          depth,
          author_name: reply.authorName,
          created_at: reply.createdAt,
          edited_at: reply.editedAt,
          body: reply.body,
          text: reply.text,
          source: reply.source,
          status: reply.status,
          author_sub: reply.kept?.authorSub ?? null,
          ...countsOf(reply.kept?.reactions),
        });
        sources.push({ source, source_id: reply.sourceId, reply_id: id });
        if (rows.length === ROWS_PER_STATEMENT) await insert();
        placed.set(reply.sourceId, { id, rootId, depth, topicId });
        touched.set(topicId, (touched.get(topicId) ?? 0) + (reply.status === 'published' ? 1 : 0));
        outcomes.push('imported');
      }
      await insert();
      const byAdded = new Map<number, string[]>();
      for (const [topicId, added] of touched) {
        const ids = byAdded.get(added);
        if (ids === undefined) byAdded.set(added, [topicId]);
        else ids.push(topicId);
      }
      for (const [added, ids] of byAdded) await trx.executeQuery(q.recount(ids, added, now));
      return { topics, replies: outcomes };
    });
  }
}
