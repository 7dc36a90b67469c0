import { type ColloquyError, request } from '../api/client.js';
import { topicUrl } from '../api/urls.js';
import type {
  NewReply,
  ReactionKind,
  ReactionState,
  Reply,
  ReplySort,
  ThreadContinuation,
  Topic,
  TopicSummary,
  TopicWithReplies,
} from '@colloquy/api';
import type { LiveStream } from './live-stream.js';
import { readJson, writeJson } from './storage.js';

/**
 * `idle` before the first subscriber; `missing` when the server has no such topic yet (a page
 * topic before its first reply: shown as a topic with no replies).
 */
export type TopicStoreState = 'idle' | 'loading' | 'ready' | 'missing' | 'error';

/** What a reaction applies to: the topic itself (`null`) or a reply id. */
export type ReactionTarget = string | null;

/** Whether `error` is a request's abort (a newer read superseded it). */
export const isAbort = (error: unknown) => (error as Error)?.name === 'AbortError';

/** A reply shown before the server has it has an id of this form; see {@link isSending}. */
export const LOCAL = 'local-';
export const isSending = (reply: Reply): boolean => reply.id.startsWith(LOCAL);

/** Where the reader's choice of order is kept: one for the site, whatever the topic. */
export const SORT_KEY = 'colloquy:sort';
/** A kept order, if it is one (another version's may not be). */
const sortOf = (kept: unknown): ReplySort => (kept === 'newest' || kept === 'top' ? kept : 'oldest');

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
  /** The last thread loaded, when a page cut it: the rest is read with {@link loadMore}(true). */
  moreInThread: ThreadContinuation | null = null;
  /** All visible replies of the topic, as last reported by the server. */
  total = 0;
  /** The last load failure, while `state` is `error`. */
  error: ColloquyError | null = null;
  /** Whether a {@link loadMore} is in flight. */
  loadingMore = false;
  /** Replies that arrived live and wait for the reader to {@link reveal} them. */
  unseen: Reply[] = [];
  /** The order of the top-level replies: the reader's last choice on this site (see reader-controls.ts). */
  sort: ReplySort = sortOf(readJson(SORT_KEY));
  /**
   * A thread shown past the pages read (a permalink's), by its top-level reply: the pages read
   * later go in before it. @internal
   */
  jump?: Reply | undefined;

  readonly #listeners = new Set<() => void>();
  readonly #active: Set<string>;
  readonly #activeKey: string;
  readonly #heldKey: string;
  /**
   * This reader's replies held for review, kept in localStorage: nobody else's read has them,
   * so this is how their author still sees them after a reload.
   */
  #held: Reply[];
  /**
   * Where this reader's own accepted replies are kept (see own-writes.ts) until a read includes
   * them. @internal
   */
  readonly ownKey: string;
  #loadAbort: AbortController | null = null;
  /**
   * The live stream of the topic's events, open while someone shows the whole topic; its module
   * is loaded once the first read has been shown, so it never delays that read.
   */
  #stream: LiveStream | undefined;
  #streamLoad: Promise<void> | undefined;
  /** The last event the page has seen, until the stream's module holds it. */
  #lastEventId = '0';
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
    this.ownKey = `colloquy:own:${key}`;
    this.#held = (readJson<Reply[]>(this.#heldKey) ?? []).filter(
      (reply) => Date.parse(reply.createdAt) + HELD_FOR > Date.now(),
    );
  }

  /** Whether the live stream is wanted: someone shows the whole topic, which has been read. */
  #live = () => !!this.#listeners.size && this.state === 'ready' && this.#full;

  /** Opens or closes the live stream as {@link #live} says, loading its module the first time. */
  #follow() {
    if (this.#stream) return this.#stream.update();
    if (!this.#live()) return;
    this.#streamLoad ??= import('./live-stream.js').then(
      ({ liveStream, storeHandlers }) => {
        const stream = liveStream(this.api, this.topicId, this.#live, storeHandlers(this), () =>
          this.notify(),
        );
        stream.lastEventId = this.#lastEventId;
        this.#stream = stream;
        stream.update();
      },
      // Unreachable module: the page goes on without live updates; the next read tries again.
      () => void (this.#streamLoad = undefined),
    );
  }

  /**
   * Shows the replies that arrived live, each in its place in the thread. Done by the live
   * stream's module, which brought them (so it is in by then).
   */
  async reveal(): Promise<void> {
    (await import('./live-stream.js')).reveal(this);
  }

  /**
   * Puts `reply` in its place in thread order: under its parent, after its older siblings and
   * theirs; at the end when its parent is not loaded. @internal
   */
  insert(reply: Reply) {
    const replies = this.replies;
    const parent = replies.find((r) => r.id === reply.parentId);
    const depth = parent ? parent.depth + 1 : 0;
    // Thread order is oldest first at every level: past the older siblings and their replies
    // (one being sent goes last: its time is the page's clock, not the server's); newest
    // first, a new thread goes first.
    let at = parent ? replies.indexOf(parent) + 1 : reply.parentId ? replies.length : 0;
    for (let r = replies[at]; r && r.depth >= depth && (depth || this.sort !== 'newest'); r = replies[++at])
      if (r.depth === depth && r.createdAt > reply.createdAt && !isSending(reply)) break;
    this.replies = [...replies.slice(0, at), reply, ...replies.slice(at)];
  }

  /** Replaces the reply with id `id` by `reply`, or removes it. @internal */
  replace(id: string, reply?: Reply) {
    this.replies = this.replies.flatMap((r) => (r.id === id ? (reply ? [reply] : []) : [r]));
  }

  /** Tells every subscriber that the state changed. @internal */
  notify(): void {
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
    this.#follow();
    return () => {
      this.#listeners.delete(listener);
      this.#follow();
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
    this.notify();
  }

  /**
   * (Re)reads the topic and its first page of replies; a newer call supersedes an older one.
   * Never rejects: a failure sets `state` to `error` and `error`. `quiet`: what is shown stays
   * until the read is in (no loading state, so a form being typed in stays as it is), and a
   * failed read leaves it as it was.
   */
  async load(quiet?: boolean): Promise<void> {
    if (!this.#full) {
      // Only compact cards show it: join the page's next summaries read (a module of its own,
      // which a page without compact cards never loads).
      this.state = 'loading';
      return import('./summary-batch.js').then(
        ({ readSummary }) =>
          readSummary(this.api, this.topicId, (summary, error) => this.#settle(summary, error)),
        (error) => this.#settle(undefined, error),
      );
    }
    this.#loadAbort?.abort();
    const abort = (this.#loadAbort = new AbortController());
    this.loadingMore = false;
    if (!quiet) {
      this.state = 'loading';
      this.error = null;
      this.notify();
    }
    try {
      this.prime(
        await request<TopicWithReplies>(
          topicUrl(this.api, this.topicId) + (this.sort === 'oldest' ? '' : `?sort=${this.sort}`),
          {
            signal: abort.signal,
          },
        ),
        true,
      );
      await this.#mergeOwn(this.nextCursor === null);
      if (abort.signal.aborted) return;
    } catch (error) {
      if (isAbort(error) || abort.signal.aborted || quiet) return;
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
    this.#follow();
  }

  /**
   * Merges into the replies read this reader's own writes the read lacks (it was an older copy,
   * from a shared cache), when any are kept; their module is loaded only then. `complete`: the
   * replies run to the topic's last one.
   */
  async #mergeOwn(complete: boolean) {
    if (readJson(this.ownKey))
      await import('./own-writes.js').then(
        ({ mergeOwnWrites }) => mergeOwnWrites(this, complete),
        () => {},
      );
  }

  /**
   * Takes `read` (the topic's read, as `GET /api/v1/topics/:id` answers it) as the store's
   * state without a request: {@link load} does so with what it fetched, and a server-rendered
   * page with the read it brought in its HTML. `held`: with this reader's replies held for
   * review, which are not in what everyone reads (a server-rendered page adds them once its
   * elements have hydrated: the server rendered none).
   */
  prime(
    { replies, nextCursor, moreInThread, lastEventId, ...topic }: TopicWithReplies,
    held?: boolean,
  ): void {
    this.topic = topic;
    this.replies = replies;
    if (held) for (const reply of this.#held) if (!replies.some((r) => r.id === reply.id)) this.insert(reply);
    this.nextCursor = nextCursor;
    this.moreInThread = moreInThread;
    this.total = topic.replyCount;
    if (this.#stream) this.#stream.lastEventId = lastEventId;
    else this.#lastEventId = lastEventId;
    this.unseen = [];
    this.state = 'ready';
  }

  /**
   * Appends the next page of replies (whole threads; a thread the last page cut goes on first);
   * no-op on the last page. `thread`: reads the next replies of the thread the last page cut
   * ({@link moreInThread}) instead, each put in its place in that thread. A module of its own,
   * loaded on the first click: most readers never load more.
   */
  loadMore(thread?: boolean): Promise<void> {
    return import('./load-more.js').then((more) => more.loadMore(this, thread, this.#loadAbort?.signal));
  }

  /**
   * Starts solving the proof of work the server may ask for, in the background, so that it is
   * ready by the time the reader posts. Called when the reader starts writing; loads the module
   * that posts replies, which most readers never need.
   */
  prepare(): Promise<string> {
    return import('./post-reply.js').then(
      ({ prepare }) => prepare(this),
      () => '',
    );
  }

  /**
   * Posts a reply. It appears at once (see {@link isSending}), is replaced by the server's reply
   * on success, and is removed on refusal, which rejects with the server's {@link ColloquyError}.
   * `token` is the host site's signed-in user token, if any.
   */
  async postReply(input: NewReply, token?: string): Promise<Reply> {
    return (await import('./post-reply.js')).postReply(this, input, token);
  }

  /** Keeps `reply`, held for review, for its author to see after a reload. @internal */
  hold(reply: Reply): void {
    writeJson(this.#heldKey, (this.#held = [...this.#held, reply]));
  }

  /** Whether this reader's reaction of `kind` on `target` is on (remembered in localStorage). */
  isActive(target: ReactionTarget, kind: ReactionKind): boolean {
    return this.#active.has(`${target ?? ''}:${kind}`);
  }

  /** Toggles this reader's reaction optimistically, then settles on the server's state. */
  async react(target: ReactionTarget, kind: ReactionKind): Promise<ReactionState> {
    return (await import('./react.js')).react(this, target, kind);
  }

  /** Turns this reader's reaction of `kind` on `target` on or off, remembered. @internal */
  activate(target: ReactionTarget, kind: ReactionKind, on: boolean): void {
    const key = `${target ?? ''}:${kind}`;
    if (on) this.#active.add(key);
    else this.#active.delete(key);
    writeJson(this.#activeKey, [...this.#active]);
  }
}

const registry = new Map<string, TopicStore>();
/** A store's key in the registry: the API base without trailing slashes, and the topic. */
const keyOf = (base: string, topic: string) => `${base.replace(/\/+$/, '')} ${topic}`;

/** The page-wide store of `topic` on the server at `api`: the same instance for every caller. */
export function topicStore(api: string, topic: string): TopicStore {
  const key = keyOf(api, topic);
  let store = registry.get(key);
  if (!store) registry.set(key, (store = new TopicStore(api.replace(/\/+$/, ''), topic)));
  return store;
}

/** Forgets the page-wide store of `topic` (a server rendering one page after another). */
export const forgetStore = (api: string, topic: string): void => void registry.delete(keyOf(api, topic));
