import { Hono } from 'hono';
import { StreamBudget } from '../abuse/stream-budget.js';
import { badRequest, notFound } from '../problem.js';
import { topicIdParam } from '@colloquy/api/schemas';
import { validate } from '../validate.js';
import type { AppDeps } from './deps.js';
import { ReplayPages } from './replay-pages.js';

/**
 * Events read from the store at a time, when replaying and when catching up. Pages are shared
 * by all streams that ask for them (see ReplayPages), so a large page costs memory once, and
 * each is one socket write per stream: fewer, larger writes leave the event loop freer for
 * other requests while replays run.
 */
export const REPLAY_PAGE = 200;
/** What EventSource waits before reconnecting after a dropped stream, in milliseconds. */
const RETRY_MS = 3000;
/** An event id as the store issues it; 18 digits always fit a 64-bit integer. */
const EVENT_ID = /^\d{1,18}$/;
/**
 * Bytes queued for a client before the stream waits for it to read (on top of what the socket
 * buffers): a replay goes out as fast as the client takes it, never faster, so a thousand
 * replays hold a thousand small queues rather than a thousand histories.
 */
const QUEUED_BYTES = 16 * 1024;

/** Replay pages kept for all streams of the app together (see ReplayPages). */
const REPLAY_CACHE_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();

/**
 * `GET /topics/:id/events`: Server-Sent Events of one topic. The stream starts after
 * `Last-Event-ID` (sent by EventSource when it reconnects), else after the `after` query
 * parameter (the `lastEventId` of the topic read the client shows), else after the topic's
 * newest event (no replay). It replays what the client missed from the store, then follows
 * the bus. A notification only says "look": every read asks the store for everything after
 * the last id sent, so coalesced, repeated or reordered notifications neither skip nor
 * repeat an event.
 */
export function eventRoutes({ store, bus, config, clientPrefix }: AppDeps) {
  const budget = new StreamBudget(config.maxStreamsPerClient, config.maxStreams);
  const pages = new ReplayPages(store, REPLAY_PAGE, REPLAY_CACHE_BYTES);
  return new Hono().get('/:id/events', validate('param', topicIdParam), async (c) => {
    const { id } = c.req.valid('param');
    const given = c.req.header('Last-Event-ID') ?? c.req.query('after');
    if (given !== undefined && !EVENT_ID.test(given)) {
      const from = c.req.header('Last-Event-ID') !== undefined ? 'Last-Event-ID' : 'after';
      throw badRequest(
        `${from} must be an event id (a whole number of up to 18 digits) as this server sent it.`,
        [{ path: from, message: 'must be a whole number of up to 18 digits' }],
      );
    }
    if ((await store.topicVersion(id)) === null) throw notFound(`No topic "${id}".`);

    const headers = {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      // nginx and some other proxies buffer responses unless told not to.
      'X-Accel-Buffering': 'no',
    };
    // Hono answers HEAD with the GET handler and drops the body unread: start no stream.
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);

    // Taken before anything else is held for the stream; given back when it ends, however it ends.
    const release = budget.take(clientPrefix(c) ?? 'unknown');
    try {
      const after = given !== undefined ? BigInt(given).toString() : await store.lastEventId(id);
      // Events after `after` that pruning removed would be missing from the replay: the client
      // must read the topic again rather than show a history with holes in it.
      const behind =
        given !== undefined && BigInt(after) < BigInt(await store.eventsPrunedThrough(id))
          ? await store.lastEventId(id)
          : null;
      const { heartbeatSeconds } = config;
      return c.body(
        eventStream({
          pages,
          bus,
          topicId: id,
          after,
          behind,
          heartbeatSeconds,
          signal: c.req.raw.signal,
          release,
        }),
        200,
        headers,
      );
    } catch (error) {
      release();
      throw error;
    }
  });
}

/** The frame telling a client that its replay would be incomplete: read the topic again. */
const reloadFrame = (newest: string) =>
  `id: ${newest}\nevent: reload\ndata: ${JSON.stringify({ reason: 'history-pruned' })}\n\n`;

