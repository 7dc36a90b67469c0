import { createHash, randomBytes } from 'node:crypto';
import {
  MAX_WEBHOOK_SUBSCRIPTIONS,
  type Deliveries,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryStatus,
  type NotificationEvent,
  type WebhookSubscription,
} from '@colloquy/api';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  NewWebhook,
  NotificationStore,
  OutboxEntry,
  PlanContext,
  Planner,
  WebhookTarget,
} from './notifications.js';
import type { Queries } from './queries.js';
import type { Selectable } from 'kysely';
import type { WebhooksTable } from './schema.js';
import type { SqlConnection, SqlDialect } from './sql-store.js';

/** Addresses are compared and opted out without case: `Ann@Example.org` is `ann@example.org`. */
export const emailHash = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest();

const DAY_MS = 24 * 3600 * 1000;
/** Larger than any delivery id: the first page of the log. */
const NEWEST = '9223372036854775807';

const toWebhook = (row: Selectable<WebhooksTable>): WebhookSubscription => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as NotificationEvent[],
  description: row.description,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

/** NotificationStore over the store's connection and statements (see SqlStore.notifications). */
export class SqlNotifications implements NotificationStore {
  readonly #db: SqlConnection;
  readonly #q: Queries;
  readonly #dialect: SqlDialect;

  constructor(db: SqlConnection, queries: Queries, dialect: SqlDialect) {
    this.#db = db;
    this.#q = queries;
    this.#dialect = dialect;
  }

