import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { etag } from 'hono/etag';
import type { AppConfig } from './config.js';
import { ProblemError } from './problem.js';

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Content-Type, Authorization, X-Colloquy-Reader';
const EXPOSE_HEADERS = 'ETag, Location';

/**
 * CORS for the host pages in `allowedOrigins` only. Writes from any other browser origin are
 * refused outright (a foreign page must not post in a reader's name); requests without an
 * Origin header (curl, admin scripts) are not from a browser page and pass.
 */
export function cors(config: AppConfig): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && config.allowedOrigins.includes(origin);
    if (origin !== undefined && !allowed && (c.req.method === 'POST' || c.req.method === 'OPTIONS')) {
      throw new ProblemError(
        403,
        'origin-not-allowed',
        'Origin not allowed',
        `Requests from ${origin} are not allowed; the server's operator can add it to COLLOQUY_ALLOWED_ORIGINS.`,
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

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/**
 * Writes take a JSON object. Checked here rather than left to the validator, which treats a
 * missing or foreign Content-Type as an empty object and so would answer with field errors.
 */
export function jsonObjectBody(): MiddlewareHandler {
  return async (c, next) => {
    const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw new ProblemError(
        415,
        'unsupported-media-type',
        'Unsupported media type',
        `Send the request body as JSON with Content-Type: application/json${mediaType ? ` (got ${mediaType})` : ''}.`,
      );
    }
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

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Admin calls: `Authorization: Bearer <COLLOQUY_ADMIN_TOKEN>`, compared in constant time. */
export function adminOnly(config: AppConfig): MiddlewareHandler {
  return async (c, next) => {
    if (config.adminToken === null) {
      throw new ProblemError(
        403,
        'admin-disabled',
        'Admin calls are disabled',
        'This server has no admin token; set COLLOQUY_ADMIN_TOKEN (or --admin-token) to enable admin calls.',
      );
    }
    const presented = /^Bearer +(\S+) *$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    // Hashing first makes both sides the same length, as timingSafeEqual requires.
    if (presented === undefined || !timingSafeEqual(digest(presented), digest(config.adminToken))) {
      throw new ProblemError(
        401,
        'unauthorized',
        'Unauthorized',
        'This call needs the header Authorization: Bearer <admin token>.',
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy"' },
      );
    }
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
      if (c.req.method === 'GET' && c.res.ok) c.header('Cache-Control', 'no-cache');
    });
}
