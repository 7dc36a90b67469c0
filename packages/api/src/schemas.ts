/**
 * `@colloquy/api/schemas`: the request schemas of the HTTP API (zod), from which the request
 * types are inferred, so what a client is told it may send and what the server accepts cannot
 * disagree. A separate entry, so that importing the wire types (`@colloquy/api`) never pulls
 * zod into a browser bundle. Messages name the field and the rule; clients show them as given.
 */
import { z } from 'zod';
import { EDIT_TOKEN_HEADER, READER_HEADER } from './headers.js';
import { canonicalTopicId, isTopicId, READER_KEY, REPLY_ID } from './ids.js';
import {
  MAX_ADDRESS_PREFIX_LENGTH,
  MAX_CATEGORY_LENGTH,
  MAX_CATEGORY_PATH,
  MAX_DELIVERIES_PAGE,
  MAX_EDIT_TOKEN_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_HONEYPOT_LENGTH,
  MAX_LOG_PAGE,
  MAX_NAME_LENGTH,
  MAX_MODERATOR_NAME_LENGTH,
  MAX_QUEUE_PAGE,
  MAX_REASON_LENGTH,
  MAX_SEARCH_LENGTH,
  MAX_SIGN_IN_TOKEN_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_PAGE_SIZE,
  MAX_READER_KEY_LENGTH,
  MAX_REPLY_BODY_LENGTH,
  MAX_REPLY_ID_LENGTH,
  MAX_SLUG_LENGTH,
  MAX_SOURCES,
  MAX_SUMMARY_IDS,
  MAX_SUMMARY_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOPIC_AUTHOR_LENGTH,
  MAX_TOPIC_BODY_LENGTH,
  MAX_URL_LENGTH,
  MAX_WEBHOOK_DESCRIPTION_LENGTH,
  MIN_PAGE_SIZE,
  MIN_READER_KEY_LENGTH,
} from './limits.js';
import {
  MODERATION_ACTIONS,
  MODERATION_QUEUES,
  NOTIFICATION_EVENTS,
  REACTION_KINDS,
  REPLY_SORTS,
} from './types.js';
import { nameProblem, normalizeName } from './names.js';
import { safeHref } from './url-policy.js';

const count = (n: number) => n.toLocaleString('en-US');

/** A UTF-16 surrogate not in a pair: not a character, and invalid once encoded as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0 control characters other than tab and line feed. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f]/;
/** Any control character: C0, DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Trimmed text of 1..max characters; blank is refused, and so are lone surrogates and control
 * characters other than tab and line feed.
 */
const text = (field: string, max: number) => {
  const rule = `${field} must be 1–${count(max)} characters`;
  return z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, rule)
    .max(max, rule)
    .refine((v) => !LONE_SURROGATE.test(v), `${field} must be valid Unicode text (it has a lone surrogate)`)
    .refine(
      (v) => !CONTROL_IN_TEXT.test(v),
      `${field} must not contain control characters other than tab and line feed`,
    );
};

/**
 * A Markdown body of 1..max characters, kept as written: leading white space is Markdown (four
 * spaces make code), so nothing is trimmed. A body of white space alone is refused as empty;
 * lone surrogates and control characters other than tab and line feed are refused too.
 */
const markdownBody = (field: string, max: number) => {
  const rule = `${field} must be 1–${count(max)} characters`;
  return z
    .string({ error: `${field} must be a string` })
    .max(max, rule)
    .refine((v) => v.trim() !== '', rule)
    .refine((v) => !LONE_SURROGATE.test(v), `${field} must be valid Unicode text (it has a lone surrogate)`)
    .refine(
      (v) => !CONTROL_IN_TEXT.test(v),
      `${field} must not contain control characters other than tab and line feed`,
    );
};

/** Bidirectional embeddings, overrides and isolates: in a name they can make it read as another. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * One line of text: names and titles never carry control characters, line breaks or
 * bidirectional overrides.
 */
const line = (field: string, max: number) =>
  text(field, max)
    .refine((v) => !CONTROL.test(v), `${field} must be a single line without control characters`)
    .refine((v) => !BIDI_CONTROL.test(v), `${field} must not contain bidirectional override characters`);

