import type { TopicSummaries, TopicSummary } from '@colloquy/api';
import { request, type ColloquyError } from '../api/client.js';
import { summariesUrl } from '../api/requests.js';

/** The server reads at most this many summaries in one request. */
const PER_REQUEST = 100;

/** Called with a topic's summary (undefined: the server has no such topic), or with the read's error. */
export type SummaryCallback = (summary: TopicSummary | undefined, error?: ColloquyError) => void;

type Waiting = [topic: string, done: SummaryCallback][];
/** Topics waiting for their summaries, by API base. */
const batches = new Map<string, Waiting>();

/**
 * Reads the summary of `topic` on the server at `api`, as compact cards on a listing page show
 * it, and calls `done` with it. Every topic asked for within the same task joins one `?ids=`
 * read, 100 ids a request.
 */
export function readSummary(api: string, topic: string, done: SummaryCallback): void {
  let batch = batches.get(api);
  if (!batch) {
    const waiting: Waiting = [];
    batches.set(api, (batch = waiting));
    // A task later, so every card the parser has connected by then joins the same read.
    setTimeout(() => {
      batches.delete(api);
      for (let i = 0; i < waiting.length; i += PER_REQUEST) {
        const part = waiting.slice(i, i + PER_REQUEST);
        request<TopicSummaries>(
          summariesUrl(
            api,
            part.map(([id]) => id),
          ),
        ).then(
          ({ topics }) => part.map(([id, settle]) => settle(topics.find((t) => t.id === id))),
          (error: ColloquyError) => part.map(([, settle]) => settle(undefined, error)),
        );
      }
    });
  }
  batch.push([topic, done]);
}
