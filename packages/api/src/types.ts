/**
 * The wire format of Colloquy's HTTP API (version 1): what the server answers. What clients send
 * is defined by the request schemas (`@colloquy/api/schemas`), from which its types are inferred.
 */
import type { Doc } from './doc.js';

/** The reaction kinds every topic and reply counts, in display order. */
export const REACTION_KINDS = ['like', 'insightful', 'disagree'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
/** Count per reaction kind; every kind of {@link REACTION_KINDS} is present. */
export type Reactions = Record<ReactionKind, number>;

/**
 * The orders a topic's replies are read in (`?sort=`): `oldest` first (the default), `newest`
 * first, or `top`, the most reacted first (a top-level reply's reactions of every kind, ties by
 * creation). Each orders the top-level replies; the answers inside a thread keep thread order.
 */
export const REPLY_SORTS = ['oldest', 'newest', 'top'] as const;
export type ReplySort = (typeof REPLY_SORTS)[number];

export interface Category {
  slug: string;
  name: string;
  /** Breadcrumb, outermost first, e.g. `["Community", "Anthropic"]`. */
  path: string[];
}

export interface TopicAuthor {
  name: string;
  avatarUrl: string | null;
}

export interface Source {
  /** 1-based number, as cited by `[n]` in bodies. */
  n: number;
  title: string;
  url: string;
}

export type ReplyStatus = 'published' | 'pending' | 'hidden' | 'deleted';

export interface Reply {
  id: string;
  topicId: string;
  parentId: string | null;
  /** Nesting depth: 0 for a reply to the topic. */
  depth: number;
  /**
   * `name` is empty for a deleted or hidden reply. `verified` is true only when the reply was
   * posted by a signed-in user of the host site (a site-signed token); it is never set on an
   * anonymous reply.
   */
  author: { name: string; verified?: boolean };
  /** ISO 8601 instant. */
  createdAt: string;
  editedAt: string | null;
  body: Doc;
  /** Plain-text rendering of `body`. */
  text: string;
  reactions: Reactions;
  status: ReplyStatus;
  /**
   * The Markdown source of `body`, as its author wrote it: only in `GET /api/v1/replies/:id`
   * answered to the reply's author (its edit token) or a moderator, never in shared reads.
   */
  source?: string;
}

/** A page of replies. Pages hold whole threads: a reply to the topic with all its descendants. */
export interface ReplyPage {
  /**
   * Thread order: each top-level reply followed by its descendants, oldest first. A page that
   * continues a thread (its cursor was a `ThreadContinuation.cursor`) has only that thread's next
   * replies, in creation order, each after its parent (which may be on an earlier page).
   */
  replies: Reply[];
  /**
   * Opaque cursor of the next page, or null on the last page. When this page cut a thread, the
   * next page goes on inside it, then with the threads after it, so that following nextCursor
   * alone reads every reply once. Null on a page read with a `moreInThread.cursor`.
   */
  nextCursor: string | null;
  /** All visible replies of the topic. */
  total: number;
  /**
   * The last thread of this page goes on: a page carries at most `MAX_PAGE_REPLIES` replies and
   * `MAX_PAGE_CONTENT` characters of their content in all, and this thread did not fit; its `cursor` reads that thread's next replies alone (for a
   * "show more" inside the thread). Null when every thread of the page is whole.
   */
  moreInThread: ThreadContinuation | null;
}

/** The rest of a thread that a page cut: read it with `GET …/replies?cursor=<cursor>`. */
export interface ThreadContinuation {
  /** The thread's top-level reply. */
  rootId: string;
  /** The cursor of the thread's next replies (its pages, too, hold at most `MAX_PAGE_REPLIES`). */
  cursor: string;
  /** Replies of the thread after this page, counted up to `MAX_COUNTED_REPLIES`. */
  count: number;
}

export interface Topic {
  /** A slug such as `rsp-update`, or the canonical http(s) URL of a page topic. */
  id: string;
  title: string;
  url: string | null;
  category: Category | null;
  /** A short label shown above the summary, e.g. "Background". */
  label: string | null;
  /** A plain-text lead paragraph. */
  summary: string | null;
  author: TopicAuthor | null;
  createdAt: string;
  body: Doc;
  text: string;
  sources: Source[];
  reactions: Reactions;
  replyCount: number;
  locked: boolean;
}

/** `GET /api/v1/topics/:id`: the topic and the first page of its replies in one read. */
/** `GET /api/v1/admin/topics/:id/source`: the Markdown a topic's body was rendered from. */
export interface TopicSource {
  id: string;
  source: string;
}

export interface TopicWithReplies extends Topic {
  replies: Reply[];
  nextCursor: string | null;
  /** As in ReplyPage: the first page's last thread, when it did not fit. */
  moreInThread: ThreadContinuation | null;
  /**
   * The topic's newest event id when it was read (`"0"`: none yet). Subscribing with
   * `GET /api/v1/topics/:id/events?after=<lastEventId>` delivers every change since this read
   * (possibly one already included in it, never one missed).
   */
  lastEventId: string;
}

/**
 * The events of `GET /api/v1/topics/:id/events` (Server-Sent Events): the SSE `event` field
 * names the type, `data` is the JSON payload, `id` an increasing decimal event id.
 */
export interface TopicEventData {
  /** A reply published (new, or approved after review), as everyone reads it. */
  'reply-created': Reply;
  /** A reply edited, hidden, deleted or held again, as everyone now reads it (blanked when not shown). */
  'reply-changed': Reply;
  /** New reaction counts of a reply, or of the topic itself (`replyId` null). */
  reactions: { replyId: string | null; reactions: Reactions };
  /** The topic's visible reply count changed. */
  counts: { replyCount: number };
  /**
   * The stream cannot replay what the client missed (the server no longer keeps those events):
   * read the topic again and open a new stream after the read's `lastEventId`. The server ends
   * the stream after it; its `id` is the topic's newest event.
   */
  reload: { reason: 'history-pruned' };
}
export type TopicEventType = keyof TopicEventData;

/** One entry of `GET /api/v1/topics?ids=`. */
export interface TopicSummary {
  id: string;
  title: string;
  url: string | null;
  replyCount: number;
  reactions: Reactions;
  latestReply: { id: string; author: { name: string }; createdAt: string; text: string } | null;
}

export interface TopicSummaries {
  topics: TopicSummary[];
}

/**
 * `POST /api/v1/topics/:id/replies` response (201): the reply plus, for its author only, the
 * token that allows editing or deleting it until `editableUntil`. No other response carries it.
 */
export interface CreatedReply extends Reply {
  editToken: string;
  /** ISO 8601 instant after which the edit token no longer works. */
  editableUntil: string;
}

/** `GET /api/v1/challenge`: a proof-of-work challenge for the `X-Colloquy-Proof` header. */
export interface Challenge {
  /** Opaque, single use. */
  challenge: string;
  /**
   * Leading zero bits required of SHA-256(`${challenge}:${nonce}`); 0 means the server does
   * not require a proof.
   */
  difficulty: number;
  /** ISO 8601 instant after which the challenge is refused. */
  expiresAt: string;
}

/** `POST …/reactions` response. */
export interface ReactionState {
  kind: ReactionKind;
  /** Whether this reader's reaction of `kind` is now on. */
  active: boolean;
  reactions: Reactions;
}

/** RFC 9457 problem details, as every error response carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

/** `GET /api/v1/admin/pending` response: replies awaiting review, oldest first. */
export interface PendingReplies {
  replies: Reply[];
}

/**
 * What a webhook subscription can ask to be told about:
 * - `reply.created`: a reply was posted and published at once;
 * - `reply.pending`: a reply was posted (or edited) and now waits for a moderator;
 * - `reply.reported`: a reader reported a reply;
 * - `reply.approved`: a moderator published a reply that was waiting or hidden;
 * - `reply.hidden`: a moderator hid a reply.
 */
export const NOTIFICATION_EVENTS = [
  'reply.created',
  'reply.pending',
  'reply.reported',
  'reply.approved',
  'reply.hidden',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/**
 * The JSON body of a webhook delivery (Standard Webhooks style), signed as described in the
 * README. `data.reply` is the reply as it is when the delivery is sent, not when the event
 * happened: a reply hidden or deleted since comes blanked, as readers now see it.
 */
export interface WebhookPayload {
  type: NotificationEvent;
  /** ISO 8601 instant of the event (each attempt's own time is the `webhook-timestamp` header). */
  timestamp: string;
  data: {
    reply: Reply;
    topic: { id: string; title: string; url: string | null };
  };
}

/** A webhook subscription as the admin API lists it; its secret is shown once, on creation. */
export interface WebhookSubscription {
  id: string;
  url: string;
  events: NotificationEvent[];
  description: string | null;
  createdAt: string;
  /** Set when the receiver answered 410 Gone: nothing more is sent to it. */
  disabledAt: string | null;
}

/** `POST /api/v1/admin/webhooks` response (201): the subscription and its signing secret. */
export interface CreatedWebhookSubscription extends WebhookSubscription {
  /** `whsec_` and the base64 key: the only time the API returns it. */
  secret: string;
}

/** `GET /api/v1/admin/webhooks` response. */
export interface WebhookSubscriptions {
  webhooks: WebhookSubscription[];
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';

/** One try of a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  /** ISO 8601 instant the attempt started. */
  at: string;
  /** The HTTP status a webhook receiver answered, or the SMTP reply code; null when none came. */
  status: number | null;
  /** Why it failed, null when it succeeded. */
  error: string | null;
}

/** A notification to one receiver: a webhook subscription, or a mailbox. */
export interface Delivery {
  id: string;
  channel: 'webhook' | 'email';
  event: NotificationEvent;
  replyId: string;
  /** The webhook subscription (channel `webhook`), else null. */
  subscriptionId: string | null;
  /**
   * Who an email goes to: `moderator` with the configured address, or `author` (a reply's author
   * who gave an address, never shown). Null for webhooks.
   */
  recipient: { kind: 'moderator'; address: string } | { kind: 'author' } | null;
  /** `pending` until delivered, skipped (nothing left to say) or failed for good. */
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due, while pending. */
  nextAttemptAt: string | null;
  createdAt: string;
  /** The last attempt's error, while pending or failed. */
  lastError: string | null;
  /** Every attempt, oldest first. */
  log: DeliveryAttempt[];
}

/** `GET /api/v1/admin/deliveries` response: newest first. */
export interface Deliveries {
  deliveries: Delivery[];
  /** Pass as `before` for the next (older) page; null on the last. */
  nextCursor: string | null;
}

/** The moderation console's queues (`GET /api/v1/admin/queue?queue=`). */
export const MODERATION_QUEUES = ['pending', 'reported', 'recent'] as const;
export type ModerationQueue = (typeof MODERATION_QUEUES)[number];

/** What a moderator can do to one or many replies (`POST /api/v1/admin/replies/actions`). */
export const MODERATION_ACTIONS = ['approve', 'hide', 'delete', 'restore'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** One reply of a moderation queue, in full, with what a moderator acts on. */
export interface ModerationItem {
  reply: Reply;
  topic: { id: string; title: string; locked: boolean };
  /** Readers' reports not yet dealt with (approving a reply dismisses them). */
  reports: number;
  /**
   * The author's reader id: the SHA-256 (hex) of their reader key, never the key itself; null
   * when the reply came without one. Filter the queue by it, or ban it.
   */
  readerId: string | null;
  /** The /24 or /64 the reply came from, when known. */
  network: string | null;
}

/** `GET /api/v1/admin/queue`: a page of a queue, keyset-paged by `nextCursor`. */
export interface ModerationPage {
  items: ModerationItem[];
  nextCursor: string | null;
}

/** `POST /api/v1/admin/replies/actions` response: each reply as it now is, or why not. */
export interface ModerationResults {
  results: Array<{ id: string; ok: true; reply: Reply } | { id: string; ok: false; detail: string }>;
}

/** A ban of a reader (by reader id) or of a network. */
export interface BanRecord {
  kind: 'reader' | 'address';
  /** The reader id (SHA-256 of the reader key, hex) or the network prefix. */
  value: string;
  createdAt: string;
  /** Null: until lifted. */
  expiresAt: string | null;
  /** The moderator who set it; null for bans older than moderator names. */
  createdBy: string | null;
  reason: string | null;
}

/** `GET /api/v1/admin/bans`: the bans in force, newest first. */
export interface Bans {
  bans: BanRecord[];
}

/** One entry of the moderation log: who did what, when, to which reply or topic. */
export interface ModerationLogEntry {
  id: string;
  at: string;
  moderator: string;
  action: string;
  replyId: string | null;
  topicId: string | null;
  /** What a ban or lift was of (`reader:<id>`, `address:<prefix>`), or a moderator's name. */
  target: string | null;
  detail: string | null;
}

/** `GET /api/v1/admin/log`: newest first, paged by `nextCursor`. */
export interface ModerationLog {
  entries: ModerationLogEntry[];
  nextCursor: string | null;
}

/** `GET|POST /api/v1/admin/session`: who is signed in, and the token every write must carry. */
export interface ModeratorSession {
  moderator: string;
  /** The admin (signed in with the admin token) may also manage moderators and webhooks. */
  role: 'admin' | 'moderator';
  /** Send as `X-CSRF-Token` with every write made with the session's cookie. */
  csrfToken: string;
  /** When the session ends unless used before then (each use extends it, up to a limit). */
  expiresAt: string;
}

/** A named moderator, who signs in with a token of their own. */
export interface Moderator {
  name: string;
  createdAt: string;
  createdBy: string;
}

/** `GET /api/v1/admin/moderators`. */
export interface Moderators {
  moderators: Moderator[];
}

/** `POST /api/v1/admin/moderators` response: the token, shown this once only. */
export interface CreatedModerator extends Moderator {
  token: string;
}
