import { Hono } from 'hono';
import {
  isFresh,
  notModified,
  PUBLIC_READ,
  validatingItself,
  VersionedBodies,
  versionTag,
} from '../caching.js';
import { actorOf } from '../auth/sessions.js';
import { cursorParam } from '../cursor.js';
import { renderMarkdown } from '../markdown.js';
import { adminOnly } from '../middleware/admin-only/index.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import {
  optionalReaderHeader,
  pageQuery,
  summariesQuery,
  topicIdParam,
  topicInput,
} from '@colloquy/api/schemas';
import { validate } from '../validate.js';
import { readerHashOf, type AppDeps } from './deps.js';
import { readTopic } from './topic-read.js';
import { versionedRead } from './versioned-read.js';

/** Topics: the summaries of listing pages, the admin's writes, and the read of one topic. */
export function topicRoutes({ store, config, admin }: AppDeps) {
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
    .post('/', adminOnly(admin), jsonObjectBody(), validate('json', topicInput), async (c) => {
      const input = c.req.valid('json');
      const { body, text } = renderMarkdown(input.body ?? '');
      const { topic, created } = await store.upsertTopic(
        {
          id: input.id,
          title: input.title,
          url: input.url ?? null,
          category: input.category ?? null,
          label: input.label ?? null,
          summary: input.summary ?? null,
          author: input.author
            ? { name: input.author.name, avatarUrl: input.author.avatarUrl ?? null }
            : null,
          ...(input.createdAt ? { createdAt: input.createdAt } : {}),
          body,
          text,
          source: input.body ?? '',
          sources: input.sources ?? [],
          locked: input.locked ?? false,
        },
        actorOf(c),
      );
      return c.json(topic, created ? 201 : 200);
    })
    .get(
      '/:id',
      validate('param', topicIdParam),
      validate('query', pageQuery),
      validate('header', optionalReaderHeader),
      async (c) => {
        const { id } = c.req.valid('param');
        const { limit = config.pageSize, cursor, sort = 'oldest' } = c.req.valid('query');
        const readerHash = readerHashOf(c);
        // Before the cache: a cursor of another order is refused even when a body is kept.
        cursorParam(cursor, sort);
        return versionedRead(c, {
          store,
          bodies,
          topicId: id,
          kind: 't',
          limit,
          cursor,
          sort,
          readerHash,
          read: () => readTopic(store, id, { limit, cursor, sort, readerHash }),
        });
      },
    );
}