/** A display name: a string, NFKC-normalized and trimmed, held to nameProblem(). */
const displayName = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .transform(normalizeName)
    .superRefine((name, ctx) => {
      const problem = nameProblem(name, field);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

const isHttpUrl = (value: string) => {
  const href = safeHref(value);
  return href !== null && /^https?:$/.test(new URL(href).protocol);
};

/**
 * An absolute http(s) URL, stored in the one form it was checked in: safeHref()'s (character
 * references decoded, invisible characters removed, the URL parser's serialization), so what
 * the host page links to is what the check saw (`&#104;ttps://…` is stored as `https://…`, never
 * as text a browser would resolve relative to the page).
 */
const httpUrl = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .max(MAX_URL_LENGTH, `${field} must be at most ${MAX_URL_LENGTH} characters`)
    .refine(isHttpUrl, `${field} must be an absolute http(s) URL`)
    .transform((value) => safeHref(value) ?? value)
    .refine((v) => v.length <= MAX_URL_LENGTH, `${field} must be at most ${MAX_URL_LENGTH} characters`);

/** A reader id: the SHA-256 of a reader key, as 64 lowercase hex digits. */
const readerIdField = z
  .string({ error: 'readerId must be a string' })
  .regex(/^[0-9a-f]{64}$/, 'readerId must be a reader id as the moderation queue shows it (64 hex digits)');

const readerKeyRule = `${MIN_READER_KEY_LENGTH}–${MAX_READER_KEY_LENGTH} letters, digits, "_" or "-"`;

// Path, query and header parameters.

/**
 * `:id` of a topic route. A page URL is taken in its canonical form (canonicalPageUrl), so
 * its variants (case, default port, dot segments, tracking parameters, fragment,
 * percent-encoding, NFC) all name one topic.
 */
export const topicIdParam = z.object({
  id: z
    .string()
    .refine(
      isTopicId,
      `The topic id must be a slug (a letter or digit, then up to ${MAX_SLUG_LENGTH - 1} of letters, digits, ".", "_", "-") or an absolute http(s) URL of at most ${MAX_URL_LENGTH} characters, valid Unicode`,
    )
    .transform(canonicalTopicId),
});

/** `:id` of a reply route. */
export const replyIdParam = z.object({
  id: z.string().regex(REPLY_ID, `The reply id must be 1–${MAX_REPLY_ID_LENGTH} letters, digits, "_" or "-"`),
});

const limitRule = `limit must be a whole number from ${MIN_PAGE_SIZE} to ${MAX_PAGE_SIZE}`;

/** `?limit=&cursor=&sort=` of a page of replies. */
export const pageQuery = z.object({
  limit: z
    .string()
    .regex(new RegExp(`^\\d{1,${String(MAX_PAGE_SIZE).length}}$`), limitRule)
    .transform(Number)
    .refine((n) => n >= MIN_PAGE_SIZE && n <= MAX_PAGE_SIZE, limitRule)
    .optional(),
  /** The `nextCursor` of the previous page (read in the same order). */
  cursor: z.string().optional(),
  /** The order of the top-level replies; `oldest` when absent. */
  sort: z.enum(REPLY_SORTS, { error: `sort must be one of ${REPLY_SORTS.join(', ')}` }).optional(),
});

/** `?limit=&cursor=&sort=&around=` of `GET /api/v1/topics/:id/replies`. */
export const repliesQuery = pageQuery.extend({
  /** A reply's id: the page is the part of that reply's thread that holds it. */
  around: z.string().regex(REPLY_ID, 'around must be a reply id').optional(),
});

/**
 * `?lang=&url=` of the server-rendered fragment: a BCP 47 language tag (`de`, `pt-BR`); its primary
 * subtag picks the catalog.
 */
export const embedQuery = z.object({
  lang: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/, 'lang must be a language tag such as "de" or "pt-BR"')
    .optional(),
  /** The host page's URL, for the JSON-LD of a topic that names none of its own. */
  url: httpUrl('url').optional(),
});

/** `?ids=a,b,c` of the summaries read. */
export const summariesQuery = z.object({
  ids: z
    .string({ error: `ids is required: a comma-separated list of 1–${MAX_SUMMARY_IDS} topic ids` })
    .transform((v) => v.split(','))
    .refine(
      (ids) => ids.length >= 1 && ids.length <= MAX_SUMMARY_IDS,
      `ids must list 1–${MAX_SUMMARY_IDS} topic ids`,
    )
    .refine(
      (ids) => ids.every(isTopicId),
      'every entry of ids must be a topic id (a slug or an http(s) URL)',
    ),
});

/** The edit token header of PATCH and DELETE `/api/v1/replies/:id`. */
export const editTokenHeader = z.object({
  [EDIT_TOKEN_HEADER]: z
    .string({
      error: `The ${EDIT_TOKEN_HEADER} header is required: the editToken returned when the reply was posted`,
    })
    .max(MAX_EDIT_TOKEN_LENGTH, `The ${EDIT_TOKEN_HEADER} header is too long`),
});

/** The reader header of reads, which then include the reader's own pending replies. */
export const optionalReaderHeader = z.object({
  [READER_HEADER]: z
    .string()
    .regex(READER_KEY, `The ${READER_HEADER} header must be ${readerKeyRule}`)
    .optional(),
});

/**
 * `GET /api/v1/replies/:id`: the reader header, and the edit token of a reply's author, who is
 * then given the reply's Markdown source.
 */
export const replyReadHeaders = optionalReaderHeader.extend(editTokenHeader.partial().shape);

/** The reader header of reaction toggles, which are per reader. */
export const readerHeader = z.object({
  [READER_HEADER]: z
    .string({ error: `The ${READER_HEADER} header is required: a random reader key of ${readerKeyRule}` })
    .regex(READER_KEY, `The ${READER_HEADER} header must be ${readerKeyRule}`),
});

// Request bodies.

/** `POST /api/v1/topics` (admin): creates or replaces a topic. */
export const topicInput = z.strictObject({
  id: topicIdParam.shape.id,
  title: line('title', MAX_TITLE_LENGTH),
  url: httpUrl('url').nullable().optional(),
  category: z
    .strictObject({
      slug: line('category.slug', MAX_CATEGORY_LENGTH),
      name: line('category.name', MAX_CATEGORY_LENGTH),
      /** Breadcrumb, outermost first, e.g. `["Community", "Anthropic"]`. */
      path: z
        .array(line('category.path entries', MAX_CATEGORY_LENGTH))
        .max(MAX_CATEGORY_PATH, `category.path must have at most ${MAX_CATEGORY_PATH} entries`),
    })
    .nullable()
    .optional(),
  /** A short label shown above the summary, e.g. "Background". */
  label: line('label', MAX_LABEL_LENGTH).nullable().optional(),
  /** A plain-text lead paragraph. */
  summary: text('summary', MAX_SUMMARY_LENGTH).nullable().optional(),
  author: z
    .strictObject({
      name: line('author.name', MAX_TOPIC_AUTHOR_LENGTH),
      avatarUrl: httpUrl('author.avatarUrl').nullable().optional(),
    })
    .nullable()
    .optional(),
  /** Omitted: now for a new topic, unchanged for an existing one. */
  createdAt: z.iso
    .datetime({ error: 'createdAt must be an ISO 8601 instant such as 2026-04-21T16:20:34Z' })
    .optional(),
  /** Markdown. */
  body: z
    .string({ error: 'body must be a string of Markdown' })
    .max(MAX_TOPIC_BODY_LENGTH, `body must be at most ${count(MAX_TOPIC_BODY_LENGTH)} characters`)
    .optional(),
  /** Numbered 1, 2, … in this order, as bodies cite them with `[n]`. */
  sources: z
    .array(z.strictObject({ title: line('sources title', MAX_TITLE_LENGTH), url: httpUrl('sources url') }))
    .max(MAX_SOURCES, `sources must have at most ${MAX_SOURCES} entries`)
    .optional(),
  locked: z.boolean({ error: 'locked must be true or false' }).optional(),
});

/** `POST /api/v1/topics/:id/replies`. */
export const newReply = z.strictObject({
  /** Markdown. */
  body: markdownBody('body', MAX_REPLY_BODY_LENGTH),
  /**
   * Required, except with a signed-in user's token (`Authorization: Bearer`), whose name is
   * used instead.
   */
  /** NFKC-normalized; see nameProblem() for what a name may not be. */
  authorName: displayName('authorName').optional(),
  parentId: z
    .string({ error: 'parentId must be a reply id or null' })
    .regex(REPLY_ID, 'parentId must be a reply id')
    .nullable()
    .optional(),
  /** For a page topic created by its first reply: the page's title. */
  pageTitle: line('pageTitle', MAX_TITLE_LENGTH).optional(),
  /**
   * Where to tell the author about replies to this reply (optional). Kept for that alone: no
   * read, feed or webhook ever returns it, and every email carries an unsubscribe link.
   */
  email: z
    .email({ error: 'email must be an email address such as ann@example.org' })
    .max(MAX_EMAIL_LENGTH, `email must be at most ${MAX_EMAIL_LENGTH} characters`)
    .optional(),
  /**
   * Honeypot: a form field people never see nor fill. Leave it out or empty; a non-empty value
   * is refused (422).
   */
  website: z
    .string({ error: 'website must be a string' })
    .max(MAX_HONEYPOT_LENGTH, `website must be at most ${MAX_HONEYPOT_LENGTH} characters`)
    .optional(),
});

/** `PATCH /api/v1/replies/:id`, with the edit token header. */
export const replyEdit = z.strictObject({
  /** Markdown. */
  body: markdownBody('body', MAX_REPLY_BODY_LENGTH),
});

/** `POST /api/v1/topics/:id/reactions` and `/api/v1/replies/:id/reactions`. */
export const reactionToggle = z.strictObject({
  kind: z.enum(REACTION_KINDS, { error: `kind must be one of ${REACTION_KINDS.join(', ')}` }),
});

/** The refusal of a ban's address that is not an address or prefix. */
export const ADDRESS_PREFIX_RULE =
  'addressPrefix must be an IP address or prefix such as 203.0.113.0/24 or 2001:db8::/64';

/**
 * `POST /api/v1/admin/bans`: at least one of the two. The server also checks that
 * `addressPrefix` is an address, which it widens to its /24 (IPv4) or /64 (IPv6).
 */
export const banInput = z
  .strictObject({
    /** A reader key as sent in the `X-Colloquy-Reader` header. */
    readerKey: z
      .string({ error: 'readerKey must be a string' })
      .regex(READER_KEY, `readerKey must be a reader key: ${readerKeyRule}`)
      .optional(),
    /** A reader id as the moderation queue shows it (the SHA-256 of a reader key, hex). */
    readerId: readerIdField.optional(),
    /** An IP address or prefix. */
    addressPrefix: z
      .string({ error: 'addressPrefix must be a string' })
      .max(MAX_ADDRESS_PREFIX_LENGTH, ADDRESS_PREFIX_RULE)
      .optional(),
    /** When the ban ends by itself (an ISO 8601 instant in the future); omitted: until lifted. */
    expiresAt: z
      .string({ error: 'expiresAt must be a string' })
      .max(40, 'expiresAt must be an ISO 8601 instant such as 2030-01-31T12:00:00Z')
      .refine(
        (v) =>
          /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)$/.test(v) &&
          !Number.isNaN(Date.parse(v)),
        'expiresAt must be an ISO 8601 instant such as 2030-01-31T12:00:00Z',
      )
      .transform((v) => new Date(v).toISOString())
      .optional(),
    reason: line('reason', MAX_REASON_LENGTH).optional(),
  })
  .refine(
    (v) => v.readerKey !== undefined || v.addressPrefix !== undefined || v.readerId !== undefined,
    'Give readerKey, addressPrefix or both',
  )
  .refine((v) => v.readerKey === undefined || v.readerId === undefined, {
    path: ['readerId'],
    message: 'Give readerKey or readerId, not both',
  });

