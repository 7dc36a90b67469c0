import type { MiddlewareHandler } from 'hono';
import { EDIT_TOKEN_HEADER, PROOF_HEADER, READER_HEADER } from '@colloquy/api';
import type { AppConfig } from '../../config.js';
import { ProblemError } from '../../problem.js';

/** Methods a preflight allows; a path's own methods are in the 405 answer's Allow. */
export const ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
// Last-Event-ID: EventSource sends it when it reconnects to an event stream.
const ALLOW_HEADERS = `Content-Type, Authorization, ${READER_HEADER}, ${EDIT_TOKEN_HEADER}, ${PROOF_HEADER}, Last-Event-ID`;
const EXPOSE_HEADERS = 'ETag, Location, Retry-After';

/**
 * CORS for the host pages in `allowedOrigins` only, never with credentials (the API uses no
 * cookies). It answers every preflight (OPTIONS) itself: 204 for an allowed origin or a request
 * without one, 403 for any other origin. The writes themselves are checked by crossSiteWrites().
 * Every answer varies by Origin, so caches keep them apart.
 */
export function cors(config: Pick<AppConfig, 'allowedOrigins'>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && config.allowedOrigins.includes(origin);
    if (origin !== undefined && !allowed && c.req.method === 'OPTIONS') {
      throw new ProblemError(
        403,
        'origin-not-allowed',
        'Origin not allowed',
        `Requests from ${origin} are not allowed; the server's operator can add it to COLLOQUY_ALLOWED_ORIGINS.`,
        undefined,
        { Vary: 'Origin' },
      );
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Vary', 'Origin');
      if (!allowed) return c.body(null, 204, { Allow: ALLOW_METHODS });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
      });
    }
    await next();
    // On the finished response's own headers: c.header() after the handler has answered would
    // copy the whole response into a new one (and @hono/node-server would then stream its body
    // back out chunk by chunk instead of writing the bytes it was given).
    const headers = c.res.headers;
    headers.append('Vary', 'Origin');
    if (allowed) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    return undefined;
  };
}
