import type { Reply, WebhookPayload } from '@colloquy/api';
import type { AppConfig } from '../config.js';
import type { AttemptOutcome, ClaimedDelivery } from '../store/notifications.js';
import type { Store } from '../store/store.js';
import { LinkSigner } from './links.js';
import type { Mailer } from './mailer.js';
import { awaitingReviewMail, replyToYouMail } from './messages.js';
import { emailHash } from '../store/sql-notifications.js';
import { notificationPlanner, retryDelayMs } from './policy.js';
import { signedHeaders } from './signing.js';
import { postWebhook } from './webhook-sender.js';

/** The longest wait between two attempts, whatever the attempt count. */
export const MAX_RETRY_DELAY_MS = 6 * 3600 * 1000;
/** How much of a webhook receiver's answer is read, for the log. */
export const MAX_RESPONSE_BYTES = 4096;
/** Outbox entries turned into deliveries per round, so one round stays short. */
const EXPAND_PER_ROUND = 100;
/** The name of the email links' signing key among the database's shared keys. */
export const LINK_KEY = 'email-links';

export type DispatcherConfig = Pick<
  AppConfig,
  | 'webhookAllowPrivate'
  | 'deliveryTimeoutSeconds'
  | 'deliveryAttempts'
  | 'retryDelaySeconds'
  | 'moderatorEmails'
  | 'emailLinkSeconds'
  | 'maxPendingDeliveries'
  | 'authorEmailsPerDay'
>;

export interface DispatcherOptions {
  store: Store;
  config: DispatcherConfig;
  /** Null: no email is planned or sent. */
  mailer: Mailer | null;
  /** Origin (and path prefix) of the links in emails: approve, hide, unsubscribe. */
  publicUrl: string;
  /** How often to look for due deliveries when nothing wakes the dispatcher (default 2 s). */
  pollMs?: number;
  /** Deliveries sent at once by this process (default 4). */
  concurrency?: number;
  now?: () => Date;
  /** In [0, 1): the retry jitter. */
  random?: () => number;
}

/** A reply as it may be told now: one hidden since comes blanked, as readers see it. */
const asItIsNow = (reply: Reply): Reply =>
  reply.status === 'hidden' ? { ...reply, author: { name: '' }, body: [], text: '' } : reply;

/**
 * Delivers what the outbox holds, in the server process. Each round turns new outbox entries
 * into deliveries, then leases due deliveries (several servers on one PostgreSQL database
 * never send the same one at once: claims skip rows another holds, and a lease outlives the
 * longest attempt) and sends them, at most `concurrency` at a time. A failed attempt is retried
 * with exponential backoff and jitter, honouring a receiver's Retry-After, until
 * `deliveryAttempts`; then the delivery is failed. A process killed mid-attempt leaves its
 * lease to run out, after which any server sends the delivery again: delivery is at least
 * once, and receivers deduplicate by `webhook-id`.
 */
export class Dispatcher {
  readonly #store: Store;
  readonly #config: DispatcherConfig;
  readonly #mailer: Mailer | null;
  readonly #publicUrl: string;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #now: () => Date;
  readonly #random: () => number;
  readonly #plan;
  #signer: Promise<LinkSigner> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;
  readonly #inFlight = new Set<Promise<void>>();

