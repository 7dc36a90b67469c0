import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { READER_HEADER } from '@colloquy/api';
import { etagMatches, validatesItself } from './caching.js';
import type { AppConfig } from './config.js';
import { ProblemError } from './problem.js';
import { requireJson, sha256, tooManyRequests, type AdminAuth, type Guards } from './security.js';
import type { Store } from './store/store.js';

const ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
// Last-Event-ID: EventSource sends it when it reconnects to an event stream.
const ALLOW_HEADERS = 'Content-Type, Authorization, X-Colloquy-Reader, X-Colloquy-Edit-Token, X-Colloquy-Proof, Last-Event-ID';
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

/**
 * 413 before any parsing: Content-Length when given, else counted while streaming. Reads are
 * let through untouched: they have no body, and merely asking @hono/node-server for one makes it
 * build a full `Request` (headers, abort signal, body stream) that reads never need otherwise.
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

/** Headers a 304 keeps from the 200 it stands for (RFC 9110, 15.4.5). */
const KEPT_BY_304 = ['Cache-Control', 'Content-Location', 'Date', 'ETag', 'Expires', 'Vary'];

/**
 * API reads may be stored but must be revalidated (replies arrive at any time); the ETag makes
 * revalidation cheap for the client, a 304 with no body. This is the fallback for reads with
 * no cheaper validator, tagged by a hash of the body: a route that sets its own ETag (the topic
 * reads, tagged by the store's version counter before any expensive read, see caching.ts) has
 * already answered 304 itself, an event stream is never buffered to be hashed, and a
 * `no-store` answer is never revalidated.
 */
export function revalidatedReads(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || !c.res.ok) return;
    const headers = c.res.headers;
    if (headers.has('ETag') || validatesItself(c) || (headers.get('Content-Type') ?? '').startsWith('text/event-stream')) return;
    // Nothing will be stored, so nothing will be revalidated.
    if (/\bno-store\b/.test(headers.get('Cache-Control') ?? '')) return;
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-cache');
    const body = new Uint8Array(await c.res.clone().arrayBuffer());
    const tag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    if (!etagMatches(c.req.header('If-None-Match'), tag)) {
      headers.set('ETag', tag);
      return;
    }
    const kept = new Headers({ ETag: tag });
    for (const name of KEPT_BY_304) {
      const value = headers.get(name);
      if (value !== null && name !== 'ETag') kept.set(name, value);
    }
    await c.res.body?.cancel();
    c.res = undefined; // so that Hono does not copy the 200's headers onto the 304
    c.res = new Response(null, { status: 304, headers: kept });
  };
}
