import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { etagMatches, validatesItself } from '../../caching.js';

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
    if (
      headers.has('ETag') ||
      validatesItself(c) ||
      (headers.get('Content-Type') ?? '').startsWith('text/event-stream')
    )
      return;
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
