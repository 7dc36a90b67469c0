import type { Challenge } from '@colloquy/api';
import { request } from '../api/client.js';
import { challengeUrl } from '../api/urls.js';

/**
 * The proof of work a server may ask for with a reply: all the store knows of it, so that
 * another implementation (a solver in a Web Worker, a module loaded when the reader starts
 * writing) can stand in for {@link proofOfWork}.
 */
export interface ProofOfWork {
  /**
   * The proof for the next reply, as `challenge:nonce`: a challenge is fetched and solved in the
   * background on the first call, and the same promise returned until {@link spend}. '' when the
   * server asks for none, or when the challenge could not be had (the server's refusal then
   * explains what is missing).
   */
  prepare(): Promise<string>;
  /** Forgets the current proof: it was spent (a challenge is good for one reply) or refused. */
  spend(): void;
}

/**
 * Finds `challenge:nonce` such that SHA-256 of it starts with `difficulty` zero bits, with
 * `crypto.subtle` on the page's thread. Each digest is awaited, so the page stays responsive
 * while it works.
 */
export async function solve({ challenge, difficulty }: Challenge): Promise<string> {
  const encoder = new TextEncoder();
  for (let nonce = 0; ; nonce++) {
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', encoder.encode(`${challenge}:${nonce}`)),
    );
    let bits = 0;
    for (const byte of digest) {
      bits += byte ? Math.clz32(byte) - 24 : 8;
      if (byte) break;
    }
    if (bits >= difficulty) return `${challenge}:${nonce}`;
  }
}

/** Proofs of work for replies to the server at `api`, one challenge at a time, solved ahead. */
export function proofOfWork(api: string): ProofOfWork {
  let proof: Promise<string> | undefined;
  const spend = () => void (proof = undefined);
  return {
    // Without crypto.subtle (a page that is not a secure context) the solver rejects: no proof.
    prepare: () =>
      (proof ??= request<Challenge>(challengeUrl(api))
        .then((challenge) => (challenge.difficulty ? solve(challenge) : ''))
        .catch(() => {
          spend();
          return '';
        })),
    spend,
  };
}
