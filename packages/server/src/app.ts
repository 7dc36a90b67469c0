import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { allowedMethods } from './allowed-methods.js';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory-bus.js';
import type { AppConfig } from './config.js';
import { abuseChecks } from './middleware/abuse-checks/index.js';
import { limitBody } from './middleware/body-limit/index.js';
import { cors } from './middleware/cors/index.js';
import { ConsoleSessions } from './auth/sessions.js';
import { consoleSession } from './middleware/console-session/index.js';
import { crossSiteWrites } from './middleware/cross-site-writes/index.js';
import { revalidatedReads } from './middleware/revalidated-reads/index.js';
import { closeUnreadBodies } from './middleware/unread-body-close/index.js';
import { ProblemError, problemResponse } from './problem.js';
import { adminRoutes } from './routes/admin.js';
import { assetRoutes } from './routes/assets.js';
import { challengeRoutes } from './routes/challenge.js';
import { createDeps } from './routes/deps.js';
import { emailLinkRoutes } from './routes/email-links.js';
import { embedRoutes } from './routes/embed.js';
import { eventRoutes } from './routes/events.js';
import { feedRoutes } from './routes/feeds.js';
import { healthRoutes } from './routes/health.js';
import { consoleRoutes } from './routes/console.js';
import { messageRoutes } from './routes/messages.js';
import { moderationRoutes, sessionRoutes } from './routes/moderation.js';
import { openApiRoutes } from './routes/openapi.js';
import { reportRoutes } from './routes/reports.js';
import { reactionRoutes } from './routes/reactions.js';
import { replyRoutes } from './routes/replies.js';
import { topicRoutes } from './routes/topics.js';
import { webhookRoutes } from './routes/webhooks.js';
import type { Store } from './store/store.js';

/** The API's paths: CORS, cross-site write checks, body limits and abuse checks apply there. */
const API = '/api/*';

/** What the app tells the notification dispatcher (see notify/dispatcher.ts). */
export interface Notifier {
  /** A write may have filled the outbox: look now rather than at the next poll. */
  wake(): void;
}

/**
 * Builds the app; it never listens (see cli.ts and listen()), so tests use `app.request()`.
 * `bus` tells event streams about writes; without one, a MemoryBus serves this process only
 * (enough for one server; several servers on one database need a shared bus). The caller
 * closes the bus it passed in. `notifier` is woken after every write (the server's
 * dispatcher); without one, the outbox waits for whatever dispatcher polls it.
 */
export function createApp({
  store,
  config,
  bus = new MemoryBus(),
  notifier,
}: {
  store: Store;
  config: AppConfig;
  bus?: Bus;
  notifier?: Notifier;
}) {
  const deps = createDeps({ store, config, bus });
  const sessions = new ConsoleSessions(store, deps.admin, config);
  const app = new Hono()
    .use('*', closeUnreadBodies())
    .use('*', async (c, next) => {
      await next();
      if (notifier && c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS')
        notifier.wake();
    })
    .use(API, cors(config))
    .use(API, consoleSession(sessions))
    .use(API, crossSiteWrites(config, deps.admin))
    .use(API, limitBody(config.maxBodyBytes))
    .use(
      API,
      abuseChecks({
        store,
        admin: deps.admin,
        writeLimit: deps.limits.write,
        clientPrefix: deps.clientPrefix,
      }),
    )
    .use(API, revalidatedReads())
    .route('/', healthRoutes(deps))
    .route('/api/v1/topics', topicRoutes(deps))
    .route('/api/v1/topics', eventRoutes(deps))
    .route('/api/v1/topics', embedRoutes(deps))
    .route('/api/v1', replyRoutes(deps))
    .route('/api/v1', reactionRoutes(deps))
    .route('/api/v1', challengeRoutes(deps))
    .route('/api/v1/admin', adminRoutes(deps))
    .route('/api/v1/admin', webhookRoutes(deps))
    .route('/api/v1/admin', moderationRoutes(deps))
    .route('/api/v1/console/session', sessionRoutes(deps, sessions))
    .route('/api/v1', reportRoutes(deps))
    .route('/api/v1', feedRoutes(deps))
    .route('/api/v1', messageRoutes(config))
    .route('/email', emailLinkRoutes(deps))
    .route('/', assetRoutes(config))
    .route('/admin', consoleRoutes(config));
  app.route('/api/v1', openApiRoutes(app));

  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      // Raised by Hono's own middleware for a client's mistake; keep its status.
      const status = error.status as ContentfulStatusCode;
      return problemResponse(
        c,
        new ProblemError(
          status,
          'bad-request',
          'Bad request',
          error.message || 'The request could not be processed.',
        ),
      );
    }
    console.error(error);
    return problemResponse(
      c,
      new ProblemError(
        500,
        'internal',
        'Internal server error',
        'The server failed to answer; the fault is logged. Try again later.',
      ),
    );
  });

  // A known path asked with a method it does not answer is a 405 with Allow, not a 404.
  const allowed = allowedMethods(app, [API]);
  app.notFound((c) => {
    const allow = allowed(c.req.path);
    if (allow !== null) {
      return problemResponse(
        c,
        new ProblemError(
          405,
          'method-not-allowed',
          'Method not allowed',
          `${c.req.method} is not supported here; use ${allow}.`,
          undefined,
          {
            Allow: allow,
          },
        ),
      );
    }
    return problemResponse(
      c,
      new ProblemError(404, 'not-found', 'Not found', `There is nothing at ${c.req.path}.`),
    );
  });

  return app;
}

export type AppType = ReturnType<typeof createApp>;
