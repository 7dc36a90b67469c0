/**
 * The proof-of-work solver as a module Web Worker: given a challenge, it answers with the first
 * nonce that solves it (see {@link search}), off the page's thread, or -1 once it has expired.
 */
import type { Challenge } from '@colloquy/api';
import { search } from './pow-search.js';

/** Nonces per call of {@link search}. */
const BATCH = 1 << 16;

// The widget's TypeScript has the DOM's types, not a worker's: only what is used here.
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<Challenge>) => void) | null;
  postMessage(nonce: number): void;
};

// Only in a worker: the package's modules are also imported elsewhere (Node, a page), where
// this one does nothing.
if ('WorkerGlobalScope' in globalThis)
  scope.onmessage = ({ data: { challenge, difficulty, expiresAt } }) => {
    let nonce = -1;
    // Never past the challenge's expiry, when no proof of it is worth anything: -1 then.
    const until = Date.parse(expiresAt);
    for (let from = 0; nonce < 0 && Date.now() < until; from += BATCH)
      nonce = search(challenge, difficulty, from, BATCH);
    scope.postMessage(nonce);
  };
