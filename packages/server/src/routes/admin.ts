import { Hono, type Context } from 'hono';
import { MAX_PENDING_REPLIES, type PendingReplies } from '@colloquy/api';
import { adminOnly } from '../middleware/admin-only/index.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { notFound } from '../problem.js';
import { ADDRESS_PREFIX_RULE, banInput, lockInput, replyIdParam, topicIdParam } from '@colloquy/api/schemas';
import { parsePrefix } from '../abuse/client-address.js';
import { actorOf } from '../auth/sessions.js';
import { sha256 } from '../digest.js';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';

/**
 * A ban as the contract has it, with its address widened to the /24 or /64 the limits and bans
 * use. The address is checked beside the other fields, so one refusal names every mistake.
 */
const banRequest = banInput
  .refine((v) => v.addressPrefix === undefined || parsePrefix(v.addressPrefix) !== null, {
    path: ['addressPrefix'],
    message: ADDRESS_PREFIX_RULE,
    when: ({ issues }) => !issues.some((issue) => issue.path?.[0] === 'addressPrefix'),
  })
  .transform(({ readerKey, readerId, addressPrefix, expiresAt, reason }) => ({
    readerKey,
    readerHash: readerKey ? sha256(readerKey) : readerId ? Buffer.from(readerId, 'hex') : null,
    addressPrefix: addressPrefix === undefined ? null : parsePrefix(addressPrefix),
    expiresAt: expiresAt ?? null,
    reason: reason ?? null,
  }))
  .refine((v) => v.expiresAt === null || new Date(v.expiresAt).getTime() > Date.now(), {
    path: ['expiresAt'],
    message: 'expiresAt must be in the future',
  });

/** Moderation, all behind the admin bearer token. */
export function adminRoutes({ store, admin, announce }: AppDeps) {
  const setStatus = (status: 'published' | 'hidden' | 'deleted') => async (c: Context, id: string) => {
    const reply = await store.setReplyStatus(id, status, actorOf(c));
    if (!reply) throw notFound(`No reply "${id}".`);
    await announce(reply.topicId);
    return reply;
  };
  const approve = setStatus('published');
  const hide = setStatus('hidden');
  const remove = setStatus('deleted');
  return new Hono()
    .use('*', adminOnly(admin))
    .get('/pending', async (c) => {
      c.header('Cache-Control', 'private, no-store');
      const result: PendingReplies = { replies: await store.listPending(MAX_PENDING_REPLIES) };
      return c.json(result);
    })
    .post('/replies/:id/approve', validate('param', replyIdParam), async (c) =>
      c.json(await approve(c, c.req.valid('param').id)),
    )
    .post('/replies/:id/hide', validate('param', replyIdParam), async (c) =>
      c.json(await hide(c, c.req.valid('param').id)),
    )
    .delete('/replies/:id', validate('param', replyIdParam), async (c) =>
      c.json(await remove(c, c.req.valid('param').id)),
    )
    .post('/bans', jsonObjectBody(), validate('json', banRequest), async (c) => {
      const { readerKey, readerHash, addressPrefix, expiresAt, reason } = c.req.valid('json');
      await store.addBan({ readerHash, addressPrefix, expiresAt, reason }, actorOf(c));
      // The reader key is not echoed back: the API never returns reader keys.
      return c.json(
        {
          banned: {
            readerKey: readerKey !== undefined,
            readerId: readerHash?.toString('hex') ?? null,
            addressPrefix,
            expiresAt,
          },
        },
        201,
      );
    })
    .post(
      '/topics/:id/lock',
      validate('param', topicIdParam),
      jsonObjectBody(),
      validate('json', lockInput),
      async (c) => {
        const { id } = c.req.valid('param');
        const topic = await store.setTopicLocked(id, c.req.valid('json').locked, actorOf(c));
        if (!topic) throw notFound(`No topic "${id}".`);
        return c.json(topic);
      },
    );
}
