// The host page under a strict Content-Security-Policy: no inline scripts, no eval, Trusted
// Types required. Lit's one policy ("lit-html") is the only one the page allows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postReplyThroughForm, shadowTextContaining, startStack } from './stack.js';

const csp = (api) =>
  [
    "default-src 'none'",
    `script-src 'self' ${api}`,
    `connect-src ${api}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types lit-html',
  ].join('; ');

let stack;
before(async () => {
  stack = await startStack({ headers: (api) => ({ 'Content-Security-Policy': csp(api) }) });
});
after(() => stack?.stop());

test('the elements render, post and react under a strict CSP with Trusted Types', async () => {
  const page = await stack.browser.newPage();
  await page.evaluateOnNewDocument(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
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
