import { Hono } from 'hono';
import type { AppDeps } from './deps.js';

/** `GET /challenge`: a fresh proof-of-work challenge, never cached (each is single use). */
export function challengeRoutes({ pow }: AppDeps) {
  return new Hono().get('/challenge', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(pow.issue());
  });
}
