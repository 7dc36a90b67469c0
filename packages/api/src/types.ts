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
}

/** A page of replies. Pages hold whole threads: a reply to the topic with all its descendants. */
export interface ReplyPage {
  /** Thread order: each top-level reply followed by its descendants, oldest first. */
  replies: Reply[];
  /** Opaque cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** All visible replies of the topic. */
  total: number;
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
export interface TopicWithReplies extends Topic {
  replies: Reply[];
  nextCursor: string | null;
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
