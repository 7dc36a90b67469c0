// The reference deployment of examples/deploy/nginx: two PostgreSQL-backed instances behind
// nginx (with its cache), the example host page on another origin, readers in Chromium.
// Needs COLLOQUY_TEST_DATABASE_URL (the run works in a schema of its own, dropped at the end)
// and nginx (.ci/run installs it); skipped with the reason printed otherwise.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { NGINX, startDeployment } from '../../examples/deploy/nginx/start.js';
import { serveExample } from '../../examples/script-tag/serve.js';
import { freePort } from '../../scripts/free-port.js';
import { launchBrowser } from './browser.js';
import { postReplyThroughForm, shadowTextContaining } from './stack.js';

const DATABASE_URL = process.env.COLLOQUY_TEST_DATABASE_URL;
const SKIP = !DATABASE_URL
  ? 'COLLOQUY_TEST_DATABASE_URL is not set: the nginx deployment test needs PostgreSQL'
  : !existsSync(NGINX)
    ? `nginx is not installed at ${NGINX} (apt-get install nginx)`
    : false;
if (SKIP) console.log(SKIP);

const TOPIC = 'rsp-update';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('nginx in front of two instances on one PostgreSQL', { skip: SKIP }, () => {
  const schema = `colloquy_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  let deployment;
  let site;
  let browser;
  let origin;

  before(async () => {
    const sitePort = await freePort();
    origin = `http://localhost:${sitePort}`;
    deployment = await startDeployment({
      databaseUrl: DATABASE_URL,
      instances: 2,
      env: {
        COLLOQUY_DB_SCHEMA: schema,
        COLLOQUY_ALLOWED_ORIGINS: origin,
        // Every reader here comes from 127.0.0.1: limits per address would count them as one.
        COLLOQUY_REPLY_RATE_LIMIT: '0',
        COLLOQUY_WRITE_RATE_LIMIT: '0',
        COLLOQUY_TOPIC_RATE_LIMIT: '0',
      },
    });
    site = await serveExample({ port: sitePort, apiOrigin: deployment.url });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await deployment?.stop();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** Posts a reply through nginx as the host page's script would; the response. */
  const post = (body, authorName = 'Script') =>
    fetch(`${deployment.url}/api/v1/topics/${TOPIC}/replies`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ authorName, body }),
    });

  /** Posts straight to instance `k`, past nginx. */
  const postTo = (k, body) =>
    fetch(`${deployment.servers[k].url}/api/v1/topics/${TOPIC}/replies`, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/json' },
      body: JSON.stringify({ authorName: `Instance ${k}`, body }),
    });

  /** A reader's page in a browser context of its own (its own storage and cache). */
  async function reader() {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(site.url);
    await shadowTextContaining(page, 'reply-thread', 'Replies (');
    return { page, close: () => context.close() };
  }

  /** The reply-thread's reply bodies, in order, as the reader sees them. */
  const bodies = (page) =>
    page.$eval('reply-thread', (el) =>
      [...el.shadowRoot.querySelectorAll('[part="body"]')].map((body) => body.textContent.trim()),
    );

  /** How many replies wait behind "New replies (N)", 0 when the button is not shown. */
  const waiting = (page) =>
    page.$eval('reply-thread', (el) => {
      const match = /New replies \((\d+)\)/.exec(el.shadowRoot.textContent);
      return match ? Number(match[1]) : 0;
    });

  test('renders the topic through nginx, and the topic read is cached there', async () => {
    const { page, close } = await reader();
    try {
      const card = await shadowTextContaining(page, 'topic-card', 'Natalya Tihonova');
      assert.match(card, /Updated Responsible Scaling Policy: a step towards safe AI/);
      await shadowTextContaining(page, 'source-list', 'Anthropic News');
      const res = await fetch(`${deployment.url}/api/v1/topics/${TOPIC}`, { headers: { Origin: origin } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), origin);
      await res.arrayBuffer();
      const widget = await fetch(`${deployment.url}/widget.js`, { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(widget.headers.get('Content-Encoding'), 'br');
      await widget.arrayBuffer();
    } finally {
      await close();
    }
  });

  test('a reply posted through the form reaches a second reader live, and replies posted on either instance do too', async () => {
    const author = await reader();
    const second = await reader();
    try {
      await postReplyThroughForm(author.page, 'Ada', 'Posted through nginx.');
      await shadowTextContaining(author.page, 'reply-thread', 'Posted through nginx.');
      // The second reader's stream is on one instance; one of these two crosses to the other.
      assert.equal((await postTo(0, 'Written on instance 0.')).status, 201);
      assert.equal((await postTo(1, 'Written on instance 1.')).status, 201);
      await second.page.waitForFunction(
        () => /New replies \(3\)/.test(document.querySelector('reply-thread').shadowRoot.textContent),
        { timeout: 10_000 },
      );
      const button = await second.page.waitForSelector('reply-thread >>> [part="new-replies"]');
      await button.click();
      // Revealing is done by the live stream's chunk: read the thread once the button has gone.
      await second.page.waitForFunction(
        () => !document.querySelector('reply-thread').shadowRoot.querySelector('[part="new-replies"]'),
      );
      const seen = await bodies(second.page);
      for (const text of ['Posted through nginx.', 'Written on instance 0.', 'Written on instance 1.'])
        assert.equal(seen.filter((b) => b === text).length, 1, text);
    } finally {
      await author.close();
      await second.close();
    }
  });

  test("the author's immediate reload shows their reply in the thread, though nginx answers with its older copy", async () => {
    // nginx keeps a topic read fresh for 5 s: a reload soon after the post gets the copy from
    // before it. On a slow run the copy may have been renewed by then; try again, a few times.
    for (let attempt = 1; ; attempt++) {
      const author = await reader();
      try {
        const text = `Mine, then a reload (${attempt}).`;
        const accepted = author.page.waitForResponse(
          (r) =>
            r.request().method() === 'POST' &&
            new URL(r.url()).pathname === `/api/v1/topics/${TOPIC}/replies`,
        );
        await postReplyThroughForm(author.page, 'Ada', text);
        assert.equal((await accepted).status(), 201);
        // The thread shows the server's reply in place of the one it showed while sending.
        await author.page.waitForFunction(
          () => !document.querySelector('reply-thread').shadowRoot.querySelector('[data-pending]'),
        );
        const read = author.page.waitForResponse(
          (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/api/v1/topics/${TOPIC}`,
        );
        await author.page.reload();
        const served = await (await read).json();
        await shadowTextContaining(author.page, 'reply-thread', text);
        assert.equal((await bodies(author.page)).filter((b) => b === text).length, 1);
        assert.equal(await waiting(author.page), 0, 'the reply is in the thread, not behind the button');
        if (!served.replies.some((r) => r.text === text)) return; // the older copy it was answered with
        assert.ok(attempt < 3, 'nginx never answered the reload with its older copy');
      } finally {
        await author.close();
      }
    }
  });

  test('SIGKILL of either instance loses no event for a reader streaming through nginx', async () => {
    const watcher = await reader();
    try {
      // The read may be nginx's older copy: let the stream replay what it lacks (the replies of
      // the tests before), up to the count an instance has now, before counting what waits.
      const current = await fetch(`${deployment.servers[0].url}/api/v1/topics/${TOPIC}`, {
        headers: { Origin: origin },
      });
      const { replyCount } = await current.json();
      await shadowTextContaining(watcher.page, 'reply-thread', `Replies (${replyCount})`);
      const before = await waiting(watcher.page);
      const sent = [];
      for (const k of [0, 1]) {
        await deployment.kill(k);
        for (let n = 0; n < 3; n++) {
          const text = `After killing instance ${k}, number ${n}.`;
          const res = await post(text);
          assert.equal(res.status, 201, `${text}: ${res.status}`);
          await res.arrayBuffer();
          sent.push(text);
        }
        await deployment.revive(k);
      }
      const expected = before + sent.length;
      await watcher.page.waitForFunction(
        (n) =>
          new RegExp(`New replies \\(${n}\\)`).test(
            document.querySelector('reply-thread').shadowRoot.textContent,
          ),
        { timeout: 20_000 },
        expected,
      );
      await sleep(500);
      assert.equal(await waiting(watcher.page), expected, 'none doubled');
      const button = await watcher.page.waitForSelector('reply-thread >>> [part="new-replies"]');
      await button.click();
      // The click renders the waiting replies in the element's next update: wait for that render
      // (a lost event never renders, so the assertion below still fails for it).
      await watcher.page
        .waitForFunction(
          (texts) => {
            const shown = [
              ...document.querySelector('reply-thread').shadowRoot.querySelectorAll('[part="body"]'),
            ];
            return texts.every((text) => shown.some((body) => body.textContent.trim() === text));
          },
          { timeout: 10_000 },
          sent,
        )
        .catch(() => {});
      const seen = await bodies(watcher.page);
      for (const text of sent) assert.equal(seen.filter((b) => b === text).length, 1, text);
    } finally {
      await watcher.close();
    }
  });

  test('a rolling restart of every instance gives readers no 5xx, for reads or writes', async () => {
    const statuses = new Map();
    const count = (what, status) => {
      const key = `${what} ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    };
    let restarting = true;
    const restart = deployment.rollingRestart().finally(() => (restarting = false));
    const started = Date.now();
    let k = 0;
    // Bounded: at most 600 rounds and 90 seconds, whichever comes first.
    while ((restarting || k < 20) && k < 600 && Date.now() - started < 90_000) {
      k++;
      const written = await post(`During the rolling restart, ${k}.`, 'Rolling');
      count('POST reply', written.status);
      const reply = written.status === 201 ? await written.json() : await written.arrayBuffer();
      // Reads nginx cannot answer from its cache: a new reply, a new page size, a reader's own view.
      const reads = [
        reply?.id ? `/api/v1/replies/${reply.id}` : `/api/v1/topics/${TOPIC}`,
        `/api/v1/topics/${TOPIC}?limit=${1 + (k % 50)}`,
        `/api/v1/topics/${TOPIC}`,
      ];
      for (const path of reads) {
        const res = await fetch(`${deployment.url}${path}`, { headers: { Origin: origin } });
        count(`GET ${path.replace(/[?/][^/?]*$/, '/…')}`, res.status);
        await res.arrayBuffer();
      }
      await sleep(20);
    }
    await restart;
    const failures = [...statuses].filter(([key]) => Number(key.split(' ').at(-1)) >= 500);
    assert.deepEqual(
      failures,
      [],
      `5xx during the restart: ${JSON.stringify([...statuses])}\n${deployment.errorLog()}`,
    );
    const other = [...statuses].filter(([key]) => !/ (200|201)$/.test(key));
    assert.deepEqual(other, [], JSON.stringify([...statuses]));
    assert.ok(k >= 20, `${k} rounds ran during the restart`);
  });
});
