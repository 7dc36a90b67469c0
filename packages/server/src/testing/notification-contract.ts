import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_WEBHOOK_SUBSCRIPTIONS } from '@colloquy/api';
import { renderMarkdown, type Store, type TopicRecord } from '../index.js';
import type { OutboxEntry, PlanContext, PlannedDelivery } from '../store/notifications.js';
import { tempDir } from './helpers.js';

const topic = (id: string, extra: Partial<TopicRecord> = {}): TopicRecord => ({
  id,
  title: `Topic ${id}`,
  url: null,
  category: null,
  label: null,
  summary: null,
  author: null,
  ...renderMarkdown('Body'),
  sources: [],
  locked: false,
  ...extra,
});

const reply = (topicId: string, extra: Record<string, unknown> = {}) => ({
  topicId,
  parentId: null,
  authorName: 'Ann',
  ...renderMarkdown('hello'),
  ...extra,
});

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Empties the outbox, returning what it held, with the context each entry was planned in. */
async function drain(
  store: Store,
  plan: (entry: OutboxEntry, context: PlanContext) => PlannedDelivery[] = () => [],
) {
  const seen: Array<{ entry: OutboxEntry; context: PlanContext }> = [];
  const planner = (entry: OutboxEntry, context: PlanContext) => {
    seen.push({ entry, context });
    return plan(entry, context);
  };
  while (await store.notifications.expandNext(planner, { now: T0, maxPending: 1000 }));
  return seen;
}

/**
 * What every store's notifications must do, whatever its database: the outbox written with
 * the write or not at all, deliveries leased to one dispatcher at a time, attempts recorded
 * only by the lease holder, bounded queues, and the keys and links email needs. `open(dir)`
 * opens a store whose data lives under `dir`; opening the same dir again sees the same data.
 * `concurrentStores`: two stores of one database may run transactions at the same moment
 * (PostgreSQL); a SQLite file is served by one process, whose store takes its claims in turn.
 */
