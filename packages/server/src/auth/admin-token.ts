import type { Context } from 'hono';
import { matchesDigest, sha256 } from '../digest.js';
import { ProblemError } from '../problem.js';
import { sessionOf } from './sessions.js';

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(c: Context): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(c.req.header('Authorization') ?? '')?.[1];
}

/**
 * The admin bearer token, of which only the SHA-256 is kept: a heap dump or a log of this
 * object does not reveal it, and comparing digests is constant time whatever the lengths.
 */
export class AdminAuth {
  readonly #digest: Buffer | null;

  constructor(token: string | null) {
    this.#digest = token === null ? null : sha256(token);
  }

  get enabled(): boolean {
    return this.#digest !== null;
  }

  /** Whether `token` is the admin token. */
  matches(token: string): boolean {
    return this.#digest !== null && matchesDigest(token, this.#digest);
  }

  /** Whether the request carries the admin token, or comes with a moderator's console session. */
  isAdmin(c: Context): boolean {
    if (sessionOf(c) !== undefined) return true;
    const token = bearerToken(c);
    return token !== undefined && this.matches(token);
  }

  /** Whether the request carries the admin token itself (or an admin's console session). */
  isSiteAdmin(c: Context): boolean {
    const session = sessionOf(c);
    if (session !== undefined) return session.role === 'admin';
    const token = bearerToken(c);
    return token !== undefined && this.matches(token);
  }

  /** Throws 403 when admin calls are disabled, 401 without the right token. */
  require(c: Context): void {
    if (sessionOf(c) !== undefined) return;
    if (!this.enabled) {
      throw new ProblemError(
        403,
        'admin-disabled',
        'Admin calls are disabled',
        'This server has no admin token; set COLLOQUY_ADMIN_TOKEN (or --admin-token) to enable admin calls.',
      );
    }
    if (!this.isAdmin(c)) {
      throw new ProblemError(
        401,
        'unauthorized',
        'Unauthorized',
        'This call needs the header Authorization: Bearer <admin token>, or a console session (sign in at /admin).',
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy"' },
      );
    }
  }
}

/** Throws 403 unless the request is the admin's (the admin token, or an admin's session). */
export function requireSiteAdmin(admin: AdminAuth, c: Context): void {
  admin.require(c);
  if (!admin.isSiteAdmin(c)) {
    throw new ProblemError(
      403,
      'admin-only',
      'Only the admin may do this',
      'Managing moderators and webhooks needs the admin token; moderators sign in with their own tokens for everything else.',
    );
  }
}
