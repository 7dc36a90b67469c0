import { Hono } from 'hono';
import type { TopicWithReplies } from '@colloquy/widget/api-types.js';
import { isFresh, jsonBytes, notModified, PUBLIC_READ, validatingItself, VARY_READER, VersionedBodies, versionTag } from '../caching.js';
import { cursorParam } from '../cursor.js';
import { renderMarkdown } from '../markdown.js';
import { adminOnly, jsonObjectBody } from '../middleware.js';
import { notFound } from '../problem.js';
import { optionalReaderHeader, pageQuery, summariesQuery, topicIdParam, topicInput } from '../schemas.js';
import { validate } from '../validate.js';
import { fromStoreError, type AppDeps } from './deps.js';
import { markPrivateIfPending, readerHashOf } from './replies.js';

export function topicRoutes({ store, config, guards }: AppDeps) {
  // Topic reads serialized once per version and query (see VersionedBodies).
  const bodies = new VersionedBodies();
  return new Hono()
    .get('/', validate('query', summariesQuery), async (c) => {
      const ids = [...new Set(c.req.valid('query').ids)];
      validatingItself(c);
      // One cheap lookup per topic decides a revalidation; summaries change only with versions.
      const versions = await Promise.all(ids.map((id) => store.topicVersion(id)));
      const etag = versionTag('s', versions, ids);
      if (isFresh(c, etag)) return notModified(c, etag);
      const topics = await store.getTopicSummaries(ids);
      const settled = await Promise.all(ids.map((id) => store.topicVersion(id)));
      // A write between the two lookups: the body may be newer than the tag, so send none.
      if (settled.every((v, k) => v === versions[k])) c.header('ETag', etag);
      c.header('Cache-Control', PUBLIC_READ);
      return c.json({ topics });
    })
    .post('/', adminOnly(guards.admin), jsonObjectBody(), validate('json', topicInput), async (c) => {
      const input = c.req.valid('json');
      const { body, text } = renderMarkdown(input.body ?? '');
      const { topic, created } = await store.upsertTopic({
        id: input.id,
        title: input.title,
        url: input.url ?? null,
        category: input.category ?? null,
        label: input.label ?? null,
        summary: input.summary ?? null,
        author: input.author ? { name: input.author.name, avatarUrl: input.author.avatarUrl ?? null } : null,
        ...(input.createdAt ? { createdAt: input.createdAt } : {}),
        body,
        text,
        sources: input.sources ?? [],
        locked: input.locked ?? false,
      });
      return c.json(topic, created ? 201 : 200);
    })
    .get('/:id', validate('param', topicIdParam), validate('query', pageQuery), validate('header', optionalReaderHeader), async (c) => {
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const limit = query.limit ?? config.pageSize;
      const cursor = cursorParam(query.cursor);
      const readerHash = readerHashOf(c);
      c.header('Vary', VARY_READER);
      validatingItself(c);

      const version = await store.topicVersion(id);
      if (version === null) throw notFound(`No topic "${id}".`);
      const key = `${limit}\n${query.cursor ?? ''}\n${id}`;
      // A reader's own pending replies do not move the version, so only a request without a
      // reader key may be answered from the version alone: a 304, or the body kept for it.
      const kept = readerHash ? undefined : bodies.get(key, version);
      const etag = kept?.etag ?? versionTag('t', [version], [limit, query.cursor ?? '']);
      if (!readerHash && isFresh(c, etag)) return notModified(c, etag, VARY_READER);
      if (kept) {
        c.header('ETag', etag);
        c.header('Cache-Control', PUBLIC_READ);
        return jsonBytes(c, kept.body);
      }

      // Read before the topic, so that subscribing from it can repeat an event but never miss one.
      const lastEventId = await store.lastEventId(id);
      const topic = await store.getTopic(id);
      if (!topic) throw notFound(`No topic "${id}".`);
      const page = await store.listReplies(id, { limit, cursor }, { readerHash }).catch((e: unknown) => {
        throw fromStoreError(e);
      });
      const result: TopicWithReplies = { ...topic, replies: page.replies, nextCursor: page.nextCursor, lastEventId };
      if (markPrivateIfPending(c, page.replies)) return c.json(result);
      // A write during the read: the body may be newer than the tag, so send none.
      if ((await store.topicVersion(id)) === version) {
        if (isFresh(c, etag)) return notModified(c, etag, VARY_READER);
        c.header('ETag', etag);
        c.header('Cache-Control', PUBLIC_READ);
        return readerHash ? c.json(result) : jsonBytes(c, bodies.set(key, version, etag, result));
      }
      c.header('Cache-Control', PUBLIC_READ);
      return c.json(result);
    });
}
