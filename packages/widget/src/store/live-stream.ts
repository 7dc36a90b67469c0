import type { TopicEventData, TopicEventType } from '@colloquy/api';
import { eventsUrl } from '../api/requests.js';
import { hasPlace } from './own-writes.js';
import { isSending, type TopicStore } from './topic-store.js';

/** What to do with each kind of event of a topic's stream. */
export type TopicEventHandlers = {
  [T in TopicEventType]: (data: TopicEventData[T]) => void;
};

/** A topic's live event stream; see {@link liveStream}. */
export interface LiveStream {
  /** The last event applied; a fresh read of the topic moves it to the read's `lastEventId`. */
  lastEventId: string;
  /** Opens or closes the stream as `wanted()` and the tab's visibility now say. */
  update(): void;
}

/** The first wait before reopening a stream the server closed, and the longest, in ms. */
const FIRST_RETRY = 1e3;
const LONGEST_RETRY = 6e4;

/**
 * The live event stream of `topic` on the server at `api`, open only while `wanted()` (asked
 * on every update: someone shows the topic) and the tab is visible. It listens to the tab's
 * visibility only as long as it is wanted, so a store nobody shows holds no listener.
 *
 * EventSource reconnects by itself after a dropped connection, sending the last event id;
 * when the server closes the stream for good (an error status) it is reopened later, after a
 * wait that doubles each time. A new stream starts after {@link LiveStream.lastEventId}, so
 * the server replays what was missed while it was closed. `applied` is called after each
 * event has been handed to its handler.
 */
export function liveStream(
  api: string,
  topic: string,
  wanted: () => boolean,
  handlers: TopicEventHandlers,
  applied: () => void,
): LiveStream {
  let source: EventSource | undefined;
  let retry = FIRST_RETRY;
  /** Whether the `visibilitychange` listener is on. */
  let watching = false;
  const update = () => {
    const want = wanted();
    if (want !== watching) {
      watching = want;
      if (want) document.addEventListener('visibilitychange', update);
      else document.removeEventListener('visibilitychange', update);
    }
    if (!want || document.hidden) {
      source?.close();
      source = undefined;
      return;
    }
    if (source) return;
    const events = (source = new EventSource(eventsUrl(api, topic, stream.lastEventId)));
    for (const type in handlers)
      events.addEventListener(type, (event) => {
        stream.lastEventId = event.lastEventId;
        (handlers[type as keyof TopicEventHandlers] as (data: unknown) => void)(JSON.parse(event.data));
        applied();
      });
    events.onopen = () => (retry = FIRST_RETRY);
    events.onerror = () => {
      if (events.readyState === 2 /* CLOSED */ && source === events) {
        source = undefined;
        setTimeout(update, (retry = Math.min(retry * 2, LONGEST_RETRY)));
      }
    };
  };
  const stream: LiveStream = { lastEventId: '0', update };
  return stream;
}

/** See {@link TopicStore.reveal}. */
export function reveal(store: TopicStore): void {
  for (const reply of store.unseen) if (!store.replies.some((r) => r.id === reply.id)) store.insert(reply);
  store.unseen = [];
  store.notify();
}

/** What each event of a topic's stream does to the topic's store. */
export const storeHandlers = (store: TopicStore): TopicEventHandlers => ({
  'reply-created': (reply) => {
    // One already shown (the reader's own, or one approved after being held) is updated.
    if (store.replies.some((r) => r.id === reply.id)) store.replace(reply.id, reply);
    // One older than the newest shown was missing from an older copy (a shared cache's): it
    // goes in its place; only newer ones wait for the reader.
    else if (
      store.replies.some((r) => !isSending(r) && r.createdAt > reply.createdAt) &&
      hasPlace(store.replies, reply, !store.nextCursor)
    )
      store.insert(reply);
    else store.unseen = [...store.unseen, reply];
  },
  'reply-changed': (reply) => store.replace(reply.id, reply),
  reactions: ({ replyId, reactions }) => {
    if (!replyId) store.topic &&= { ...store.topic, reactions };
    else store.replies = store.replies.map((r) => (r.id === replyId ? { ...r, reactions } : r));
  },
  counts: ({ replyCount }) => (store.total = replyCount),
  // The server no longer has every event the page missed: read the topic again, once, without
  // a loading state, so what the reader is typing stays. The server ends the stream; it comes
  // back after the newest event (the reload's id), so it does not ask again.
  reload: () => void store.load(true),
});
