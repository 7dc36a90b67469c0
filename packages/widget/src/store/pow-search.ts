import { sha256 } from '@noble/hashes/sha2.js';

/** Leading zero bits of `digest`. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte) return bits + Math.clz32(byte) - 24;
    bits += 8;
  }
  return bits;
}

/**
 * The first nonce in `[from, from + count)` such that SHA-256 of `challenge:nonce` (the nonce in
 * decimal, as the server reads it) starts with `difficulty` zero bits, or -1 when none does.
 * Synchronous, with a compact SHA-256 in JavaScript rather than a `crypto.subtle` round trip per
 * nonce: the fixed `challenge:` prefix is hashed once and its state copied for every nonce, so
 * each try costs only the last block or two.
 */
export function search(challenge: string, difficulty: number, from: number, count: number): number {
  const encoder = new TextEncoder();
  const prefix = sha256.create().update(encoder.encode(`${challenge}:`));
  const work = sha256.create();
  const digest = new Uint8Array(32);
  // A nonce below 2^53 has at most 16 digits.
  const digits = new Uint8Array(16);
  for (let nonce = from; nonce < from + count; nonce++) {
    const { written } = encoder.encodeInto(String(nonce), digits);
    prefix._cloneInto(work).update(digits.subarray(0, written)).digestInto(digest);
    if (leadingZeroBits(digest) >= difficulty) return nonce;
  }
  return -1;
}
