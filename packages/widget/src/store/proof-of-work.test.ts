import { expect } from '@open-wc/testing';
import { PROOF_HEADER, type Challenge } from '@colloquy/api';
import { createTopic, testEnv } from '../test-env.js';
import { leadingZeroBits, search } from './pow-search.js';
import { solve, solveInWorker, solveOnPage } from './proof-of-work.js';

// The strict server asks for 10 zero bits and holds every reply for review.
const { strictApi } = testEnv();

const challenge = async (): Promise<Challenge> => (await fetch(`${strictApi}/api/v1/challenge`)).json();

/** The status of a reply posted to the strict server with `proof`. */
async function postWith(proof: string): Promise<number> {
  const topic = await createTopic({}, strictApi);
  const response = await fetch(`${strictApi}/api/v1/topics/${topic}/replies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [PROOF_HEADER]: proof },
    body: JSON.stringify({ body: 'With a proof of work.', authorName: 'Solver' }),
  });
  return response.status;
}

const digest = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

describe('proof of work', () => {
  it('finds the first nonce whose SHA-256 has the zero bits asked for, as crypto.subtle computes it', async () => {
    const nonce = search('v1.some-challenge', 8, 0, 1 << 16);
    expect(nonce).to.be.at.least(0);
    expect(leadingZeroBits(await digest(`v1.some-challenge:${nonce}`))).to.be.at.least(8);
    // Every nonce before it falls short, so the search skipped none.
    for (let k = 0; k < nonce; k++)
      expect(leadingZeroBits(await digest(`v1.some-challenge:${k}`))).to.be.below(8);
    // A range that starts after the answer finds a later one, and -1 when it holds none.
    expect(search('v1.some-challenge', 8, nonce + 1, 1 << 16)).to.be.above(nonce);
    expect(search('v1.some-challenge', 30, 0, 16)).to.equal(-1);
  });

  it('solves a challenge in a worker, and the server takes the proof', async () => {
    const issued = await challenge();
    expect(issued.difficulty).to.equal(10);
    const nonce = await solveInWorker(issued);
    expect(leadingZeroBits(await digest(`${issued.challenge}:${nonce}`))).to.be.at.least(10);
    expect(await postWith(`${issued.challenge}:${nonce}`)).to.equal(201);
  });

  it("finds the same nonce on the page's thread as in the worker", async () => {
    const issued = await challenge();
    expect(await solveOnPage(issued)).to.equal(await solveInWorker(issued));
    expect(await postWith(await solve(issued))).to.equal(201);
  });

  it("stops at the challenge's expiry, in the worker and on the page's thread", async () => {
    // 64 zero bits: never found; the work ends when the challenge expires.
    const hopeless = {
      challenge: 'v1.hopeless',
      difficulty: 64,
      expiresAt: new Date(Date.now() + 300).toISOString(),
    };
    const failed = (work: Promise<unknown>) =>
      work.then(
        () => 'solved',
        (error: Error) => error.message,
      );
    expect(await failed(solveInWorker(hopeless))).to.match(/expired/);
    expect(await failed(solveOnPage(hopeless))).to.match(/expired/);
    expect(await failed(solve(hopeless))).to.match(/expired/);
  });

  /**
   * In a document of this origin under Content-Security-Policy `policy`: whether a worker
   * solved `issued`, the proof solve() found, and the directives the page reported violated.
   */
  async function underPolicy(policy: string, issued: Challenge) {
    const frame = document.createElement('iframe');
    const module = new URL('./proof-of-work.js', import.meta.url).href;
    frame.srcdoc = `<meta http-equiv="Content-Security-Policy" content="${policy}">
<script type="module">
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
  const { solve, solveInWorker } = await import(${JSON.stringify(module)});
  const challenge = ${JSON.stringify(issued)};
  window.result = solveInWorker(challenge).then(() => true, () => false)
    .then(async (worker) => ({ worker, proof: await solve(challenge) }));
</script>`;
    document.body.append(frame);
    try {
      const win = frame.contentWindow as unknown as {
        result?: Promise<{ worker: boolean; proof: string }>;
        violations: string[];
      };
      while (!win.result) await new Promise((resolve) => setTimeout(resolve, 20));
      return { ...(await win.result), violations: win.violations };
    } finally {
      frame.remove();
    }
  }

  it("solves on the page's thread when the page's policy allows no worker", async () => {
    const issued = await challenge();
    const { worker, proof, violations } = await underPolicy("worker-src 'none'", issued);
    expect(worker).to.be.false;
    expect(violations).to.include('worker-src');
    expect(await postWith(proof)).to.equal(201);
  });

  it('starts its worker under Trusted Types through the "colloquy-worker" policy', async () => {
    const issued = await challenge();
    const required = "require-trusted-types-for 'script'";
    const named = await underPolicy(`${required}; trusted-types colloquy-worker`, issued);
    expect(named.worker).to.be.true;
    expect(named.violations).to.deep.equal([]);
    expect(await postWith(named.proof)).to.equal(201);
    // A page whose policy does not name it gets its proof from the page's thread.
    const unnamed = await underPolicy(`${required}; trusted-types lit-html`, {
      ...issued,
      ...(await challenge()),
    });
    expect(unnamed.worker).to.be.false;
    expect(unnamed.violations).to.include('trusted-types');
    expect(await postWith(unnamed.proof)).to.equal(201);
  });
});
