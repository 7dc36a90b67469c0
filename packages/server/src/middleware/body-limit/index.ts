import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from '../../problem.js';

/**
 * 413 before any parsing: Content-Length when given, else counted while streaming (Hono's own
 * body limit, with a problem response). Reads are let through untouched: they have no body, and
 * merely asking @hono/node-server for one makes it build a full `Request` (headers, abort
 * signal, body stream) that reads never need otherwise.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError(
        413,
        'body-too-large',
        'Request body too large',
        `The request body must be at most ${maxBytes} bytes.`,
      );
    },
  });
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next));
}
