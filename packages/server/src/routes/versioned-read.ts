import type { Context } from 'hono';
import { EDIT_TOKEN_HEADER, type Reply, type ReplySort } from '@colloquy/api';
import { negotiate } from '../compression.js';
import {
  encodedTag,
  isFresh,
  type KeptBody,
  keptBytes,
  notModified,
  PUBLIC_READ,
  validatingItself,
  VARY_READ,
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
  kind: 't' | 'r' | 'i';
  limit: number;
  /** The page's position: a cursor, or `@` and a reply's id for the page around it. */
  cursor: string | undefined;
  /** The order of the top-level replies. */
  sort: ReplySort;
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
 * only a request without a reader key may be answered from the version alone. Kept bodies go
 * out brotli- or gzip-compressed as the client accepts (each coding compressed once per
 * version, with an ETag of its own).
 */
export async function versionedRead<T extends { replies: Reply[] }>(
  c: Context,
  { store, bodies, topicId, kind, limit, cursor, sort, readerHash, read }: VersionedRead<T>,
): Promise<Response> {
  c.header('Vary', VARY_READ);
  validatingItself(c);
  const version = await store.topicVersion(topicId);
  if (version === null) throw notFound(`No topic "${topicId}".`);
  const encoding = negotiate(c.req.header('Accept-Encoding'));
  const key = `${limit}\n${cursor ?? ''}\n${sort}\n${topicId}`;
  const kept = readerHash ? undefined : bodies.get(key, version);
  // The oldest-first tags stay as they were, so caches keep what they hold.
  const tag =
    kept?.etag ?? versionTag(kind, [version], [limit, cursor ?? '', ...(sort === 'oldest' ? [] : [sort])]);
  // A reader's own read is sent as it is (it is never kept); a kept body in the coding asked for.
  const etag = readerHash ? tag : encodedTag(tag, encoding);
  if (!readerHash && isFresh(c, etag)) return notModified(c, etag, VARY_READ);
  const send = (entry: KeptBody) => {
    c.header('ETag', etag);
    c.header('Cache-Control', PUBLIC_READ);
    return keptBytes(c, bodies.encode(entry, encoding), encoding);
  };
  if (kept) return send(kept);

  const result = await read();
  if (markPrivateIfPending(c, result.replies)) return c.json(result);
  // A write during the read: the body may be newer than the tag, so it gets none.
  if ((await store.topicVersion(topicId)) === version) {
    if (isFresh(c, etag)) return notModified(c, etag, VARY_READ);
    if (!readerHash) return send(bodies.set(key, version, tag, result));
    c.header('ETag', etag);
    c.header('Cache-Control', PUBLIC_READ);
    return c.json(result);
  }
  c.header('Cache-Control', PUBLIC_READ);
  return c.json(result);
}

export interface VersionedReplyRead {
  store: Store;
  replyId: string;
  /** The reader's key digest, when the request names a reader. */
  readerHash: Buffer | null;
  /** Whether the request carries the admin token (which sees replies awaiting review). */
  admin: boolean;
  /** Whether the request carries the reply's own edit token (checked before). */
  author: boolean;
}

/**
 * What one reply's answer varies with: the reader, and the credentials that add the Markdown
 * source (the edit token, the admin token), so that no cache hands a copy without it to them.
 */
export const VARY_REPLY = `${VARY_READER}, ${EDIT_TOKEN_HEADER}, Authorization`;

/**
 * A read of one reply, tagged like the topic reads by its topic's version (which every change
 * to the reply moves) and the reply's id: a revalidation is a 304 after one indexed lookup,
 * and every server on the database computes the same tag. A reply awaiting review is only
 * its author's (and a moderator's) to read, so it is never answered from the version and never
 * tagged; nor is any request with a reader key answered from the version alone. A moderator
 * sees hidden replies in full, which no shared cache may keep for readers: their answers are
 * private and untagged. So are the answers with the Markdown source, to a moderator or to the
 * reply's author (its edit token): they are never a 304 of the public copy's tag, and the
 * `Vary` header names the headers that make them differ.
 */
export async function versionedReplyRead(
  c: Context,
  { store, replyId, readerHash, admin, author }: VersionedReplyRead,
): Promise<Response> {
  c.header('Vary', VARY_REPLY);
  validatingItself(c);
  const found = await store.replyVersion(replyId);
  if (found === null) throw notFound(`No reply "${replyId}".`);
  const etag = versionTag('i', [found.topicVersion], [replyId]);
  const withSource = admin || author;
  if (!found.pending && !readerHash && !withSource && isFresh(c, etag))
    return notModified(c, etag, VARY_REPLY);
  const reply = await store.getReply(replyId, { readerHash, admin, author, source: withSource });
  if (!reply) throw notFound(`No reply "${replyId}".`);
  if (markPrivateIfPending(c, [reply])) return c.json(reply);
  if (withSource) {
    c.header('Cache-Control', 'private, no-store');
    return c.json(reply);
  }
  c.header('Cache-Control', PUBLIC_READ);
  // A write during the read: the body may be newer than the tag, so it gets none.
  const now = await store.replyVersion(replyId);
  if (now?.topicVersion === found.topicVersion) {
    if (isFresh(c, etag)) return notModified(c, etag, VARY_REPLY);
    c.header('ETag', etag);
  }
  return c.json(reply);
}
