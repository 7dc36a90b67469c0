import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ModeratorSession } from '@colloquy/api';
import type { AppConfig } from '../config.js';
import { sha256 } from '../digest.js';
import type { SessionRecord } from '../store/moderation.js';
import type { Actor, Store } from '../store/store.js';
import type { AdminAuth } from './admin-token.js';

/** A session ends this long after its last use… */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** …and this long after sign-in at the latest, however often it is used. */
export const SESSION_MAX_MS = 12 * 3600 * 1000;
/** A session's id is replaced by a new one once it is this old. */
export const ROTATE_AFTER_MS = 5 * 60 * 1000;
/** After a rotation, the old id still works this long, for requests already under way. */
export const ROTATION_GRACE_MS = 30 * 1000;

/** Who a request is, when it came with a valid console session. */
export interface SignedIn {
  moderator: string;
  role: 'admin' | 'moderator';
  csrfToken: string;
  expiresAt: string;
}

/**
 * What the console-session middleware found out about a request, kept on its context (the
 * request object itself may be replaced on the way, by the body limit for one).
 */
interface ConsoleVariables {
  colloquySession?: SignedIn;
  colloquyConsoleCall?: true;
}
const vars = (c: Context) => c as unknown as Context<{ Variables: ConsoleVariables }>;

/** The console session of this request, once the console-session middleware accepted it. */
export const sessionOf = (c: Context): SignedIn | undefined => vars(c).get('colloquySession');

/** Marks the request as made by a signed-in moderator (the console-session middleware). */
export const markSignedIn = (c: Context, session: SignedIn): void => {
  vars(c).set('colloquySession', session);
};

/**
 * Whether this is a console call from the console's own origin (the console-session middleware
 * decides): such a write needs no place in the allowed host pages, only a session (and its
 * CSRF token), or it is the sign-in itself.
 */
export const isConsoleCall = (c: Context): boolean => vars(c).get('colloquyConsoleCall') === true;

export const markConsoleCall = (c: Context): void => {
  vars(c).set('colloquyConsoleCall', true);
};

/** Who acts, for the moderation log: the session's moderator, else "admin" for the admin token. */
export function actorOf(c: Context): Actor {
  return { moderator: sessionOf(c)?.moderator ?? 'admin' };
}

/** Constant-time comparison of two short strings. */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The console's sessions: a sign-in token (the admin's or a named moderator's) is exchanged for
 * a random session id in an HttpOnly, SameSite=Strict cookie (Secure, and `__Host-` named, when
 * the console is served over HTTPS). Only the id's SHA-256 is stored. Sessions are short-lived
 * (SESSION_IDLE_MS after the last use, SESSION_MAX_MS after sign-in) and their id is rotated
 * every ROTATE_AFTER_MS. Each has a CSRF token of its own that every write must carry.
 */
export class ConsoleSessions {
  readonly #store: Store;
  readonly #admin: AdminAuth;
  readonly #config: Pick<AppConfig, 'publicUrl'>;

  constructor(store: Store, admin: AdminAuth, config: Pick<AppConfig, 'publicUrl'>) {
    this.#store = store;
    this.#admin = admin;
    this.#config = config;
  }

  /** Whether the console is served over HTTPS: the public URL says so, else the request's URL. */
  secure(c: Context): boolean {
    return new URL(this.#config.publicUrl ?? c.req.url).protocol === 'https:';
  }

  cookieName(c: Context): string {
    return this.secure(c) ? '__Host-colloquy_console' : 'colloquy_console';
  }

  /**
   * The origin the console's pages have, which writes with its cookie must come from: the
   * public URL's, else the request's own.
   */
  ownOrigin(c: Context): string {
    return new URL(this.#config.publicUrl ?? c.req.url).origin;
  }

  /** Who a sign-in token belongs to, or null. */
  async whoseToken(token: string): Promise<{ moderator: string; role: 'admin' | 'moderator' } | null> {
    if (this.#admin.matches(token)) return { moderator: 'admin', role: 'admin' };
    const name = await this.#store.moderators.byToken(sha256(token));
    return name === null ? null : { moderator: name, role: 'moderator' };
  }

  /** Starts a session for `who` and sets its cookie. */
  async start(
    c: Context,
    who: { moderator: string; role: 'admin' | 'moderator' },
  ): Promise<ModeratorSession> {
    const id = randomBytes(32).toString('base64url');
    const now = new Date();
    const session: SessionRecord = {
      idHash: sha256(id),
      moderator: who.moderator,
      role: who.role,
      csrfToken: randomBytes(32).toString('base64url'),
      startedAt: now.toISOString(),
      issuedAt: now.toISOString(),
      expiresAt: this.#nextExpiry(now, now).toISOString(),
    };
    await this.#store.moderators.startSession(session);
    this.#setCookie(c, id, session);
    return wire(session);
  }

  /**
   * The session of the request's cookie, extended (and its id rotated when due); undefined
   * without a cookie or with one of no live session.
   */
  async resume(c: Context): Promise<SignedIn | undefined> {
    const id = getCookie(c, this.cookieName(c));
    if (id === undefined || !/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const now = new Date();
    const hash = sha256(id);
    const session = await this.#store.moderators.session(hash, now);
    if (!session) return undefined;
    const expiresAt = this.#nextExpiry(new Date(session.startedAt), now);
    if (now.getTime() - new Date(session.issuedAt).getTime() >= ROTATE_AFTER_MS) {
      const next = randomBytes(32).toString('base64url');
      const rotated = await this.#store.moderators.rotateSession(hash, sha256(next), {
        now,
        expiresAt,
        oldUntil: new Date(now.getTime() + ROTATION_GRACE_MS),
      });
      if (rotated) {
        this.#setCookie(c, next, rotated);
        return wire(rotated);
      }
      return undefined;
    }
    // Extending costs a write; only do it when it moves the expiry by more than a minute.
    if (expiresAt.getTime() - new Date(session.expiresAt).getTime() > 60_000) {
      await this.#store.moderators.extendSession(hash, expiresAt);
      session.expiresAt = expiresAt.toISOString();
      this.#setCookie(c, id, session);
    }
    return wire(session);
  }

  /** Ends the request's session and clears its cookie. */
  async end(c: Context): Promise<void> {
    const id = getCookie(c, this.cookieName(c));
    if (id !== undefined) await this.#store.moderators.endSession(sha256(id), actorOf(c));
    deleteCookie(c, this.cookieName(c), { path: '/', secure: this.secure(c) });
  }

  #nextExpiry(startedAt: Date, now: Date): Date {
    return new Date(Math.min(now.getTime() + SESSION_IDLE_MS, startedAt.getTime() + SESSION_MAX_MS));
  }

  #setCookie(c: Context, id: string, session: SessionRecord): void {
    setCookie(c, this.cookieName(c), id, {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: this.secure(c),
      maxAge: Math.max(1, Math.floor((new Date(session.expiresAt).getTime() - Date.now()) / 1000)),
    });
  }
}

const wire = (s: SessionRecord): SignedIn => ({
  moderator: s.moderator,
  role: s.role,
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt,
});
