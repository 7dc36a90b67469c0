import { Hono } from 'hono';
import { READER_HEADER, type ReactionKind } from '@colloquy/api';
import { KnownReaders } from '../abuse/known-readers.js';
import { tooManyRequests } from '../abuse/rate-limiter.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { notFound } from '../problem.js';
import { reactionToggle, readerHeader, replyIdParam, topicIdParam } from '@colloquy/api/schemas';
import type { ReactionTarget } from '../store/store.js';
import { validate } from '../validate.js';
import type { Context } from 'hono';
import type { AppDeps } from './deps.js';

/**
 * Reactions, toggled per reader, on a topic or on a reply. A reader key is the client's own
 * invention, so a key new to its network pays for its first reaction as a reply would (the
 * network's reply limit, `newReader`): inventing keys buys no more likes than posting buys
 * replies.
 */
export function reactionRoutes({ store, announce, admin, limits, clientPrefix, config }: AppDeps) {
  const known = new KnownReaders();
  const toggle = async (c: Context, target: ReactionTarget, kind: ReactionKind, reader: string) => {
    const network = clientPrefix(c) ?? 'unknown';
    if (!admin.isAdmin(c) && !known.has(network, reader)) {
      const retry = await limits.newReader.hit(network);
      if (retry !== null)
        throw tooManyRequests(
          retry,
          `At most ${config.replyRateLimit} new readers a minute may react from one network.`,
        );
      known.add(network, reader);
    }
    const state = await store.toggleReaction(target, kind, reader);
    if (!state) throw notFound(`No ${target.type} "${target.id}".`);
    const topicId =
      target.type === 'topic' ? target.id : (await store.getReplyCredentials(target.id))?.topicId;
    if (topicId !== undefined) await announce(topicId);
    return state;
  };
  return new Hono()
    .post(
      '/topics/:id/reactions',
      validate('param', topicIdParam),
      validate('header', readerHeader),
      jsonObjectBody(),
      validate('json', reactionToggle),
      async (c) => {
        const target = { type: 'topic', id: c.req.valid('param').id } as const;
        return c.json(
          await toggle(c, target, c.req.valid('json').kind, c.req.valid('header')[READER_HEADER]),
        );
      },
    )
    .post(
      '/replies/:id/reactions',
      validate('param', replyIdParam),
      validate('header', readerHeader),
      jsonObjectBody(),
      validate('json', reactionToggle),
      async (c) => {
        const target = { type: 'reply', id: c.req.valid('param').id } as const;
        return c.json(
          await toggle(c, target, c.req.valid('json').kind, c.req.valid('header')[READER_HEADER]),
        );
      },
    );
}
