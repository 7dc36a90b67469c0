import { Hono } from 'hono';
import type { TopicWithReplies } from '@colloquy/widget/api-types.js';
import { cursorParam } from '../cursor.js';
import { renderMarkdown } from '../markdown.js';
import { adminOnly, jsonObjectBody } from '../middleware.js';
import { notFound } from '../problem.js';
import { optionalReaderHeader, pageQuery, summariesQuery, topicIdParam, topicInput } from '../schemas.js';
import { validate } from '../validate.js';
import { fromStoreError, type AppDeps } from './deps.js';
import { markPrivateIfPending, readerHashOf } from './replies.js';

export function topicRoutes({ store, config, guards }: AppDeps) {
  return new Hono()
    .get('/', validate('query', summariesQuery), async (c) => {
      const ids = [...new Set(c.req.valid('query').ids)];
      return c.json({ topics: await store.getTopicSummaries(ids) });
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
      const { limit, cursor } = c.req.valid('query');
      const topic = await store.getTopic(id);
      if (!topic) throw notFound(`No topic "${id}".`);
      const page = await store
        .listReplies(id, { limit: limit ?? config.pageSize, cursor: cursorParam(cursor) }, { readerHash: readerHashOf(c) })
        .catch((e: unknown) => {
          throw fromStoreError(e);
        });
      markPrivateIfPending(c, page.replies);
      const result: TopicWithReplies = { ...topic, replies: page.replies, nextCursor: page.nextCursor };
      return c.json(result);
    });
}
