import { Subscribers, type Bus } from './bus.js';

/** The bus of a single server process: notifications go straight to this process's listeners. */
export class MemoryBus implements Bus {
  readonly #subscribers = new Subscribers();

  publish(topicId: string, eventId: string): void {
    this.#subscribers.deliver(topicId, eventId);
  }

  subscribe(topicId: string, onEvent: (eventId: string) => void): () => void {
    return this.#subscribers.add(topicId, onEvent);
  }

  /** Listeners of `topicId`, or of all topics when omitted (for tests and metrics). */
  listenerCount(topicId?: string): number {
    return this.#subscribers.count(topicId);
  }

  async close(): Promise<void> {
    this.#subscribers.clear();
  }
}