/**
 * The body of one event stream: `retry`, then the events after `after` from the store, then
 * live ones as the bus signals them (and as each heartbeat finds them), with heartbeat
 * comments while idle. Everything it holds
 * (the subscription, the timer) is let go when the reader cancels or the request is aborted.
 */
function eventStream(options: {
  pages: ReplayPages;
  bus: AppDeps['bus'];
  topicId: string;
  after: string;
  /** Set when the client asked for events pruned already: the topic's newest event id. */
  behind: string | null;
  heartbeatSeconds: number;
  signal: AbortSignal;
  /** Gives back the stream's place in the budget; called once the stream has ended. */
  release: () => void;
}): ReadableStream<Uint8Array> {
  const { pages, bus, topicId, heartbeatSeconds, signal, release } = options;
  let lastSent = options.after;
  let stopped = false;
  let reading = false;
  let readAgain = false;
  /** Set while the stream waits for a slow client to take what is queued. */
  let resume: (() => void) | undefined;
  let stop = () => {};

  const source: UnderlyingDefaultSource<Uint8Array> = {
    start(controller) {
      const send = (text: string | Uint8Array) => {
        if (!stopped) controller.enqueue(typeof text === 'string' ? encoder.encode(text) : text);
      };
      /** Backpressure: a client that does not read gets a queue's worth, not the whole history. */
      const roomToSend = async () => {
        while (!stopped && (controller.desiredSize ?? 1) <= 0) await new Promise<void>((go) => (resume = go));
      };
      const end = () => {
        const wasOpen = !stopped;
        stop();
        if (!wasOpen) return;
        try {
          controller.close();
        } catch {
          // already closed, or cancelled by the reader
        }
      };

      /** Sends every stored event after lastSent; one read at a time, repeated if asked meanwhile. */
      const catchUp = async (): Promise<void> => {
        if (reading) {
          readAgain = true;
          return;
        }
        reading = true;
        try {
          do {
            readAgain = false;
            for (;;) {
              await roomToSend();
              if (stopped) return;
              const page = await pages.page(topicId, lastSent);
              if (stopped) return;
              if (page.count > 0) send(page.bytes);
              lastSent = page.lastId;
              if (page.count < REPLAY_PAGE) break;
            }
          } while (readAgain && !stopped);
        } catch (error) {
          // The client reconnects after `retry` with Last-Event-ID and resumes where it was.
          console.error(error);
          end();
        } finally {
          reading = false;
        }
      };

      // Subscribed before the replay, so an event committed meanwhile is read by one or the other.
      const unsubscribe = bus.subscribe(topicId, () => void catchUp());
      // Each heartbeat also looks in the store, so that a notification lost on the way, or a
      // write by another process on the same SQLite file (no shared bus), is late, not lost.
      const heartbeat =
        heartbeatSeconds > 0
          ? setInterval(() => {
              void catchUp();
              // A stream with frames still queued is not idle; piling up pings would not help.
              if ((controller.desiredSize ?? 1) > 0) send(': ping\n\n');
            }, heartbeatSeconds * 1000)
          : undefined;
      stop = () => {
        if (stopped) return;
        stopped = true;
        release();
        unsubscribe();
        clearInterval(heartbeat);
        resume?.();
        signal.removeEventListener('abort', end);
      };
      signal.addEventListener('abort', end);
      if (signal.aborted) return end();

      send(`retry: ${RETRY_MS}\n\n`);
      if (options.behind !== null) {
        send(reloadFrame(options.behind));
        return end();
      }
      void catchUp();
    },
    pull() {
      const go = resume;
      resume = undefined;
      go?.();
    },
    cancel() {
      stop();
    },
  };
  return new ReadableStream(source, {
    highWaterMark: QUEUED_BYTES,
    size: (chunk) => chunk?.byteLength ?? 0,
  });
}
