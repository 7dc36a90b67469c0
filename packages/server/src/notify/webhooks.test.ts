/**
 * Webhooks end to end in one process: subscriptions through the admin API, the outbox turned
 * into signed deliveries by the real dispatcher, sent over real loopback HTTP to a real
 * receiver, retried, bounded and logged. The dispatcher runs one round at a time (runOnce)
 * on a clock the test sets, so backoff is checked as data, never by waiting.
 */
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type {
  CreatedWebhookSubscription,
  Deliveries,
  WebhookPayload,
  WebhookSubscriptions,
} from '@colloquy/api';
import { seedDemo, type AppConfig } from '../index.js';
import { ADMIN_TOKEN, expectProblem, json, tempDir, testApp, type TestApp } from '../testing/helpers.js';
import { webhookReceiver } from '../testing/receivers.js';
import { Dispatcher, MAX_RETRY_DELAY_MS } from './dispatcher.js';
import { isPublicAddress, literalHostRefusal } from './address-policy.js';
import { retryDelayMs } from './policy.js';
import { signedHeaders, newWebhookSecret } from './signing.js';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** An app, a receiver and a dispatcher on a clock the test moves. */
async function setup(overrides: Partial<AppConfig> = {}) {
  const app: TestApp = await testApp({
    webhookAllowPrivate: true,
    retryDelaySeconds: 10,
    deliveryAttempts: 4,
    deliveryTimeoutSeconds: 1,
    ...overrides,
  });
  await seedDemo(app.store);
  const receiver = await webhookReceiver();
  const clock = { now: new Date() };
  const dispatcher = new Dispatcher({
    store: app.store,
    config: app.config,
    mailer: null,
    publicUrl: 'http://colloquy.test',
    now: () => clock.now,
    random: () => 0.5,
  });
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await app.app.request(
      '/api/v1/admin/webhooks',
      json({ url: receiver.url, events: ['reply.created'], ...body }, admin),
    );
    assert.equal(res.status, 201, await res.clone().text());
    return (await res.json()) as CreatedWebhookSubscription;
  };
  const post = async (body = 'A reply', headers: Record<string, string> = {}) => {
    const res = await app.app.request(
      '/api/v1/topics/rsp-update/replies',
      json({ authorName: 'Ann', body }, headers),
    );
    assert.equal(res.status, 201);
    return (await res.json()) as { id: string };
  };
  const deliveries = async (query = '') => {
    const res = await app.app.request(`/api/v1/admin/deliveries${query}`, { headers: admin });
    assert.equal(res.status, 200);
    return ((await res.json()) as Deliveries).deliveries;
  };
  return {
    app,
    receiver,
    clock,
    dispatcher,
    subscribe,
    post,
    deliveries,
    /** Moves the clock on by `seconds`. */
    later: (seconds: number) => void (clock.now = new Date(clock.now.getTime() + seconds * 1000)),
    close: async () => {
      await dispatcher.stop();
      await receiver.close();
      await app.close();
    },
  };
}

describe('webhook signatures', () => {
  it('verify with the Standard Webhooks reference library, and fail for any change', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({
      type: 'reply.created',
      timestamp: '2030-01-01T00:00:00.000Z',
      data: { n: 1 },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(secret, 'msg_abc', timestamp, body);
    assert.match(headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]{43}=$/);
    const verifier = new Webhook(secret);
    assert.deepEqual(verifier.verify(body, headers), JSON.parse(body));
    assert.throws(() => verifier.verify(body.replace('1}', '2}'), headers));
    assert.throws(() => verifier.verify(body, { ...headers, 'webhook-id': 'msg_abd' }));
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers), 'another secret');
  });
});

