// The demo host page on one origin, the Colloquy API on another, in headless Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { postReplyThroughForm, shadowTextContaining, startStack } from './stack.js';

let stack;
before(async () => {
  stack = await startStack();
});
after(() => stack?.stop());

async function readReplies() {
  const res = await fetch(`${stack.api.url}/api/v1/topics/rsp-update/replies`);
  assert.equal(res.status, 200);
  return (await res.json()).replies;
}

test('the seed topic renders on a host page of another origin, with one JSON read', async () => {
  const page = await stack.browser.newPage();
  const jsonReads = [];
  const streams = [];
  page.on('request', (req) => {
    if (!req.url().includes('/api/v1/')) return;
    (req.url().includes('/events') ? streams : jsonReads).push(`${req.method()} ${req.url()}`);
  });
  await page.goto(stack.site.url);
  const card = await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
  assert.match(card, /Community/);
  assert.match(card, /Anthropic/);
  assert.match(card, /Updated Responsible Scaling Policy: a step towards safe AI/);
  assert.match(card, /Background/);
  const sources = await shadowTextContaining(page, 'source-list', 'Anthropic News');
  assert.match(sources, /anthropic\.com/);
  const thread = await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');
  assert.match(thread, /Replies \(0\)/);
  assert.deepEqual(jsonReads, [`GET ${stack.api.url}/api/v1/topics/rsp-update`]);
  // And one live event stream, from the event the read ended at, for all three elements.
  for (let i = 0; i < 100 && streams.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(streams.length, 1);
  assert.match(streams[0], /\/api\/v1\/topics\/rsp-update\/events\?after=\d+$/);
  await page.close();
});

test('the script defines each element in a task of its own; the first, defined as it runs, starts the read and renders in a task of its own', async () => {
  const page = await stack.browser.newPage();
  await page.evaluateOnNewDocument(() => {
    // DOMContentLoaded comes in the task that runs the module script, after its microtasks.
    document.addEventListener('DOMContentLoaded', () => {
      const card = document.querySelector('topic-card');
      window.__atLoaded = {
        defined: !!customElements.get('topic-card'),
        rendered: (card?.shadowRoot?.childElementCount ?? 0) > 0,
      };
    });
    const defines = (window.__defines = []);
    let reads = 0;
    const fetch = window.fetch;
    window.fetch = function (input, ...rest) {
      if (String(input.url ?? input).includes('/api/v1/topics/')) reads++;
      return fetch.call(this, input, ...rest);
    };
    // A microtask queued at a definition runs when the task it is in has finished: a definition
    // before it ran is in the same task.
    let inTask = false;
    const define = customElements.define;
    customElements.define = function (tag, ...rest) {
      const result = define.call(this, tag, ...rest);
      defines.push({ tag, sameTask: inTask, readsBefore: reads });
      inTask = true;
      queueMicrotask(() => {
        inTask = false;
      });
      return result;
    };
  });
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');
  const defines = (await page.evaluate(() => window.__defines)).filter((d) =>
    ['topic-card', 'source-list', 'reply-thread'].includes(d.tag),
  );
  assert.deepEqual(
    defines.map(({ tag, sameTask }) => ({ tag, sameTask })),
    [
      { tag: 'topic-card', sameTask: false },
      { tag: 'source-list', sameTask: false },
      { tag: 'reply-thread', sameTask: false },
    ],
  );
  // Defining <topic-card> (on screen) started the one read: the later definitions wait for nothing.
  assert.equal(defines[0].readsBefore, 1);
  // Its first render was not in that task.
  assert.deepEqual(await page.evaluate(() => window.__atLoaded), { defined: true, rendered: false });
  await page.close();
});

test('a reply posted through the form appears, survives a restart, and a reply to it nests', async () => {
  const page = await stack.browser.newPage();
  await page.goto(stack.site.url);
  await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');

  await postReplyThroughForm(page, 'Ada', 'Proportional protection is the right default.');
  await shadowTextContaining(page, 'reply-thread', 'Proportional protection is the right default.');
  await shadowTextContaining(page, 'reply-thread', 'Replies (1)');
  const [first] = await readReplies();
  assert.equal(first.author.name, 'Ada');
  assert.equal(first.text, 'Proportional protection is the right default.');

  await stack.restartApi();
  await page.reload();
  await shadowTextContaining(page, 'reply-thread', 'Proportional protection is the right default.');

  const replyTo = await page.waitForSelector('reply-thread >>> ::-p-aria(Reply to Ada[role="button"])');
  await replyTo.click();
  await postReplyThroughForm(page, 'Grace', 'Agreed, and the thresholds are concrete.');
  await shadowTextContaining(page, 'reply-thread', 'Replies (2)');
  const replies = await readReplies();
  assert.equal(replies.length, 2);
  assert.equal(replies[1].parentId, first.id);
  assert.equal(replies[1].depth, 1);
  // Rendered inside the first reply's list item, not beside it.
  const nested = await page.$eval('reply-thread', (el) => {
    const items = [...el.shadowRoot.querySelectorAll('li')];
    const withBody = (text) =>
      items.find((li) => li.querySelector(':scope > article [part="body"]')?.textContent?.includes(text));
    const parent = withBody('Proportional protection');
    const child = withBody('Agreed, and the thresholds');
    return Boolean(parent && child && child !== parent && parent.contains(child));
  });
  assert.equal(nested, true);
  await page.close();
});
