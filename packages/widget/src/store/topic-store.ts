import { type ColloquyError, request } from '../api/client.js';
import { reactionsUrl, repliesPageUrl, repliesUrl, topicUrl } from '../api/urls.js';
import {
  PROOF_HEADER,
  READER_HEADER,
  type CreatedReply,
  type NewReply,
  type ReactionKind,
  type ReactionState,
  type Reactions,
  type Reply,
  type ReplyPage,
  type Topic,
  type TopicSummary,
  type TopicWithReplies,
} from '@colloquy/api';
import { liveStream, type LiveStream } from './live-stream.js';
import { proofOfWork, type ProofOfWork } from './proof-of-work.js';
import { readJson, readerKey, writeJson } from './storage.js';
import { readSummary } from './summary-batch.js';

/**
 * `idle` before the first subscriber; `missing` when the server has no such topic yet (a page
 * topic before its first reply: shown as a topic with no replies).
 */
export type TopicStoreState = 'idle' | 'loading' | 'ready' | 'missing' | 'error';

/** What a reaction applies to: the topic itself (`null`) or a reply id. */
export type ReactionTarget = string | null;

const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError';

/** A reply shown before the server has it has an id of this form; see {@link isSending}. */
const LOCAL = 'local-';
export const isSending = (reply: Reply): boolean => reply.id.startsWith(LOCAL);

