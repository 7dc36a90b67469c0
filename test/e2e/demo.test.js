// The demo host page on one origin, the Colloquy API on another, in headless Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveExample } from '../../examples/script-tag/serve.js';
import { freePort } from '../../scripts/free-port.js';
import { startServerProcess } from '../../scripts/server-process.js';
import { launchBrowser } from './browser.js';

const dir = mkdtempSync(join(tmpdir(), 'colloquy-e2e-'));
let site;
let api;
let apiEnv;
let browser;

before(async () => {
  const sitePort = await freePort();
  apiEnv = {
    PORT: String(await freePort()),
    COLLOQUY_DB: join(dir, 'colloquy.db'),
    COLLOQUY_ALLOWED_ORIGINS: `http://localhost:${sitePort}`,
  };
  api = await startServerProcess({ env: apiEnv, args: ['--seed'] });
  site = await serveExample({ port: sitePort, apiOrigin: api.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Text of an element's shadow root, once it contains `expected`. */
async function shadowTextContaining(page, tag, expected) {
  await page.waitForFunction(
    (t, want) => document.querySelector(t)?.shadowRoot?.textContent?.includes(want),
    { timeout: 10000 },
    tag,
    expected,
  );
  return page.$eval(tag, (el) => el.shadowRoot.textContent.replace(/\s+/g, ' '));
}

async function postReply(page, name, text) {
  const nameField = await page.waitForSelector('reply-thread >>> ::-p-aria(Name[role="textbox"])');
  await nameField.click({ count: 3 });
  await nameField.type(name);
  const replyField = await page.waitForSelector('reply-thread >>> ::-p-aria(Reply[role="textbox"])');
  await replyField.type(text);
  const button = await page.waitForSelector('reply-thread >>> ::-p-aria(Post reply[role="button"])');
  await button.click();
}

async function readReplies() {
  const res = await fetch(`${api.url}/api/v1/topics/rsp-update/replies`);
  assert.equal(res.status, 200);
  return (await res.json()).replies;
}

test('the seed topic renders on a host page of another origin', async () => {
  const page = await browser.newPage();
  const jsonReads = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/v1/')) jsonReads.push(`${req.method()} ${req.url()}`);
  });
  await page.goto(site.url);
  const card = await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
  assert.match(card, /Community/);
  assert.match(card, /Anthropic/);
  assert.match(card, /Updated Responsible Scaling Policy: a step towards safe AI/);
  assert.match(card, /Background/);
  const sources = await shadowTextContaining(page, 'source-list', 'Anthropic News');
  assert.match(sources, /anthropic\.com/);
  const thread = await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');
  assert.match(thread, /Replies \(0\)/);
  assert.deepEqual(jsonReads, [`GET ${api.url}/api/v1/topics/rsp-update`]);
  await page.close();
});

test('a reply posted through the form appears, survives a restart, and a reply to it nests', async () => {
  const page = await browser.newPage();
  await page.goto(site.url);
  await shadowTextContaining(page, 'reply-thread', 'No replies in this topic yet.');

  await postReply(page, 'Ada', 'Proportional protection is the right default.');
  await shadowTextContaining(page, 'reply-thread', 'Proportional protection is the right default.');
  await shadowTextContaining(page, 'reply-thread', 'Replies (1)');
  const [first] = await readReplies();
  assert.equal(first.author.name, 'Ada');
  assert.equal(first.text, 'Proportional protection is the right default.');

  await api.stop('SIGKILL');
  api = await startServerProcess({ env: apiEnv });
  await page.reload();
  await shadowTextContaining(page, 'reply-thread', 'Proportional protection is the right default.');

  const replyTo = await page.waitForSelector('reply-thread >>> ::-p-aria(Reply to Ada[role="button"])');
  await replyTo.click();
  await postReply(page, 'Grace', 'Agreed, and the thresholds are concrete.');
  await shadowTextContaining(page, 'reply-thread', 'Replies (2)');
  const replies = await readReplies();
  assert.equal(replies.length, 2);
  assert.equal(replies[1].parentId, first.id);
  assert.equal(replies[1].depth, 1);
  // Rendered inside the first reply's thread, not beside it.
  const nested = await page.$eval('reply-thread', (el) => {
    const items = [...el.shadowRoot.querySelectorAll('li')];
    const parent = items.find((li) =>
      li.querySelector(':scope > article [part="body"]')?.textContent?.includes('Proportional protection'),
    );
    const child = items.find((li) =>
      li.querySelector(':scope > article [part="body"]')?.textContent?.includes('Agreed, and the thresholds'),
    );
    return Boolean(parent && child && child !== parent && parent.contains(child));
  });
  assert.equal(nested, true);
  await page.close();
});
