// The React, Vue and Svelte examples, built by `npm test`, each served from an origin of its
// own against one real API, in headless Chromium: each renders the topic with the attributes
// its framework passed, and posts a reply whose event reaches the app's own state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../../scripts/free-port.js';
import { startServerProcess } from '../../scripts/server-process.js';
import { launchBrowser } from './browser.js';
import { serveBuiltApp } from './built-app.js';
import { postReplyThroughForm, shadowTextContaining } from './stack.js';

const example = (name) => fileURLToPath(new URL(`../../examples/${name}/dist/`, import.meta.url));
const APPS = [
  { name: 'React 19, elements in JSX', dir: 'react', page: '' },
  { name: 'React, @colloquy/react components', dir: 'react', page: 'wrappers.html' },
  { name: 'Vue', dir: 'vue', page: '' },
  { name: 'Svelte', dir: 'svelte', page: '' },
];

let api;
let browser;
let dataDir;
const sites = new Map();

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'colloquy-frameworks-'));
  const ports = new Map();
  for (const dir of new Set(APPS.map((app) => app.dir))) ports.set(dir, await freePort());
  api = await startServerProcess({
    args: ['--seed'],
    env: {
      PORT: String(await freePort()),
      COLLOQUY_DB: join(dataDir, 'colloquy.db'),
      COLLOQUY_ALLOWED_ORIGINS: [...ports.values()].map((port) => `http://localhost:${port}`).join(','),
    },
  });
  for (const [dir, port] of ports)
    sites.set(dir, await serveBuiltApp({ root: example(dir), port, apiOrigin: api.url }));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all([...sites.values()].map((site) => site.close()));
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

for (const { name, dir, page: path } of APPS) {
  test(`${name}: the app renders the topic and posts a reply that its handler sees`, async () => {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, sites.get(dir).url).href);

    const card = await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
    assert.match(card, /Updated Responsible Scaling Policy: a step towards safe AI/);
    await shadowTextContaining(page, 'source-list', 'anthropic.com');
    await shadowTextContaining(page, 'reply-thread', 'Replies (');
    // The attributes and properties the framework was given reached the elements.
    const title = await page.$eval('topic-card', (el) =>
      el.shadowRoot.querySelector('[part~="title"]')?.getAttribute('aria-level'),
    );
    assert.equal(title, '1', 'heading level 1, as the app asked');
    assert.equal(await page.$eval('reply-thread', (el) => el.getAttribute('theme')), 'light');

    const author = `Ada (${name})`;
    const text = `Posted from the ${name} example.`;
    await postReplyThroughForm(page, author, text);
    await shadowTextContaining(page, 'reply-thread', text);
    // The element's colloquy-reply-posted event, through the framework's typed handler.
    await page.waitForFunction(
      (want) => document.querySelector('[role="status"]')?.textContent === want,
      { timeout: 10000 },
      `Thanks, ${author}: your reply is posted.`,
    );
    const { replies } = await (await fetch(`${api.url}/api/v1/topics/rsp-update/replies?limit=100`)).json();
    assert.ok(
      replies.some((reply) => reply.author.name === author && reply.text === text),
      'the API stored the reply',
    );
    assert.deepEqual(errors, []);
    await page.close();
  });
}
