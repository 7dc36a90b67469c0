import type {
  Category,
  Doc,
  ReactionKind,
  ReactionState,
  Reply,
  ReplyPage,
  Topic,
  TopicSummary,
} from '@colloquy/widget/api-types.js';

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
  sources: Array<{ title: string; url: string }>;
  locked: boolean;
}

export interface NewReplyRecord {
  topicId: string;
  parentId: string | null;
  authorName: string;
  body: Doc;
  text: string;
  /** A page topic to create when `topicId` does not exist yet (first reply on a page). */
  createTopic?: { title: string; url: string };
}

/** Position after which the next page starts: the last top-level reply of the previous page. */
export interface PageCursor {
  createdAt: string;
  id: string;
}

export type ReactionTarget = { type: 'topic' | 'reply'; id: string };

/** Failures a client can cause; routes turn them into problem responses. */
export class StoreError extends Error {
  constructor(
    readonly code: 'topic-not-found' | 'reply-not-found' | 'invalid-parent' | 'topic-locked' | 'invalid-cursor',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Everything the routes need from storage. Methods are async so that a PostgreSQL store can
 * implement the same interface; the SQLite store answers synchronously inside the promises.
 */
export interface Store {
  getTopic(id: string): Promise<Topic | null>;
  /** Summaries of the topics that exist, in the order of `ids`. */
  getTopicSummaries(ids: readonly string[]): Promise<TopicSummary[]>;
  upsertTopic(topic: TopicRecord): Promise<{ topic: Topic; created: boolean }>;
  /** Whole threads, oldest first. Throws `invalid-cursor` for a cursor not of this topic. */
  listReplies(topicId: string, page: { limit: number; cursor: PageCursor | null }): Promise<ReplyPage>;
  getReply(id: string): Promise<Reply | null>;
  /** Throws `topic-not-found`, `topic-locked` or `invalid-parent`. */
  createReply(reply: NewReplyRecord): Promise<Reply>;
  /** Null when the target does not exist. */
  toggleReaction(target: ReactionTarget, kind: ReactionKind, readerKey: string): Promise<ReactionState | null>;
  countTopics(): Promise<number>;
  /** Resolves when the store can answer queries. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
