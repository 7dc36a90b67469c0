// What the modules loaded on intent (posting, reacting, editing, the live stream, more pages,
// catalogs) share for talking to the server, kept out of the core that every reader loads: the
// URLs of the API beyond the topic read, and this reader's key.
import type { ReplySort } from '@colloquy/api';
import { readJson, writeJson } from '../store/storage.js';
import { topicUrl } from './urls.js';

/** `POST` a reply to the topic. */
export const repliesUrl = (api: string, topic: string): string => `${topicUrl(api, topic)}/replies`;

/** `GET` the page of replies that starts at `cursor`, a cursor of the `sort` order. */
export const repliesPageUrl = (
  api: string,
  topic: string,
  cursor: string,
  sort: ReplySort = 'oldest',
): string =>
  `${repliesUrl(api, topic)}?cursor=${encodeURIComponent(cursor)}${sort === 'oldest' ? '' : `&sort=${sort}`}`;

/** One reply. */
export const replyUrl = (api: string, reply: string): string =>
  `${api}/api/v1/replies/${encodeURIComponent(reply)}`;

/** `POST` a reaction toggle: on the topic itself when `reply` is null, else on that reply. */
export const reactionsUrl = (api: string, topic: string, reply: string | null): string =>
  `${reply === null ? topicUrl(api, topic) : replyUrl(api, reply)}/reactions`;

/** The topic's event stream, starting after event `after` (an event id: a whole number). */
export const eventsUrl = (api: string, topic: string, after: string): string =>
  `${topicUrl(api, topic)}/events?after=${after}`;

/** `GET` a proof-of-work challenge. */
export const challengeUrl = (api: string): string => `${api}/api/v1/challenge`;

/** `GET` the summaries of up to 100 topics. */
export const summariesUrl = (api: string, topics: readonly string[]): string =>
  // An array in a template reads as its items joined by commas.
  `${api}/api/v1/topics?ids=${topics.map(encodeURIComponent)}`;

/** `GET` the UI strings of `language` (a language subtag such as `de`). */
export const messagesUrl = (api: string, language: string): string =>
  `${api}/api/v1/messages/${encodeURIComponent(language)}`;

let memoryReader: string | undefined;

/**
 * This reader's random key (128 random bits, as four numbers joined by "-"), created once per
 * browser.
 * getRandomValues works on plain-HTTP pages too, where randomUUID() does not exist.
 */
export function readerKey(): string {
  const stored = readJson<string>('colloquy:reader');
  if (stored && /^[\w-]{16,128}$/.test(stored)) return stored;
  if (!memoryReader) {
    memoryReader = crypto.getRandomValues(new Uint32Array(4)).join('-');
    writeJson('colloquy:reader', memoryReader);
  }
  return memoryReader;
}
