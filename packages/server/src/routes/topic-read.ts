import type { ReplySort, TopicWithReplies } from '@colloquy/api';
import { cursorParam } from '../cursor.js';
import { notFound } from '../problem.js';
import { rethrowStoreError } from '../store-errors.js';
import type { Store } from '../store/store.js';

/**
 * The read of a topic with one page of its replies, as `GET /api/v1/topics/:id` answers it:
 * the JSON read and the server-rendered fragment are made from the same read.
 */
export async function readTopic(
  store: Store,
  id: string,
  {
    limit,
    cursor,
    sort = 'oldest',
    readerHash,
  }: { limit: number; cursor?: string | undefined; sort?: ReplySort; readerHash: Buffer | null },
): Promise<TopicWithReplies> {
  // Read before the topic, so that subscribing from it can repeat an event but never miss one.
  const lastEventId = await store.lastEventId(id);
  const topic = await store.getTopic(id);
  if (!topic) throw notFound(`No topic "${id}".`);
  const page = await store
    .listReplies(id, { limit, cursor: cursorParam(cursor, sort), sort }, { readerHash })
    .catch(rethrowStoreError);
  return {
    ...topic,
    replies: page.replies,
    nextCursor: page.nextCursor,
    moreInThread: page.moreInThread,
    lastEventId,
  };
}
