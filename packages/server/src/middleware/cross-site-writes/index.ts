import type { MiddlewareHandler } from 'hono';
import { bearerToken, type AdminAuth } from '../../auth/admin-token.js';
import { isConsoleCall, sessionOf } from '../../auth/sessions.js';
import type { AppConfig } from '../../config.js';
import { ProblemError } from '../../problem.js';
import { requireJson } from '../json-object-body/index.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Cross-site write protection. A browser write must come from an allowed host page (`Origin`
 * in the list; missing, `null` and foreign are refused with 403) and be JSON (anything else is
 * 415): `text/plain`, form and multipart bodies are what a foreign page can send without a
 * CORS preflight, so refusing them leaves every accepted write behind a preflight.
 *
 * Requests with a bearer token and no Origin are tools, not browser pages, and only the admin
 * token is accepted there. That token is not an ambient credential: a browser never attaches
 * it by itself the way it does cookies, so a foreign page cannot make a reader's browser send
 * it, and such a request cannot be a cross-site request forgery. It needs no Origin.
 */
export function crossSiteWrites(
  config: Pick<AppConfig, 'allowedOrigins'>,
  admin: AdminAuth,
): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    // The console's own pages: the console-session middleware checked the origin (and, for a
    // session, its CSRF token); without a session only the sign-in gets further than a 401.
    if (sessionOf(c) !== undefined || isConsoleCall(c)) {
      if (BODY_METHODS.has(c.req.method)) requireJson(c);
      return next();
    }
    const origin = c.req.header('Origin');
    if (origin === undefined && bearerToken(c) !== undefined) {
      admin.require(c);
      return next();
    }
    if (origin === undefined || origin === 'null' || !config.allowedOrigins.includes(origin)) {
      throw new ProblemError(
        403,
        'origin-not-allowed',
        'Origin not allowed',
        origin === undefined || origin === 'null'
          ? `A write needs the Origin header of an allowed host page (got ${origin === undefined ? 'none' : 'null'}); tools send Authorization: Bearer <admin token> instead.`
          : `Requests from ${origin} are not allowed; the server's operator can add it to COLLOQUY_ALLOWED_ORIGINS.`,
        undefined,
        { Vary: 'Origin' },
      );
    }
    if (BODY_METHODS.has(c.req.method)) requireJson(c);
    return next();
  };
}
