import type { Context } from 'hono';
import type { Reply } from '@colloquy/api';
import {
  isFresh,
  jsonBytes,
  notModified,
  PUBLIC_READ,
  validatingItself,
  VARY_READER,
  versionTag,
  type VersionedBodies,
} from '../caching.js';
import { notFound } from '../problem.js';
import type { Store } from '../store/store.js';

export interface VersionedRead<T> {
  store: Store;
  /** The serialized bodies this route keeps, per query and topic version. */
  bodies: VersionedBodies;
  topicId: string;
  /** Tells this route's ETags from another's for the same version: 't' topic, 'r' replies. */
  kind: 't' | 'r';
  limit: number;
  cursor: string | undefined;
  /** The reader's key digest, when the request names a reader. */
  readerHash: Buffer | null;
  read: () => Promise<T>;
}

/** Marks a response private when it includes a reply held for review (only its author gets it). */
export function markPrivateIfPending(c: Context, replies: readonly Reply[]): boolean {
  const own = replies.some((r) => r.status === 'pending');
  if (own) c.header('Cache-Control', 'private, no-store');
  return own;
}

/**
 * A read of a topic's replies tagged by the topic's version: a 304, or the body kept for this
 * version and query, after one indexed lookup; else `read()`, whose body is kept when the
 * version held still while it ran. A reader's own pending replies do not move the version, so
 * only a request without a reader key may be answered from the version alone.
 */
export async function versionedRead<T extends { replies: Reply[] }>(
  c: Context,
  { store, bodies, topicId, kind, limit, cursor, readerHash, read }: VersionedRead<T>,
): Promise<Response> {
  c.header('Vary', VARY_READER);
  validatingItself(c);
  const version = await store.topicVersion(topicId);
  if (version === null) throw notFound(`No topic "${topicId}".`);
  const key = `${limit}\n${cursor ?? ''}\n${topicId}`;
  const kept = readerHash ? undefined : bodies.get(key, version);
  const etag = kept?.etag ?? versionTag(kind, [version], [limit, cursor ?? '']);
  if (!readerHash && isFresh(c, etag)) return notModified(c, etag, VARY_READER);
  if (kept) {
    c.header('ETag', etag);
    c.header('Cache-Control', PUBLIC_READ);
    return jsonBytes(c, kept.body);
  }

  const result = await read();
  if (markPrivateIfPending(c, result.replies)) return c.json(result);
  // A write during the read: the body may be newer than the tag, so it gets none.
  if ((await store.topicVersion(topicId)) === version) {
    if (isFresh(c, etag)) return notModified(c, etag, VARY_READER);
    c.header('ETag', etag);
    c.header('Cache-Control', PUBLIC_READ);
    return readerHash ? c.json(result) : jsonBytes(c, bodies.set(key, version, etag, result));
  }
  c.header('Cache-Control', PUBLIC_READ);
  return c.json(result);
}
