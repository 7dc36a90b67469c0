import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { PROOF_HEADER, type Challenge } from '@colloquy/api';
import { addressPrefix, clientAddress } from './address.js';
import type { AppConfig } from './config.js';
import { ProblemError } from './problem.js';

export const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();

/** Constant-time equality of two secrets, whatever their lengths: their digests are compared. */
export const sameSecret = (a: string, bDigest: Buffer) => timingSafeEqual(sha256(a), bDigest);

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
    return token !== undefined && this.#digest !== null && sameSecret(token, this.#digest);
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

/** A fixed-window counter per key, in memory (one process; limits are per server). */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts a hit; returns null when allowed, else the seconds until the window resets. */
  hit(key: string, now = Date.now()): number | null {
    if (this.limit <= 0) return null;
    if (this.#windows.size > 50_000) this.#sweep(now);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.limit) return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    window.count++;
    return null;
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) if (now - window.start >= this.windowMs) this.#windows.delete(key);
  }
}

export function tooManyRequests(retryAfter: number, what: string): ProblemError {
  return new ProblemError(
    429,
    'rate-limited',
    'Too many requests',
    `${what} Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
    undefined,
    { 'Retry-After': String(retryAfter) },
  );
}

// Long enough for a reader who starts writing (when the widget fetches it) and posts much later.
const CHALLENGE_TTL_MS = 30 * 60_000;
const CHALLENGE = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * Self-hosted proof-of-work. A challenge is `<expiry>.<random>.<HMAC of both>`, so the server
 * keeps no state until a proof arrives; then the challenge is remembered until it expires, which
 * makes each one single-use.
 */
export class ProofOfWork {
  readonly #secret: Buffer;
  readonly #used = new Map<string, number>();

  constructor(
    secret: string | null,
    readonly difficulty: number,
  ) {
    this.#secret = secret === null ? randomBytes(32) : sha256(`colloquy-pow:${secret}`);
  }

  get required(): boolean {
    return this.difficulty > 0;
  }

  issue(now = Date.now()): Challenge {
    const expires = now + CHALLENGE_TTL_MS;
    const payload = `${expires.toString(36)}.${randomBytes(16).toString('base64url')}`;
    return {
      challenge: `${payload}.${this.#sign(payload)}`,
      difficulty: this.difficulty,
      expiresAt: new Date(expires).toISOString(),
    };
  }

  /** Throws 428 without a proof, 403 for a wrong, expired or reused one. */
  verify(header: string | undefined, now = Date.now()): void {
    if (!this.required) return;
    const refuse = (why: string) =>
      new ProblemError(403, 'invalid-proof', 'Invalid proof of work', `${why} Fetch a new challenge from GET /api/v1/challenge and solve it.`);
    if (header === undefined || header.trim() === '') {
      throw new ProblemError(
        428,
        'proof-required',
        'Proof of work required',
        `This server asks for a proof of work before a reply: fetch GET /api/v1/challenge, find a nonce such that SHA-256(challenge + ":" + nonce) starts with ${this.difficulty} zero bits, and send ${PROOF_HEADER}: <challenge>:<nonce>.`,
      );
    }
    const separator = header.lastIndexOf(':');
    const challenge = header.slice(0, separator).trim();
    const nonce = header.slice(separator + 1).trim();
    const parts = CHALLENGE.exec(challenge);
    if (separator === -1 || !parts || !/^[A-Za-z0-9_-]{1,64}$/.test(nonce)) {
      throw refuse(`${PROOF_HEADER} must be <challenge>:<nonce>, the nonce 1–64 letters, digits, "_" or "-".`);
    }
    const expected = Buffer.from(this.#sign(`${parts[1]}.${parts[2]}`));
    if (!timingSafeEqual(expected, Buffer.from(parts[3]!))) throw refuse('The challenge was not issued by this server.');
    const expires = parseInt(parts[1]!, 36);
    if (expires <= now) throw refuse('The challenge has expired.');
    if (leadingZeroBits(sha256(`${challenge}:${nonce}`)) < this.difficulty) {
      throw refuse(`SHA-256(challenge:nonce) does not start with ${this.difficulty} zero bits.`);
    }
    if (this.#used.has(challenge)) throw refuse('This challenge has been used already.');
    if (this.#used.size > 10_000) for (const [key, at] of this.#used) if (at <= now) this.#used.delete(key);
    this.#used.set(challenge, expires);
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#secret).update(payload).digest('base64url');
  }
}

export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

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
  const parts = JWT.exec(token);
  if (!parts) throw invalid('The bearer token is not a JWT (three base64url parts separated by dots).');
  const header = parseJson(parts[1]!);
  if (header === null || header['alg'] !== 'HS256') throw invalid('The sign-in token must be signed with HS256.');
  const expected = createHmac('sha256', secret).update(`${parts[1]}.${parts[2]}`).digest();
  const signature = Buffer.from(parts[3]!, 'base64url');
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw invalid('The sign-in token has a wrong signature; it must be signed with the secret in COLLOQUY_JWT_SECRET.');
  }
  const claims = parseJson(parts[2]!);
  if (claims === null) throw invalid('The sign-in token has no valid claims.');
  const { sub, name, exp, nbf } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('The sign-in token needs an exp claim (seconds since 1970).');
  if (exp * 1000 <= now) throw invalid('The sign-in token has expired; sign in again.');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf * 1000 > now)) throw invalid('The sign-in token is not valid yet.');
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) throw invalid('The sign-in token needs a sub claim of 1–256 characters.');
  if (typeof name !== 'string') throw invalid('The sign-in token needs a name claim.');
  return { sub, name };
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The comparison key of a display name: NFKC (so full-width and other compatibility forms fold
 * together), invisible format characters removed, spaces collapsed, trimmed, case folded.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase()
    .toLowerCase();
}

/** Everything the routes need to tell people and abuse apart, built once per app. */
export interface Guards {
  admin: AdminAuth;
  pow: ProofOfWork;
  replyLimit: RateLimiter;
  topicLimit: RateLimiter;
  writeLimit: RateLimiter;
  /** The client's /24 or /64, or undefined when there is no socket (in-process tests). */
  clientPrefix(c: Context): string | undefined;
}

export function createGuards(config: AppConfig): Guards {
  return {
    admin: new AdminAuth(config.adminToken),
    pow: new ProofOfWork(config.secret, config.powDifficulty),
    replyLimit: new RateLimiter(config.replyRateLimit),
    topicLimit: new RateLimiter(config.topicRateLimit),
    writeLimit: new RateLimiter(config.writeRateLimit),
    clientPrefix: (c) => {
      const address = clientAddress(c, config.trustedProxies);
      return address === undefined ? undefined : addressPrefix(address);
    },
  };
}

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
export function crossSiteWrites(config: AppConfig, guards: Guards): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('Origin');
    if (origin === undefined && bearerToken(c) !== undefined) {
      guards.admin.require(c);
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

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/** 415 unless the Content-Type is JSON (`application/json`, optionally with parameters, or `+json`). */
export function requireJson(c: Context): void {
  const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new ProblemError(
      415,
      'unsupported-media-type',
      'Unsupported media type',
      `Send the request body as JSON with Content-Type: application/json${mediaType ? ` (got ${mediaType})` : ''}.`,
    );
  }
}
