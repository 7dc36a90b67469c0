// Server-rendered discussions in Chromium: the Colloquy API as its own process, and a Node host
// app on another origin (examples/express) whose article page includes the server's
// embed.html fragment, or renders the elements with renderDiscussion(). Without JavaScript the
// page shows the topic, its sources and replies and carries the JSON-LD; with JavaScript the
// usual script tag hydrates the elements without reading the topic again and without moving
// anything, and they are live afterwards.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSite } from '../../examples/express/server.js';
import { freePort } from '../../scripts/free-port.js';
import { startServerProcess } from '../../scripts/server-process.js';
import { discussionForumPostingProblems } from '../schema-org.js';
import { launchBrowser } from './browser.js';

const TOPIC_READ = /\/api\/v1\/topics\/rsp-update(\?|$)/;
const REPLIES = ['Proportional protection is the right default.', 'Agreed, and <b>markup</b> stays text.'];

let dir;
let api;
let site;
let browser;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'colloquy-ssr-'));
  const sitePort = await freePort();
  api = await startServerProcess({
    env: {
      PORT: String(await freePort()),
      COLLOQUY_DB: join(dir, 'colloquy.db'),
      COLLOQUY_ALLOWED_ORIGINS: `http://localhost:${sitePort}`,
    },
    args: ['--seed'],
  });
  site = await startSite({ api: api.url.replace(/\/$/, ''), port: sitePort });
  for (const body of REPLIES) {
    const res = await fetch(`${api.url}/api/v1/topics/rsp-update/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `http://localhost:${sitePort}` },
      body: JSON.stringify({ authorName: 'Ada', body }),
    });
    assert.equal(res.status, 201, await res.text());
  }
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Each element's shadow text, whitespace collapsed. */
const shadowTexts = (page) =>
  page.evaluate(() =>
    Object.fromEntries(
      ['topic-card', 'source-list', 'reply-thread'].map((tag) => [
        tag,
        [...(document.querySelector(tag)?.shadowRoot?.childNodes ?? [])]
          .filter((node) => node.nodeType !== Node.COMMENT_NODE && node.nodeName !== 'STYLE')
          // The reader controls (the order select) come with their chunk, after hydration.
          .map((node) => {
            const copy = node.cloneNode(true);
            if (copy instanceof Element)
              for (const control of copy.querySelectorAll('[part=sort]')) control.remove();
            return copy.textContent;
          })
          .join('')
          .replace(/\s+/g, ' ')
          .trim(),
      ]),
    ),
  );

for (const [way, path] of [
  ['the embed.html fragment', 'fragment'],
  ['renderDiscussion()', ''],
]) {
  describe(`a host page with ${way}`, () => {
    let withoutJs;

    test('shows the topic, its sources and replies with JavaScript off, and carries the JSON-LD', async () => {
      const { replies } = await (await fetch(`${api.url}/api/v1/topics/rsp-update`)).json();
      const page = await (await browser.createBrowserContext()).newPage();
      await page.setJavaScriptEnabled(false);
      await page.goto(site.url + path);
      withoutJs = await shadowTexts(page);
      assert.match(withoutJs['topic-card'], /Updated Responsible Scaling Policy: a step towards safe AI/);
      assert.match(withoutJs['topic-card'], /Natalya Tihonova/);
      assert.match(withoutJs['source-list'], /Anthropic News/);
      assert.ok(withoutJs['reply-thread'].includes(`Replies (${replies.length})`));
      for (const reply of REPLIES) assert.ok(withoutJs['reply-thread'].includes(reply), reply);
      const ld = await page.$$eval('script[type="application/ld+json"]', (scripts) =>
        scripts.map((s) => JSON.parse(s.textContent)),
      );
      assert.equal(ld.length, 1);
      assert.deepEqual(discussionForumPostingProblems(ld[0]), []);
      assert.equal(ld[0].url, site.url + path);
      assert.equal(ld[0].comment.length, replies.length);
      await page.browserContext().close();
    });

    test('hydrates with JavaScript on: no read of the topic, no layout shift, nothing changed; then live', async () => {
      // A reader of their own: no reactions remembered from another test.
      const page = await (await browser.createBrowserContext()).newPage();
      const reads = [];
      page.on('request', (req) => {
        const url = new URL(req.url());
        if (TOPIC_READ.test(url.pathname + url.search) || url.pathname.startsWith('/api/v1/messages'))
          reads.push(req.url());
      });
      await page.evaluateOnNewDocument(() => {
        window.__cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(site.url + path);
      // Hydrated: the elements are defined, have rendered once, and adopted the server's roots.
      await page.waitForFunction(
        () =>
          ['topic-card', 'source-list', 'reply-thread'].every((tag) => {
            const element = document.querySelector(tag);
            return customElements.get(tag) && element?.hasUpdated;
          }),
        { timeout: 10000 },
      );
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 300))));
      assert.deepEqual(await shadowTexts(page), withoutJs, 'the same text as without JavaScript');
      assert.equal(await page.evaluate(() => window.__cls), 0, 'no layout shift');
      assert.ok(reads.length <= 1, `at most one read: ${reads.join(', ')}`);
      assert.deepEqual(reads, [], 'in fact none: the read came with the page');

      // Live: a reaction click is counted by the server and shown.
      const like = await page.waitForSelector('topic-card >>> [part="reaction"]');
      const answered = page.waitForResponse(
        (res) => res.url().endsWith('/reactions') && res.request().method() === 'POST',
      );
      await like.click();
      assert.equal((await answered).status(), 200);
      await page.waitForFunction(
        () =>
          document.querySelector('topic-card')?.shadowRoot?.querySelector('button[aria-pressed="true"]') !==
          null,
        { timeout: 10000 },
      );
      const topic = await (await fetch(`${api.url}/api/v1/topics/rsp-update`)).json();
      assert.ok(topic.reactions.like >= 1, 'the server counted the like');

      // And live updates: a reply posted elsewhere is announced on the page.
      const res = await fetch(`${api.url}/api/v1/topics/rsp-update/replies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(site.url).origin },
        body: JSON.stringify({ authorName: 'Bo', body: `Live, through ${way}.` }),
      });
      assert.equal(res.status, 201);
      await page.waitForFunction(
        () => /New replies \(1\)/.test(document.querySelector('reply-thread')?.shadowRoot?.textContent ?? ''),
        { timeout: 10000 },
      );
      await page.browserContext().close();
    });
  });
}