/** `POST /api/v1/admin/bans/lift`: one ban, as `GET /api/v1/admin/bans` lists it. */
export const liftBanInput = z.strictObject({
  kind: z.enum(['reader', 'address'], { error: 'kind must be reader or address' }),
  value: z
    .string({ error: 'value must be a string' })
    .min(1, 'value must be the value of a ban as listed')
    .max(MAX_ADDRESS_PREFIX_LENGTH, 'value must be the value of a ban as listed'),
});

const queueLimitRule = `limit must be a whole number from 1 to ${MAX_QUEUE_PAGE}`;
const pageLimit = (rule: string, max: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, rule)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, rule)
    .optional();

/** `GET /api/v1/admin/queue`: one queue, narrowed by any of the filters, a page at a time. */
export const queueQuery = z.object({
  queue: z
    .enum(MODERATION_QUEUES, { error: `queue must be ${MODERATION_QUEUES.join(', ')}` })
    .default('pending'),
  topic: topicIdParam.shape.id.optional(),
  /** The author's name, compared without case. */
  author: line('author', MAX_NAME_LENGTH).optional(),
  readerId: readerIdField.optional(),
  /** An IP address or prefix; the server widens it to its /24 or /64. */
  network: z.string().max(MAX_ADDRESS_PREFIX_LENGTH, ADDRESS_PREFIX_RULE).optional(),
  status: z
    .enum(['published', 'pending', 'hidden', 'deleted'], {
      error: 'status must be published, pending, hidden or deleted',
    })
    .optional(),
  /** Words the reply's text must all contain (full-text search). */
  q: line('q', MAX_SEARCH_LENGTH).optional(),
  limit: pageLimit(queueLimitRule, MAX_QUEUE_PAGE),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200, 'cursor must be the nextCursor of a previous page').optional(),
});

