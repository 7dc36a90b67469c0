import type {
  BanRecord,
  Category,
  ModerationAction,
  ModerationLog,
  ModerationPage,
  Doc,
  ReactionKind,
  ReactionState,
  Reply,
  ReplyPage,
  ReplySort,
  ReplyStatus,
  Topic,
  TopicSummary,
} from '@colloquy/api';

import type { ImportStore } from './imports.js';
import type { ModeratorStore } from './moderation.js';
import type { NotificationStore } from './notifications.js';
import type { QueueFilter } from './queries.js';

export type { QueueFilter } from './queries.js';

/** Who acts: every moderator's write is logged under this name, in the write's transaction. */
export interface Actor {
  moderator: string;
}

/** A topic as the admin API writes it: Markdown already rendered, sources numbered. */
export interface TopicRecord {
  id: string;
  title: string;
  url: string | null;
  category: Category | null;
  label: string | null;
  summary: string | null;
  author: { name: string; avatarUrl: string | null } | null;
  /** Omitted: now for a new topic, unchanged for an existing one. */
  createdAt?: string;
  body: Doc;
  text: string;
  /** The Markdown `body` was rendered from, as written. Omitted: written back from `body`. */
  source?: string;
  sources: Array<{ title: string; url: string }>;
  locked: boolean;
}

export interface NewReplyRecord {
  topicId: string;
  parentId: string | null;
  authorName: string;
  body: Doc;
  text: string;
  /** The Markdown `body` was rendered from, as written. Omitted: written back from `body`. */
  source?: string;
  /** Omitted: published. A pending reply is not counted and is listed only to its author. */
  status?: 'published' | 'pending';
  /** SHA-256 of the edit token handed to the author; the token itself is never stored. */
  editTokenHash?: Buffer;
  /** SHA-256 of the author's reader key, when the request carried one. */
  readerHash?: Buffer | null;
  /** The signed-in user's `sub` for a verified reply; null or omitted for an anonymous one. */
  verifiedSub?: string | null;
  /**
   * The name's comparison key (see nameKey()). An anonymous reply whose key a verified user
   * has used is refused with `name-reserved`; a verified reply claims its key.
   */
  nameKey?: string;
  /**
   * Further comparison keys of the same name (see nameKeys()): a verified reply claims them
   * with `nameKey`, an anonymous one is refused when a verified user has claimed any of them.
   */
  moreNameKeys?: string[];
  /** Deepest depth allowed; a deeper reply is refused with `too-deep`. */
  maxDepth?: number;
  /** A page topic to create when `topicId` does not exist yet (first reply on a page). */
  createTopic?: { title: string; url: string };
  /** Where to tell the author about replies to this one; kept apart and never read back. */
  authorEmail?: string | null;
  /** The /24 or /64 it came from, for moderators' filters and bans; never shown to readers. */
  clientPrefix?: string | null;
  /**
   * False: no notification (an import of old replies, say). Otherwise the reply's outbox entry
   * (reply.created, or reply.pending when held) is written in the same transaction.
   */
  notify?: boolean;
}

/**
 * Position after which the next page starts: the last top-level reply of the previous page,
 * or with `rootId`, the last reply of a thread that the previous page cut (see listReplies).
 */
export interface PageCursor {
  createdAt: string;
  id: string;
  /** A cursor inside the thread of this top-level reply: its page continues that thread. */
  rootId?: string;
  /**
   * With `rootId`: once that thread is done, the page goes on with the threads after it (a
   * page's `nextCursor` when it cut a thread); without, the page holds that thread only
   * (`moreInThread.cursor`).
   */
  resume?: boolean;
  /** The order the cursor's pages are read in: absent for `oldest`, the first cursors' order. */
  sort?: 'newest' | 'top';
  /**
   * With `sort: 'top'`: the reactions of the top-level reply the page goes on after (the
   * cursor's own, or with `rootId`, the thread's root) when the cursor was issued.
   */
  score?: number;
}

/** Who is reading: their own pending replies are included for them. */
export interface Viewer {
  readerHash?: Buffer | null;
  /** Moderators see hidden and pending replies in full. */
  admin?: boolean;
  /** The reply's author, proven by its edit token: sees it while pending, and its source. */
  author?: boolean;
  /** Include the Markdown source (`Reply.source`) where the body itself is shown. */
  source?: boolean;
}

