/**
 * Tells live readers that a topic has new events. It carries ids only: every server instance
 * reads the events themselves from its own store, so a notification that is lost, coalesced
 * or late costs at most a delay, never an event (readers always ask the store for everything
 * after the last id they sent).
 *
 * MemoryBus serves one process; a PostgreSQL bus (LISTEN/NOTIFY) serves several servers on
 * one database with the same interface.
 */
export interface Bus {
  /** After a write committed: `eventId` is the topic's newest event id. */
  publish(topicId: string, eventId: string): void | Promise<void>;
  /** Calls `onEvent` for each notification of `topicId`; returns the unsubscribe function. */
  subscribe(topicId: string, onEvent: (eventId: string) => void): () => void;
  close(): Promise<void>;
}

/** The listeners of one process, by topic: what every bus delivers its notifications to. */
export class Subscribers {
  readonly #byTopic = new Map<string, Set<(eventId: string) => void>>();

  /** Adds a listener of `topicId`; returns the function that removes it. */
  add(topicId: string, onEvent: (eventId: string) => void): () => void {
    let listeners = this.#byTopic.get(topicId);
    if (!listeners) this.#byTopic.set(topicId, (listeners = new Set()));
    // Wrapped, so subscribing the same function twice gives two independent subscriptions.
    const listener = (eventId: string) => onEvent(eventId);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#byTopic.get(topicId) === listeners) this.#byTopic.delete(topicId);
    };
  }

  deliver(topicId: string, eventId: string): void {
    // A copy: a listener may unsubscribe (its client went away) while we call the others.
    for (const listener of [...(this.#byTopic.get(topicId) ?? [])]) {
      try {
        listener(eventId);
      } catch (error) {
        console.error(error); // one broken stream must not keep the news from the others
      }
    }
  }

  /** The topics that have listeners. */
  topics(): string[] {
    return [...this.#byTopic.keys()];
  }

  /** Listeners of `topicId`, or of all topics when omitted. */
  count(topicId?: string): number {
    if (topicId !== undefined) return this.#byTopic.get(topicId)?.size ?? 0;
    let n = 0;
    for (const listeners of this.#byTopic.values()) n += listeners.size;
    return n;
  }

  clear(): void {
    this.#byTopic.clear();
  }
}