/** `POST /api/v1/admin/replies/actions`: one action on up to MAX_QUEUE_PAGE replies. */
export const bulkActionInput = z.strictObject({
  action: z.enum(MODERATION_ACTIONS, { error: `action must be ${MODERATION_ACTIONS.join(', ')}` }),
  ids: z
    .array(replyIdParam.shape.id, { error: 'ids must be a list of reply ids' })
    .min(1, 'ids must name at least one reply')
    .max(MAX_QUEUE_PAGE, `ids must name at most ${MAX_QUEUE_PAGE} replies`)
    .transform((ids) => [...new Set(ids)]),
});

/** `POST /api/v1/replies/:id/reports`: a reader's report, with an optional reason. */
export const reportInput = z.strictObject({
  reason: line('reason', MAX_REASON_LENGTH).optional(),
});

/** `POST /api/v1/admin/session`: the admin token or a moderator's, exchanged for a session. */
export const signInInput = z.strictObject({
  token: z
    .string({ error: 'token must be a string' })
    .min(1, 'token must be the admin token or a moderator token')
    .max(MAX_SIGN_IN_TOKEN_LENGTH, 'token must be the admin token or a moderator token'),
});

/** `POST /api/v1/admin/moderators`: a named moderator, who gets a token of their own. */
export const moderatorInput = z.strictObject({
  name: line('name', MAX_MODERATOR_NAME_LENGTH).refine(
    (v) => /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u.test(v) && v.toLowerCase() !== 'admin',
    'name must be letters, digits, spaces, ".", "_" or "-", starting with a letter or digit, and not "admin"',
  ),
});

