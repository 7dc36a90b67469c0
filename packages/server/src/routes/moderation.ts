import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import {
  MAX_QUEUE_PAGE,
  type Bans,
  type CreatedModerator,
  type ModerationResults,
  type ModeratorSession,
  type Topic,
  type TopicSource,
} from '@colloquy/api';
import {
  ADDRESS_PREFIX_RULE,
  bulkActionInput,
  liftBanInput,
  logQuery,
  moderatorInput,
  moderatorNameParam,
  queueQuery,
  replyIdParam,
  signInInput,
  topicIdParam,
  topicInput,
} from '@colloquy/api/schemas';
import { renderMarkdown } from '../markdown.js';
import { parsePrefix } from '../abuse/client-address.js';
import { tooManyRequests, RateLimiter } from '../abuse/rate-limiter.js';
import { requireSiteAdmin } from '../auth/admin-token.js';
import { actorOf, sessionOf, type ConsoleSessions } from '../auth/sessions.js';
import { cursorParam } from '../cursor.js';
import { sha256 } from '../digest.js';
import { adminOnly } from '../middleware/admin-only/index.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { notFound, ProblemError } from '../problem.js';
import { rethrowStoreError } from '../store-errors.js';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';

/** Most bans listed at once. */
const MAX_BANS_LISTED = 500;
/** How often a console's live stream looks for changes of the queues, and how long it lasts. */
const STREAM_POLL_MS = 2000;
const STREAM_LIFETIME_MS = 10 * 60 * 1000;
/** Live streams one server keeps open at once; moderators are few. */
const MAX_STREAMS = 32;

/** The queue's filters, with the network widened to the /24 or /64 replies are filed under. */
const queueRequest = queueQuery
  .refine((v) => v.network === undefined || parsePrefix(v.network) !== null, {
    path: ['network'],
    message: ADDRESS_PREFIX_RULE.replace('addressPrefix', 'network'),
    when: ({ issues }) => !issues.some((issue) => issue.path?.[0] === 'network'),
  })
  .transform((v) => ({
    ...v,
    network: v.network === undefined ? undefined : (parsePrefix(v.network) ?? undefined),
  }));

/**
 * Signing in to the console and out of it: `POST /session` exchanges the admin token or a
 * moderator's token for a session cookie (see auth/sessions.ts), `GET /session` says who is
 * signed in (and the CSRF token), `DELETE /session` signs out.
 */
export function sessionRoutes({ store, admin, clientPrefix }: AppDeps, sessions: ConsoleSessions) {
  // Guessing tokens: at most 10 attempts a minute from one network.
  const attempts = new RateLimiter(10);
  return new Hono()
    .post('/', jsonObjectBody(), validate('json', signInInput), async (c) => {
      const retry = await attempts.hit(clientPrefix(c) ?? 'unknown');
      if (retry !== null)
        throw tooManyRequests(retry, 'At most 10 sign-in attempts a minute may come from one network.');
      const who = await sessions.whoseToken(c.req.valid('json').token);
      if (!who) {
        throw new ProblemError(
          401,
          'sign-in-failed',
          'Sign-in failed',
          admin.enabled || (await store.moderators.list()).length > 0
            ? 'That is neither the admin token nor a moderator token of this server.'
            : 'This server has no admin token; set COLLOQUY_ADMIN_TOKEN (or --admin-token) and sign in with it.',
        );
      }
      c.header('Cache-Control', 'no-store');
      const session: ModeratorSession = await sessions.start(c, who);
      return c.json(session, 201);
    })
    .get('/', (c) => {
      c.header('Cache-Control', 'no-store');
      const session = sessionOf(c);
      if (!session) {
        throw new ProblemError(
          401,
          'signed-out',
          'Not signed in',
          'Sign in with the admin token or a moderator token.',
        );
      }
      return c.json(session satisfies ModeratorSession);
    })
    .delete('/', async (c) => {
      await sessions.end(c);
      return c.body(null, 204);
    });
}

