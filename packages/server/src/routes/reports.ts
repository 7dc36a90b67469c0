import { Hono } from 'hono';
import { replyIdParam, reportInput } from '@colloquy/api/schemas';
import { RateLimiter, tooManyRequests } from '../abuse/rate-limiter.js';
import { jsonObjectBody } from '../middleware/json-object-body/index.js';
import { notFound } from '../problem.js';
import { validate } from '../validate.js';
import { readerHashOf, type AppDeps } from './deps.js';

/** Reports one network may make in a minute. */
const REPORTS_PER_MINUTE = 10;

/**
 * `POST /replies/:id/reports`: a reader reports a published reply to the moderators. Each
 * reader (by reader key, else network) counts once per reply; reports are rate-limited per
 * network; the reply joins the console's "reported" queue and a reply.reported notification
 * goes out for a new report.
 */
export function reportRoutes({ store, clientPrefix }: AppDeps) {
  const limit = new RateLimiter(REPORTS_PER_MINUTE);
  return new Hono().post(
    '/replies/:id/reports',
    validate('param', replyIdParam),
    jsonObjectBody(),
    validate('json', reportInput),
    async (c) => {
      const network = clientPrefix(c);
      const retry = await limit.hit(network ?? 'unknown');
      if (retry !== null)
        throw tooManyRequests(
          retry,
          `At most ${REPORTS_PER_MINUTE} reports a minute may come from one network.`,
        );
      const { id } = c.req.valid('param');
      const reporter = readerHashOf(c)?.toString('hex') ?? (network ? `network:${network}` : 'anonymous');
      const reported = await store.recordReport(id, { reporter, reason: c.req.valid('json').reason ?? null });
      if (!reported) throw notFound(`No published reply "${id}".`);
      return c.json({ reported: true }, 202);
    },
  );
}
