import { z } from 'zod';
import { EDIT_TOKEN_HEADER, isTopicId, REACTION_KINDS, READER_HEADER, REPLY_ID, safeHref } from '@colloquy/api';
import { parsePrefix } from './address.js';

/** A UTF-16 surrogate not in a pair: not a character, and invalid once encoded as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0 control characters other than tab and line feed. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f]/;
/** Any control character: C0, DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Trimmed text of 1..max characters; blank is refused, and so are lone surrogates and control
 * characters other than tab and line feed. Messages name the field and the rule.
 */
const text = (field: string, max: number) => {
  const rule = `${field} must be 1–${max.toLocaleString('en-US')} characters`;
  return z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, rule)
    .max(max, rule)
    .refine((v) => !LONE_SURROGATE.test(v), `${field} must be valid Unicode text (it has a lone surrogate)`)
    .refine((v) => !CONTROL_IN_TEXT.test(v), `${field} must not contain control characters other than tab and line feed`);
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

const httpUrl = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .max(2048, `${field} must be at most 2048 characters`)
    .refine((v) => /^https?:$/.test(safeHref(v) ? new URL(safeHref(v)!).protocol : ''), `${field} must be an absolute http(s) URL`);

export const topicIdParam = z.object({
  id: z
    .string()
    .refine(
      isTopicId,
      'The topic id must be a slug (a letter or digit, then up to 99 of letters, digits, ".", "_", "-") or an absolute http(s) URL of at most 2048 characters',
    ),
});

export const replyIdParam = z.object({
  id: z.string().regex(REPLY_ID, 'The reply id must be 1–64 letters, digits, "_" or "-"'),
});

export const pageQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 100')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'limit must be a whole number from 1 to 100')
    .optional(),
  cursor: z.string().optional(),
});

export const summariesQuery = z.object({
  ids: z
    .string({ error: 'ids is required: a comma-separated list of 1–100 topic ids' })
    .transform((v) => v.split(','))
    .refine((ids) => ids.length >= 1 && ids.length <= 100, 'ids must list 1–100 topic ids')
    .refine((ids) => ids.every(isTopicId), 'every entry of ids must be a topic id (a slug or an http(s) URL)'),
});

export const topicInput = z.strictObject({
  id: topicIdParam.shape.id,
  title: line('title', 300),
  url: httpUrl('url').nullable().optional(),
  category: z
    .strictObject({
      slug: line('category.slug', 100),
      name: line('category.name', 100),
      path: z.array(line('category.path entries', 100)).max(10, 'category.path must have at most 10 entries'),
    })
    .nullable()
    .optional(),
  label: line('label', 60).nullable().optional(),
  summary: text('summary', 1000).nullable().optional(),
  author: z
    .strictObject({ name: line('author.name', 100), avatarUrl: httpUrl('author.avatarUrl').nullable().optional() })
    .nullable()
    .optional(),
  createdAt: z.iso.datetime({ error: 'createdAt must be an ISO 8601 instant such as 2026-04-21T16:20:34Z' }).optional(),
  body: z.string({ error: 'body must be a string of Markdown' }).max(50_000, 'body must be at most 50,000 characters').optional(),
  sources: z
    .array(z.strictObject({ title: line('sources title', 300), url: httpUrl('sources url') }))
    .max(100, 'sources must have at most 100 entries')
    .optional(),
  locked: z.boolean({ error: 'locked must be true or false' }).optional(),
});

export const newReply = z.strictObject({
  body: text('body', 10_000),
  /** Required of anonymous authors; a signed-in user's name comes from their token. */
  authorName: line('authorName', 60).optional(),
  parentId: z.string({ error: 'parentId must be a reply id or null' }).regex(REPLY_ID, 'parentId must be a reply id').nullable().optional(),
  pageTitle: line('pageTitle', 300).optional(),
  website: z.string({ error: 'website must be a string' }).max(2048, 'website must be at most 2048 characters').optional(),
});

export const replyEdit = z.strictObject({
  body: text('body', 10_000),
});

export const banInput = z
  .strictObject({
    readerKey: z
      .string({ error: 'readerKey must be a string' })
      .regex(/^[A-Za-z0-9_-]{16,128}$/, 'readerKey must be a reader key: 16–128 letters, digits, "_" or "-"')
      .optional(),
    addressPrefix: z
      .string({ error: 'addressPrefix must be a string' })
      .max(64, 'addressPrefix must be an IP address or prefix such as 203.0.113.0/24 or 2001:db8::/64')
      .transform((v, ctx) => {
        const prefix = parsePrefix(v);
        if (prefix === null) {
          ctx.addIssue({ code: 'custom', message: 'addressPrefix must be an IP address or prefix such as 203.0.113.0/24 or 2001:db8::/64' });
          return z.NEVER;
        }
        return prefix;
      })
      .optional(),
  })
  .refine((v) => v.readerKey !== undefined || v.addressPrefix !== undefined, 'Give readerKey, addressPrefix or both');

export const lockInput = z.strictObject({
  locked: z.boolean({ error: 'locked must be true or false' }),
});

export const editTokenHeader = z.object({
  [EDIT_TOKEN_HEADER]: z
    .string({ error: `The ${EDIT_TOKEN_HEADER} header is required: the editToken returned when the reply was posted` })
    .max(256, `The ${EDIT_TOKEN_HEADER} header is too long`),
});

export const optionalReaderHeader = z.object({
  [READER_HEADER]: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/, `The ${READER_HEADER} header must be 16–128 letters, digits, "_" or "-"`)
    .optional(),
});

export const reactionToggle = z.strictObject({
  kind: z.enum(REACTION_KINDS, { error: `kind must be one of ${REACTION_KINDS.join(', ')}` }),
});

export const readerHeader = z.object({
  [READER_HEADER]: z
    .string({ error: `The ${READER_HEADER} header is required: a random reader key of 16–128 letters, digits, "_" or "-"` })
    .regex(/^[A-Za-z0-9_-]{16,128}$/, `The ${READER_HEADER} header must be 16–128 letters, digits, "_" or "-"`),
});
