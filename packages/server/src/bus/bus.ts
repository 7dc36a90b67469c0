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
