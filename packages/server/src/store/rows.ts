import type { Selectable } from 'kysely';
import {
  REACTION_KINDS,
  type Doc,
  type Reactions,
  type Reply,
  type ReplyStatus,
  type Topic,
} from '@colloquy/api';
import { countColumn } from './queries.js';
import type { CountColumn, RepliesTable, TopicsTable } from './schema.js';
import type { TopicRecord, Viewer } from './store.js';

/** Rows as the queries return them, and the wire forms made of them. */

export type TopicRow = Selectable<TopicsTable>;
export type ReplyRow = Selectable<RepliesTable>;

/** The reaction counts of a topic or reply row, from its counter columns. */
export const reactionsOf = (row: Record<CountColumn, number>): Reactions =>
  Object.fromEntries(REACTION_KINDS.map((kind) => [kind, Number(row[countColumn(kind)])])) as Reactions;

/** A topic's content as its columns hold it: the JSON ones as text. Shared by every topic write. */
export const topicContent = (
  topic: Pick<TopicRecord, 'url' | 'category' | 'label' | 'summary' | 'author' | 'body' | 'text' | 'sources'>,
) => ({
  url: topic.url,
  category: topic.category ? JSON.stringify(topic.category) : null,
  label: topic.label,
  summary: topic.summary,
  author: topic.author ? JSON.stringify(topic.author) : null,
  body: JSON.stringify(topic.body),
  text: topic.text,
  sources: JSON.stringify(topic.sources),
});

export function toTopic(row: TopicRow): Topic {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    category: row.category === null ? null : (JSON.parse(row.category) as Topic['category']),
    label: row.label,
    summary: row.summary,
    author: row.author === null ? null : (JSON.parse(row.author) as Topic['author']),
    createdAt: row.created_at,
    body: JSON.parse(row.body) as Doc,
    text: row.text,
    sources: (JSON.parse(row.sources) as Array<{ title: string; url: string }>).map((s, k) => ({
      n: k + 1,
      title: s.title,
      url: s.url,
    })),
    reactions: reactionsOf(row),
    replyCount: row.reply_count,
    locked: Boolean(row.locked),
  };
}

/**
 * The wire form. Never includes the reader hash, edit token hash or `sub`. A hidden reply is
 * blanked for everyone but moderators, so it keeps its place in the thread without its text.
 */
export function toReply(row: ReplyRow, viewer: Viewer = {}): Reply {
  const blank = row.status === 'hidden' && !viewer.admin;
  return {
    id: row.id,
    topicId: row.topic_id,
    parentId: row.parent_id,
    depth: row.depth,
    author: blank
      ? { name: '' }
      : row.author_sub !== null
        ? { name: row.author_name, verified: true }
        : { name: row.author_name },
    createdAt: row.created_at,
    editedAt: row.edited_at,
    body: blank ? [] : (JSON.parse(row.body) as Doc),
    text: blank ? '' : row.text,
    reactions: reactionsOf(row),
    status: row.status,
    ...(viewer.source && !blank ? { source: row.source ?? '' } : {}),
  };
}

/** A reply as every reader but its author and moderators sees it: a pending one is blanked. */
export const publicView = (reply: Reply): Reply =>
  reply.status === 'pending' ? { ...reply, author: { name: '' }, body: [], text: '' } : reply;

/** Whether readers other than its author (and moderators) can see a reply of this status at all. */
export const listed = (status: ReplyStatus): boolean => status !== 'pending';

/** Depth-first, oldest first at each level; iterative because threads can be deep. */
export function threadOrder<Row extends { id: string; parent_id: string | null }>(
  rootIds: string[],
  rows: Row[],
): Row[] {
  const children = new Map<string | null, Row[]>();
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const row of rows) {
    if (row.parent_id === null) continue;
    const siblings = children.get(row.parent_id) ?? [];
    siblings.push(row); // rows arrive in creation order, so siblings stay oldest first
    children.set(row.parent_id, siblings);
  }
  const ordered: Row[] = [];
  const stack = rootIds
    .map((id) => byId.get(id))
    .filter((row): row is Row => !!row)
    .reverse();
  for (let row = stack.pop(); row; row = stack.pop()) {
    ordered.push(row);
    const kids = children.get(row.id) ?? [];
    for (let k = kids.length - 1; k >= 0; k--) {
      const kid = kids[k];
      if (kid) stack.push(kid);
    }
  }
  return ordered;
}