describe("the README's verification example", () => {
  it('accepts a real signature and refuses a changed body or another secret', async () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
    const code = /```js\n(import \{ createHmac[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(code, 'the README shows verifyColloquyWebhook');
    const { dir, cleanup } = await tempDir();
    try {
      const file = join(dir, 'verify.mjs');
      writeFileSync(file, code);
      const { verifyColloquyWebhook } = (await import(pathToFileURL(file).href)) as {
        verifyColloquyWebhook: (secret: string, headers: Record<string, string>, body: string) => boolean;
      };
      const secret = newWebhookSecret();
      const body = '{"type":"reply.created"}';
      const headers = signedHeaders(secret, 'msg_readme', Math.floor(Date.now() / 1000), body);
      assert.equal(verifyColloquyWebhook(secret, headers, body), true);
      assert.equal(verifyColloquyWebhook(secret, headers, `${body} `), false);
      assert.equal(verifyColloquyWebhook(newWebhookSecret(), headers, body), false);
      assert.equal(
        verifyColloquyWebhook(secret, signedHeaders(secret, 'msg_readme', 1_000_000_000, body), body),
        false,
        'an old timestamp',
      );
    } finally {
      await cleanup();
    }
  });
});

describe('the address policy', () => {
  it('takes public unicast addresses only', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      assert.equal(isPublicAddress(address), true, address);
    for (const address of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '192.0.2.1',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::1',
      '2001:db8::1',
      'ff02::1',
      'not an address',
    ]) {
      assert.equal(isPublicAddress(address), false, address);
    }
  });

  it('refuses loopback and private literals and localhost before connecting', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.1/',
      'http://0x7f000001/',
      'http://localhost/',
      'http://a.localhost/',
    ]) {
      assert.notEqual(literalHostRefusal(new URL(url)), null, url);
    }
    assert.equal(literalHostRefusal(new URL('https://hooks.example.org/')), null);
    assert.equal(literalHostRefusal(new URL('http://93.184.216.34/')), null);
  });
});

describe('webhook deliveries', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  before(async () => (t = await setup()));
  after(() => t.close());

  it('creates a subscription with its secret shown once, lists it without, and refuses bad ones', async () => {
    const hook = await t.subscribe({
      events: ['reply.created', 'reply.hidden'],
      description: 'Slack bridge',
    });
    assert.match(hook.id, /^wh_/);
    assert.match(hook.secret, /^whsec_/);
    const listed = (await (
      await t.app.app.request('/api/v1/admin/webhooks', { headers: admin })
    ).json()) as WebhookSubscriptions;
    assert.deepEqual(
      listed.webhooks.map((w) => w.id),
      [hook.id],
    );
    assert.ok(!JSON.stringify(listed).includes('whsec_'), 'the secret is never listed');
    await expectProblem(
      await t.app.app.request(
        '/api/v1/admin/webhooks',
        json({ url: 'ftp://x.example/', events: ['reply.created'] }, admin),
      ),
      422,
    );
    await expectProblem(
      await t.app.app.request('/api/v1/admin/webhooks', json({ url: t.receiver.url, events: [] }, admin)),
      422,
    );
    await expectProblem(
      await t.app.app.request(
        '/api/v1/admin/webhooks',
        json({ url: t.receiver.url, events: ['reply.created'] }),
      ),
      401,
    );
    await expectProblem(
      await t.app.app.request('/api/v1/admin/webhooks/wh_missing', { method: 'DELETE', headers: admin }),
      404,
    );
    await expectProblem(
      await t.app.app.request('/api/v1/admin/deliveries?limit=1000', { headers: admin }),
      400,
    );
    const del = await t.app.app.request(`/api/v1/admin/webhooks/${hook.id}`, {
      method: 'DELETE',
      headers: admin,
    });
    assert.equal(del.status, 204);
  });

  it('delivers a signed reply.created that the reference library verifies', async () => {
    const hook = await t.subscribe({});
    const reply = await t.post('Hello **webhooks**');
    assert.equal(await t.dispatcher.runOnce(), 1);
    const [request] = t.receiver.received.splice(0);
    assert.ok(request);
    const payload = new Webhook(hook.secret).verify(
      request.body,
      request.headers as Record<string, string>,
    ) as WebhookPayload;
    assert.equal(payload.type, 'reply.created');
    assert.equal(payload.data.reply.id, reply.id);
    assert.equal(payload.data.reply.text, 'Hello webhooks');
    assert.deepEqual(payload.data.topic, {
      id: 'rsp-update',
      title: payload.data.topic.title,
      url: payload.data.topic.url,
    });
    assert.equal(request.headers['content-type'], 'application/json');
    const [logged] = await t.deliveries(`?webhook=${hook.id}`);
    assert.equal(logged!.status, 'delivered');
    assert.deepEqual(
      logged!.log.map((a) => a.status),
      [204],
    );
    assert.equal(await t.dispatcher.runOnce(), 0, 'nothing is sent twice');
    await t.app.app.request(`/api/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', headers: admin });
  });

  it('retries a failure with exponential backoff and jitter, with the same webhook-id, then fails for good', async () => {
    const hook = await t.subscribe({});
    t.receiver.state.respond = (res) => void res.writeHead(503).end('busy');
    await t.post();
    const ids = new Set<string>();
    for (let attempt = 1; attempt <= 4; attempt++) {
      const started = t.clock.now;
      assert.equal(await t.dispatcher.runOnce(), 1, `attempt ${attempt}`);
      ids.add(String(t.receiver.received.at(-1)!.headers['webhook-id']));
      const [delivery] = await t.deliveries(`?webhook=${hook.id}`);
      assert.equal(delivery!.attempts, attempt);
      assert.equal(delivery!.lastError, 'HTTP 503: busy');
      if (attempt < 4) {
        // random() is 0.5: three quarters of the doubled delay.
        const wait = retryDelayMs(attempt, 10_000, MAX_RETRY_DELAY_MS, 0.5);
        assert.equal(wait, 10_000 * 2 ** (attempt - 1) * 0.75);
        assert.equal(Date.parse(delivery!.nextAttemptAt!), started.getTime() + wait);
        t.later(wait / 1000 - 1);
        assert.equal(await t.dispatcher.runOnce(), 0, 'not before it is due');
        t.later(1);
      } else {
        assert.equal(delivery!.status, 'failed');
        assert.equal(delivery!.nextAttemptAt, null);
      }
    }
    assert.equal(ids.size, 1, 'every attempt carries the same webhook-id');
    t.later(MAX_RETRY_DELAY_MS / 1000);
    assert.equal(await t.dispatcher.runOnce(), 0, 'a failed delivery is not tried again');
    await t.app.app.request(`/api/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', headers: admin });
  });

  it("waits as long as a receiver's Retry-After asks, and disables a subscription whose receiver says 410 Gone", async () => {
    const hook = await t.subscribe({});
    t.receiver.state.respond = (res) => void res.writeHead(429, { 'Retry-After': '3600' }).end();
    await t.post();
    await t.dispatcher.runOnce();
    const [waiting] = await t.deliveries(`?webhook=${hook.id}`);
    assert.ok(Date.parse(waiting!.nextAttemptAt!) >= t.clock.now.getTime() + 3600_000);
    t.later(3600);
    t.receiver.state.respond = (res) => void res.writeHead(410).end();
    await t.dispatcher.runOnce();
    const [gone] = await t.deliveries(`?webhook=${hook.id}`);
    assert.equal(gone!.status, 'failed');
    const listed = (await (
      await t.app.app.request('/api/v1/admin/webhooks', { headers: admin })
    ).json()) as WebhookSubscriptions;
    assert.ok(listed.webhooks.find((w) => w.id === hook.id)!.disabledAt);
    const before = t.receiver.received.length;
    await t.post();
    await t.dispatcher.runOnce();
    assert.equal(t.receiver.received.length, before, 'a disabled subscription gets nothing more');
    await t.app.app.request(`/api/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', headers: admin });
  });

  it('gives up on a receiver that does not answer within the timeout, and reads only the start of a huge answer', async () => {
    const hook = await t.subscribe({});
    t.receiver.state.respond = () => {}; // never answers
    await t.post();
    await t.dispatcher.runOnce();
    const [silent] = await t.deliveries(`?webhook=${hook.id}`);
    assert.equal(silent!.lastError, 'No answer within 1 seconds.');
    assert.equal(silent!.status, 'pending');

    let finished = false;
    let closedEarly = false;
    t.receiver.state.respond = (res) => {
      res.writeHead(500);
      res.on('close', () => (closedEarly = !finished));
      res.on('finish', () => (finished = true));
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    };
    t.later(3600);
    await t.dispatcher.runOnce();
    const [huge] = await t.deliveries(`?webhook=${hook.id}`);
    assert.match(huge!.lastError!, /^HTTP 500: x+$/);
    assert.ok(huge!.lastError!.length <= 220, 'the logged answer is bounded');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(closedEarly, true, 'the connection was closed long before 64 MiB were sent');
    t.receiver.state.respond = (res) => void res.writeHead(204).end();
    await t.app.app.request(`/api/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', headers: admin });
  });

  it('sends a reply as it is now: hidden before its delivery, it goes out blanked', async () => {
    t.clock.now = new Date(); // the receiver's verifier checks the timestamp against its own clock
    const hook = await t.subscribe({ events: ['reply.created', 'reply.hidden'] });
    const reply = await t.post('Soon hidden secret words');
    const hide = await t.app.app.request(`/api/v1/admin/replies/${reply.id}/hide`, {
      method: 'POST',
      headers: admin,
    });
    assert.equal(hide.status, 200);
    t.receiver.received.splice(0);
    await t.dispatcher.runOnce();
    const payloads = t.receiver.received.map(
      (r) => new Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>) as WebhookPayload,
    );
    assert.deepEqual(payloads.map((p) => p.type).sort(), ['reply.created', 'reply.hidden']);
    for (const p of payloads) {
      assert.equal(p.data.reply.status, 'hidden');
      assert.equal(p.data.reply.text, '');
      assert.equal(p.data.reply.author.name, '');
    }
    assert.ok(!t.receiver.received.some((r) => r.body.includes('secret words')));
    await t.app.app.request(`/api/v1/admin/webhooks/${hook.id}`, { method: 'DELETE', headers: admin });
  });
});

describe('webhooks and private addresses, without COLLOQUY_WEBHOOK_ALLOW_PRIVATE', () => {
  let t: Awaited<ReturnType<typeof setup>>;
  before(async () => (t = await setup({ webhookAllowPrivate: false })));
  after(() => t.close());

  it('refuses a subscription to a loopback or private literal', async () => {
    for (const url of [
      t.receiver.url,
      `http://localhost:${t.receiver.port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
    ]) {
      const problem = await expectProblem(
        await t.app.app.request('/api/v1/admin/webhooks', json({ url, events: ['reply.created'] }, admin)),
        422,
      );
      assert.equal(problem.errors?.[0]?.path, 'url', url);
    }
  });

  it('checks the address a name resolves to when it connects, and sends nothing there', async (ctx) => {
    const name = hostname();
    const addresses = await lookup(name, { all: true }).catch(() => []);
    if (
      /localhost/i.test(name) ||
      addresses.length === 0 ||
      addresses.some((a) => isPublicAddress(a.address))
    ) {
      ctx.skip(`this machine's name (${name}) does not resolve to a loopback or private address only`);
      return;
    }
    // The name passes the check made when subscribing (it is not a literal): the refusal must come at connect time.
    const res = await t.app.app.request(
      '/api/v1/admin/webhooks',
      json({ url: `http://${name}:${t.receiver.port}/hook`, events: ['reply.created'] }, admin),
    );
    assert.equal(res.status, 201);
    await t.post();
    await t.dispatcher.runOnce();
    assert.equal(t.receiver.received.length, 0, 'the receiver got nothing');
    const [delivery] = await t.deliveries();
    assert.equal(delivery!.status, 'failed', 'a refused address is not retried');
    assert.match(delivery!.lastError!, /not a public address/);
  });
});
