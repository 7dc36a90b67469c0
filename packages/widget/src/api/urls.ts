/**
 * The URL of the topic read, the one request of a first render. The other URLs of the API
 * (version 1), which only the modules loaded on intent call, are in requests.ts. `api` is the
 * server's origin without a trailing slash; ids are percent-encoded here, so callers pass them
 * as they are (a page topic's id is a whole URL).
 */

/** `GET` a topic with its first page of replies. */
export const topicUrl = (api: string, topic: string): string =>
  `${api}/api/v1/topics/${encodeURIComponent(topic)}`;