/** Held replies stay visible to their author for a week while they wait for a moderator. */
const HELD_FOR = 7 * 864e5;

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
  /** Replies that arrived live and wait for the reader to {@link reveal} them. */
  unseen: Reply[] = [];

  readonly #listeners = new Set<() => void>();
  readonly #active: Set<string>;
  readonly #activeKey: string;
  readonly #heldKey: string;
  /**
   * This reader's replies held for review, kept in localStorage: nobody else's read has them,
   * so this is how their author still sees them after a reload.
   */
  #held: Reply[];
  #loadAbort: AbortController | null = null;
  #localId = 0;
  /** The proof of work for the next reply, solved in the background. */
  readonly #proofs: ProofOfWork;
  /** The live stream of the topic's events, open while someone shows the whole topic. */
  readonly #stream: LiveStream;
  /**
   * Whether the whole topic is needed: false while only compact cards show it, which need
   * just its summary.
   */
  #full = true;

  constructor(
    readonly api: string,
    readonly topicId: string,
  ) {
    const key = `${api} ${topicId}`;
    this.#activeKey = `colloquy:reactions:${key}`;
    this.#active = new Set(readJson<string[]>(this.#activeKey) ?? []);
    this.#heldKey = `colloquy:held:${key}`;
    this.#held = (readJson<Reply[]>(this.#heldKey) ?? []).filter(
      (reply) => Date.parse(reply.createdAt) + HELD_FOR > Date.now(),
    );
    this.#proofs = proofOfWork(api);
    this.#stream = liveStream(
      api,
      topicId,
      () => !!this.#listeners.size && this.state === 'ready' && this.#full,
      {
        'reply-created': (reply) => {
          // One already shown (the reader's own, or one approved after being held) is updated.
          if (this.replies.some((r) => r.id === reply.id)) this.#replace(reply.id, reply);
          else this.unseen = [...this.unseen, reply];
        },
        'reply-changed': (reply) => this.#replace(reply.id, reply),
        reactions: ({ replyId, reactions }) => {
          if (!replyId) this.topic &&= { ...this.topic, reactions };
          else this.replies = this.replies.map((r) => (r.id === replyId ? { ...r, reactions } : r));
        },
        counts: ({ replyCount }) => (this.total = replyCount),
      },
      () => this.#notify(),
    );
  }

  /** Shows the replies that arrived live, each in its place in the thread. */
  reveal(): void {
    for (const reply of this.unseen) if (!this.replies.some((r) => r.id === reply.id)) this.#insert(reply);
    this.unseen = [];
    this.#notify();
  }

  /** Puts `reply` in thread order: after its parent's last descendant, or at the end. */
  #insert(reply: Reply) {
    const parent = this.replies.find((r) => r.id === reply.parentId);
    let at = this.replies.length;
    if (parent) {
      at = this.replies.indexOf(parent) + 1;
      while ((this.replies[at]?.depth ?? -1) > parent.depth) at++;
    }
    this.replies = [...this.replies.slice(0, at), reply, ...this.replies.slice(at)];
  }

  /** Replaces the reply with id `id` by `reply`, or removes it. */
  #replace(id: string, reply?: Reply) {
    this.replies = this.replies.flatMap((r) => (r.id === id ? (reply ? [reply] : []) : [r]));
  }

  #notify() {
    for (const listener of this.#listeners) listener();
  }

  /**
   * Calls `listener` after every change; the first subscriber starts the load. `full`: the
   * subscriber shows the whole topic; when none does (compact cards), only a summary is read,
   * batched with the other topics' summaries of the page.
   */
  subscribe(listener: () => void, full = true): () => void {
    if (!full && this.state === 'idle') this.#full = false;
    this.#listeners.add(listener);
    if (full && !this.#full) {
      this.#full = true;
      void this.load();
    } else if (this.state === 'idle') void this.load();
    this.#stream.update();
    return () => {
      this.#listeners.delete(listener);
      this.#stream.update();
    };
  }

  /** Shows what a summaries read brought, unless a full read has taken over meanwhile. */
  #settle(summary?: TopicSummary, error: ColloquyError | null = null) {
    if (this.#full) return;
    // A summary has what a compact card shows of a topic: title, url, reactions, counts.
    this.topic = (summary as unknown as Topic) ?? null;
    this.total = summary?.replyCount ?? 0;
    this.error = error;
    this.state = error ? 'error' : summary ? 'ready' : 'missing';
    this.#notify();
  }

  /**
   * (Re)reads the topic and its first page of replies; a newer call supersedes an older one.
   * Never rejects: a failure sets `state` to `error` and `error`.
   */
  async load(): Promise<void> {
    if (!this.#full) {
      // Only compact cards show it: join the page's next summaries read.
      this.state = 'loading';
      return readSummary(this.api, this.topicId, (summary, error) => this.#settle(summary, error));
    }
    this.#loadAbort?.abort();
    const abort = (this.#loadAbort = new AbortController());
    this.state = 'loading';
    this.error = null;
    this.loadingMore = false;
    this.#notify();
    try {
      this.prime(await request<TopicWithReplies>(topicUrl(this.api, this.topicId), { signal: abort.signal }));
      this.#addHeld();
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
    this.#notify();
    this.#stream.update();
  }

  /**
   * Takes `read` (the topic's read, as `GET /api/v1/topics/:id` answers it) as the store's
   * state without a request: {@link load} does so with what it fetched, and a server-rendered
   * page with the read it brought in its HTML.
   */
  prime({ replies, nextCursor, lastEventId, ...topic }: TopicWithReplies): void {
    this.topic = topic;
    this.replies = replies;
    this.nextCursor = nextCursor;
    this.total = topic.replyCount;
    this.#stream.lastEventId = lastEventId;
    this.unseen = [];
    this.state = 'ready';
  }

  /**
   * Adds this reader's replies held for review, which are not in what everyone reads, each in
   * its place in the thread.
   */
  showHeld(): void {
    this.#addHeld();
    this.#notify();
  }

  #addHeld() {
    for (const reply of this.#held) if (!this.replies.some((r) => r.id === reply.id)) this.#insert(reply);
  }

  /** Appends the next page of replies (whole threads); no-op on the last page. */
  async loadMore(): Promise<void> {
    const cursor = this.nextCursor;
    if (!cursor || this.loadingMore) return;
    const signal = this.#loadAbort?.signal;
    this.loadingMore = true;
    this.#notify();
    try {
      const page = await request<ReplyPage>(
        repliesPageUrl(this.api, this.topicId, cursor),
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
      this.#notify();
    }
  }

  /**
   * Starts solving the proof of work the server may ask for, in the background, so that it is
   * ready by the time the reader posts. Called when the reader starts writing.
   */
  prepare(): Promise<string> {
    return this.#proofs.prepare();
  }

  /**
   * Posts a reply. It appears at once (see {@link isSending}), is replaced by the server's reply
   * on success, and is removed on refusal, which rejects with the server's {@link ColloquyError}.
   * `token` is the host site's signed-in user token, if any.
   */
  async postReply(input: NewReply, token?: string): Promise<Reply> {
    const parent = this.replies.find((r) => r.id === input.parentId);
    const total = this.total;
    // Only what the thread renders; the server's reply replaces it.
    const local = {
      id: LOCAL + ++this.#localId,
      parentId: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      author: { name: input.authorName ?? '' },
      createdAt: new Date().toISOString(),
      body: [{ t: 'p', c: [{ t: 'text', v: input.body }] }],
      reactions: { like: 0, insightful: 0, disagree: 0 },
    } as Reply;
    this.#insert(local);
    this.#notify();
    const send = async (retry: boolean): Promise<CreatedReply> => {
      const proof = await this.#proofs.prepare();
      if (proof) this.#proofs.spend(); // a challenge is good for one reply
      const headers: Record<string, string> = { [READER_HEADER]: readerKey() };
      if (proof) headers[PROOF_HEADER] = proof;
      if (token) headers.authorization = `Bearer ${token}`;
      try {
        return await request<CreatedReply>(repliesUrl(this.api, this.topicId), {
          method: 'POST',
          body: input,
          headers,
        });
      } catch (error) {
        // The server started asking for a proof, or the challenge expired or was spent: solve a
        // fresh one, once.
        const { status, type } = error as ColloquyError;
        if (!retry || !(status === 428 || type?.endsWith(':invalid-proof'))) throw error;
        this.#proofs.spend();
        return send(false);
      }
    };
    try {
      // The edit token stays out: this element offers no editing (the API does).
      const { editToken, editableUntil, ...reply } = await send(true);
      this.#replace(local.id, reply);
      this.unseen = this.unseen.filter((r) => r.id !== reply.id); // its event may have come first
      if (reply.status === 'pending') writeJson(this.#heldKey, (this.#held = [...this.#held, reply]));
      // The stream's counts event may have brought the new total already; never count it twice.
      if (reply.status === 'published') this.total = Math.max(this.total, total + 1);
      this.#notify();
      // A page topic is created by its first reply: read it back to show it whole.
      if (this.state === 'missing') void this.load();
      return reply;
    } catch (error) {
      this.#replace(local.id);
      this.#notify();
      throw error;
    }
  }

  /** Whether this reader's reaction of `kind` on `target` is on (remembered in localStorage). */
  isActive(target: ReactionTarget, kind: ReactionKind): boolean {
    return this.#active.has(`${target ?? ''}:${kind}`);
  }

  /** Toggles this reader's reaction optimistically, then settles on the server's state. */
  async react(target: ReactionTarget, kind: ReactionKind): Promise<ReactionState> {
    const key = `${target ?? ''}:${kind}`;
    const apply = (on: boolean, reactions?: Reactions) => {
      const was = this.#active.has(key);
      if (on) this.#active.add(key);
      else this.#active.delete(key);
      const counts = (old: Reactions) =>
        reactions ?? { ...old, [kind]: Math.max(0, old[kind] + (on === was ? 0 : on ? 1 : -1)) };
      if (target === null) {
        if (this.topic) this.topic = { ...this.topic, reactions: counts(this.topic.reactions) };
      } else {
        this.replies = this.replies.map((r) =>
          r.id === target ? { ...r, reactions: counts(r.reactions) } : r,
        );
      }
      writeJson(this.#activeKey, [...this.#active]);
      this.#notify();
    };
    const on = !this.#active.has(key);
    apply(on);
    try {
      const state = await request<ReactionState>(reactionsUrl(this.api, this.topicId, target), {
        method: 'POST',
        body: { kind },
        headers: { [READER_HEADER]: readerKey() },
      });
      apply(state.active, state.reactions);
      return state;
    } catch (error) {
      apply(!on);
      throw error;
    }
  }
}

const registry = new Map<string, TopicStore>();
/** The stores whose read came with the page (server-rendered): their elements need no viewport wait. */
const primed = new Set<TopicStore>();
const keyOf = (api: string, topic: string) => `${api.replace(/\/+$/, '')} ${topic}`;

/** The page-wide store of `topic` on the server at `api`: the same instance for every caller. */
export function topicStore(api: string, topic: string): TopicStore {
  const key = keyOf(api, topic);
  let store = registry.get(key);
  if (!store) registry.set(key, (store = new TopicStore(api.replace(/\/+$/, ''), topic)));
  return store;
}

/**
 * Gives the page-wide store of `topic` the read that came with the page (see
 * {@link TopicStore.prime}), so its elements show it at once and read nothing. Returns the
 * function that forgets the store again, for a server that renders one page after another.
 */
export function primeStore(api: string, topic: string, read: TopicWithReplies): () => void {
  const store = topicStore(api, topic);
  store.prime(read);
  primed.add(store);
  return () => {
    primed.delete(store);
    registry.delete(keyOf(api, topic));
  };
}

/** The store of `topic` if the page brought its read (see {@link primeStore}), else undefined. */
export function primedStore(api: string, topic: string): TopicStore | undefined {
  const store = registry.get(keyOf(api, topic));
  return store && primed.has(store) ? store : undefined;
}
