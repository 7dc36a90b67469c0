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

  it("solves on the page's thread when the page's policy allows no worker", async () => {
    const issued = await challenge();
    // A document of this origin whose Content-Security-Policy refuses every worker.
    const frame = document.createElement('iframe');
    const module = new URL('./proof-of-work.js', import.meta.url).href;
    frame.srcdoc = `<meta http-equiv="Content-Security-Policy" content="worker-src 'none'">
<script type="module">
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
  const { solve } = await import(${JSON.stringify(module)});
  window.solved = solve(${JSON.stringify(issued)});
</script>`;
    document.body.append(frame);
    try {
      const win = frame.contentWindow as unknown as { solved?: Promise<string>; violations: string[] };
      while (!win.solved) await new Promise((resolve) => setTimeout(resolve, 20));
      const proof = await win.solved;
      expect(win.violations).to.include('worker-src');
      expect(await postWith(proof)).to.equal(201);
    } finally {
      frame.remove();
    }
  });
});