export function notificationContract(
  name: string,
  open: (dir: string) => Promise<Store>,
  { concurrentStores }: { concurrentStores: boolean },
): void {
  describe(`Notification contract: ${name}`, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let store: Store;

    before(async () => {
      ({ dir, cleanup } = await tempDir());
      store = await open(dir);
    });
    after(async () => {
      await store.close();
      await cleanup();
    });

    it('writes an outbox entry with each notable write, and none when the write fails', async () => {
      await store.upsertTopic(topic('n1'));
      await store.upsertTopic(topic('n-locked', { locked: true }));
      await drain(store);
      const published = await store.createReply(reply('n1'));
      const held = await store.createReply(reply('n1', { status: 'pending' }));
      await store.createReply(reply('n1', { notify: false }));
      await assert.rejects(store.createReply(reply('n-locked')), /locked/);
      await store.setReplyStatus(held.id, 'published');
      await store.setReplyStatus(held.id, 'published'); // no change, no entry
      await store.setReplyStatus(published.id, 'hidden');
      assert.ok(await store.recordReport(held.id));
      assert.equal(await store.recordReport(published.id), null, 'a hidden reply cannot be reported');
      assert.equal(await store.recordReport('missing'), null);
      await store.editReply(held.id, { ...renderMarkdown('held again'), status: 'pending' });
      const entries = (await drain(store)).map(({ entry }) => [entry.type, entry.replyId, entry.topicId]);
      assert.deepEqual(entries, [
        ['reply.created', published.id, 'n1'],
        ['reply.pending', held.id, 'n1'],
        ['reply.approved', held.id, 'n1'],
        ['reply.hidden', published.id, 'n1'],
        ['reply.reported', held.id, 'n1'],
        ['reply.pending', held.id, 'n1'],
      ]);
      assert.deepEqual(await drain(store), [], 'an expanded entry is gone');
    });

    it('keeps an author address out of every read, offers it to the planner, and forgets it with the reply', async () => {
      await store.upsertTopic(topic('n2'));
      const parent = await store.createReply(reply('n2', { authorEmail: 'Ann@Example.org' }));
      await drain(store);
      const child = await store.createReply(
        reply('n2', { parentId: parent.id, authorEmail: 'bob@example.org' }),
      );
      const [seen] = await drain(store);
      assert.equal(seen!.context.parentAuthorEmail, 'Ann@Example.org');
      assert.equal(seen!.context.replyAuthorEmail, 'bob@example.org');
      const reads = JSON.stringify([
        await store.getReply(parent.id, { admin: true }),
        await store.listReplies('n2', { limit: 10, cursor: null }),
        await store.getTopic('n2'),
        await store.listPending(10),
        child,
      ]);
      assert.ok(!/example\.org/i.test(reads), 'no read carries an address');

      await store.notifications.optOut('ann@EXAMPLE.org ');
      assert.equal(await store.notifications.isOptedOut('ANN@example.org'), true);
      await store.createReply(reply('n2', { parentId: parent.id }));
      assert.equal(
        (await drain(store))[0]!.context.parentAuthorEmail,
        null,
        'an address that unsubscribed is not offered',
      );
    });

    it('leases a delivery to one dispatcher at a time, and only the holder records an attempt', async () => {
      await store.upsertTopic(topic('n3'));
      const hook = await store.notifications.createWebhook({
        url: 'https://hooks.example.org/a',
        events: ['reply.created'],
        secret: SECRET,
        description: null,
      });
      assert.ok(hook);
      const r = await store.createReply(reply('n3'));
      await drain(store, () => [{ channel: 'webhook', webhookId: hook.id }]);

      const first = await store.notifications.claimNext({ now: T0, leaseMs: 60_000 });
      assert.ok(first);
      assert.equal(first.replyId, r.id);
      assert.equal(first.attempts, 0);
      assert.match(first.messageId, /^msg_[A-Za-z0-9_-]+$/);
      assert.equal(
        await store.notifications.claimNext({ now: at(30), leaseMs: 60_000 }),
        null,
        'held while its lease runs',
      );

      // The holder died: after its lease another takes it over, and the first can no longer record.
      const second = await store.notifications.claimNext({ now: at(61), leaseMs: 60_000 });
      assert.ok(second);
      assert.equal(second.id, first.id);
      assert.equal(second.messageId, first.messageId, 'the same webhook-id on every attempt');
      assert.equal(
        await store.notifications.finish(first, {
          result: 'delivered',
          at: at(62).toISOString(),
          status: 200,
          error: null,
        }),
        false,
      );
      assert.equal(
        await store.notifications.finish(second, {
          result: 'retry',
          at: at(62).toISOString(),
          status: 503,
          error: 'HTTP 503',
          nextAttemptAt: at(120).toISOString(),
        }),
        true,
      );
      assert.equal(
        await store.notifications.claimNext({ now: at(119), leaseMs: 60_000 }),
        null,
        'not due before its retry time',
      );
      const third = await store.notifications.claimNext({ now: at(120), leaseMs: 60_000 });
      assert.equal(third?.attempts, 1);
      assert.ok(
        await store.notifications.finish(third!, {
          result: 'delivered',
          at: at(121).toISOString(),
          status: 204,
          error: null,
        }),
      );
      assert.equal(
        await store.notifications.claimNext({ now: at(10_000), leaseMs: 60_000 }),
        null,
        'a delivered one is never sent again',
      );

      const { deliveries } = await store.notifications.listDeliveries({
        limit: 10,
        before: null,
        webhookId: hook.id,
        status: null,
      });
      assert.equal(deliveries.length, 1);
      const [delivery] = deliveries;
      assert.equal(delivery!.status, 'delivered');
      assert.equal(delivery!.attempts, 2);
      assert.equal(delivery!.lastError, null);
      assert.deepEqual(
        delivery!.log.map((a) => [a.attempt, a.status, a.error]),
        [
          [1, 503, 'HTTP 503'],
          [2, 204, null],
        ],
      );
    });

    it('never lets two dispatchers on one database claim the same delivery', async () => {
      await store.upsertTopic(topic('n4'));
      const other = await open(dir);
      try {
        const hook = await store.notifications.createWebhook({
          url: 'https://hooks.example.org/b',
          events: ['reply.created'],
          secret: SECRET,
          description: null,
        });
        for (let k = 0; k < 6; k++) await store.createReply(reply('n4'));
        await drain(store, () => [{ channel: 'webhook', webhookId: hook!.id }]);
        const claim = (k: number) =>
          (k % 2 ? other : store).notifications.claimNext({ now: at(200), leaseMs: 60_000 });
        const claims = concurrentStores
          ? await Promise.all(Array.from({ length: 10 }, (_, k) => claim(k)))
          : [
              // One process's concurrent claims, then the other store's in turn.
              ...(await Promise.all(Array.from({ length: 4 }, () => claim(0)))),
              ...(await Promise.all(Array.from({ length: 4 }, () => claim(1)))),
              await claim(0),
              await claim(1),
            ];
        const ids = claims.filter((c) => c !== null).map((c) => c.id);
        assert.equal(ids.length, 6, 'each due delivery is claimed');
        assert.equal(new Set(ids).size, 6, 'and by one dispatcher only');
        for (const claim of claims)
          if (claim)
            await store.notifications.finish(claim, {
              result: 'delivered',
              at: at(201).toISOString(),
              status: 200,
              error: null,
            });
      } finally {
        await other.close();
      }
    });

    it('bounds what waits: past maxPending, new deliveries are recorded as failed', async () => {
      await store.upsertTopic(topic('n5'));
      const before = (
        await store.notifications.listDeliveries({
          limit: 100,
          before: null,
          webhookId: null,
          status: 'pending',
        })
      ).deliveries.length;
      await store.createReply(reply('n5'));
      const plan = (): PlannedDelivery[] =>
        [1, 2, 3].map((k) => ({
          channel: 'email',
          recipientKind: 'moderator',
          recipient: `m${k}@example.org`,
        }));
      while (await store.notifications.expandNext(plan, { now: at(300), maxPending: before + 1 }));
      const { deliveries } = await store.notifications.listDeliveries({
        limit: 3,
        before: null,
        webhookId: null,
        status: null,
      });
      assert.deepEqual(deliveries.map((d) => d.status).sort(), ['failed', 'failed', 'pending']);
      assert.match(deliveries.find((d) => d.status === 'failed')!.lastError!, /already waiting/);
      assert.deepEqual(deliveries[0]!.recipient, { kind: 'moderator', address: 'm3@example.org' });
    });

    it('pages the delivery log newest first', async () => {
      const all = (
        await store.notifications.listDeliveries({ limit: 100, before: null, webhookId: null, status: null })
      ).deliveries;
      assert.ok(all.length >= 4);
      const first = await store.notifications.listDeliveries({
        limit: 2,
        before: null,
        webhookId: null,
        status: null,
      });
      const second = await store.notifications.listDeliveries({
        limit: 2,
        before: first.nextCursor,
        webhookId: null,
        status: null,
      });
      assert.deepEqual(
        [...first.deliveries, ...second.deliveries].map((d) => d.id),
        all.slice(0, 4).map((d) => d.id),
      );
      assert.ok(all.every((d, k) => k === 0 || BigInt(d.id) < BigInt(all[k - 1]!.id)));
    });

    it('keeps at most MAX_WEBHOOK_SUBSCRIPTIONS, lists none deleted, and knows why one is inactive', async () => {
      const existing = (await store.notifications.listWebhooks()).length;
      const made = [];
      for (let k = existing; k < MAX_WEBHOOK_SUBSCRIPTIONS; k++) {
        made.push(
          await store.notifications.createWebhook({
            url: `https://hooks.example.org/${k}`,
            events: ['reply.pending'],
            secret: SECRET,
            description: `hook ${k}`,
          }),
        );
      }
      assert.ok(made.every((hook) => hook !== null));
      assert.equal(
        await store.notifications.createWebhook({
          url: 'https://hooks.example.org/x',
          events: ['reply.pending'],
          secret: SECRET,
          description: null,
        }),
        null,
      );
      const victim = made.at(-1)!;
      assert.equal(await store.notifications.deleteWebhook(victim.id), true);
      assert.equal(await store.notifications.deleteWebhook(victim.id), false);
      assert.ok(!(await store.notifications.listWebhooks()).some((hook) => hook.id === victim.id));
      assert.match((await store.notifications.webhookTarget(victim.id))!.inactive!, /deleted/);
      assert.ok(
        JSON.stringify(await store.notifications.listWebhooks()).indexOf('whsec_') === -1,
        'listing never shows a secret',
      );
      assert.ok(
        await store.notifications.createWebhook({
          url: 'https://hooks.example.org/y',
          events: ['reply.pending'],
          secret: SECRET,
          description: null,
        }),
      );
    });

    it('shares one key per name between stores, and spends a link once', async () => {
      const other = await open(dir);
      try {
        const [a, b] = await Promise.all([
          store.notifications.sharedKey('links'),
          other.notifications.sharedKey('links'),
        ]);
        assert.equal(a.length, 32);
        assert.deepEqual(a, b);
        assert.notDeepEqual(await store.notifications.sharedKey('other'), a);
      } finally {
        await other.close();
      }
      assert.equal(await store.notifications.spendLink('nonce-1', at(3600)), true);
      assert.equal(await store.notifications.spendLink('nonce-1', at(3600)), false);
    });
  });
}