  constructor({
    store,
    config,
    mailer,
    publicUrl,
    pollMs = 2000,
    concurrency = 4,
    now = () => new Date(),
    random = Math.random,
  }: DispatcherOptions) {
    this.#store = store;
    this.#config = config;
    this.#mailer = mailer;
    this.#publicUrl = publicUrl.replace(/\/+$/, '');
    this.#pollMs = pollMs;
    this.#concurrency = concurrency;
    this.#now = now;
    this.#random = random;
    this.#plan = notificationPlanner({
      mail: mailer !== null,
      moderatorEmails: config.moderatorEmails,
      authorEmailsPerDay: config.authorEmailsPerDay,
    });
  }

  /** A lease outlives the longest attempt, with room to record it. */
  get leaseMs(): number {
    return this.#config.deliveryTimeoutSeconds * 2000 + 10_000;
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  /** Looks for work now (after a write that may have filled the outbox), not at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = this.#round()
      .catch((error: unknown) => console.error('colloquy: notification round failed:', error))
      .finally(() => {
        this.#running = null;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.wake();
        } else {
          this.#timer = setTimeout(() => this.wake(), this.#pollMs);
          this.#timer.unref();
        }
      });
  }

  /** Stops looking for work and waits for the attempts in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
    await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * One round without timers, for tests and tools: expands the outbox, then sends every due
   * delivery (up to `max`) and waits for them. Returns how many attempts were made.
   */
  async runOnce(max = 1000): Promise<number> {
    await this.#expand(Number.POSITIVE_INFINITY);
    let attempts = 0;
    while (attempts < max) {
      const claims: ClaimedDelivery[] = [];
      while (claims.length < this.#concurrency && attempts + claims.length < max) {
        const claim = await this.#store.notifications.claimNext({ now: this.#now(), leaseMs: this.leaseMs });
        if (!claim) break;
        claims.push(claim);
      }
      if (claims.length === 0) break;
      attempts += claims.length;
      await Promise.all(claims.map((claim) => this.#deliver(claim)));
    }
    return attempts;
  }

  async #round(): Promise<void> {
    await this.#expand(EXPAND_PER_ROUND);
    while (!this.#stopped && this.#inFlight.size < this.#concurrency) {
      const claim = await this.#store.notifications.claimNext({ now: this.#now(), leaseMs: this.leaseMs });
      if (!claim) break;
      const sending: Promise<void> = this.#deliver(claim).finally(() => {
        this.#inFlight.delete(sending);
        this.wake(); // a slot is free: take the next due delivery
      });
      this.#inFlight.add(sending);
    }
  }

  async #expand(max: number): Promise<void> {
    const options = { now: this.#now(), maxPending: this.#config.maxPendingDeliveries };
    for (let k = 0; k < max && (await this.#store.notifications.expandNext(this.#plan, options)); k++);
  }

  /** One attempt, recorded; never throws. */
  async #deliver(claim: ClaimedDelivery): Promise<void> {
    const at = this.#now();
    let outcome: AttemptOutcome;
    try {
      outcome =
        claim.channel === 'webhook' ? await this.#sendWebhook(claim, at) : await this.#sendEmail(claim, at);
    } catch (error) {
      console.error('colloquy: a delivery failed unexpectedly:', error);
      outcome = this.#failure(
        claim,
        at,
        null,
        'The server failed to prepare the delivery; it will try again.',
        null,
        true,
      );
    }
    try {
      await this.#store.notifications.finish(claim, outcome);
    } catch (error) {
      // The lease runs out and the delivery is tried again.
      console.error('colloquy: recording a delivery attempt failed:', error);
    }
  }

  async #sendWebhook(claim: ClaimedDelivery, at: Date): Promise<AttemptOutcome> {
    const target =
      claim.webhookId === null ? null : await this.#store.notifications.webhookTarget(claim.webhookId);
    if (!target || target.inactive !== null)
      return this.#skipped(at, target?.inactive ?? 'The webhook subscription is gone.');
    const current = await this.#current(claim);
    if (!current) return this.#skipped(at, 'The reply or its topic no longer exists.');
    const payload: WebhookPayload = {
      type: claim.event,
      timestamp: claim.eventAt,
      data: {
        reply: asItIsNow(current.reply),
        topic: { id: current.topic.id, title: current.topic.title, url: current.topic.url },
      },
    };
    const body = JSON.stringify(payload);
    const response = await postWebhook({
      url: target.url,
      body,
      headers: signedHeaders(target.secret, claim.messageId, Math.floor(at.getTime() / 1000), body),
      timeoutMs: this.#config.deliveryTimeoutSeconds * 1000,
      allowPrivate: this.#config.webhookAllowPrivate,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    });
    if (response.error === null)
      return { result: 'delivered', at: at.toISOString(), status: response.status, error: null };
    if (response.status === 410) {
      return {
        result: 'failed',
        at: at.toISOString(),
        status: 410,
        error: `${response.error} (the subscription is disabled)`,
        disableWebhook: true,
      };
    }
    // A refusal by the address policy will not change by waiting.
    const retry = !response.error.startsWith('Not sent:') && !/not a public address/.test(response.error);
    return this.#failure(claim, at, response.status, response.error, response.retryAfterSeconds, retry);
  }

  async #sendEmail(claim: ClaimedDelivery, at: Date): Promise<AttemptOutcome> {
    if (this.#mailer === null) return this.#skipped(at, 'Email is not configured on this server any more.');
    if (claim.recipient === null) return this.#skipped(at, 'The email has no recipient.');
    const current = await this.#current(claim);
    if (!current) return this.#skipped(at, 'The reply or its topic no longer exists.');
    const { reply, topic } = current;
    let message: ReturnType<typeof awaitingReviewMail>;
    if (claim.recipientKind === 'moderator') {
      // The email asks for a decision; once one was made, there is nothing left to ask.
      if (reply.status !== 'pending')
        return this.#skipped(at, `The reply is no longer awaiting review (it is ${reply.status}).`);
      const signer = await this.#linkSigner();
      const expiresAt = new Date(at.getTime() + this.#config.emailLinkSeconds * 1000);
      const nonce = LinkSigner.nonce();
      const link = (action: 'approve' | 'hide') =>
        `${this.#publicUrl}/email/moderate/${signer.sign({ action, replyId: reply.id, nonce, expiresAt: Math.floor(expiresAt.getTime() / 1000) })}`;
      message = awaitingReviewMail(claim.recipient, reply, topic, {
        approve: link('approve'),
        hide: link('hide'),
        expiresAt,
      });
    } else {
      if (reply.status !== 'published')
        return this.#skipped(at, `The reply is no longer published (it is ${reply.status}).`);
      if (await this.#store.notifications.isOptedOut(claim.recipient))
        return this.#skipped(at, 'The address unsubscribed.');
      const signer = await this.#linkSigner();
      const unsubscribe = `${this.#publicUrl}/email/unsubscribe/${signer.sign({ action: 'unsubscribe', emailHash: emailHash(claim.recipient).toString('hex') })}`;
      message = replyToYouMail(claim.recipient, reply, topic, unsubscribe);
    }
    const sent = await this.#mailer.send(message);
    if (sent.ok) return { result: 'delivered', at: at.toISOString(), status: sent.code, error: null };
    return this.#failure(claim, at, sent.code, sent.error ?? 'The mail could not be sent.', null, sent.retry);
  }

  async #current(claim: ClaimedDelivery) {
    const reply = await this.#store.getReply(claim.replyId, { admin: true });
    const topic = reply ? await this.#store.getTopic(claim.topicId) : null;
    return reply && topic ? { reply, topic } : null;
  }

  #linkSigner(): Promise<LinkSigner> {
    this.#signer ??= this.#store.notifications.sharedKey(LINK_KEY).then((key) => new LinkSigner(key));
    this.#signer.catch(() => (this.#signer = null));
    return this.#signer;
  }

  #skipped(at: Date, why: string): AttemptOutcome {
    return { result: 'skipped', at: at.toISOString(), status: null, error: why };
  }

  /** A failed attempt: retried later unless it was the last one or retrying cannot help. */
  #failure(
    claim: ClaimedDelivery,
    at: Date,
    status: number | null,
    error: string,
    retryAfterSeconds: number | null,
    retry: boolean,
  ): AttemptOutcome {
    const attempt = claim.attempts + 1;
    if (!retry || attempt >= this.#config.deliveryAttempts)
      return { result: 'failed', at: at.toISOString(), status, error };
    const backoff = retryDelayMs(
      attempt,
      this.#config.retryDelaySeconds * 1000,
      MAX_RETRY_DELAY_MS,
      this.#random(),
    );
    const asked = retryAfterSeconds === null ? 0 : Math.min(retryAfterSeconds * 1000, MAX_RETRY_DELAY_MS);
    const next = new Date(at.getTime() + Math.max(backoff, asked));
    return { result: 'retry', at: at.toISOString(), status, error, nextAttemptAt: next.toISOString() };
  }
}
