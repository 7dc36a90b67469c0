import type { MiddlewareHandler } from 'hono';

/**
 * `Connection: close` on the answer to a request whose body was never read: a refusal made
 * from the headers alone (413 by Content-Length, 403, 415, 429…). The unread bytes are still
 * on their way; left on a kept-alive socket they would either be parsed as the next request or
 * leave the socket waiting, so the client's next request on it would fail. Closing it is what
 * RFC 9112 (9.6) asks of a server that does not read a body to its end.
 */
export function closeUnreadBodies(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const declaresBody =
      c.req.header('Transfer-Encoding') !== undefined || Number(c.req.header('Content-Length') ?? 0) > 0;
    if (declaresBody && !c.req.raw.bodyUsed) c.res.headers.set('Connection', 'close');
  };
}
