/**
 * Every URL of the Colloquy API (version 1) that the elements call, built in one place.
 * `api` is the server's origin without a trailing slash; ids are percent-encoded here, so
 * callers pass them as they are (a page topic's id is a whole URL).
 */

import type { ReplySort } from '@colloquy/api';

/** `GET` a topic with its first page of replies. */
export const topicUrl = (api: string, topic: string): string =>
  `${api}/api/v1/topics/${encodeURIComponent(topic)}`;

/** `sort` as a query parameter after `join` (`?` or `&`): none for the default order. */
export const sortParam = (sort: ReplySort, join: string): string =>
  sort === 'oldest' ? '' : `${join}sort=${sort}`;

/** `POST` a reply to the topic. */
export const repliesUrl = (api: string, topic: string): string => `${topicUrl(api, topic)}/replies`;

/** `GET` the page of replies that starts at `cursor` (add the cursor's order: {@link sortParam}). */
export const repliesPageUrl = (api: string, topic: string, cursor: string): string =>
  `${repliesUrl(api, topic)}?cursor=${encodeURIComponent(cursor)}`;

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
