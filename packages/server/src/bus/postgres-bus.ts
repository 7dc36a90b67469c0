import pg from 'pg';
import { Subscribers, type Bus } from './bus.js';

export interface PostgresBusOptions {
  /** NOTIFY/LISTEN channel; servers that share a database and a channel hear each other. */
  channel?: string;
  /** First delay before reconnecting a dropped listener, in ms; doubled on each failure. */
  minBackoffMs?: number;
  /** Longest delay between reconnection attempts, in ms. */
  maxBackoffMs?: number;
}

/**
 * What a subscriber is called with after the listener's connection came back: notifications
 * sent while it was down are lost, so the subscriber must re-read everything after the last
 * event id it already delivered (which is what a subscriber does on any call; the sentinel
 * only says that no particular id is known).
 */
export const RESYNC = 'resync';

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

interface Payload {
  t: string;
  e: string;
}

/**
 * A Bus over PostgreSQL LISTEN/NOTIFY, for several servers on one database. NOTIFY goes
 * through a small pool; one dedicated connection LISTENs. Payloads carry the topic id and the
 * event id only (NOTIFY payloads are limited to 8000 bytes, and each server reads the events
 * from its own store). A notification is delivered on commit, so publish() after the write's
 * commit, as the routes do.
 *
 * When the listening connection drops, it is reconnected with exponential backoff (with
 * jitter), and every subscriber is then called with RESYNC so it re-reads what it may have missed.
 */
export class PostgresBus implements Bus {
  readonly #url: string;
  readonly #channel: string;
  readonly #minBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #pool: pg.Pool;
  readonly #subscribers = new Subscribers();
  #listener: pg.Client | null = null;
  #closed = false;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #reconnects = 0;

  private constructor(url: string, options: PostgresBusOptions) {
    this.#url = url;
    this.#channel = options.channel ?? 'colloquy_events';
    if (!CHANNEL.test(this.#channel))
      throw new TypeError(`Channel "${this.#channel}" must be lowercase letters, digits and underscores.`);
    this.#minBackoffMs = options.minBackoffMs ?? 100;
    this.#maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.#pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
    this.#pool.on('error', (error) =>
      console.error('colloquy bus: idle PostgreSQL connection failed:', error.message),
    );
  }

  /** Connects the listener; rejects when the database cannot be reached at start. */
  static async connect(url: string, options: PostgresBusOptions = {}): Promise<PostgresBus> {
    const bus = new PostgresBus(url, options);
    try {
      await bus.#listen();
    } catch (error) {
      await bus.close();
      throw error;
    }
    return bus;
  }

  /** How many times the listener has reconnected since the start (for tests and metrics). */
  get reconnects(): number {
    return this.#reconnects;
  }

  async publish(topicId: string, eventId: string): Promise<void> {
    const payload: Payload = { t: topicId, e: eventId };
    await this.#pool.query('SELECT pg_notify($1, $2)', [this.#channel, JSON.stringify(payload)]);
  }

  subscribe(topicId: string, onEvent: (eventId: string) => void): () => void {
    return this.#subscribers.add(topicId, onEvent);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#subscribers.clear();
    const listener = this.#listener;
    this.#listener = null;
    await Promise.all([listener?.end().catch(() => {}), this.#pool.end().catch(() => {})]);
  }

  async #listen(): Promise<void> {
    // TCP keepalive: a connection that died silently (a NAT or firewall forgot it) is noticed
    // and reconnected, instead of listening to nothing for hours.
    const client = new pg.Client({
      connectionString: this.#url,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    let dropped = false;
    const onDrop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.#listener === client) this.#listener = null;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      if (this.#closed) return;
      if (error) console.error('colloquy bus: the LISTEN connection dropped:', error.message);
      this.#scheduleReconnect(0);
    };
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', onDrop);
    client.on('end', () => onDrop());
    client.on('notification', (message) => {
      if (message.channel !== this.#channel || !message.payload) return;
      let payload: Payload;
      try {
        payload = JSON.parse(message.payload) as Payload;
      } catch {
        return; // not one of ours
      }
      if (typeof payload.t === 'string' && typeof payload.e === 'string')
        this.#subscribers.deliver(payload.t, payload.e);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.#channel}`);
    } catch (error) {
      dropped = true;
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#listener = client;
  }

  #scheduleReconnect(attempt: number): void {
    const base = Math.min(this.#maxBackoffMs, this.#minBackoffMs * 2 ** attempt);
    const delay = base / 2 + Math.random() * (base / 2); // jitter, so servers do not reconnect in step
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#closed) return;
      this.#listen().then(
        () => {
          if (this.#closed) return;
          this.#reconnects++;
          // Whatever was notified while we were away is lost: every subscriber re-reads.
          for (const topicId of this.#subscribers.topics()) this.#subscribers.deliver(topicId, RESYNC);
        },
        (error: unknown) => {
          if (this.#closed) return;
          console.error(
            'colloquy bus: reconnecting the LISTEN connection failed:',
            error instanceof Error ? error.message : error,
          );
          this.#scheduleReconnect(attempt + 1);
        },
      );
    }, delay);
    this.#reconnectTimer.unref();
  }
}
