import type { Moderator } from '@colloquy/api';
import type { Actor } from './store.js';

/** A console session as the store keeps it; the cookie's value itself is never stored. */
export interface SessionRecord {
  /** SHA-256 of the cookie's value. */
  idHash: Buffer;
  moderator: string;
  role: 'admin' | 'moderator';
  csrfToken: string;
  /** Sign-in: the absolute limit of the session counts from here. */
  startedAt: string;
  /** When this id was issued (sign-in or rotation). */
  issuedAt: string;
  expiresAt: string;
}

/**
 * Named moderators and the console's sessions. Moderators sign in with a token of their own,
 * of which only the SHA-256 is kept; the admin (signed in with the admin token) names them.
 */
export interface ModeratorStore {
  /** Null when the name is taken. Logged as moderator.add by `by`. */
  add(name: string, tokenHash: Buffer, by: Actor): Promise<Moderator | null>;
  list(): Promise<Moderator[]>;
  /** Removes the moderator and ends their sessions; false when there was none. Logged. */
  remove(name: string, by: Actor): Promise<boolean>;
  /** The name of the moderator whose token has this digest, or null. */
  byToken(tokenHash: Buffer): Promise<string | null>;
  /** A new session (sign-in); logged as session.start. */
  startSession(session: SessionRecord): Promise<void>;
  /** The session with this id, if it has not expired at `now`. */
  session(idHash: Buffer, now: Date): Promise<SessionRecord | null>;
  /**
   * Replaces a session's id by a new one (same moderator, sign-in time and CSRF token): the
   * new one expires at `expiresAt`, the old one at `oldUntil` at the latest (so requests
   * already under way with it still finish). Null when the old one is gone or expired.
   */
  rotateSession(
    oldHash: Buffer,
    newHash: Buffer,
    times: { now: Date; expiresAt: Date; oldUntil: Date },
  ): Promise<SessionRecord | null>;
  /** Moves a session's expiry (each use extends it, up to its absolute limit). */
  extendSession(idHash: Buffer, expiresAt: Date): Promise<void>;
  /** Sign-out; logged as session.end when `by` is given. */
  endSession(idHash: Buffer, by?: Actor): Promise<void>;
  /** Deletes sessions that have expired; returns how many. */
  pruneSessions(now: Date): Promise<number>;
  /**
   * A value that changes whenever a moderation queue may have changed (a reply posted, a
   * report, a moderator's action): the console's live stream compares it.
   */
  version(): Promise<string>;
}
