import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory-bus.js';
import type { AppConfig } from './config.js';
import { abuseChecks } from './middleware/abuse-checks/index.js';
import { limitBody } from './middleware/body-limit/index.js';
import { cors } from './middleware/cors/index.js';
import { crossSiteWrites } from './middleware/cross-site-writes/index.js';
import { revalidatedReads } from './middleware/revalidated-reads/index.js';
import { ProblemError, problemResponse } from './problem.js';
import { adminRoutes } from './routes/admin.js';
import { assetRoutes } from './routes/assets.js';
import { messageRoutes } from './routes/messages.js';
import { createDeps } from './routes/deps.js';
import { eventRoutes } from './routes/events.js';
import { reactionRoutes } from './routes/reactions.js';
import { replyRoutes } from './routes/replies.js';
import { topicRoutes } from './routes/topics.js';
import type { Store } from './store/store.js';

/** Known paths and their methods, so a wrong method is a 405 with `Allow` rather than a 404. */
const KNOWN_PATHS: Array<[RegExp, string]> = [
  [/^\/healthz$/, 'GET, HEAD'],
  [/^\/widget\.js$/, 'GET, HEAD'],
  [/^\/api\/v1\/topics$/, 'GET, HEAD, POST, OPTIONS'],
  [/^\/api\/v1\/topics\/[^/]+$/, 'GET, HEAD, OPTIONS'],
  [/^\/api\/v1\/topics\/[^/]+\/replies$/, 'GET, HEAD, POST, OPTIONS'],
  [/^\/api\/v1\/topics\/[^/]+\/events$/, 'GET, HEAD, OPTIONS'],
  [/^\/api\/v1\/messages\/[^/]+$/, 'GET, HEAD, OPTIONS'],
  [/^\/api\/v1\/replies\/[^/]+$/, 'GET, HEAD, PATCH, DELETE, OPTIONS'],
  [/^\/api\/v1\/(topics|replies)\/[^/]+\/reactions$/, 'POST, OPTIONS'],
  [/^\/api\/v1\/challenge$/, 'GET, HEAD, OPTIONS'],
  [/^\/api\/v1\/admin\/pending$/, 'GET, HEAD, OPTIONS'],
  [/^\/api\/v1\/admin\/replies\/[^/]+\/(approve|hide)$/, 'POST, OPTIONS'],
  [/^\/api\/v1\/admin\/replies\/[^/]+$/, 'DELETE, OPTIONS'],
  [/^\/api\/v1\/admin\/bans$/, 'POST, OPTIONS'],
  [/^\/api\/v1\/admin\/topics\/[^/]+\/lock$/, 'POST, OPTIONS'],
];

/**
 * Builds the app; it never listens (see cli.ts and listen()), so tests use `app.request()`.
 * `bus` tells event streams about writes; without one, a MemoryBus serves this process only
 * (enough for one server; several servers on one database need a shared bus). The caller
 * closes the bus it passed in.
 */
export function createApp({ store, config, bus = new MemoryBus() }: { store: Store; config: AppConfig; bus?: Bus }) {
  const deps = createDeps({ store, config, bus });
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      // Raised by Hono's own middleware for a client's mistake; keep its status.
      const status = error.status as ContentfulStatusCode;
      return problemResponse(c, new ProblemError(status, 'bad-request', 'Bad request', error.message || 'The request could not be processed.'));
    }
    console.error(error);
    return problemResponse(
      c,
      new ProblemError(500, 'internal', 'Internal server error', 'The server failed to answer; the fault is logged. Try again later.'),
    );
  });

  app.notFound((c) => {
    const allow = KNOWN_PATHS.find(([pattern]) => pattern.test(c.req.path))?.[1];
    if (allow) {
      return problemResponse(
        c,
        new ProblemError(405, 'method-not-allowed', 'Method not allowed', `${c.req.method} is not supported here; use ${allow}.`, undefined, {
          Allow: allow,
        }),
      );
    }
    return problemResponse(c, new ProblemError(404, 'not-found', 'Not found', `There is nothing at ${c.req.path}.`));
  });

  return app
    .use('/api/*', cors(config))
    .use('/api/*', crossSiteWrites(config, deps.admin))
    .use('/api/*', limitBody(config.maxBodyBytes))
    .use('/api/*', abuseChecks({ store, admin: deps.admin, writeLimit: deps.limits.write, clientPrefix: deps.clientPrefix }))
    .use('/api/*', revalidatedReads())
    .get('/healthz', async (c) => {
      try {
        await store.ping();
      } catch (error) {
        console.error(error);
        throw new ProblemError(503, 'store-unavailable', 'Store unavailable', 'The server cannot reach its database.');
      }
      return c.json({ status: 'ok' as const });
    })
    .route('/api/v1/topics', topicRoutes(deps))
    .route('/api/v1/topics', eventRoutes(deps))
    .route('/api/v1', replyRoutes(deps))
    .route('/api/v1', reactionRoutes(deps))
    .route('/api/v1/admin', adminRoutes(deps))
    .route('/api/v1', messageRoutes())
    .route('/', assetRoutes(config));
}

export type AppType = ReturnType<typeof createApp>;
