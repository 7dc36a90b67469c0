/**
 * Email end to end in one process: the real dispatcher sends through nodemailer to a real
 * SMTP server (smtp-server) on loopback; the links in the mails are followed through the app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Deliveries, Reply } from '@colloquy/api';
import { seedDemo, type AppConfig } from '../index.js';
import { ADMIN_TOKEN, expectProblem, json, ORIGIN, testApp, type TestApp } from '../testing/helpers.js';
import { mailHeader, mailText, smtpReceiver } from '../testing/receivers.js';
import { Dispatcher } from './dispatcher.js';
import { LinkSigner } from './links.js';
import { smtpMailer } from './mailer.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const PUBLIC = 'http://colloquy.test';

async function setup(overrides: Partial<AppConfig> = {}) {
  const smtp = await smtpReceiver();
  const app: TestApp = await testApp({
    moderation: 'all',
    smtpUrl: smtp.url,
    mailFrom: 'colloquy@example.org',
    moderatorEmails: ['mod@example.org'],
    retryDelaySeconds: 1,
    deliveryAttempts: 3,
    deliveryTimeoutSeconds: 5,
    ...overrides,
  });
  await seedDemo(app.store);
  const clock = { now: new Date() };
  const mailer = smtpMailer({ url: smtp.url, from: 'colloquy@example.org', timeoutMs: 5000 });
  const dispatcher = new Dispatcher({
    store: app.store,
    config: app.config,
    mailer,
    publicUrl: PUBLIC,
    now: () => clock.now,
    random: () => 0,
  });
  const post = async (body: Record<string, unknown>, headers: Record<string, string> = admin) => {
    const res = await app.app.request(
      '/api/v1/topics/rsp-update/replies',
      json({ authorName: 'Ann', body: 'A reply', ...body }, headers),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as Reply;
  };
  /** Follows a link of a mail through the app (its origin is PUBLIC). */
  const follow = (link: string, method: 'GET' | 'POST' = 'GET', init: RequestInit = {}) =>
    app.app.request(link.replace(PUBLIC, ''), { method, ...init });
  const status = async (id: string) => (await app.store.getReply(id, { admin: true }))!.status;
  return {
    app,
    smtp,
    clock,
    dispatcher,
    post,
    follow,
    status,
    close: async () => {
      await dispatcher.stop();
      mailer.close();
      await smtp.close();
      await app.close();
    },
  };
}

const linksOf = (raw: string) => [...mailText(raw).matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);

