/**
 * Colloquy's own export format, version 1: JSON lines, one record a line, in this order: a
 * header, every topic (by id), every reply (by id, so a reply comes after the reply it answers),
 * then an end record with the counts, so that a file cut short at a line boundary is known to
 * be incomplete. The zod schemas below are the format's definition: the JSON Schema published
 * in packages/server/schema/colloquy-export.v1.json is generated from them (the tests check that
 * it is current), and the import checks every line against them before anything else.
 *
 * What a reader can be identified by stays out: reader keys, edit tokens, email addresses,
 * networks, the readers behind reactions and reports. Reactions are counts.
 */
import {
  MAX_CATEGORY_LENGTH,
  MAX_CATEGORY_PATH,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_REPLY_BODY_LENGTH,
  MAX_REPLY_ID_LENGTH,
  MAX_SOURCES,
  MAX_SUMMARY_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOPIC_AUTHOR_LENGTH,
  MAX_TOPIC_BODY_LENGTH,
  MAX_URL_LENGTH,
  REACTION_KINDS,
  type Block,
  type Inline,
  type ReplyStatus,
} from '@colloquy/api';
import { z } from 'zod';

export const EXPORT_FORMAT = 'colloquy-export';
export const EXPORT_VERSION = 1;

const count = z.int().min(0);
const instant = z.iso.datetime({ offset: true });
const reactions = z.strictObject(
  Object.fromEntries(REACTION_KINDS.map((kind) => [kind, count])) as Record<
    (typeof REACTION_KINDS)[number],
    typeof count
  >,
);

const inline: z.ZodType<Inline> = z.lazy(() =>
  z.discriminatedUnion('t', [
    z.strictObject({ t: z.literal('text'), v: z.string() }),
    z.strictObject({ t: z.literal('em'), c: z.array(inline) }),
    z.strictObject({ t: z.literal('strong'), c: z.array(inline) }),
    z.strictObject({ t: z.literal('del'), c: z.array(inline) }),
    z.strictObject({ t: z.literal('code'), v: z.string() }),
    z.strictObject({ t: z.literal('link'), href: z.string(), c: z.array(inline) }),
    z.strictObject({ t: z.literal('br') }),
    z.strictObject({ t: z.literal('cite'), n: z.int().min(1) }),
    z.strictObject({ t: z.literal('task'), checked: z.boolean() }),
  ]),
);

const block: z.ZodType<Block> = z.lazy(() =>
  z.discriminatedUnion('t', [
    z.strictObject({ t: z.literal('p'), c: z.array(inline) }),
    z.strictObject({
      t: z.literal('h'),
      level: z.union([1, 2, 3, 4, 5, 6].map((n) => z.literal(n))),
      c: z.array(inline),
    }),
    z.strictObject({ t: z.literal('pre'), v: z.string(), lang: z.string().optional() }),
    z.strictObject({ t: z.literal('ul'), items: z.array(z.array(block)), tight: z.boolean().optional() }),
    z.strictObject({
      t: z.literal('ol'),
      start: z.int(),
      items: z.array(z.array(block)),
      tight: z.boolean().optional(),
    }),
    z.strictObject({ t: z.literal('quote'), c: z.array(block) }),
    z.strictObject({ t: z.literal('hr') }),
    z.strictObject({
      t: z.literal('table'),
      align: z.array(z.enum(['left', 'center', 'right']).nullable()),
      head: z.array(z.array(inline)),
      rows: z.array(z.array(z.array(inline))),
    }),
  ]),
) as z.ZodType<Block>;

/** The rendered document tree, as every read returns it (`@colloquy/api` Doc). */
const doc = z.array(block).describe('The body rendered to Colloquy’s document tree');
const text = (max: number) => z.string().max(max);

export const headerRecord = z.strictObject({
  type: z.literal('header'),
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
});