/** `:name` of a moderator route. */
export const moderatorNameParam = z.object({
  name: z.string().min(1).max(MAX_MODERATOR_NAME_LENGTH, "name must be a moderator's name"),
});

const logLimitRule = `limit must be a whole number from 1 to ${MAX_LOG_PAGE}`;

/** `GET /api/v1/admin/log?limit=&before=&reply=`. */
export const logQuery = z.object({
  limit: pageLimit(logLimitRule, MAX_LOG_PAGE),
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'before must be the nextCursor of a previous page')
    .optional(),
  /** Only what was done to this reply. */
  reply: replyIdParam.shape.id.optional(),
});

/** `POST /api/v1/admin/topics/:id/lock`. */
export const lockInput = z.strictObject({
  locked: z.boolean({ error: 'locked must be true or false' }),
});

/** `:id` of a webhook subscription route. */
export const webhookIdParam = z.object({
  id: z
    .string()
    .regex(/^wh_[A-Za-z0-9_-]{1,60}$/, 'The webhook id must be one the API returned, such as wh_…'),
});

/**
 * A webhook secret given instead of generated: `whsec_` and the base64 of 24–64 random bytes,
 * as Standard Webhooks serializes them (so its libraries verify the signatures as they are).
 */
export const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;
const secretRule =
  'secret must be whsec_ followed by the base64 of 24–64 random bytes; leave it out to have one generated';