describe('email to moderators', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  before(async () => (t = await setup()));
  after(() => t.close());

  it('tells each moderator of a reply awaiting review, with approve and hide links', async () => {
    const reply = await t.post({ body: 'Please **review** me' }, {});
    assert.equal(reply.status, 'pending');
    assert.equal(await t.dispatcher.runOnce(), 1);
    const [mail] = t.smtp.mails.splice(0);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['mod@example.org']);
    assert.equal(mail.from, 'colloquy@example.org');
    assert.match(mailHeader(mail.raw, 'Subject')!, /Awaiting review: Ann/);
    assert.match(mailText(mail.raw), /> Please review me/);
    const [approve, hide] = linksOf(mail.raw).filter((l) => l.includes('/email/moderate/'));
    assert.ok(approve && hide && approve !== hide);
    assert.match(
      mailText(mail.raw),
      new RegExp(`Approve: ${approve!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );

    // A GET (a mail scanner, a link preview) only shows what the button would do.
    const page = await t.follow(approve!);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('Content-Type'), 'text/html; charset=utf-8');
    assert.match(page.headers.get('Content-Security-Policy')!, /default-src 'none'/);
    assert.equal(page.headers.get('Referrer-Policy'), 'no-referrer');
    const html = await page.text();
    assert.match(html, /<form method="post"><button type="submit">Approve reply<\/button><\/form>/);
    assert.match(html, /Please review me/);
    assert.equal(await t.status(reply.id), 'pending', 'the GET changed nothing');

    const done = await t.follow(approve!, 'POST');
    assert.equal(done.status, 200);
    assert.equal(await t.status(reply.id), 'published');
    const again = await expectProblem(await t.follow(hide!, 'POST'), 409);
    assert.equal(again.type, 'urn:colloquy:problem:already-moderated');
    assert.equal(await t.status(reply.id), 'published', 'the other link of a used email changes nothing');
  });

  it('spends an email’s links once, even when the reply waits for review again', async () => {
    const reply = await t.post({ body: 'First words' }, {});
    await t.dispatcher.runOnce();
    const [approve, hide] = linksOf(t.smtp.mails.splice(0)[0]!.raw).filter((l) =>
      l.includes('/email/moderate/'),
    );
    assert.equal((await t.follow(approve!, 'POST')).status, 200);
    // The author edits it; `all` moderation holds it again, and a new email goes out.
    const edit = await t.app.app.request(`/api/v1/replies/${reply.id}`, {
      method: 'PATCH',
      headers: {
        'Content-Type': 'application/json',
        Origin: ORIGIN,
        'X-Colloquy-Edit-Token': (reply as Reply & { editToken: string }).editToken,
      },
      body: JSON.stringify({ body: 'Edited words' }),
    });
    assert.equal(edit.status, 200);
    assert.equal(await t.status(reply.id), 'pending');
    const used = await expectProblem(await t.follow(hide!, 'POST'), 410);
    assert.equal(used.type, 'urn:colloquy:problem:link-used');
    assert.equal(await t.status(reply.id), 'pending');
    await t.dispatcher.runOnce();
    const [, newHide] = linksOf(t.smtp.mails.splice(0)[0]!.raw).filter((l) => l.includes('/email/moderate/'));
    assert.equal((await t.follow(newHide!, 'POST')).status, 200);
    assert.equal(await t.status(reply.id), 'hidden');
  });

  it('refuses forged, altered and expired links', async () => {
    const reply = await t.post({}, {});
    await t.dispatcher.runOnce();
    const [approve] = linksOf(t.smtp.mails.splice(0)[0]!.raw).filter((l) => l.includes('/email/moderate/'));
    const token = approve!.split('/').at(-1)!;
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ a: 'approve', r: reply.id, n: 'x', e: 9_999_999_999 }),
    ).toString('base64url');
    for (const bad of [`${forged}.${mac}`, `${payload}.${mac.slice(0, -2)}AA`, 'nonsense', `${payload}`]) {
      const problem = await expectProblem(await t.follow(`${PUBLIC}/email/moderate/${bad}`, 'POST'), 404);
      assert.equal(problem.type, 'urn:colloquy:problem:link-invalid');
    }
    // A link signed with the database's key, but past its expiry.
    const key = await t.app.store.notifications.sharedKey('email-links');
    const expired = new LinkSigner(key).sign({
      action: 'approve',
      replyId: reply.id,
      nonce: 'n1',
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    const problem = await expectProblem(await t.follow(`${PUBLIC}/email/moderate/${expired}`), 410);
    assert.equal(problem.type, 'urn:colloquy:problem:link-expired');
    const unsubscribeAsModeration = new LinkSigner(key).sign({ action: 'unsubscribe', emailHash: 'ab' });
    await expectProblem(await t.follow(`${PUBLIC}/email/moderate/${unsubscribeAsModeration}`, 'POST'), 404);
    assert.equal(await t.status(reply.id), 'pending');
  });

  it('retries a temporary SMTP refusal and fails a permanent one at once', async () => {
    t.smtp.state.refuse = 451;
    await t.post({}, {});
    await t.dispatcher.runOnce();
    const log = async () =>
      (
        (await (
          await t.app.app.request('/api/v1/admin/deliveries?limit=1', { headers: admin })
        ).json()) as Deliveries
      ).deliveries[0]!;
    const waiting = await log();
    assert.equal(waiting.status, 'pending');
    assert.equal(waiting.log[0]!.status, 451);
    assert.deepEqual(waiting.recipient, { kind: 'moderator', address: 'mod@example.org' });
    t.smtp.state.refuse = null;
    t.clock.now = new Date(t.clock.now.getTime() + 2000);
    await t.dispatcher.runOnce();
    assert.equal((await log()).status, 'delivered');
    assert.equal(t.smtp.mails.splice(0).length, 1);

    t.smtp.state.refuse = 550;
    await t.post({}, {});
    await t.dispatcher.runOnce();
    const refused = await log();
    assert.equal(refused.status, 'failed');
    assert.equal(refused.attempts, 1);
    t.smtp.state.refuse = null;
  });

  it('sends nothing when the reply was moderated before its email went out', async () => {
    const reply = await t.post({}, {});
    await t.app.app.request(`/api/v1/admin/replies/${reply.id}/approve`, { method: 'POST', headers: admin });
    await t.dispatcher.runOnce();
    assert.equal(t.smtp.mails.length, 0);
    const [skipped] = (
      (await (
        await t.app.app.request('/api/v1/admin/deliveries?status=skipped', { headers: admin })
      ).json()) as Deliveries
    ).deliveries;
    assert.match(skipped!.lastError!, /no longer awaiting review/);
  });
});

describe('email to authors', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  before(async () => (t = await setup({ moderation: 'off', moderatorEmails: [], authorEmailsPerDay: 3 })));
  after(() => t.close());

  it('tells an author who gave an address of a reply to theirs, with a working unsubscribe link', async () => {
    const parent = await t.post({ authorName: 'Ann', email: 'ann@example.org' });
    await t.post({ authorName: 'Ann', parentId: parent.id, email: 'ANN@example.org' }); // her own reply: no mail
    await t.post({ authorName: 'Bob', parentId: parent.id, body: 'Hi Ann' });
    await t.dispatcher.runOnce();
    assert.equal(t.smtp.mails.length, 1);
    const [mail] = t.smtp.mails.splice(0);
    assert.deepEqual(mail!.to, ['ann@example.org']);
    assert.match(mailHeader(mail!.raw, 'Subject')!, /Bob replied to you/);
    assert.match(mailText(mail!.raw), /> Hi Ann/);
    const unsubscribe = linksOf(mail!.raw).find((l) => l.includes('/email/unsubscribe/'))!;
    assert.equal(mailHeader(mail!.raw, 'List-Unsubscribe'), `<${unsubscribe}>`);
    assert.equal(mailHeader(mail!.raw, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    assert.ok(!unsubscribe.includes('ann'), 'the link does not carry the address');

    const page = await t.follow(unsubscribe);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<button type="submit">Unsubscribe<\/button>/);
    // RFC 8058: the mail client POSTs this body to the link.
    const done = await t.follow(unsubscribe, 'POST', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(done.status, 200);
    await t.post({ authorName: 'Cy', parentId: parent.id });
    await t.dispatcher.runOnce();
    assert.equal(t.smtp.mails.length, 0, 'an unsubscribed address gets nothing more');
  });

  it('bounds the emails one address gets in a day, and never returns the address', async () => {
    const parent = await t.post({ authorName: 'Dee', email: 'dee@example.org' });
    for (let k = 0; k < 5; k++) await t.post({ authorName: `Fan ${k}`, parentId: parent.id });
    await t.dispatcher.runOnce();
    assert.equal(t.smtp.mails.splice(0).length, 3, 'authorEmailsPerDay');
    const read = async (path: string, init: RequestInit = {}) => (await t.app.app.request(path, init)).text();
    const reads = [
      await read('/api/v1/topics/rsp-update'),
      await read('/api/v1/topics/rsp-update/replies?limit=100'),
      await read(`/api/v1/replies/${parent.id}`),
      await read('/api/v1/admin/deliveries', { headers: admin }),
      await read('/api/v1/feed.atom'),
      await read('/api/v1/topics/rsp-update/feed.atom'),
    ];
    for (const body of reads)
      assert.ok(!/dee@example\.org|ann@example\.org/i.test(body), 'no read returns an author address');
  });

  it('forgets a deleted reply’s address', async () => {
    const parent = await t.post({ authorName: 'Eve', email: 'eve@example.org' }, {});
    const { default: Database } = await import('better-sqlite3');
    const count = () => {
      const db = new Database(`${t.app.dir}/colloquy.db`, { readonly: true });
      try {
        return (
          db.prepare('SELECT count(*) AS n FROM author_emails WHERE reply_id = ?').get(parent.id) as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    };
    assert.equal(count(), 1);
    const token = (parent as Reply & { editToken: string }).editToken;
    const del = await t.app.app.request(`/api/v1/replies/${parent.id}`, {
      method: 'DELETE',
      headers: { Origin: ORIGIN, 'X-Colloquy-Edit-Token': token },
    });
    assert.equal(del.status, 200);
    assert.equal(count(), 0);
  });
});
