import type { Reply, ReplyPage } from '@colloquy/api';
import { request } from '../api/client.js';
import { repliesPageUrl } from '../api/requests.js';
import { mergeOwnWrites } from './own-writes.js';
import { readJson } from './storage.js';
import { isAbort, type TopicStore } from './topic-store.js';

/**
 * Reading more replies: a module of its own, loaded on the first click of "Load more" or
 * "Show more replies". See {@link TopicStore.loadMore}; `signal` is the current read's, so a
 * fresh read of the topic drops what an older one was still loading.
 */
export async function loadMore(store: TopicStore, inThread?: boolean, signal?: AbortSignal): Promise<void> {
  // Only `true` reads in the thread: "Load more" hands its click event through.
  const thread = inThread === true;
  let cursor = thread ? store.moreInThread?.cursor : store.nextCursor;
  if (!cursor || store.loadingMore) return;
  store.loadingMore = true;
  store.notify();
  try {
    for (;;) {
      const page: ReplyPage = await request<ReplyPage>(
        repliesPageUrl(store.api, store.topicId, cursor, store.sort),
        signal ? { signal } : {},
      );
      if (signal?.aborted) return;
      const known = new Set(store.replies.map((reply) => reply.id));
      const fresh = page.replies.filter((reply) => !known.has(reply.id));
      store.moreInThread = page.moreInThread;
      store.total = page.total;
      // A thread's page has no cursor of the topic's pages: "Load more" goes on as it was.
      if (thread) for (const reply of fresh) store.insert(reply);
      else {
        append(store, page.replies, fresh);
        store.nextCursor = cursor = page.nextCursor;
        // A page of a cut thread that "Show more replies" has read already brings nothing new:
        // go on to the next (bounded by what the reader has read, 300 replies a page).
        if (!fresh.length && cursor) continue;
      }
      // The reader's own writes this page lacks (it was an older copy from a shared cache).
      if (readJson(store.ownKey)) mergeOwnWrites(store, !store.nextCursor);
      return;
    }
  } catch (error) {
    if (!isAbort(error)) throw error;
  } finally {
    store.loadingMore = false;
    store.notify();
  }
}

/**
 * Adds a page's `fresh` replies after those read. With a permalink's thread shown past the
 * pages read ({@link TopicStore.jump}), the threads before it go in before it, and once a page
 * reaches it, the rest of the page goes in its place (answers under their parents).
 */
function append(store: TopicStore, page: readonly Reply[], fresh: Reply[]) {
  const jump = store.jump;
  const at = jump ? store.replies.indexOf(jump) : -1;
  if (at < 0) {
    store.replies = [...store.replies, ...fresh];
    return;
  }
  const reached = page.findIndex((reply) => reply.id === jump?.id);
  const before = reached < 0 ? fresh : fresh.filter((reply) => page.indexOf(reply) < reached);
  store.replies = [...store.replies.slice(0, at), ...before, ...store.replies.slice(at)];
  if (reached < 0) return;
  store.jump = undefined;
  for (const reply of fresh)
    if (!before.includes(reply))
      if (reply.parentId) store.insert(reply);
      else store.replies = [...store.replies, reply];
}
