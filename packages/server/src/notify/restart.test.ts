/**
 * The outbox survives the server: a real server process takes a reply that waits for review,
 * fails to deliver its webhook and its moderator email (the receiver answers 503, the SMTP
 * server 451), and is killed with SIGKILL. A second process on the same database delivers both
 * once the receivers accept: the webhook signed, with the webhook-id of the attempts before the
 * kill; the email with links that approve the reply through the second server. On SQLite, and
 * on PostgreSQL when COLLOQUY_TEST_DATABASE_URL is set.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import type { CreatedReply, CreatedWebhookSubscription, Deliveries, WebhookPayload } from '@colloquy/api';
import { tempDir } from '../testing/helpers.js';
import { startServer } from '../testing/processes.js';
import { mailText, smtpReceiver, until, webhookReceiver } from '../testing/receivers.js';

const ORIGIN = 'http://localhost:8080';
const ADMIN = 'restart-admin-token';
const admin = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };
const DATABASE_URL = process.env.COLLOQUY_TEST_DATABASE_URL;

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

async function survivesRestart(database: Record<string, string>) {
  const receiver = await webhookReceiver();
  const smtp = await smtpReceiver();
  receiver.state.respond = (res) => void res.writeHead(503).end('down for maintenance');
  smtp.state.refuse = 451;
  const env = {
    ...database,
    HOST: '127.0.0.1',
    COLLOQUY_ADMIN_TOKEN: ADMIN,
    COLLOQUY_ALLOWED_ORIGINS: ORIGIN,
    COLLOQUY_REPLY_RATE_LIMIT: '0',
    COLLOQUY_TOPIC_RATE_LIMIT: '0',
    COLLOQUY_WRITE_RATE_LIMIT: '0',
    COLLOQUY_SEED: '1',
    COLLOQUY_MODERATION: 'all',
    COLLOQUY_WEBHOOK_ALLOW_PRIVATE: '1',
    COLLOQUY_SMTP_URL: smtp.url,
    COLLOQUY_MAIL_FROM: 'colloquy@example.org',
    COLLOQUY_MODERATOR_EMAILS: 'mod@example.org',
    COLLOQUY_RETRY_DELAY: '1',
    COLLOQUY_DELIVERY_TIMEOUT: '2',
  };
  const first = await startServer(env);
  let second: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const hookRes = await fetch(`${first.url}/api/v1/admin/webhooks`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ url: receiver.url, events: ['reply.pending', 'reply.approved'] }),
    });
    assert.equal(hookRes.status, 201);
    const hook = (await hookRes.json()) as CreatedWebhookSubscription;
    const posted = await fetch(`${first.url}/api/v1/topics/rsp-update/replies`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
      body: JSON.stringify({ authorName: 'Ann', body: 'Waiting through a restart' }),
    });
    assert.equal(posted.status, 201);
    const reply = (await posted.json()) as CreatedReply;
    assert.equal(reply.status, 'pending');

    const log = async (url: string) =>
      ((await (await fetch(`${url}/api/v1/admin/deliveries`, { headers: admin })).json()) as Deliveries)
        .deliveries;
    // Both deliveries tried and failed, and the failures recorded, before the kill.
    await until(async () => {
      const deliveries = await log(first.url);
      return deliveries.length === 2 && deliveries.every((d) => d.attempts >= 1 && d.status === 'pending');
    }, 'a failed, recorded attempt of the webhook and the email');
    assert.ok(receiver.received.length >= 1);
    assert.ok(smtp.refused.length >= 1);
    assert.equal(smtp.mails.length, 0);
    const idBefore = String(receiver.received[0]!.headers['webhook-id']);

    first.child.kill('SIGKILL');
    await exited(first.child);
    assert.equal(first.child.signalCode, 'SIGKILL');

    const failedBefore = receiver.received.length;
    receiver.state.respond = (res) => void res.writeHead(204).end();
    smtp.state.refuse = null;
    second = await startServer(env);
    const url = second.url;

    await until(
      () => receiver.received.length > failedBefore && smtp.mails.length >= 1,
      'the webhook and the email after the restart',
      30_000,
    );
    const delivered = receiver.received.at(-1)!;
    const payload = new Webhook(hook.secret).verify(
      delivered.body,
      delivered.headers as Record<string, string>,
    ) as WebhookPayload;
    assert.equal(payload.type, 'reply.pending');
    assert.equal(payload.data.reply.id, reply.id);
    assert.equal(payload.data.reply.text, 'Waiting through a restart');
    assert.equal(delivered.headers['webhook-id'], idBefore, 'the same webhook-id as before the kill');

    const [mail] = smtp.mails;
    assert.deepEqual(mail!.to, ['mod@example.org']);
    const approve = /Approve: (\S+)/.exec(mailText(mail!.raw))?.[1];
    assert.ok(approve?.startsWith(`${url}/email/moderate/`), 'the link points at the server that sent it');
    assert.equal((await fetch(approve!)).status, 200);
    const stillPending = await fetch(`${url}/api/v1/replies/${reply.id}`, { headers: admin });
    assert.equal(
      ((await stillPending.json()) as { status: string }).status,
      'pending',
      'following the link only shows the page',
    );
    const done = await fetch(approve!, { method: 'POST' });
    assert.equal(done.status, 200);
    const published = await fetch(`${url}/api/v1/replies/${reply.id}`);
    assert.equal(((await published.json()) as { status: string }).status, 'published');

    await until(
      () => receiver.received.some((r) => (JSON.parse(r.body) as WebhookPayload).type === 'reply.approved'),
      'the reply.approved webhook',
      30_000,
    );
    const approved = receiver.received.find(
      (r) => (JSON.parse(r.body) as WebhookPayload).type === 'reply.approved',
    )!;
    assert.doesNotThrow(() =>
      new Webhook(hook.secret).verify(approved.body, approved.headers as Record<string, string>),
    );

    await until(
      async () => (await log(url)).filter((d) => d.status === 'delivered').length === 3,
      'three deliveries logged as delivered',
    );
    const deliveries = await log(url);
    const pendingHook = deliveries.find((d) => d.channel === 'webhook' && d.event === 'reply.pending')!;
    assert.ok(pendingHook.log.length >= 2);
    assert.equal(pendingHook.log.at(-1)!.status, 204);
    assert.ok(
      pendingHook.log.slice(0, -1).every((a) => a.status === 503),
      'the attempts before the kill are in the log',
    );
    const email = deliveries.find((d) => d.channel === 'email')!;
    assert.ok(email.log.slice(0, -1).every((a) => a.status === 451));
  } finally {
    if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    if (second) {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
    await receiver.close();
    await smtp.close();
  }
}

describe('notifications across a server restart', () => {
  it('deliver a webhook and an email written before a SIGKILL (SQLite)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await survivesRestart({ COLLOQUY_DB: join(dir, 'restart.db') });
    } finally {
      await cleanup();
    }
  });

  const schema = `colloquy_test_restart_${process.pid}_${randomBytes(3).toString('hex')}`;
  after(async () => {
    if (!DATABASE_URL) return;
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
  it('deliver a webhook and an email written before a SIGKILL (PostgreSQL)', {
    skip: DATABASE_URL ? false : 'COLLOQUY_TEST_DATABASE_URL is not set: the PostgreSQL run is skipped',
  }, async () => {
    await survivesRestart({ DATABASE_URL: DATABASE_URL!, COLLOQUY_DB_SCHEMA: schema });
  });
});
