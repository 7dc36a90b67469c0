// The moderation console in real Chromium against a real server process: a moderator signs
// in, approves a reply held by COLLOQUY_MODERATION=all, bans and unbans its reader, and sees
// it all in the log; a reply posted meanwhile appears without a reload; the pages pass axe.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './stack.js';

const TOKEN = 'e2e-admin-token-0123456789';
const READER = 'e2e-reader-key-0123456789';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let stack;
before(async () => {
  stack = await startStack({ env: { COLLOQUY_MODERATION: 'all', COLLOQUY_ADMIN_TOKEN: TOKEN } });
});
after(() => stack?.stop());

/** A reply as a reader's page posts it: from the allowed host page, with a reader key. */
async function postReply(text, reader = READER) {
  return fetch(`${stack.api.url}/api/v1/topics/rsp-update/replies`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Origin: stack.site.url.replace(/\/$/, ''),
      'X-Colloquy-Reader': reader,
    },
    body: JSON.stringify({ authorName: 'Ada', body: text }),
  });
}

const inConsole = (selector) => `colloquy-console >>> ${selector}`;
const button = (page, name) =>
  page.waitForSelector(inConsole(`::-p-aria(${name}[role="button"])`), { timeout: 10000 });
async function waitForText(page, text) {
  await page.waitForFunction(
    (want) =>
      document
        .querySelector('colloquy-console')
        ?.shadowRoot?.textContent?.replace(/\s+/g, ' ')
        .includes(want),
    { timeout: 10000 },
    text,
  );
}