/** What re-rendering a batch of bodies did (see Store.rerenderBodies). */
export interface RerenderBatch {
  /** Rows read in this batch. */
  read: number;
  /** Rows whose tree or text changed, and were written. */
  changed: number;
  /** The last id of the batch, where the next one starts; null when there were no more rows. */
  last: string | null;
}

/** A body's Markdown source to its tree and text (the server's renderMarkdown). */
export type Renderer = (source: string) => { body: Doc; text: string };

/** What the edit and delete routes check before acting on a reply. */
export interface ReplyCredentials {
  topicId: string;
  createdAt: string;
  status: ReplyStatus;
  editTokenHash: Buffer | null;
}

export interface Ban {
  readerHash?: Buffer | null;
  /** An address prefix as addressPrefix() writes it. */
  addressPrefix?: string | null;
  /** When the ban ends by itself (ISO instant); null or omitted: until lifted. */
  expiresAt?: string | null;
  reason?: string | null;
}

export type ReactionTarget = { type: 'topic' | 'reply'; id: string };

/** A change that live readers of a topic are told about. Ids increase across the whole database. */
export interface TopicEvent {
  /** Decimal string of a positive integer, increasing in commit order per database. */
  id: string;
  topicId: string;
  type: 'reply-created' | 'reply-changed' | 'reactions' | 'counts';
  /**
   * reply-created: the Reply as everyone reads it (published replies only; a pending reply
   *   becomes reply-created when approved);
   * reply-changed: the Reply as everyone now reads it (edited, hidden → blanked, deleted → blanked);
   * reactions: { replyId: string | null, reactions: Reactions } (null = the topic itself);
   * counts: { replyCount: number } (after any change of the topic's visible reply count).
   */
  data: unknown;
}

/** One rate limit's window for one key: when it started (ms since the epoch) and its hits. */
export interface RateWindow {
  start: number;
  count: number;
}

