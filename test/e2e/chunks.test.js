// The script-tag bundle's chunks on the demo page: what a reader's browser loads, when, and
// what the thread shows when a chunk cannot be had.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openForm, postReplyThroughForm, shadowTextContaining, startStack } from './stack.js';

let stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.stop());

/** The scripts the page requested from the API, by path. */
function scriptsOf(page) {
  const scripts = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.origin === stack.api.url && url.pathname.endsWith('.js'))
      scripts.push({ path: url.pathname, headers: res.headers(), status: res.status() });
  });
  return scripts;
}

test('the page shows the topic with the core alone; the form comes from its chunk when the reader scrolls to it', async () => {
  const page = await stack.browser.newPage();
  const scripts = scriptsOf(page);
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');
  await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
  // The thread's form is more than half a screen below the viewport.
  for (let i = 0; i < 2; i++) await page.evaluate(() => new Promise(requestAnimationFrame));
  assert.ok(!scripts.some((s) => s.path.includes('reply-form')), 'no form chunk before the reader scrolls');
  assert.equal(scripts[0]?.path, '/widget.js');

  await postReplyThroughForm(page, 'Ada', 'Sent through the form from its chunk.');
  await shadowTextContaining(page, 'reply-thread', 'Replies (1)');
  const form = scripts.find((s) => s.path.startsWith('/widget/reply-form-'));
  assert.ok(form, `the form chunk was loaded: ${scripts.map((s) => s.path).join(', ')}`);
  assert.equal(form.status, 200);
  assert.equal(form.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(form.headers['content-encoding'], 'br');
  assert.equal(form.headers['access-control-allow-origin'], '*');
  // Chunks take the core from where the page loaded it: one core, one copy of Lit.
  assert.equal(scripts.filter((s) => s.path === '/widget.js').length, 1);
  await page.close();
});

test('a form chunk that cannot be loaded shows an error with Retry, and Retry brings the form', async () => {
  const page = await stack.browser.newPage();
  await page.setRequestInterception(true);
  let refuse = true;
  page.on('request', (req) => {
    if (refuse && new URL(req.url()).pathname.startsWith('/widget/reply-form-'))
      req.respond({ status: 404, contentType: 'application/problem+json', body: '{}' });
    else req.continue();
  });
  const errors = [];
  await page.exposeFunction('__colloquyError', (action) => errors.push(action));
  await page.evaluateOnNewDocument(() =>
    document.addEventListener('colloquy-error', (e) => window.__colloquyError(e.detail.action)),
  );
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'Replies (');
  const place = await page.waitForSelector('reply-thread >>> [part=form-placeholder]');
  await place.scrollIntoView();
  const thread = await shadowTextContaining(page, 'reply-thread', 'Something went wrong. Try again.');
  assert.match(thread, /Retry/);
  assert.deepEqual(errors, ['load']);
  // The replies are still there, and the rest of the thread works.
  assert.match(thread, /Replies \(\d+\)/);

  refuse = false;
  const retry = await page.waitForSelector('reply-thread >>> ::-p-aria(Retry[role="button"])');
  await retry.click();
  await openForm(page);
  assert.deepEqual(errors, ['load']);
  await page.close();
});

test('a page sets its own strings through the module it loaded: import { setMessages } from …/widget.js', async () => {
  const page = await stack.browser.newPage();
  const scripts = scriptsOf(page);
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'Replies (');
  await page.evaluate(async (core) => {
    const { setMessages } = await import(core);
    setMessages('en', { replies: { one: 'One comment', other: '# comments' }, noReplies: 'Be the first.' });
  }, `${stack.api.url}/widget.js`);
  const thread = await shadowTextContaining(page, 'reply-thread', ' comment');
  assert.doesNotMatch(thread, /Replies \(/);
  // The same core: the elements the page has render the page's strings.
  assert.equal(scripts.filter((s) => s.path === '/widget.js').length, 1);
  await page.close();
});
