import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of a secret or key: what is kept of reader keys, edit tokens and the admin token. */
export const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest();

/**
 * Whether `secret` is the one whose SHA-256 is `digest`, compared in constant time whatever
 * the lengths: the digests are compared, never the secrets.
 */
export const matchesDigest = (secret: string, digest: Buffer) => timingSafeEqual(sha256(secret), digest);
