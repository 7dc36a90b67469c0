import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PROOF_HEADER, type Challenge } from '@colloquy/api';
import { sha256 } from '../digest.js';
import { ProblemError } from '../problem.js';
import type { Store } from '../store/store.js';

// Long enough for a reader who starts writing (when the widget fetches it) and posts much later.
const CHALLENGE_TTL_MS = 30 * 60_000;
const CHALLENGE = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/**
 * Marks a challenge spent until it expires; resolves true the first time, false ever after.
 * The servers of one database share one (see spentInStore), so a challenge is good for one
 * reply on all of them together.
 */
export type SpendChallenge = (challenge: string, expiresAt: number) => Promise<boolean>;

/** Spent challenges in this process's memory: enough for one server. */
export function spentInMemory(): SpendChallenge {
  const used = new Map<string, number>();
  return async (challenge, expiresAt) => {
    const now = Date.now();
    if (used.has(challenge)) return false;
    if (used.size > 10_000) for (const [key, at] of used) if (at <= now) used.delete(key);
    used.set(challenge, expiresAt);
    return true;
  };
}

/**
 * Spent challenges in the database, beside spent email links (one table of single-use tokens,
 * pruned when they expire): one insert decides, whichever server the proof reaches.
 */
export function spentInStore(store: Pick<Store, 'notifications'>): SpendChallenge {
  return (challenge, expiresAt) => store.notifications.spendLink(`pow:${challenge}`, new Date(expiresAt));
}

/**
 * Self-hosted proof-of-work. A challenge is `<expiry>.<random>.<HMAC of both>`, so the server
 * keeps no state until a proof arrives; then the challenge is remembered until it expires, which
 * makes each one single-use.
 */
export class ProofOfWork {
  readonly #secret: Buffer;
  readonly #spend: SpendChallenge;

  constructor(
    secret: string | null,
    readonly difficulty: number,
    spend: SpendChallenge = spentInMemory(),
  ) {
    this.#secret = secret === null ? randomBytes(32) : sha256(`colloquy-pow:${secret}`);
    this.#spend = spend;
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
  async verify(header: string | undefined, now = Date.now()): Promise<void> {
    if (!this.required) return;
    const refuse = (why: string) =>
      new ProblemError(
        403,
        'invalid-proof',
        'Invalid proof of work',
        `${why} Fetch a new challenge from GET /api/v1/challenge and solve it.`,
      );
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
    const [, expiry, salt, signature] = CHALLENGE.exec(challenge) ?? [];
    if (
      separator === -1 ||
      expiry === undefined ||
      salt === undefined ||
      signature === undefined ||
      !/^[A-Za-z0-9_-]{1,64}$/.test(nonce)
    ) {
      throw refuse(
        `${PROOF_HEADER} must be <challenge>:<nonce>, the nonce 1–64 letters, digits, "_" or "-".`,
      );
    }
    const expected = Buffer.from(this.#sign(`${expiry}.${salt}`));
    if (!timingSafeEqual(expected, Buffer.from(signature)))
      throw refuse('The challenge was not issued by this server.');
    const expires = parseInt(expiry, 36);
    if (expires <= now) throw refuse('The challenge has expired.');
    if (leadingZeroBits(sha256(`${challenge}:${nonce}`)) < this.difficulty) {
      throw refuse(`SHA-256(challenge:nonce) does not start with ${this.difficulty} zero bits.`);
    }
    if (!(await this.#spend(challenge, expires))) throw refuse('This challenge has been used already.');
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
