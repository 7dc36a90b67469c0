import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { MAX_FEED_ENTRIES, type Reply } from '@colloquy/api';
import { topicIdParam } from '@colloquy/api/schemas';
import { etagMatches, PUBLIC_READ, validatingItself } from '../caching.js';
import { ATOM_MEDIA_TYPE, renderAtom, type AtomEntry } from '../feeds/atom.js';
import { notFound } from '../problem.js';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';

/** Changes with the feeds' shape, so a cache never pairs a new tag with an old body. */
const FEED_REPRESENTATION = '1';
/** The time of a feed with no entry and no topic to date it by. */
const EPOCH = '1970-01-01T00:00:00.000Z';

/** A strong ETag from what the feed is read at (a topic's version, the site's version) and its base URL. */
const feedTag = (kind: string, version: string, base: string) =>
  `"${kind}${createHash('sha256')
    .update(JSON.stringify([FEED_REPRESENTATION, kind, version, base]))
    .digest('base64url')
    .slice(0, 20)}"`;

const notModified = (c: Context, etag: string) =>
  c.body(null, 304, { ETag: etag, 'Cache-Control': PUBLIC_READ });

const entryOf = (base: string, reply: Reply, title: string, alternate: string | null): AtomEntry => ({
  id: `${base}/api/v1/replies/${encodeURIComponent(reply.id)}`,
  title,
  updated: reply.editedAt ?? reply.createdAt,
  published: reply.createdAt,
  authorName: reply.author.name,
  content: reply.text,
  alternate,
});

const newest = (entries: AtomEntry[], fallback: string) =>
  entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), fallback);

/**
 * Atom feeds of published replies: `GET /api/v1/topics/:id/feed.atom` (a topic's newest
 * MAX_FEED_ENTRIES) and `GET /api/v1/feed.atom` (the site's). Nothing hidden, pending or deleted
 * is ever in them: they are read from the published replies as they are now. Tagged like the
 * JSON reads, by version, so a revalidation is a 304 after one indexed lookup.
 */
export function feedRoutes({ store, config }: AppDeps) {
  const baseOf = (c: Context) => (config.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
  const send = (c: Context, etag: string | null, xml: string) => {
    if (etag !== null) c.header('ETag', etag);
    c.header('Cache-Control', PUBLIC_READ);
    return c.body(xml, 200, { 'Content-Type': ATOM_MEDIA_TYPE });
  };

  return new Hono()
    .get('/topics/:id/feed.atom', validate('param', topicIdParam), async (c) => {
      const { id } = c.req.valid('param');
      validatingItself(c);
      const base = baseOf(c);
      const version = await store.topicVersion(id);
      if (version === null) throw notFound(`No topic "${id}".`);
      const etag = feedTag('a', String(version), base);
      if (etagMatches(c.req.header('If-None-Match'), etag)) return notModified(c, etag);
      const topic = await store.getTopic(id);
      if (!topic) throw notFound(`No topic "${id}".`);
      const replies = await store.feedReplies(id, MAX_FEED_ENTRIES);
      const entries = replies.map((reply) =>
        entryOf(base, reply, `Reply by ${reply.author.name}`, topic.url),
      );
      const self = `${base}/api/v1/topics/${encodeURIComponent(id)}/feed.atom`;
      const xml = renderAtom({
        id: self,
        title: `Replies to "${topic.title}"`,
        ...(topic.summary ? { subtitle: topic.summary } : {}),
        updated: newest(entries, topic.createdAt),
        self,
        alternate: topic.url,
        entries,
      });
      // A write during the read: the body may be newer than the tag, so it gets none.
      return send(c, (await store.topicVersion(id)) === version ? etag : null, xml);
    })
    .get('/feed.atom', async (c) => {
      validatingItself(c);
      const base = baseOf(c);
      const version = await store.siteVersion();
      const etag = feedTag('s', version, base);
      if (etagMatches(c.req.header('If-None-Match'), etag)) return notModified(c, etag);
      const replies = await store.siteFeedReplies(MAX_FEED_ENTRIES);
      const entries = replies.map((reply) =>
        entryOf(base, reply, `${reply.author.name} on "${reply.topic.title}"`, reply.topic.url),
      );
      const self = `${base}/api/v1/feed.atom`;
      const xml = renderAtom({
        id: self,
        title: 'Recent replies',
        updated: newest(entries, EPOCH),
        self,
        alternate: null,
        entries,
      });
      return send(c, (await store.siteVersion()) === version ? etag : null, xml);
    });
}
