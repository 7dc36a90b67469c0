import type { Bus } from '../bus/bus.js';
import type { AppConfig } from '../config.js';
import type { Guards } from '../security.js';
import { ProblemError, badRequest, notFound } from '../problem.js';
import { StoreError, type Store } from '../store/store.js';

export interface AppDeps {
  store: Store;
  config: AppConfig;
  guards: Guards;
  bus: Bus;
  /**
   * After a write committed: tells live readers of the topic (on this server and, through the
   * bus, on the others) that it has new events. Never throws: the write stands either way.
   */
  announce(topicId: string): Promise<void>;
}

/** The `announce` of AppDeps: publishes the topic's newest event id, when it has one. */
export function announcer(store: Store, bus: Bus): (topicId: string) => Promise<void> {
  return async (topicId) => {
    try {
      const eventId = await store.lastEventId(topicId);
      if (eventId !== '0') await bus.publish(topicId, eventId);
    } catch (error) {
      // Live readers catch up on their next notification or reconnection; the write stands.
      console.error(error);
    }
  };
}

/** Store failures a client caused, as problems; anything else is a server fault and rethrown. */
export function fromStoreError(error: unknown): unknown {
  if (!(error instanceof StoreError)) return error;
  switch (error.code) {
    case 'topic-not-found':
    case 'reply-not-found':
      return notFound(error.message);
    case 'invalid-cursor':
      return badRequest('cursor is not valid for this topic; start again without a cursor.');
    case 'invalid-parent':
      return new ProblemError(422, 'invalid-parent', 'Invalid parent reply', error.message, [
        { path: 'parentId', message: error.message },
      ]);
    case 'topic-locked':
      return new ProblemError(409, 'topic-locked', 'Topic locked', error.message);
    case 'name-reserved':
      return new ProblemError(409, 'name-reserved', 'Name reserved', error.message, [{ path: 'authorName', message: error.message }]);
    case 'too-deep':
      return new ProblemError(422, 'too-deep', 'Reply nested too deeply', error.message, [{ path: 'parentId', message: error.message }]);
  }
}
