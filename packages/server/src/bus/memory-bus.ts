import type { Bus } from './bus.js';

/** The bus of a single server process: notifications go straight to this process's listeners. */
export class MemoryBus implements Bus {
  readonly #listeners = new Map<string, Set<(eventId: string) => void>>();

  publish(topicId: string, eventId: string): void {
    // A copy: a listener may unsubscribe (its client went away) while we call the others.
    for (const listener of [...(this.#listeners.get(topicId) ?? [])]) {
      try {
        listener(eventId);
      } catch (error) {
        console.error(error); // one broken stream must not keep the news from the others
      }
    }
  }

  subscribe(topicId: string, onEvent: (eventId: string) => void): () => void {
    let listeners = this.#listeners.get(topicId);
    if (!listeners) this.#listeners.set(topicId, (listeners = new Set()));
    // Wrapped, so subscribing the same function twice gives two independent subscriptions.
    const listener = (eventId: string) => onEvent(eventId);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(topicId) === listeners) this.#listeners.delete(topicId);
    };
  }

  /** Listeners of `topicId`, or of all topics when omitted (for tests and metrics). */
  listenerCount(topicId?: string): number {
    if (topicId !== undefined) return this.#listeners.get(topicId)?.size ?? 0;
    let n = 0;
    for (const listeners of this.#listeners.values()) n += listeners.size;
    return n;
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
