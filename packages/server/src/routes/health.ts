import { Hono } from 'hono';
import { ProblemError } from '../problem.js';
import type { AppDeps } from './deps.js';

/** `GET /healthz`: 200 while the server and its database answer, else 503. */
export function healthRoutes({ store }: AppDeps) {
  return new Hono().get('/healthz', async (c) => {
    try {
      await store.ping();
    } catch (error) {
      console.error(error);
      throw new ProblemError(
        503,
        'store-unavailable',
        'Store unavailable',
        'The server cannot reach its database.',
      );
    }
    return c.json({ status: 'ok' as const });
  });
}
