import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { etag } from 'hono/etag';
import { READER_HEADER } from '@colloquy/widget/api-types.js';
import type { AppConfig } from './config.js';
import { ProblemError } from './problem.js';
import { requireJson, sha256, tooManyRequests, type AdminAuth, type Guards } from './security.js';
import type { Store } from './store/store.js';

const ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, Authorization, X-Colloquy-Reader, X-Colloquy-Edit-Token, X-Colloquy-Proof';
const EXPOSE_HEADERS = 'ETag, Location, Retry-After';

/**
 * CORS for the host pages in `allowedOrigins` only, never with credentials (the API uses no
 * cookies). A preflight from any other origin is refused; the writes themselves are checked
 * by crossSiteWrites(). Every answer varies by Origin, so caches keep them apart.
 */
export function cors(config: AppConfig): MiddlewareHandler {
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
    c.header('Vary', 'Origin', { append: true });
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    return undefined;
  };
}

/** 413 before any parsing: Content-Length when given, else counted while streaming. */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
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
}

/**
 * Writes take a JSON object. Checked here rather than left to the validator, which treats a
 * missing or foreign Content-Type as an empty object and so would answer with field errors.
 */
export function jsonObjectBody(): MiddlewareHandler {
  return async (c, next) => {
    requireJson(c);
    let value: unknown;
    try {
      value = await c.req.json(); // cached by Hono, the validator reads the same parse
    } catch {
      throw new ProblemError(400, 'malformed-json', 'Malformed JSON', 'The request body is not valid JSON.');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ProblemError(422, 'invalid-body', 'The request body is not valid', 'The request body must be a JSON object.');
    }
    await next();
  };
}

/**
 * For every write but the admin's: banned readers and networks are refused (403), and writes
 * of any kind are counted per network (429 with Retry-After past the limit).
 */
export function abuseChecks(config: AppConfig, guards: Guards, store: Store): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' || guards.admin.isAdmin(c)) {
      return next();
    }
    const prefix = guards.clientPrefix(c);
    const readerKey = c.req.header(READER_HEADER);
    if (await store.isBanned({ readerHash: readerKey ? sha256(readerKey) : null, addressPrefix: prefix ?? null })) {
      throw new ProblemError(403, 'banned', 'Writing not allowed', 'A moderator has blocked writes from this reader or network.');
    }
    const retry = guards.writeLimit.hit(prefix ?? 'unknown');
    if (retry !== null) throw tooManyRequests(retry, `At most ${config.writeRateLimit} writes a minute may come from one network.`);
    return next();
  };
}

/** Admin calls: `Authorization: Bearer <COLLOQUY_ADMIN_TOKEN>`, compared in constant time. */
export function adminOnly(admin: AdminAuth): MiddlewareHandler {
  return async (c, next) => {
    admin.require(c);
    await next();
  };
}

/**
 * API reads may be stored but must be revalidated (replies arrive at any time); the ETag makes
 * revalidation cheap for the client, a 304 with no body.
 */
export function revalidatedReads(): MiddlewareHandler {
  const tag = etag();
  return (c, next) =>
    tag(c, async () => {
      await next();
      // A route that answered something private (a reader's own pending reply) has said so.
      if (c.req.method === 'GET' && c.res.ok && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache');
    });
}
