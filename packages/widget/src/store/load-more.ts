import type { ReplyPage } from '@colloquy/api';
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
        repliesPageUrl(store.api, store.topicId, cursor),
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
        store.replies = [...store.replies, ...fresh];
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