/** Failures a client can cause; routes turn them into problem responses. */
export class StoreError extends Error {
  constructor(
    readonly code:
      | 'topic-not-found'
      | 'reply-not-found'
      | 'invalid-parent'
      | 'topic-locked'
      | 'invalid-cursor'
      | 'name-reserved'
      | 'too-deep',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Everything the routes need from storage. One implementation serves both databases: SqlStore
 * (sql-store.ts) holds the rules, SqliteStore and PostgresStore add their connection, migrations,
 * locks and type conversion. Methods are async for PostgreSQL's sake; SQLite answers
 * synchronously inside the promises.
 */
export interface Store {
  /**
   * Whether several server processes are expected to share this store (PostgreSQL): rate-limit
   * windows and spent proof-of-work challenges are then kept in it, so that they hold across
   * all of them. False for SQLite, whose one server counts in memory.
   */
  readonly sharedByServers: boolean;
  getTopic(id: string): Promise<Topic | null>;
  /** The Markdown the topic's body was rendered from, as written; null when there is no such topic. */
  getTopicSource(id: string): Promise<string | null>;
  /** Summaries of the topics that exist, in the order of `ids`. */
  getTopicSummaries(ids: readonly string[]): Promise<TopicSummary[]>;
  /** With `by`, logged as topic.create or topic.edit. */
  upsertTopic(topic: TopicRecord, by?: Actor): Promise<{ topic: Topic; created: boolean }>;
  /**
   * Up to `limit` whole threads, oldest first, holding at most MAX_PAGE_REPLIES replies in all:
   * the thread that does not fit is cut. It continues with `moreInThread.cursor` (pages of that
   * thread's next replies, creation order) or with `nextCursor` (the same, then the threads
   * after it, so that paging on with nextCursor alone reads every reply once). Throws
   * `invalid-cursor` for a cursor not of this topic (or not of that thread). Pending replies
   * are included only for their author (`viewer.readerHash`). `sort` orders the threads (see
   * ReplySort): each order pages by a range of one index, never by sorting the topic's replies.
   */
  listReplies(
    topicId: string,
    page: {
      limit: number;
      cursor: PageCursor | null;
      /** The order of the top-level replies (default `oldest`); a cursor must be of the same. */
      sort?: ReplySort;
      /**
       * A reply's id: instead of a page of threads, the part of that reply's thread that holds
       * it (see ReplyPage, `around`); throws `reply-not-found` when the viewer cannot read it.
       */
      around?: string;
    },
    viewer?: Viewer,
  ): Promise<ReplyPage>;
  /** Null when missing, or pending and not the viewer's own. Hidden replies are blanked for non-admins. */
  getReply(id: string, viewer?: Viewer): Promise<Reply | null>;
  /** Throws `topic-not-found`, `topic-locked`, `invalid-parent`, `too-deep` or `name-reserved`. */
  createReply(reply: NewReplyRecord): Promise<Reply>;
  getReplyCredentials(id: string): Promise<ReplyCredentials | null>;
  /**
   * New body (re-rendered from `source`, kept as written; omitted: written back from `body`);
   * `status` may move a published reply back to pending. Null when missing.
   */
  editReply(
    id: string,
    edit: { body: Doc; text: string; source?: string; status?: 'published' | 'pending' },
  ): Promise<Reply | null>;
  /**
   * Renders again, with `render`, the bodies of up to `limit` replies or topics whose id comes
   * after `after` (in id order; '' for the first batch), in one transaction. Only a body whose
   * tree or text changes is written, as an edit by nobody: a reply's topic gets the version bump
   * and `reply-changed` event of a change readers can see (no edit time), a topic a version bump.
   */
  rerenderBodies(
    kind: 'reply' | 'topic',
    after: string,
    limit: number,
    render: Renderer,
  ): Promise<RerenderBatch>;
  /** Up to `limit` topics whose id comes after `after` ('' for the first page), in id order, with their sources. */
  exportTopics(after: string, limit: number): Promise<Array<Topic & { source: string }>>;
  /**
   * Up to `limit` replies whose id comes after `after`, in id order, as moderators read them
   * (hidden ones in full) with their sources, and the signed-in author's `sub` of a verified one.
   */
  exportReplies(
    after: string,
    limit: number,
  ): Promise<Array<{ reply: Reply & { source: string }; authorSub: string | null }>>;
  /**
   * Moderation and deletion. `deleted` blanks the body and the author for good but keeps the
   * reply's place so its children stay attached; counts follow. Null when missing.
   */
  setReplyStatus(id: string, status: 'published' | 'hidden' | 'deleted', by?: Actor): Promise<Reply | null>;
  /**
   * A moderator's action on a reply, logged with its name: approve (publish, and dismiss its
   * reports), hide, delete, restore (publish a hidden reply again). A deleted reply is gone for
   * good: approving or restoring it is refused with the reason. Null when the reply is missing.
   */
  moderate(
    id: string,
    action: ModerationAction,
    by: Actor,
  ): Promise<{ reply: Reply } | { refused: string } | null>;
  /**
   * A page of a moderation queue (see QueueFilter): pending oldest first, the others newest
   * first. Throws `invalid-cursor` for a cursor of no reply.
   */
  moderationQueue(
    filter: QueueFilter,
    page: { limit: number; cursor: PageCursor | null },
  ): Promise<ModerationPage>;
  /** The moderation log, newest first; `before` is the nextCursor of the previous page. */
  moderationLog(page: { limit: number; before: string | null; replyId?: string }): Promise<ModerationLog>;
  /** Replies awaiting review, oldest first, in full. */
  listPending(limit: number): Promise<Reply[]>;
  /** Whether this reader or signed-in user has a published reply anywhere. */
  hasPublishedReply(author: { readerHash?: Buffer | null; sub?: string | null }): Promise<boolean>;
  /** Sets (or sets again, with a new expiry) a ban of a reader, a network or both; logged with `by`. */
  addBan(ban: Ban, by?: Actor): Promise<void>;
  /** Whether a ban in force (not lifted, not expired) covers this reader or network. */
  isBanned(ban: Ban): Promise<boolean>;
  /** Lifts a ban; false when there was none. Logged with `by`. */
  liftBan(kind: 'reader' | 'address', value: string, by: Actor): Promise<boolean>;
  /** The bans in force, newest first, at most `limit`. */
  listBans(limit: number): Promise<BanRecord[]>;
  /** Null when the topic does not exist. With `by`, logged as topic.lock or topic.unlock. */
  setTopicLocked(id: string, locked: boolean, by?: Actor): Promise<Topic | null>;
  /** Null when the target does not exist. */
  toggleReaction(
    target: ReactionTarget,
    kind: ReactionKind,
    readerKey: string,
  ): Promise<ReactionState | null>;
  countTopics(): Promise<number>;
  /**
   * The topic's version, bumped in the same transaction by every write that changes any read of
   * the topic (its fields, replies, counts, reactions); null when the topic does not exist.
   */
  topicVersion(id: string): Promise<number | null>;
  /**
   * The version of the reply's topic (which moves with every change to the reply) and whether
   * the reply awaits review, after one indexed lookup; null when there is no such reply.
   */
  replyVersion(id: string): Promise<{ topicVersion: number; pending: boolean } | null>;
  /**
   * Events of the topic with id > afterId, oldest first, at most `limit`.
   *
   * Which writes append which events (in the write's own transaction, which also bumps the
   * version), by a reply's status before → after:
   * - createReply: published → `reply-created` + `counts`; pending → nothing, no version bump.
   * - editReply / setReplyStatus: pending → published: `reply-created` (+ `counts`);
   *   pending → pending: nothing, no bump; pending → hidden/deleted: no event, version bump (a
   *   blank placeholder becomes readable); any other change of a reply that readers could see:
   *   `reply-changed` with the public view (hidden, deleted and pending are blanked: empty
   *   author name, body and text), plus `counts` when the visible reply count changed.
   *   Setting the status a reply already has changes nothing: no event, no bump.
   * - toggleReaction: `reactions`.
   * - upsertTopic (update) and setTopicLocked: version bump only.
   * Every event of a reply carries what readers may read of it now: a change of the reply
   * rewrites its earlier events to the same public view, so a replay never shows a text before
   * its edit, nor the body or name of a hidden or deleted reply.
   * (SqlStore#changeStatus and the writes above it apply these rules.) Events older than 7 days
   * are pruned now and then after a write, always keeping each topic's newest one, so
   * lastEventId() never goes back.
   */
  listEvents(topicId: string, afterId: string, limit: number): Promise<TopicEvent[]>;
  /** The newest event id of the topic, or '0' when it has none. */
  lastEventId(topicId: string): Promise<string>;
  /**
   * The newest of the topic's events that pruning removed, or '0' when none was (or the topic
   * does not exist): a replay from an id before it would miss events, so the client must read
   * the topic again instead.
   */
  eventsPrunedThrough(topicId: string): Promise<string>;
  /**
   * A reader's report of a published reply: records it (once per reporter: their reader id,
   * else network) and, for a new report, counts it and writes its reply.reported outbox entry,
   * all in one transaction. Null when the reply is missing or not published.
   */
  recordReport(
    replyId: string,
    report?: { reporter: string; reason: string | null },
  ): Promise<{ reply: Reply; counted: boolean } | null>;
  /** The newest published replies of a topic (for its feed), newest first; hidden, pending and deleted never. */
  feedReplies(topicId: string, limit: number): Promise<Reply[]>;
  /** The newest published replies of all topics, newest first, each with its topic's title and URL. */
  siteFeedReplies(limit: number): Promise<Array<Reply & { topic: { title: string; url: string | null } }>>;
  /**
   * What the site's feed depends on, as one value that changes whenever the feed may: the
   * newest event of any topic (every change of what readers see of a reply appends one) and
   * the newest change of any topic (titles and URLs are in the feed).
   */
  siteVersion(): Promise<string>;
  /**
   * Counts a hit of `key` (a network, a topic) in the rate limit `name`, in fixed windows of
   * `windowMs`: a hit after the current window is over starts a new one. One statement, so
   * the servers of one database count together. The window's start (ms) and its hits so far.
   */
  hitRateWindow(name: string, key: string, windowMs: number, now?: number): Promise<RateWindow>;
  /** The current window of `key` in `name` as the last hit left it, or null when none was counted. */
  peekRateWindow(name: string, key: string): Promise<RateWindow | null>;
  /** The outbox, deliveries, webhook subscriptions and email links (see notifications.ts). */
  readonly notifications: NotificationStore;
  /** Batches of topics and replies from another system's export (see imports.ts). */
  readonly imports: ImportStore;
  /** Named moderators and their console sessions (see moderation.ts). */
  readonly moderators: ModeratorStore;
  /** Resolves when the store can answer queries. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