/** `POST /api/v1/admin/webhooks`: subscribes a URL to some of the notification events. */
export const webhookInput = z.strictObject({
  /** Where deliveries are POSTed: an absolute http(s) URL without user name or password. */
  url: httpUrl('url').refine((v) => {
    try {
      const url = new URL(v);
      return url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'url must not carry a user name or password'),
  events: z
    .array(
      z.enum(NOTIFICATION_EVENTS, { error: `events entries must be ${NOTIFICATION_EVENTS.join(', ')}` }),
      {
        error: `events must be a list of ${NOTIFICATION_EVENTS.join(', ')}`,
      },
    )
    .min(1, 'events must name at least one event')
    .max(NOTIFICATION_EVENTS.length, `events must have at most ${NOTIFICATION_EVENTS.length} entries`)
    .transform((events) => [...new Set(events)]),
  /** Omitted: a new secret is generated and returned once. */
  secret: z
    .string({ error: secretRule })
    .regex(WEBHOOK_SECRET, secretRule)
    .refine((v) => {
      const base64 = v.slice('whsec_'.length);
      const bytes = (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
      return base64.length % 4 === 0 && bytes >= 24 && bytes <= 64;
    }, secretRule)
    .optional(),
  description: line('description', MAX_WEBHOOK_DESCRIPTION_LENGTH).nullable().optional(),
});

const deliveriesLimitRule = `limit must be a whole number from 1 to ${MAX_DELIVERIES_PAGE}`;

/** `GET /api/v1/admin/deliveries?limit=&before=&webhook=&status=`. */
export const deliveriesQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, deliveriesLimitRule)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_DELIVERIES_PAGE, deliveriesLimitRule)
    .optional(),
  /** The `nextCursor` of the previous page. */
  before: z
    .string()
    .regex(/^\d{1,19}$/, 'before must be the nextCursor of a previous page')
    .optional(),
  /** Only the deliveries of this webhook subscription. */
  webhook: webhookIdParam.shape.id.optional(),
  status: z
    .enum(['pending', 'delivered', 'failed', 'skipped'], {
      error: 'status must be pending, delivered, failed or skipped',
    })
    .optional(),
});

/** `POST /api/v1/topics/:id/replies` request body. */
export type NewReply = z.input<typeof newReply>;
/** `PATCH /api/v1/replies/:id` request body (with the `X-Colloquy-Edit-Token` header). */
export type ReplyEdit = z.input<typeof replyEdit>;
/** `POST /api/v1/topics` (admin) request body: creates or replaces a topic. */
export type TopicInput = z.input<typeof topicInput>;
/** `POST …/reactions` request body; the reader is named by the `X-Colloquy-Reader` header. */
export type ReactionToggle = z.input<typeof reactionToggle>;
/** `POST /api/v1/admin/bans` request body: at least one of the two. */
export type BanInput = z.input<typeof banInput>;
/** `POST /api/v1/admin/topics/:id/lock` request body. */
export type LockInput = z.input<typeof lockInput>;
/** `?limit=&cursor=` of a page of replies, as sent. */
export type PageQuery = z.input<typeof pageQuery>;
/** `?limit=&cursor=&sort=&around=` of a topic's replies, as sent. */
export type RepliesQuery = z.input<typeof repliesQuery>;
/** `GET /api/v1/topics/:id/embed.html` query, as sent. */
export type EmbedQuery = z.input<typeof embedQuery>;
/** `POST /api/v1/admin/webhooks` request body. */
export type WebhookInput = z.input<typeof webhookInput>;
/** `GET /api/v1/admin/deliveries` query, as sent. */
export type DeliveriesQuery = z.input<typeof deliveriesQuery>;
/** `POST /api/v1/admin/bans/lift` request body. */
export type LiftBanInput = z.input<typeof liftBanInput>;
/** `GET /api/v1/admin/queue` query, as sent. */
export type QueueQuery = z.input<typeof queueQuery>;
/** `POST /api/v1/admin/replies/actions` request body. */
export type BulkActionInput = z.input<typeof bulkActionInput>;
/** `POST /api/v1/replies/:id/reports` request body. */
export type ReportInput = z.input<typeof reportInput>;
/** `POST /api/v1/admin/session` request body. */
export type SignInInput = z.input<typeof signInInput>;
/** `POST /api/v1/admin/moderators` request body. */
export type ModeratorInput = z.input<typeof moderatorInput>;
/** `GET /api/v1/admin/log` query, as sent. */
export type LogQuery = z.input<typeof logQuery>;
