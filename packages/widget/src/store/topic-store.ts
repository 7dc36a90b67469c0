import { ColloquyError, request } from '../api/client.js';
import {
  READER_HEADER,
  type NewReply,
  type ReactionKind,
  type ReactionState,
  type Reactions,
  type Reply,
  type ReplyPage,
  type Topic,
  type TopicWithReplies,
} from '../api/types.js';
import { readJson, readerKey, writeJson } from './storage.js';

/**
 * `idle` before the first subscriber; `missing` when the server has no such topic yet (a page
 * topic before its first reply: shown as a topic with no replies).
 */
export type TopicStoreState = 'idle' | 'loading' | 'ready' | 'missing' | 'error';

/** What a reaction applies to: the topic itself (`null`) or a reply id. */
export type ReactionTarget = string | null;

const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError';

/**
 * The state of one topic on the page, shared by every element showing it: one read for all,
 * optimistic replies and reactions, subscribers notified on every change.
 */
export class TopicStore {
  state: TopicStoreState = 'idle';
  topic: Topic | null = null;
  /** Loaded replies in thread order, including this reader's pending ones. */
  replies: Reply[] = [];
  nextCursor: string | null = null;
  /** All visible replies of the topic, as last reported by the server. */
  total = 0;
  /** The last load failure, while `state` is `error`. */
  error: ColloquyError | null = null;
  /** Whether a `loadMore()` is in flight. */
  loadingMore = false;

  private readonly listeners = new Set<() => void>();
  private readonly active: Set<string>;
  private readonly activeKey: string;
  private loadAbort: AbortController | null = null;
  private pendingId = 0;

  constructor(
    readonly api: string,
    readonly topicId: string,
  ) {
    this.activeKey = `colloquy:reactions:${api} ${topicId}`;
    this.active = new Set(readJson<string[]>(this.activeKey) ?? []);
  }

