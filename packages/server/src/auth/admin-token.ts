import type { Context } from 'hono';
import { matchesDigest, sha256 } from '../digest.js';
import { ProblemError } from '../problem.js';

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

  /** Whether the request carries the admin token. */
  isAdmin(c: Context): boolean {
    const token = bearerToken(c);
    return token !== undefined && this.#digest !== null && matchesDigest(token, this.#digest);
  }

  /** Throws 403 when admin calls are disabled, 401 without the right token. */
  require(c: Context): void {
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
        'This call needs the header Authorization: Bearer <admin token>.',
        undefined,
        { 'WWW-Authenticate': 'Bearer realm="colloquy"' },
      );
    }
  }
}
