import type { Store, TopicEvent } from '../store/store.js';

/** One page of a topic's history as the stream sends it: its frames, already encoded. */
export interface ReplayPage {
  /** The frames of the page's events, one after the other. */
  bytes: Uint8Array;
  /** How many events the page holds; fewer than asked means the history ends there. */
  count: number;
  /** The id of the page's last event; the `after` of the next page. */
  lastId: string;
}

const encoder = new TextEncoder();

/** An event as one Server-Sent Events frame. */
export const frame = (event: TopicEvent) =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;

/**
 * Pages of topics' event histories, read once from the store and sent by every stream that
 * asks for the same page while the topic is unchanged. Streams that replay from one point (a
 * page full of readers reconnecting, or a storm of `?after=0`), and all live streams catching
 * up after one write, ask for the same pages: the store answers once and the encoded frames go
 * out to every socket as they are.
 *
 * A page is valid for the topic version read before it was: every write that appends or
 * rewrites events (a redaction too) bumps the version, so a cached page never outlives what
 * it says. Bounded by bytes, keys included; the least recently used pages go first. Empty
 * pages are never kept (they cost a read of nothing, and would let keys pile up).
 */
export class ReplayPages {
  readonly #pages = new Map<string, { version: number; page: ReplayPage; size: number }>();
  #bytes = 0;

  constructor(
    readonly store: Pick<Store, 'listEvents' | 'topicVersion'>,
    readonly pageSize: number,
    readonly maxBytes: number,
  ) {}

  /** Bytes held now, keys included. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The page of `topicId` after event `after`: the events there now, at most pageSize. */
  async page(topicId: string, after: string): Promise<ReplayPage> {
    // Read before the events: a page is never labelled with a version newer than its content.
    const version = await this.store.topicVersion(topicId);
    const key = `${topicId}\n${after}`;
    const cached = this.#pages.get(key);
    if (cached && cached.version === version) {
      this.#pages.delete(key); // to the end: most recently used
      this.#pages.set(key, cached);
      return cached.page;
    }
    const events = await this.store.listEvents(topicId, after, this.pageSize);
    const page: ReplayPage = {
      bytes: encoder.encode(events.map(frame).join('')),
      count: events.length,
      lastId: events.at(-1)?.id ?? after,
    };
    if (cached) this.#forget(key, cached.size);
    const size = page.bytes.byteLength + key.length * 2 + 64;
    if (version !== null && events.length > 0 && size <= this.maxBytes) {
      this.#pages.set(key, { version, page, size });
      this.#bytes += size;
      for (const [oldest, entry] of this.#pages) {
        if (this.#bytes <= this.maxBytes) break;
        this.#forget(oldest, entry.size);
      }
    }
    return page;
  }

  #forget(key: string, size: number): void {
    this.#pages.delete(key);
    this.#bytes -= size;
  }
}