export const topicRecord = z.strictObject({
  type: z.literal('topic'),
  id: text(MAX_URL_LENGTH).min(1),
  url: text(MAX_URL_LENGTH).nullable(),
  title: text(MAX_TITLE_LENGTH),
  category: z
    .strictObject({
      slug: text(MAX_CATEGORY_LENGTH),
      name: text(MAX_CATEGORY_LENGTH),
      path: z.array(text(MAX_CATEGORY_LENGTH)).max(MAX_CATEGORY_PATH),
    })
    .nullable(),
  label: text(MAX_LABEL_LENGTH).nullable(),
  summary: text(MAX_SUMMARY_LENGTH).nullable(),
  author: z
    .strictObject({ name: text(MAX_TOPIC_AUTHOR_LENGTH), avatarUrl: text(MAX_URL_LENGTH).nullable() })
    .nullable(),
  createdAt: instant,
  locked: z.boolean(),
  /** The body's Markdown source, as written; the import renders it again. */
  source: text(MAX_TOPIC_BODY_LENGTH),
  body: doc,
  text: z.string(),
  /** Numbered 1, 2, … in this order, as `[n]` in the bodies cites them. */
  sources: z
    .array(z.strictObject({ title: text(MAX_TITLE_LENGTH), url: text(MAX_URL_LENGTH) }))
    .max(MAX_SOURCES),
  reactions,
});

const replyId = z.string().regex(new RegExp(`^[0-9A-Za-z_-]{1,${MAX_REPLY_ID_LENGTH}}$`));

export const replyRecord = z.strictObject({
  type: z.literal('reply'),
  id: replyId,
  topicId: text(MAX_URL_LENGTH).min(1),
  /** The reply it answers, earlier in the file; null for a reply to the topic. */
  parentId: replyId.nullable(),
  /** Empty for a deleted reply, which keeps only its place. */
  authorName: text(MAX_NAME_LENGTH),
  /** The host site's user id of a signed-in author (a verified reply); null for an anonymous one. */
  authorSub: z.string().max(256).nullable(),
  createdAt: instant,
  editedAt: instant.nullable(),
  status: z.enum(['published', 'pending', 'hidden', 'deleted'] satisfies ReplyStatus[]),
  /** The Markdown source, as written (empty for a deleted reply); the import renders it again. */
  source: text(MAX_REPLY_BODY_LENGTH),
  body: doc,
  text: z.string(),
  reactions,
});

export const endRecord = z.strictObject({
  type: z.literal('end'),
  topics: count,
  replies: count,
});

/** Any line of the file. */
export const exportLine = z.discriminatedUnion('type', [headerRecord, topicRecord, replyRecord, endRecord]);

export type TopicLine = z.infer<typeof topicRecord>;
export type ReplyLine = z.infer<typeof replyRecord>;
export type ExportLine = z.infer<typeof exportLine>;

/** The JSON Schema of one line, as published in packages/server/schema/. */
export function exportJsonSchema(): Record<string, unknown> {
  return {
    $id: `urn:colloquy:schema:${EXPORT_FORMAT}:v${EXPORT_VERSION}`,
    title: 'Colloquy export, version 1: one line of the JSON lines file',
    description:
      'A Colloquy export is JSON lines: a header record, every topic (by id), every reply (by id; a reply follows the one it answers), then an end record counting the topics and replies. Reactions are counts; nothing that identifies a reader (reader keys, edit tokens, email addresses, networks, who reacted or reported) is exported.',
    ...z.toJSONSchema(exportLine, { target: 'draft-2020-12' }),
  };
}

/**
 * One record as a line: keys in sorted order at every level, so that the same data makes the
 * same bytes whichever database it came from (PostgreSQL's JSONB keeps keys in an order of its
 * own).
 */
export function exportLineText(record: ExportLine): string {
  return `${JSON.stringify(record, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, (value as Record<string, unknown>)[key]]),
        )
      : value,
  )}\n`;
}
