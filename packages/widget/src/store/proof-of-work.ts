import type { Challenge } from '@colloquy/api';
import { request } from '../api/client.js';
import { challengeUrl } from '../api/requests.js';
import { search } from './pow-search.js';

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

/** The solver's worker module, beside this one (the build emits it as a chunk of its own). */
const WORKER = new URL('./pow-worker.js', import.meta.url);

/** What the widget uses of the Trusted Types API (not in TypeScript's DOM types). */
interface TrustedTypes {
  createPolicy(
    name: string,
    rules: { createScriptURL(url: string): string },
  ): {
    createScriptURL(url: string): string;
  };
}

/** The Trusted Types policy through which the worker's URLs pass, made on first use. */
let policy: ReturnType<TrustedTypes['createPolicy']> | undefined;

/**
 * `url` as a worker's script URL. A page that requires Trusted Types takes one only from a
 * policy, here "colloquy-worker" (its `trusted-types` directive must name it), which passes this
 * module's worker and the blobs made for it alone.
 */
function scriptUrl(url: string): string {
  const types = (globalThis as { trustedTypes?: TrustedTypes }).trustedTypes;
  if (!types) return url;
  policy ??= types.createPolicy('colloquy-worker', {
    createScriptURL: (candidate) => {
      if (candidate === WORKER.href || candidate.startsWith('blob:')) return candidate;
      throw new TypeError(`not the proof-of-work worker: ${candidate}`);
    },
  });
  return policy.createScriptURL(url);
}

/**
 * A module worker running {@link WORKER}. A worker's script must come from the page's origin:
 * when this module comes from another (the script tag on a host page), the worker is a blob of
 * the page's origin that imports the solver, which needs `worker-src blob:` in a page's
 * Content-Security-Policy.
 */
function startWorker(): { worker: Worker; url?: string } {
  if (WORKER.origin === self.origin)
    return { worker: new Worker(scriptUrl(WORKER.href), { type: 'module' }) };
  const url = URL.createObjectURL(
    new Blob([`import ${JSON.stringify(WORKER.href)};`], { type: 'text/javascript' }),
  );
  try {
    return { worker: new Worker(scriptUrl(url), { type: 'module' }), url };
  } catch (error) {
    URL.revokeObjectURL(url);
    throw error;
  }
}

/**
 * The nonce that solves `challenge`, from a worker; rejects when the worker cannot run, or
 * when the challenge expires first.
 */
export function solveInWorker(challenge: Challenge): Promise<number> {
  return new Promise((resolve, reject) => {
    const { worker, url } = startWorker();
    const done = () => {
      worker.terminate();
      if (url) URL.revokeObjectURL(url);
    };
    worker.onmessage = ({ data }: MessageEvent<number>) => {
      done();
      if (data < 0) reject(new Error('the challenge expired before it was solved'));
      else resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      done();
      reject(new Error(`the proof-of-work worker failed: ${event.message}`));
    };
    worker.postMessage(challenge);
  });
}

/** The longest the page's thread searches before it yields to the page, in ms. */
const SLICE = 12;

/**
 * The nonce that solves `challenge`, on the page's thread: searched in slices of about
 * {@link SLICE} ms, each followed by a yield, so the page stays responsive while it works;
 * rejects once the challenge has expired.
 */
export async function solveOnPage({ challenge, difficulty, expiresAt }: Challenge): Promise<number> {
  for (let from = 0; ; ) {
    // Never past the challenge's expiry, when no proof of it is worth anything.
    if (Date.now() >= Date.parse(expiresAt)) throw new Error('the challenge expired before it was solved');
    const started = performance.now();
    do {
      const nonce = search(challenge, difficulty, from, 256);
      if (nonce >= 0) return nonce;
      from += 256;
    } while (performance.now() - started < SLICE);
    await new Promise((resolve) => setTimeout(resolve));
  }
}

/**
 * Finds `challenge:nonce` such that SHA-256 of it starts with `difficulty` zero bits: in a Web
 * Worker, or on the page's thread when no worker can start (a Content-Security-Policy without
 * `worker-src blob:`, or one that requires Trusted Types without naming "colloquy-worker").
 */
export async function solve(challenge: Challenge): Promise<string> {
  const nonce = await solveInWorker(challenge).catch(() => solveOnPage(challenge));
  return `${challenge.challenge}:${nonce}`;
}

/** Proofs of work for replies to the server at `api`, one challenge at a time, solved ahead. */
export function proofOfWork(api: string): ProofOfWork {
  let proof: Promise<string> | undefined;
  const spend = () => void (proof = undefined);
  return {
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
