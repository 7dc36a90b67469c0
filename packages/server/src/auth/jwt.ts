import { createHmac, timingSafeEqual } from 'node:crypto';
import { ProblemError } from '../problem.js';

/** A verified signed-in user, from the host site's JWT. */
export interface SignedInUser {
  sub: string;
  name: string;
}

const JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/**
 * Verifies a host site's HS256 JWT: the header's `alg` must be exactly `HS256` (so `none` and
 * algorithm confusion are refused before anything else), the signature must match, `exp` must be
 * in the future and `nbf`, when present, in the past; `sub` and `name` must be strings.
 */
export function verifyJwt(token: string, secret: string, now = Date.now()): SignedInUser {
  const invalid = (why: string) =>
    new ProblemError(401, 'invalid-token', 'Invalid sign-in token', why, undefined, {
      'WWW-Authenticate': `Bearer realm="colloquy", error="invalid_token"`,
    });
  const [, encodedHeader, encodedClaims, encodedSignature] = JWT.exec(token) ?? [];
  if (encodedHeader === undefined || encodedClaims === undefined || encodedSignature === undefined)
    throw invalid('The bearer token is not a JWT (three base64url parts separated by dots).');
  const header = parseJson(encodedHeader);
  if (header === null || header.alg !== 'HS256')
    throw invalid('The sign-in token must be signed with HS256.');
  const expected = createHmac('sha256', secret).update(`${encodedHeader}.${encodedClaims}`).digest();
  const signature = Buffer.from(encodedSignature, 'base64url');
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw invalid(
      'The sign-in token has a wrong signature; it must be signed with the secret in COLLOQUY_JWT_SECRET.',
    );
  }
  const claims = parseJson(encodedClaims);
  if (claims === null) throw invalid('The sign-in token has no valid claims.');
  const { sub, name, exp, nbf } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp))
    throw invalid('The sign-in token needs an exp claim (seconds since 1970).');
  if (exp * 1000 <= now) throw invalid('The sign-in token has expired; sign in again.');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 > now))
    throw invalid('The sign-in token is not valid yet.');
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256)
    throw invalid('The sign-in token needs a sub claim of 1–256 characters.');
  if (typeof name !== 'string') throw invalid('The sign-in token needs a name claim.');
  return { sub, name };
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