/** The console's API: queues, actions on many replies, bans and their lifting, the log, moderators. */
export function moderationRoutes({ store, admin, announce, config }: AppDeps) {
  let streams = 0;
  return new Hono()
    .use('*', adminOnly(admin))
    .use('*', async (c, next) => {
      await next();
      c.header('Cache-Control', 'private, no-store');
    })
    .get('/queue', validate('query', queueRequest), async (c) => {
      const query = c.req.valid('query');
      const page = await store
        .moderationQueue(
          {
            queue: query.queue,
            topicId: query.topic,
            author: query.author,
            readerHash: query.readerId === undefined ? undefined : Buffer.from(query.readerId, 'hex'),
            network: query.network,
            status: query.status,
            search: query.q,
          },
          { limit: query.limit ?? 50, cursor: cursorParam(query.cursor) },
        )
        .catch(rethrowStoreError);
      return c.json(page);
    })
    .post('/replies/actions', jsonObjectBody(), validate('json', bulkActionInput), async (c) => {
      const { action, ids } = c.req.valid('json');
      const by = actorOf(c);
      const results: ModerationResults['results'] = [];
      const touched = new Set<string>();
      for (const id of ids.slice(0, MAX_QUEUE_PAGE)) {
        const outcome = await store.moderate(id, action, by);
        if (outcome === null) results.push({ id, ok: false, detail: `No reply "${id}".` });
        else if ('refused' in outcome) results.push({ id, ok: false, detail: outcome.refused });
        else {
          results.push({ id, ok: true, reply: outcome.reply });
          touched.add(outcome.reply.topicId);
        }
      }
      for (const topicId of touched) await announce(topicId);
      return c.json({ results } satisfies ModerationResults);
    })
    .post('/replies/:id/restore', validate('param', replyIdParam), async (c) => {
      const { id } = c.req.valid('param');
      const outcome = await store.moderate(id, 'restore', actorOf(c));
      if (outcome === null) throw notFound(`No reply "${id}".`);
      if ('refused' in outcome)
        throw new ProblemError(409, 'not-restorable', 'Cannot restore', outcome.refused);
      await announce(outcome.reply.topicId);
      return c.json(outcome.reply);
    })
    .get('/topics/:id/source', validate('param', topicIdParam), async (c) => {
      // What a topic edit starts from: the body as it was written, not its plain text.
      const { id } = c.req.valid('param');
      const source = await store.getTopicSource(id);
      if (source === null) throw notFound(`No topic "${id}".`);
      return c.json({ id, source } satisfies TopicSource);
    })
    .post('/topics/preview', jsonObjectBody(), validate('json', topicInput), (c) => {
      // The topic as readers would see it once saved, rendered by the same Markdown rules; nothing is stored.
      const input = c.req.valid('json');
      const preview: Topic = {
        id: input.id,
        title: input.title,
        url: input.url ?? null,
        category: input.category ?? null,
        label: input.label ?? null,
        summary: input.summary ?? null,
        author: input.author ? { name: input.author.name, avatarUrl: input.author.avatarUrl ?? null } : null,
        createdAt: input.createdAt ?? new Date().toISOString(),
        ...renderMarkdown(input.body ?? ''),
        sources: (input.sources ?? []).map((s, k) => ({ n: k + 1, title: s.title, url: s.url })),
        reactions: { like: 0, insightful: 0, disagree: 0 },
        replyCount: 0,
        locked: input.locked ?? false,
      };
      return c.json(preview);
    })
    .get('/bans', async (c) => c.json({ bans: await store.listBans(MAX_BANS_LISTED) } satisfies Bans))
    .post('/bans/lift', jsonObjectBody(), validate('json', liftBanInput), async (c) => {
      const { kind, value } = c.req.valid('json');
      if (!(await store.liftBan(kind, value, actorOf(c))))
        throw notFound(`No ${kind} ban of "${value}" is in force.`);
      return c.body(null, 204);
    })
    .get('/log', validate('query', logQuery), async (c) => {
      const { limit = 50, before, reply } = c.req.valid('query');
      return c.json(
        await store.moderationLog({
          limit,
          before: before ?? null,
          ...(reply === undefined ? {} : { replyId: reply }),
        }),
      );
    })
    .get('/moderators', async (c) => {
      requireSiteAdmin(admin, c);
      return c.json({ moderators: await store.moderators.list() });
    })
    .post('/moderators', jsonObjectBody(), validate('json', moderatorInput), async (c) => {
      requireSiteAdmin(admin, c);
      const { name } = c.req.valid('json');
      const token = `cmod_${randomBytes(32).toString('base64url')}`;
      const moderator = await store.moderators.add(name, sha256(token), actorOf(c));
      if (!moderator)
        throw new ProblemError(
          409,
          'moderator-exists',
          'Name taken',
          `There is already a moderator "${name}".`,
        );
      return c.json({ ...moderator, token } satisfies CreatedModerator, 201);
    })
    .delete('/moderators/:name', validate('param', moderatorNameParam), async (c) => {
      requireSiteAdmin(admin, c);
      const { name } = c.req.valid('param');
      if (!(await store.moderators.remove(name, actorOf(c)))) throw notFound(`No moderator "${name}".`);
      return c.body(null, 204);
    })
    .get('/stream', async (c) => {
      const headers = { 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' };
      if (c.req.method === 'HEAD')
        return c.body(null, 200, { ...headers, 'Content-Type': 'text/event-stream' });
      if (streams >= MAX_STREAMS) {
        throw new ProblemError(
          503,
          'too-many-streams',
          'Too many live streams',
          'Try again in a minute.',
          undefined,
          {
            'Retry-After': '60',
          },
        );
      }
      streams++;
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      const heartbeat = Math.max(1, config.heartbeatSeconds) * 1000;
      return streamSSE(c, async (stream) => {
        try {
          let seen = await store.moderators.version();
          await stream.writeSSE({ event: 'ready', data: seen, retry: 3000 });
          const until = Date.now() + STREAM_LIFETIME_MS;
          let quietSince = Date.now();
          while (!stream.aborted && !stream.closed && Date.now() < until) {
            await stream.sleep(STREAM_POLL_MS);
            const now = await store.moderators.version();
            if (now !== seen) {
              seen = now;
              quietSince = Date.now();
              await stream.writeSSE({ event: 'queue', data: now });
            } else if (Date.now() - quietSince >= heartbeat) {
              quietSince = Date.now();
              await stream.write(': heartbeat\n\n');
            }
          }
        } finally {
          streams--;
        }
      });
    });
}