  private url(path = '') {
    return `${this.api}/api/v1/topics/${encodeURIComponent(this.topicId)}${path}`;
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every change; the first subscriber starts the load. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.state === 'idle') void this.load();
    return () => this.listeners.delete(listener);
  }

  /**
   * (Re)reads the topic and its first page of replies; a newer call supersedes an older one.
   * Never rejects: a failure sets `state` to `error` and `error`.
   */
  async load(): Promise<void> {
    this.loadAbort?.abort();
    const abort = (this.loadAbort = new AbortController());
    this.state = 'loading';
    this.error = null;
    this.loadingMore = false;
    this.notify();
    try {
      const { replies, nextCursor, ...topic } = await request<TopicWithReplies>(this.url(), {
        signal: abort.signal,
      });
      this.topic = topic;
      this.replies = replies;
      this.nextCursor = nextCursor;
      this.total = topic.replyCount;
      this.state = 'ready';
    } catch (error) {
      if (isAbort(error) || abort.signal.aborted) return;
      if ((error as ColloquyError).status === 404) {
        this.topic = null;
        this.replies = [];
        this.nextCursor = null;
        this.total = 0;
        this.state = 'missing';
      } else {
        this.error = error as ColloquyError;
        this.state = 'error';
      }
    }
    this.notify();
  }

  /** Appends the next page of replies (whole threads); no-op on the last page. */
  async loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor || this.loadingMore) return;
    const signal = this.loadAbort?.signal;
    this.loadingMore = true;
    this.notify();
    try {
      const page = await request<ReplyPage>(
        this.url(`/replies?cursor=${encodeURIComponent(cursor)}`),
        signal ? { signal } : {},
      );
      if (signal?.aborted) return;
      const known = new Set(this.replies.map((reply) => reply.id));
      this.replies = [...this.replies, ...page.replies.filter((reply) => !known.has(reply.id))];
      this.nextCursor = page.nextCursor;
      this.total = page.total;
    } catch (error) {
      if (!isAbort(error)) throw error;
    } finally {
      this.loadingMore = false;
      this.notify();
    }
  }

  /**
   * Posts a reply. It appears at once with status `pending`, is replaced by the server's reply
   * on success, and is removed on refusal, which rejects with the server's {@link ColloquyError}.
   */
  async postReply(input: NewReply): Promise<Reply> {
    const parent = input.parentId ? this.replies.find((r) => r.id === input.parentId) : undefined;
    const pending: Reply = {
      id: `pending-${++this.pendingId}`,
      topicId: this.topicId,
      parentId: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      author: { name: input.authorName },
      createdAt: new Date().toISOString(),
      editedAt: null,
      body: input.body
        .trim()
        .split(/\n\s*\n/)
        .map((paragraph) => ({ t: 'p' as const, c: [{ t: 'text' as const, v: paragraph }] })),
      text: input.body,
      reactions: { like: 0, insightful: 0, disagree: 0 },
      status: 'pending',
    };
    let at = this.replies.length;
    if (parent) {
      at = this.replies.indexOf(parent) + 1;
      while (at < this.replies.length && this.replies[at]!.depth > parent.depth) at++;
    }
    this.replies = [...this.replies.slice(0, at), pending, ...this.replies.slice(at)];
    this.notify();
    const swap = (reply?: Reply) => {
      this.replies = this.replies.flatMap((r) => (r === pending ? (reply ? [reply] : []) : [r]));
    };
    try {
      const reply = await request<Reply>(this.url('/replies'), { method: 'POST', body: input });
      swap(reply);
      this.total++;
      if (this.topic) this.topic = { ...this.topic, replyCount: this.topic.replyCount + 1 };
      this.notify();
      // A page topic is created by its first reply: read it back to show it whole.
      if (this.state === 'missing') void this.load();
      return reply;
    } catch (error) {
      swap();
      this.notify();
      throw error;
    }
  }

  /** Whether this reader's reaction of `kind` on `target` is on (remembered in localStorage). */
  isActive(target: ReactionTarget, kind: ReactionKind): boolean {
    return this.active.has(`${target ?? ''}:${kind}`);
  }

  /** Toggles this reader's reaction optimistically, then settles on the server's state. */
  async react(target: ReactionTarget, kind: ReactionKind): Promise<ReactionState> {
    const key = `${target ?? ''}:${kind}`;
    const apply = (on: boolean, reactions?: Reactions) => {
      const was = this.active.has(key);
      if (on) this.active.add(key);
      else this.active.delete(key);
      const counts = (old: Reactions) =>
        reactions ?? { ...old, [kind]: Math.max(0, old[kind] + (on === was ? 0 : on ? 1 : -1)) };
      if (target === null) {
        if (this.topic) this.topic = { ...this.topic, reactions: counts(this.topic.reactions) };
      } else {
        this.replies = this.replies.map((r) =>
          r.id === target ? { ...r, reactions: counts(r.reactions) } : r,
        );
      }
      writeJson(this.activeKey, [...this.active]);
      this.notify();
    };
    const on = !this.active.has(key);
    apply(on);
    try {
      const state = await request<ReactionState>(
        target === null
          ? this.url('/reactions')
          : `${this.api}/api/v1/replies/${encodeURIComponent(target)}/reactions`,
        { method: 'POST', body: { kind }, headers: { [READER_HEADER]: readerKey() } },
      );
      apply(state.active, state.reactions);
      return state;
    } catch (error) {
      apply(!on);
      throw error;
    }
  }
}

const registry = new Map<string, TopicStore>();

/** The page-wide store of `topic` on the server at `api`: the same instance for every caller. */
export function topicStore(api: string, topic: string): TopicStore {
  const base = api.replace(/\/+$/, '');
  const key = `${base} ${topic}`;
  let store = registry.get(key);
  if (!store) registry.set(key, (store = new TopicStore(base, topic)));
  return store;
}
