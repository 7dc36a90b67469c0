import { Hono } from 'hono';
import { cursorParam } from '../cursor.js';
import { pageTopicUrl } from '../ids.js';
import { renderMarkdown } from '../markdown.js';
import { jsonObjectBody } from '../middleware.js';
import { notFound } from '../problem.js';
import { newReply, pageQuery, replyIdParam, topicIdParam } from '../schemas.js';
import { validate } from '../validate.js';
import { fromStoreError, type AppDeps } from './deps.js';

export function replyRoutes({ store, config }: AppDeps) {
  return new Hono()
    .get('/topics/:id/replies', validate('param', topicIdParam), validate('query', pageQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const page = await store
        .listReplies(id, { limit: limit ?? config.pageSize, cursor: cursorParam(cursor) })
        .catch((e: unknown) => {
          throw fromStoreError(e);
        });
      return c.json(page);
    })
    .post(
      '/topics/:id/replies',
      validate('param', topicIdParam),
      jsonObjectBody(),
      validate('json', newReply),
      async (c) => {
        const { id } = c.req.valid('param');
        const input = c.req.valid('json');
        const { body, text } = renderMarkdown(input.body);
        const reply = await store
          .createReply({
            topicId: id,
            parentId: input.parentId ?? null,
            authorName: input.authorName,
            body,
            text,
            ...pageTopic(id, c.req.header('Origin'), input.pageTitle),
          })
          .catch((e: unknown) => {
            throw fromStoreError(e);
          });
        c.header('Location', `/api/v1/replies/${encodeURIComponent(reply.id)}`);
        return c.json(reply, 201);
      },
    )
    .get('/replies/:id', validate('param', replyIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const reply = await store.getReply(id);
      if (!reply) throw notFound(`No reply "${id}".`);
      return c.json(reply);
    });

  /**
   * A page topic (keyed by its URL) springs into existence on its first reply, but only when
   * posted from an allowed host page of that very origin, so nobody can create topics for
   * pages of other sites.
   */
  function pageTopic(id: string, origin: string | undefined, pageTitle: string | undefined) {
    const url = pageTopicUrl(id);
    if (!url || origin === undefined || !config.allowedOrigins.includes(origin) || url.origin !== origin) return {};
    return { createTopic: { title: pageTitle ?? id, url: id } };
  }
}
