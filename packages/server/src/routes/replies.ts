import { Hono } from 'hono';
import { EDIT_TOKEN_HEADER } from '@colloquy/api';
import {
  editTokenHeader,
  newReply,
  optionalReaderHeader,
  repliesQuery,
  replyEdit,
  replyIdParam,
  replyReadHeaders,
  topicIdParam,
} from '@colloquy/api/schemas';
import { VersionedBodies } from '../caching.js';
import { cursorParam } from '../cursor.js';
import { badRequest } from '../problem.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { rethrowStoreError } from '../store-errors.js';
import { validate } from '../validate.js';
import { readerHashOf, type AppDeps } from './deps.js';
import { markPrivateIfPending, versionedRead, versionedReplyRead } from './versioned-read.js';

/** Replies: the pages of a topic's thread, posting, reading one, and the author's edits. */
export function replyRoutes({ store, config, admin, replies, requester }: AppDeps) {
  // Reply pages serialized once per version and query (see VersionedBodies).
  const bodies = new VersionedBodies();

  return new Hono()
    .get(
      '/topics/:id/replies',
      validate('param', topicIdParam),
      validate('query', repliesQuery),
      validate('header', optionalReaderHeader),
      async (c) => {
        const { id } = c.req.valid('param');
        const { limit = config.pageSize, cursor, sort = 'oldest', around } = c.req.valid('query');
        if (around !== undefined && cursor !== undefined)
          throw badRequest('around and cursor cannot be combined: around names a reply, cursor a page.');
        // Before the cache: a cursor of another order is refused even when a body is kept.
        const position = cursorParam(cursor, sort);
        const readerHash = readerHashOf(c);
        return versionedRead(c, {
          store,
          bodies,
          topicId: id,
          kind: 'r',
          limit,
          cursor: around === undefined ? cursor : `@${around}`,
          sort,
          readerHash,
          read: () =>
            store
              .listReplies(
                id,
                { limit, cursor: position, sort, ...(around ? { around } : {}) },
                { readerHash },
              )
              .catch(rethrowStoreError),
        });
      },
    )
    .post(
      '/topics/:id/replies',
      validate('param', topicIdParam),
      validate('header', optionalReaderHeader),
      jsonObjectBody(),
      validate('json', newReply),
      async (c) => {
        const reply = await replies.create(c.req.valid('param').id, c.req.valid('json'), requester(c));
        c.header('Location', `/api/v1/replies/${encodeURIComponent(reply.id)}`);
        c.header('Cache-Control', 'no-store'); // it carries the edit token
        return c.json(reply, 201);
      },
    )
    .get('/replies/:id', validate('param', replyIdParam), validate('header', replyReadHeaders), async (c) => {
      const replyId = c.req.valid('param').id;
      // The author, proven by the edit token, is given the source; a wrong token is refused.
      const editToken = c.req.valid('header')[EDIT_TOKEN_HEADER];
      if (editToken !== undefined) await replies.checkEditToken(replyId, editToken);
      return versionedReplyRead(c, {
        store,
        replyId,
        readerHash: readerHashOf(c),
        admin: admin.isAdmin(c),
        author: editToken !== undefined,
      });
    })
    .patch(
      '/replies/:id',
      validate('param', replyIdParam),
      validate('header', editTokenHeader),
      jsonObjectBody(),
      validate('json', replyEdit),
      async (c) => {
        const editToken = c.req.valid('header')[EDIT_TOKEN_HEADER];
        const reply = await replies.edit(
          c.req.valid('param').id,
          c.req.valid('json').body,
          editToken,
          requester(c),
        );
        markPrivateIfPending(c, [reply]);
        return c.json(reply);
      },
    )
    .delete(
      '/replies/:id',
      validate('param', replyIdParam),
      validate('header', editTokenHeader),
      async (c) => {
        const reply = await replies.remove(c.req.valid('param').id, c.req.valid('header')[EDIT_TOKEN_HEADER]);
        return c.json(reply);
      },
    );
}