  async expandNext(plan: Planner, { now, maxPending }: { now: Date; maxPending: number }): Promise<boolean> {
    const q = this.#q;
    return this.#db.transaction('read write', async (trx) => {
      const row = await trx.takeFirst(q.nextOutbox());
      if (!row) return false;
      const entry: OutboxEntry = {
        id: row.outbox_id,
        type: row.type,
        replyId: row.reply_id,
        topicId: row.topic_id,
        createdAt: row.created_at,
      };
      const webhooks = (await trx.executeQuery(q.activeWebhooks())).rows.map((hook) => ({
        id: hook.id,
        events: JSON.parse(hook.events) as NotificationEvent[],
      }));
      const replyAuthorEmail = (await trx.takeFirst(q.authorEmail(entry.replyId)))?.email ?? null;
      let parentAuthorEmail = (await trx.takeFirst(q.parentAuthorEmail(entry.replyId)))?.email ?? null;
      if (parentAuthorEmail !== null && (await trx.takeFirst(q.optedOut(emailHash(parentAuthorEmail)))))
        parentAuthorEmail = null;
      const emailsToParentAuthorToday =
        parentAuthorEmail === null
          ? 0
          : Number(
              (
                await trx.takeFirst(
                  q.emailsToSince(parentAuthorEmail, new Date(now.getTime() - DAY_MS).toISOString()),
                )
              )?.n ?? 0,
            );
      const context: PlanContext = {
        webhooks,
        parentAuthorEmail,
        replyAuthorEmail,
        emailsToParentAuthorToday,
      };
      const planned = plan(entry, context);
      if (planned.length > 0) {
        let waiting = Number((await trx.takeFirst(q.countPendingDeliveries()))?.n ?? 0);
        const at = now.toISOString();
        // One id for every receiver of this entry, as Standard Webhooks' idempotency key.
        const messageId = `msg_${randomBytes(16).toString('base64url')}`;
        for (const delivery of planned) {
          const full = waiting >= maxPending;
          await trx.executeQuery(
            q.insertDelivery({
              message_id: messageId,
              channel: delivery.channel,
              event: entry.type,
              reply_id: entry.replyId,
              topic_id: entry.topicId,
              event_at: entry.createdAt,
              webhook_id: delivery.channel === 'webhook' ? delivery.webhookId : null,
              recipient_kind: delivery.channel === 'email' ? delivery.recipientKind : null,
              recipient: delivery.channel === 'email' ? delivery.recipient : null,
              status: full ? 'failed' : 'pending',
              next_attempt_at: full ? null : at,
              last_error: full ? `Not sent: ${maxPending} deliveries were already waiting.` : null,
              created_at: at,
              updated_at: at,
            }),
          );
          if (!full) waiting++;
        }
      }
      await trx.executeQuery(q.deleteOutbox(entry.id));
      return true;
    });
  }

  async claimNext({ now, leaseMs }: { now: Date; leaseMs: number }): Promise<ClaimedDelivery | null> {
    const q = this.#q;
    return this.#db.transaction('read write', async (trx) => {
      const due = await trx.takeFirst(q.nextDue(now.toISOString()));
      if (!due) return null;
      const token = randomBytes(12).toString('base64url');
      const row = await trx.takeFirst(
        q.leaseDelivery(due.delivery_id, new Date(now.getTime() + leaseMs).toISOString(), token),
      );
      if (!row) return null;
      return {
        id: row.delivery_id,
        messageId: row.message_id,
        channel: row.channel,
        event: row.event,
        replyId: row.reply_id,
        topicId: row.topic_id,
        eventAt: row.event_at,
        webhookId: row.webhook_id,
        recipientKind: row.recipient_kind,
        recipient: row.recipient,
        attempts: row.attempts,
        leaseToken: token,
      };
    });
  }

  async finish(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> {
    const q = this.#q;
    return this.#db.transaction('read write', async (trx) => {
      const held = await trx.takeFirst(q.heldDelivery(claim.id));
      // Another dispatcher took it over after this one's lease ran out: its record stands.
      if (held?.status !== 'pending' || held.lease_token !== claim.leaseToken) return false;
      const attempt = held.attempts + 1;
      await trx.executeQuery(
        q.addAttempt({
          delivery_id: claim.id,
          attempt,
          at: outcome.at,
          status: outcome.status,
          error: outcome.error,
        }),
      );
      const status: DeliveryStatus = outcome.result === 'retry' ? 'pending' : outcome.result;
      await trx.executeQuery(
        q.finishDelivery({
          id: claim.id,
          status,
          attempts: attempt,
          next_attempt_at: outcome.result === 'retry' ? (outcome.nextAttemptAt ?? outcome.at) : null,
          last_error: outcome.result === 'delivered' ? null : outcome.error,
          now: new Date().toISOString(),
        }),
      );
      if (outcome.disableWebhook && held.webhook_id !== null)
        await trx.executeQuery(q.disableWebhook(held.webhook_id, outcome.at));
      return true;
    });
  }

  async createWebhook(hook: NewWebhook): Promise<WebhookSubscription | null> {
    const q = this.#q;
    return this.#db.transaction('read write', async (trx) => {
      // Counting and inserting race between two admins; the lock makes them take turns.
      await this.#dialect.lock(trx, 'webhooks');
      const count = Number((await trx.takeFirst(q.countWebhooks()))?.n ?? 0);
      if (count >= MAX_WEBHOOK_SUBSCRIPTIONS) return null;
      const row = await trx.takeFirst(
        q.insertWebhook({
          id: `wh_${randomBytes(12).toString('base64url')}`,
          url: hook.url,
          events: JSON.stringify(hook.events),
          secret: hook.secret,
          description: hook.description,
          created_at: new Date().toISOString(),
        }),
      );
      if (!row) throw new Error('The webhook insert returned no row.');
      return toWebhook(row);
    });
  }

  async listWebhooks(): Promise<WebhookSubscription[]> {
    return (await this.#db.executeQuery(this.#q.listWebhooks())).rows.map(toWebhook);
  }

  async webhookTarget(id: string): Promise<WebhookTarget | null> {
    const row = await this.#db.takeFirst(this.#q.webhook(id));
    if (!row) return null;
    const inactive =
      row.deleted_at !== null
        ? 'The webhook subscription was deleted.'
        : row.disabled_at !== null
          ? 'The webhook subscription was disabled: its receiver answered 410 Gone.'
          : null;
    return { url: row.url, secret: row.secret, inactive };
  }

  async deleteWebhook(id: string): Promise<boolean> {
    const result = await this.#db.executeQuery(this.#q.deleteWebhook(id, new Date().toISOString()));
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async listDeliveries({
    limit,
    before,
    webhookId,
    status,
  }: {
    limit: number;
    before: string | null;
    webhookId: string | null;
    status: DeliveryStatus | null;
  }): Promise<Deliveries> {
    const q = this.#q;
    return this.#db.transaction('read only', async (trx) => {
      const rows = (await trx.executeQuery(q.deliveries(before ?? NEWEST, webhookId, status, limit + 1)))
        .rows;
      const page = rows.slice(0, limit);
      const newest = page[0];
      const oldest = page.at(-1);
      const attempts = new Map<string, DeliveryAttempt[]>();
      if (newest && oldest) {
        // The page's deliveries have at most the configured attempts each: a bounded read.
        for (const a of (
          await trx.executeQuery(q.attemptsOfPage(oldest.delivery_id, newest.delivery_id, webhookId, status))
        ).rows) {
          const list = attempts.get(a.delivery_id) ?? [];
          list.push({ attempt: a.attempt, at: a.at, status: a.status, error: a.error });
          attempts.set(a.delivery_id, list);
        }
      }
      const deliveries = page.map(
        (row): Delivery => ({
          id: row.delivery_id,
          channel: row.channel,
          event: row.event,
          replyId: row.reply_id,
          subscriptionId: row.webhook_id,
          recipient:
            row.recipient_kind === 'moderator' && row.recipient !== null
              ? { kind: 'moderator', address: row.recipient }
              : row.recipient_kind === 'author'
                ? { kind: 'author' }
                : null,
          status: row.status,
          attempts: row.attempts,
          nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
          createdAt: row.created_at,
          lastError: row.last_error,
          log: attempts.get(row.delivery_id) ?? [],
        }),
      );
      return { deliveries, nextCursor: rows.length > limit && oldest ? oldest.delivery_id : null };
    });
  }

  async sharedKey(name: string): Promise<Buffer> {
    const q = this.#q;
    const found = await this.#db.takeFirst(q.notificationKey(name));
    if (found) return Buffer.from(found.key);
    // Two servers starting at once: the first insert wins and both read it back.
    await this.#db.executeQuery(q.addNotificationKey(name, randomBytes(32), new Date().toISOString()));
    const made = await this.#db.takeFirst(q.notificationKey(name));
    if (!made) throw new Error(`The key "${name}" could not be stored.`);
    return Buffer.from(made.key);
  }

  async spendLink(nonce: string, expiresAt: Date): Promise<boolean> {
    const result = await this.#db.executeQuery(this.#q.spendLink(nonce, expiresAt.toISOString()));
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async optOut(email: string): Promise<void> {
    await this.optOutDigest(emailHash(email));
  }

  async optOutDigest(digest: Buffer): Promise<void> {
    await this.#db.executeQuery(this.#q.optOut(digest, new Date().toISOString()));
  }

  async isOptedOut(email: string): Promise<boolean> {
    return !!(await this.#db.takeFirst(this.#q.optedOut(emailHash(email))));
  }

  async prune(now: Date, retentionMs: number): Promise<void> {
    const before = new Date(now.getTime() - retentionMs).toISOString();
    await this.#db.executeQuery(this.#q.pruneOutbox(before));
    await this.#db.executeQuery(this.#q.pruneDeliveries(before));
    await this.#db.executeQuery(this.#q.pruneSpentLinks(now.toISOString()));
  }
}
