/**
 * The URLs of the Colloquy API (version 1) that the script-tag core calls, or more than one
 * chunk. A URL only one chunk calls is built in that chunk's module (eventsUrl in
 * live-stream.ts, reactionsUrl in react.ts, repliesPageUrl in load-more.ts, challengeUrl in
 * proof-of-work.ts, summariesUrl in summary-batch.ts, messagesUrl in fetch-catalog.ts): a
 * module the core imports is carried by the core whole. `api` is the server's origin without a
 * trailing slash; ids are percent-encoded here, so callers pass them as they are (a page
 * topic's id is a whole URL).
 */

/** `GET` a topic with its first page of replies. */
export const topicUrl = (api: string, topic: string): string =>
  `${api}/api/v1/topics/${encodeURIComponent(topic)}`;

/** `POST` a reply to the topic. */
export const repliesUrl = (api: string, topic: string): string => `${topicUrl(api, topic)}/replies`;

/** One reply. */
export const replyUrl = (api: string, reply: string): string =>
  `${api}/api/v1/replies/${encodeURIComponent(reply)}`;
