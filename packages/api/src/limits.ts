/**
 * The limits of the HTTP API, in one place: the request schemas enforce them, the elements'
 * form fields and the server's defaults follow them. Lengths count UTF-16 code units after
 * trimming, as `String.prototype.length` and the browser's `maxlength` do.
 */

/** Longest title: a topic's, a page topic's (`pageTitle`) and a source's. */
export const MAX_TITLE_LENGTH = 300;

/** Longest display name of a reply's author, typed or taken from a sign-in token. */
export const MAX_NAME_LENGTH = 60;

/** Longest Markdown body of a reply, new or edited. */
export const MAX_REPLY_BODY_LENGTH = 10_000;

/** Longest Markdown body of a topic. */
export const MAX_TOPIC_BODY_LENGTH = 50_000;

/** Longest plain-text summary of a topic. */
export const MAX_SUMMARY_LENGTH = 1000;

/** Longest topic label, e.g. "Background". */
export const MAX_LABEL_LENGTH = 60;

/** Longest name of a topic's author. */
export const MAX_TOPIC_AUTHOR_LENGTH = 100;

/** Longest category slug, category name and breadcrumb entry. */
export const MAX_CATEGORY_LENGTH = 100;

/** Most breadcrumb entries of a category path. */
export const MAX_CATEGORY_PATH = 10;

/** Most sources of one topic. */
export const MAX_SOURCES = 100;

/** Longest URL: a topic's, a source's, an avatar's, and a page topic's id. */
export const MAX_URL_LENGTH = 2048;

/** Largest request body, in bytes; a larger one is refused (413) before it is parsed. */
export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Fewest top-level threads a page of replies may ask for (`limit`). */
export const MIN_PAGE_SIZE = 1;

/** Most top-level threads a page of replies may ask for (`limit`). */
export const MAX_PAGE_SIZE = 100;

/** Top-level threads in a page of replies when the request does not say. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Most replies in one page, top-level and nested together, whatever `limit` says: a thread
 * that does not fit continues on pages of its own (see `ThreadContinuation`), so the largest
 * read of any topic is bounded.
 */
export const MAX_PAGE_REPLIES = 300;

/**
 * Most characters of reply content in one page: the stored document trees and plain texts of
 * its replies together. A tree can be many times its Markdown (emphasis every few characters
 * makes about 60 bytes of tree per 4 characters), so the reply count alone would still let 300
 * such replies make a 46 MB page; with this bound the largest page stays small enough for the
 * read cache to keep. A page always holds at least one reply, so following its cursors ends.
 */
export const MAX_PAGE_CONTENT = 1_000_000;

/**
 * The replies left in a cut thread are counted up to this many (`ThreadContinuation.count`),
 * so counting them costs a bounded index range, not the whole thread.
 */
export const MAX_COUNTED_REPLIES = 10_000;

/** Most topic ids of one summaries read (`GET /api/v1/topics?ids=`). */
export const MAX_SUMMARY_IDS = 100;

/** Longest slug topic id (`rsp-update`). */
export const MAX_SLUG_LENGTH = 100;

/** Longest reply id. */
export const MAX_REPLY_ID_LENGTH = 64;

/** Shortest and longest reader key (the `X-Colloquy-Reader` header, a ban's `readerKey`). */
export const MIN_READER_KEY_LENGTH = 16;
export const MAX_READER_KEY_LENGTH = 128;

/** Longest value of the honeypot field `website`. */
export const MAX_HONEYPOT_LENGTH = 2048;

/** Longest edit token header (the `X-Colloquy-Edit-Token` header). */
export const MAX_EDIT_TOKEN_LENGTH = 256;

/** Longest address or prefix of a ban. */
export const MAX_ADDRESS_PREFIX_LENGTH = 64;

/** Most replies of one moderation queue read (`GET /api/v1/admin/pending`). */
export const MAX_PENDING_REPLIES = 100;

/** Longest email address (RFC 5321's limit on a path). */
export const MAX_EMAIL_LENGTH = 254;

/** Most webhook subscriptions a site may have at once. */
export const MAX_WEBHOOK_SUBSCRIPTIONS = 20;

/** Longest description of a webhook subscription. */
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 200;

/** Most deliveries in one page of the delivery log. */
export const MAX_DELIVERIES_PAGE = 100;

/** Most entries of an Atom feed (a topic's replies, the site's recent replies). */
export const MAX_FEED_ENTRIES = 50;

/** Most replies of one page of a moderation queue, and of one action on many replies. */
export const MAX_QUEUE_PAGE = 100;

/** Longest full-text search of a moderation queue. */
export const MAX_SEARCH_LENGTH = 200;

/** Longest reason of a ban or a reader's report. */
export const MAX_REASON_LENGTH = 500;

/** Longest name of a moderator. */
export const MAX_MODERATOR_NAME_LENGTH = 60;

/** Longest token given to sign in (the admin token or a moderator's). */
export const MAX_SIGN_IN_TOKEN_LENGTH = 512;

/** Most entries of one page of the moderation log. */
export const MAX_LOG_PAGE = 100;
