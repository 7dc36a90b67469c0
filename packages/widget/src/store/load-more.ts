import type { ReplyPage } from '@colloquy/api';
import { request } from '../api/client.js';
import { repliesPageUrl } from '../api/urls.js';
import { mergeOwnWrites } from './own-writes.js';
import { readJson } from './storage.js';
import { isAbort, type TopicStore } from './topic-store.js';

/**
 * Reading more replies: a module of its own, loaded on the first click of "Load more". See
 * {@link TopicStore.loadMore}; `signal` is the current read's, so a fresh read of the topic
 * drops what an older one was still loading.
 */
export async function loadMore(store: TopicStore, signal?: AbortSignal): Promise<void> {
  const cursor = store.nextCursor;
  if (!cursor || store.loadingMore) return;
  store.loadingMore = true;
  store.notify();
  try {
    const page = await request<ReplyPage>(
      repliesPageUrl(store.api, store.topicId, cursor),
      signal ? { signal } : {},
    );
    if (signal?.aborted) return;
    const known = new Set(store.replies.map((reply) => reply.id));
    store.replies = [...store.replies, ...page.replies.filter((reply) => !known.has(reply.id))];
    // The reader's own writes this page lacks (it was an older copy from a shared cache).
    if (readJson(store.ownKey)) mergeOwnWrites(store, !page.nextCursor);
    store.nextCursor = page.nextCursor;
    store.total = page.total;
  } catch (error) {
    if (!isAbort(error)) throw error;
  } finally {
    store.loadingMore = false;
    store.notify();
  }
}
