import type { Deliveries, DeliveryStatus, NotificationEvent, WebhookSubscription } from '@colloquy/api';

/**
 * The storage side of notifications, shared by every dialect (SqlNotifications): the outbox the
 * writes fill, the deliveries a dispatcher makes of it and the attempts that are their log, the
 * webhook subscriptions, and what email links and unsubscribing need. Every method is safe
 * with several servers on one database.
 */

/** One notable write, as the write's own transaction recorded it. */
export interface OutboxEntry {
  id: string;
  type: NotificationEvent;
  replyId: string;
  topicId: string;
  /** ISO instant of the write. */
  createdAt: string;
}

/** What a planner may know when it turns an outbox entry into deliveries. */
export interface PlanContext {
  /** Subscriptions neither deleted nor disabled, with the events each asked for. */
  webhooks: ReadonlyArray<{ id: string; events: readonly NotificationEvent[] }>;
  /** The address the author of the reply's parent gave, unless it opted out; else null. */
  parentAuthorEmail: string | null;
  /** The address the reply's own author gave, or null. */
  replyAuthorEmail: string | null;
  /** How many emails went to `parentAuthorEmail` in the last 24 hours. */
  emailsToParentAuthorToday: number;
}

export type PlannedDelivery =
  | { channel: 'webhook'; webhookId: string }
  | { channel: 'email'; recipientKind: 'moderator' | 'author'; recipient: string };

/** The notification policy: which receivers an entry goes to (see notify/policy.ts). */
export type Planner = (entry: OutboxEntry, context: PlanContext) => PlannedDelivery[];

/** A delivery a dispatcher holds a lease on, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  /** The `webhook-id`: the same for every receiver and every attempt of one outbox entry. */
  messageId: string;
  channel: 'webhook' | 'email';
  event: NotificationEvent;
  replyId: string;
  topicId: string;
  /** ISO instant of the write that caused it. */
  eventAt: string;
  webhookId: string | null;
  recipientKind: 'moderator' | 'author' | null;
  recipient: string | null;
  /** Attempts made before this one. */
  attempts: number;
  /** Proves the lease when the attempt is recorded: a dispatcher whose lease ran out records nothing. */
  leaseToken: string;
}

/** How an attempt ended, and what becomes of the delivery. */
export interface AttemptOutcome {
  /** delivered, retry (pending again at `nextAttemptAt`), failed for good, or skipped (nothing left to send). */
  result: 'delivered' | 'retry' | 'failed' | 'skipped';
  /** ISO instant the attempt started. */
  at: string;
  /** The receiver's HTTP status or SMTP reply code; null when none came. */
  status: number | null;
  error: string | null;
  /** With `retry`: when to try again. */
  nextAttemptAt?: string;
  /** The receiver said 410 Gone: its subscription sends nothing more. */
  disableWebhook?: boolean;
}

/** A webhook subscription with what sending needs. */
export interface WebhookTarget {
  url: string;
  secret: string;
  /** Null when it may be sent to; else why not (deleted, disabled). */
  inactive: string | null;
}

export interface NewWebhook {
  url: string;
  events: readonly NotificationEvent[];
  secret: string;
  description: string | null;
}

export interface NotificationStore {
  /**
   * Turns the oldest outbox entry no other dispatcher holds into the deliveries `plan` names,
   * in one transaction (the entry goes with it). Past `maxPending` deliveries waiting, new ones
   * are recorded as failed instead, so the outbox stays bounded whatever the receivers do.
   * False when the outbox is empty.
   */
  expandNext(plan: Planner, options: { now: Date; maxPending: number }): Promise<boolean>;
  /** Leases the delivery due first that no one holds (or whose holder's lease ran out); null when none is due. */
  claimNext(options: { now: Date; leaseMs: number }): Promise<ClaimedDelivery | null>;
  /** Records an attempt and the delivery's new state; false (nothing written) when the lease was lost. */
  finish(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean>;

  /** Null when the site already has MAX_WEBHOOK_SUBSCRIPTIONS. */
  createWebhook(hook: NewWebhook): Promise<WebhookSubscription | null>;
  listWebhooks(): Promise<WebhookSubscription[]>;
  webhookTarget(id: string): Promise<WebhookTarget | null>;
  /** False when there is no such subscription (or it was deleted already). */
  deleteWebhook(id: string): Promise<boolean>;
  /** Newest first, with each delivery's attempts; author addresses are never included. */
  listDeliveries(query: {
    limit: number;
    before: string | null;
    webhookId: string | null;
    status: DeliveryStatus | null;
  }): Promise<Deliveries>;

  /** The key of `name`, made at random on first use and the same for every server on the database. */
  sharedKey(name: string): Promise<Buffer>;
  /** Marks a single-use link used; false when it was used already. Kept until `expiresAt`. */
  spendLink(nonce: string, expiresAt: Date): Promise<boolean>;
  /** No more notifications go to this address. */
  optOut(email: string): Promise<void>;
  /** The same, for the address whose digest (emailHash) an unsubscribe link carries. */
  optOutDigest(digest: Buffer): Promise<void>;
  isOptedOut(email: string): Promise<boolean>;
  /**
   * Deletes outbox entries, finished deliveries (with their attempts) and spent links older
   * than their retention.
   */
  prune(now: Date, retentionMs: number): Promise<void>;
}
