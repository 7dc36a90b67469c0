// The host page under a strict Content-Security-Policy: no inline scripts, no eval, Trusted
// Types required. Lit's one policy ("lit-html") and the proof-of-work worker's
// ("colloquy-worker") are the only ones the page allows, and workers only from blobs (the
// worker the elements start is a blob of the page's origin that imports the solver). The
// server asks for a proof of work with each reply.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { postReplyThroughForm, shadowTextContaining, startStack } from './stack.js';

/** The policy README and SECURITY.md document; `worker: false` leaves out what the worker needs. */
const csp = (api, { worker = true } = {}) =>
  [
    "default-src 'none'",
    `script-src 'self' ${api}`,
    `connect-src ${api}`,
    ...(worker ? ['worker-src blob:'] : []),
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types lit-html${worker ? ' colloquy-worker' : ''}`,
  ].join('; ');

const POW = { COLLOQUY_POW_DIFFICULTY: '12' };

/**
 * A new page of `browser` that records the policy's violations (`window.__violations`:
 * directive and blocked URI) and the URLs of the workers it starts (the returned array).
 */
async function watchedPage(browser) {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  const workers = [];
  page.on('workercreated', (worker) => workers.push(worker.url()));
  return { page, workers };
}

let stack;
before(async () => {
  stack = await startStack({ headers: (api) => ({ 'Content-Security-Policy': csp(api) }), env: POW });
});
after(() => stack?.stop());

test('the elements render, post and react under a strict CSP with Trusted Types', async () => {
  const { page, workers } = await watchedPage(stack.browser);
  const response = await page.goto(stack.site.url);
  assert.match(response.headers()['content-security-policy'], /require-trusted-types-for 'script'/);

  await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
  await shadowTextContaining(page, 'source-list', 'anthropic.com');
  await postReplyThroughForm(page, 'Ada', 'Posted under a strict policy.');
  await shadowTextContaining(page, 'reply-thread', 'Replies (1)');

  const like = await page.waitForSelector('topic-card >>> ::-p-aria(Like 0[role="button"])');
  await like.click();
  await page.waitForSelector('topic-card >>> ::-p-aria(Like 1[role="button"])');
  const topic = await (await fetch(`${stack.api.url}/api/v1/topics/rsp-update`)).json();
  assert.equal(topic.reactions.like, 1);
  assert.equal(topic.replies[0].text, 'Posted under a strict policy.');

  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  // The proof came from the worker: a blob of the page's origin, as the policy allows.
  assert.equal(workers.length, 1, `workers started: ${workers.join(', ')}`);
  assert.match(workers[0], new RegExp(`^blob:${stack.site.url.replace(/\/$/, '')}/`));
  await page.close();
});

test("the thread's order control is styled by the elements' sheets, not an inline style the policy blocks", async () => {
  const { page } = await watchedPage(stack.browser);
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'Replies (');
  // Two replies or more: the control shows.
  await postReplyThroughForm(page, 'Grace', 'One more under the policy.');
  await postReplyThroughForm(page, 'Linus', 'And another.');
  await page.reload();
  const sort = await page.waitForSelector('reply-thread >>> [part="sort"]');
  assert.equal(await sort.evaluate((label) => getComputedStyle(label).float), 'inline-end');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.close();
});

test('the policy is in force: the same page refuses a plain string assigned as HTML', async () => {
  const page = await stack.browser.newPage();
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
  const ran = await page.evaluate(() => {
    const div = document.createElement('div');
    try {
      div.innerHTML = '<img src=x onerror="window.__ran = true">';
      return 'assigned';
    } catch {
      return 'refused';
    }
  });
  assert.equal(ran, 'refused', 'Trusted Types must refuse a plain string as HTML');
  await page.close();
});

describe('a policy without what the worker needs', () => {
  let bare;
  before(async () => {
    bare = await startStack({
      headers: (api) => ({ 'Content-Security-Policy': csp(api, { worker: false }) }),
      env: POW,
    });
  });
  after(() => bare?.stop());

  test("the proof of work is solved on the page's thread, and the reply is posted", async () => {
    const { page, workers } = await watchedPage(bare.browser);
    await page.goto(bare.site.url);
    await postReplyThroughForm(page, 'Ada', 'Posted without a worker.');
    await shadowTextContaining(page, 'reply-thread', 'Replies (1)');
    const topic = await (await fetch(`${bare.api.url}/api/v1/topics/rsp-update`)).json();
    assert.equal(topic.replies[0].text, 'Posted without a worker.');
    assert.deepEqual(workers, []);
    // The page refused the worker's policy: the elements went on without a worker.
    const violations = await page.evaluate(() => window.__violations);
    assert.ok(
      violations.some((v) => v.startsWith('trusted-types ')),
      violations.join(', '),
    );
    await page.close();
  });
});
