import { Hono } from 'hono';
import { READER_HEADER, type ReactionKind } from '@colloquy/api';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { notFound } from '../problem.js';
import { reactionToggle, readerHeader, replyIdParam, topicIdParam } from '@colloquy/api/schemas';
import type { ReactionTarget } from '../store/store.js';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';

/** Reactions, toggled per reader, on a topic or on a reply. */
export function reactionRoutes({ store, announce }: AppDeps) {
  const toggle = async (target: ReactionTarget, kind: ReactionKind, reader: string) => {
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
        return c.json(await toggle(target, c.req.valid('json').kind, c.req.valid('header')[READER_HEADER]));
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
        return c.json(await toggle(target, c.req.valid('json').kind, c.req.valid('header')[READER_HEADER]));
      },
    );
}
