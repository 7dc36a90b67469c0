import type { MiddlewareHandler } from 'hono';
import { CSRF_HEADER } from '@colloquy/api';
import { markConsoleCall, markSignedIn, sameToken, type ConsoleSessions } from '../../auth/sessions.js';
import { ProblemError } from '../../problem.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ADMIN_PATH = /^\/api\/v1\/(admin|console)(\/|$)/;

/**
 * Console sessions: a request with the console's cookie of a live session acts as its
 * moderator. A write with it must also carry the session's CSRF token in `X-CSRF-Token` and
 * come from the console's own origin (`Origin`, or `Sec-Fetch-Site: same-origin`): the cookie is
 * SameSite=Strict already, the token and the origin check stand for it where SameSite does not
 * (an old browser, a same-site page on another subdomain). Under /api/v1/admin and /api/v1/console such a write is
 * refused with 403; elsewhere it simply does not count as the moderator's.
 */
export function consoleSession(sessions: ConsoleSessions): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const sameOrigin =
      origin !== undefined
        ? origin === sessions.ownOrigin(c)
        : c.req.header('Sec-Fetch-Site') === 'same-origin';
    const consolePath = ADMIN_PATH.test(c.req.path);
    if (sameOrigin && consolePath) markConsoleCall(c);
    const session = await sessions.resume(c);
    if (session === undefined) return next();
    if (!SAFE_METHODS.has(c.req.method)) {
      const tokenOk = sameToken(c.req.header(CSRF_HEADER), session.csrfToken);
      if (!sameOrigin || !tokenOk) {
        if (!consolePath) return next();
        throw new ProblemError(
          403,
          'csrf-check-failed',
          'Request refused',
          sameOrigin
            ? `A console write needs the session's token in the ${CSRF_HEADER} header.`
            : `A console write must come from the console's own origin (${sessions.ownOrigin(c)}).`,
        );
      }
    }
    markSignedIn(c, session);
    return next();
  };
}