async function axe(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }),
  );
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('sign in, approve a held reply, ban and unban its reader, see the log', async () => {
  const held = await postReply('Held for review by the console test.');
  assert.equal(held.status, 201);
  const heldId = (await held.json()).id;

  const page = await stack.browser.newPage();
  await page.evaluateOnNewDocument(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const response = await page.goto(`${stack.api.url}/admin`);
  assert.match(response.headers()['content-security-policy'], /default-src 'none'/);

  // Sign-in, by keyboard.
  const tokenField = await page.waitForSelector(inConsole('::-p-aria(Admin or moderator token)'));
  assert.deepEqual(await axe(page), [], 'the sign-in page passes axe');
  await tokenField.focus();
  await page.keyboard.type(TOKEN);
  await page.keyboard.press('Enter');
  await waitForText(page, 'Signed in as admin');
  await waitForText(page, 'Held for review by the console test.');
  assert.deepEqual(await axe(page), [], 'the queue passes axe');

  // Live: a reply posted now appears without a reload.
  assert.equal(
    (await postReply('Arrived while the console was open.', 'another-reader-key-012345')).status,
    201,
  );
  await waitForText(page, 'Arrived while the console was open.');

  // Approve the first one.
  await (await button(page, 'Approve')).click();
  await waitForText(page, 'approve: 1 of 1 done.');
  const topic = await (await fetch(`${stack.api.url}/api/v1/topics/rsp-update`)).json();
  assert.ok(
    topic.replies.some((r) => r.id === heldId),
    'readers see the approved reply',
  );

  // Ban its reader from the recent queue: their next reply is refused.
  const queue = await page.waitForSelector(inConsole('::-p-aria(Queue)'));
  await queue.select('recent');
  await (await button(page, 'Apply filters')).click();
  await waitForText(page, 'status published');
  await page.evaluate((id) => {
    const root = document.querySelector('colloquy-console').shadowRoot;
    const item = [...root.querySelectorAll('ul.items > li')].find((li) =>
      li.textContent.includes('Held for review'),
    );
    [...item.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Ban reader').click();
    return id;
  }, heldId);
  await waitForText(page, 'Banned the reader.');
  assert.equal((await postReply('Banned now?')).status, 403);

  // Lift it from the bans view.
  await (await button(page, 'Bans')).click();
  await waitForText(page, 'until lifted');
  assert.deepEqual(await axe(page), [], 'the bans view passes axe');
  const lift = await page.waitForSelector(inConsole('td > button'));
  assert.match(await lift.evaluate((b) => b.textContent), /^Lift ban of reader [0-9a-f]{12}$/);
  await lift.click();
  await waitForText(page, 'No bans in force.');
  assert.equal((await postReply('Allowed again.')).status, 201);

  // The log says who did what to which reply.
  await (await button(page, 'Moderation log')).click();
  await waitForText(page, 'ban.lift');
  const rows = await page.$eval('colloquy-console', (el) =>
    [...el.shadowRoot.querySelectorAll('tbody tr')].map((tr) =>
      [...tr.cells].slice(1).map((td) => td.textContent.trim()),
    ),
  );
  const readerBan = rows.find((r) => r[1] === 'ban.add')?.[3];
  assert.match(readerBan ?? '', /^reader:[0-9a-f]{64}$/);
  assert.deepEqual(rows.slice(0, 4), [
    ['admin', 'ban.lift', '', readerBan],
    ['admin', 'ban.add', '', readerBan],
    ['admin', 'reply.approve', heldId, 'rsp-update'],
    ['admin', 'session.start', '', ''],
  ]);
  assert.deepEqual(await axe(page), [], 'the log passes axe');

  // Sign out: back to the sign-in form, and the session is gone.
  await (await button(page, 'Sign out')).click();
  await page.waitForSelector(inConsole('::-p-aria(Admin or moderator token)'));
  const after = await page.evaluate(async () => (await fetch('/api/v1/admin/queue')).status);
  assert.equal(after, 401);

  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await page.close();
});

test('the admin names a moderator, who signs in with their own token; topics preview with the real elements', async () => {
  const page = await stack.browser.newPage();
  await page.goto(`${stack.api.url}/admin`);
  const tokenField = await page.waitForSelector(inConsole('::-p-aria(Admin or moderator token)'));
  await tokenField.type(TOKEN);
  await (await button(page, 'Sign in')).click();
  await waitForText(page, 'Signed in as admin');

  await (await button(page, 'Moderators')).click();
  const name = await page.waitForSelector(inConsole('::-p-aria(Name)'));
  await name.type('Grace');
  await (await button(page, 'Add moderator')).click();
  await waitForText(page, 'shown this once');
  const graceToken = await page.$eval(
    'colloquy-console',
    (el) => el.shadowRoot.querySelector('code').textContent,
  );
  assert.match(graceToken, /^cmod_/);
  assert.deepEqual(await axe(page), [], 'the moderators view passes axe');

  await (await button(page, 'Topics')).click();
  await (await page.waitForSelector(inConsole('::-p-aria(Id)'))).type('console-made');
  await (await page.waitForSelector(inConsole('::-p-aria(Title)'))).type('Made in the console');
  await (await page.waitForSelector(inConsole('::-p-aria(Body (Markdown))'))).type('Some **bold** words.');
  await (await page.waitForSelector(inConsole('::-p-aria(Sources, one a line: title | URL)'))).type(
    'Example | https://example.org/a',
  );
  await (await button(page, 'Preview')).click();
  await page.waitForFunction(
    () =>
      document
        .querySelector('colloquy-console')
        ?.shadowRoot?.querySelector('topic-card')
        ?.shadowRoot?.textContent?.includes('Made in the console'),
    { timeout: 10000 },
  );
  const bold = await page.$eval(
    'colloquy-console',
    (el) => el.shadowRoot.querySelector('topic-card').shadowRoot.querySelector('strong')?.textContent,
  );
  assert.equal(bold, 'bold', 'the Markdown is rendered by the readers’ own element');
  assert.equal(
    (await fetch(`${stack.api.url}/api/v1/topics/console-made`)).status,
    404,
    'a preview stores nothing',
  );
  assert.deepEqual(await axe(page), [], 'the topics view with its preview passes axe');
  await (await button(page, 'Save topic')).click();
  await waitForText(page, 'Saved topic console-made.');
  assert.equal((await fetch(`${stack.api.url}/api/v1/topics/console-made`)).status, 200);
  // Loading the topic again fills the body with its Markdown, so that saving keeps it.
  await page.$eval('colloquy-console', (el) => {
    el.shadowRoot.querySelector('textarea[name=body]').value = '';
  });
  await (await button(page, 'Load')).click();
  await waitForText(page, 'Loaded topic console-made.');
  assert.equal(
    await page.$eval('colloquy-console', (el) => el.shadowRoot.querySelector('textarea[name=body]').value),
    'Some **bold** words.',
  );
  await (await button(page, 'Sign out')).click();

  // Grace signs in with her own token; what she does is logged under her name.
  await (await page.waitForSelector(inConsole('::-p-aria(Admin or moderator token)'))).type(graceToken);
  await (await button(page, 'Sign in')).click();
  await waitForText(page, 'Signed in as Grace');
  await (await button(page, 'Topics')).click();
  await (await page.waitForSelector(inConsole('::-p-aria(Id)'))).type('console-made');
  await (await button(page, 'Lock')).click();
  await waitForText(page, 'Locked topic console-made.');
  assert.equal((await (await fetch(`${stack.api.url}/api/v1/topics/console-made`)).json()).locked, true);
  await (await button(page, 'Moderation log')).click();
  await waitForText(page, 'topic.lock');
  const first = await page.$eval('colloquy-console', (el) =>
    [...el.shadowRoot.querySelector('tbody tr').cells].slice(1, 3).map((td) => td.textContent.trim()),
  );
  assert.deepEqual(first, ['Grace', 'topic.lock']);
  await page.close();
});
