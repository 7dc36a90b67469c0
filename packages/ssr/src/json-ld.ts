import type { ReactionKind, Reply, TopicWithReplies } from '@colloquy/api';

/**
 * The schema.org action each reaction counts, for `interactionStatistic`: a like is a
 * LikeAction, "insightful" endorses, "disagree" disagrees.
 */
const ACTIONS: Record<ReactionKind, string> = {
  like: 'https://schema.org/LikeAction',
  insightful: 'https://schema.org/EndorseAction',
  disagree: 'https://schema.org/DisagreeAction',
};

type Node = Record<string, unknown>;

const counters = (reactions: Record<ReactionKind, number>): Node[] =>
  (Object.keys(ACTIONS) as ReactionKind[]).map((kind) => ({
    '@type': 'InteractionCounter',
    interactionType: ACTIONS[kind],
    userInteractionCount: reactions[kind],
  }));

const comment = (reply: Reply, children: Node[]): Node => ({
  '@type': 'Comment',
  author: { '@type': 'Person', name: reply.author.name },
  datePublished: reply.createdAt,
  ...(reply.editedAt ? { dateModified: reply.editedAt } : {}),
  text: reply.text,
  interactionStatistic: counters(reply.reactions),
  ...(children.length ? { comment: children } : {}),
});

/**
 * The topic as schema.org `DiscussionForumPosting` (the properties search engines ask for:
 * author, datePublished, text, url, headline), its published replies as a tree of `Comment`s,
 * `commentCount` and the reactions as `InteractionCounter`s. `url`: the page the discussion is
 * on, when the topic names none. Replies held, hidden or deleted are left out: readers do not
 * see them either.
 */
export function discussionJsonLd(read: TopicWithReplies, url?: string): Node {
  const shown = read.replies.filter((reply) => reply.status === 'published' && reply.author.name);
  const ids = new Set(shown.map((reply) => reply.id));
  const children = new Map<string | null, Reply[]>();
  for (const reply of shown) {
    // A reply whose parent is not on this page hangs from the topic.
    const parent = reply.parentId && ids.has(reply.parentId) ? reply.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), reply]);
  }
  const tree = (parent: string | null): Node[] =>
    (children.get(parent) ?? []).map((reply) => comment(reply, tree(reply.id)));
  const page = read.url ?? url ?? (/^https?:/.test(read.id) ? read.id : undefined);
  const author = read.author
    ? { '@type': 'Person', name: read.author.name }
    : page
      ? { '@type': 'Organization', name: new URL(page).hostname, url: new URL(page).origin }
      : undefined;
  return {
    '@context': 'https://schema.org',
    '@type': 'DiscussionForumPosting',
    headline: read.title,
    ...(page ? { url: page, mainEntityOfPage: page } : {}),
    ...(author ? { author } : {}),
    datePublished: read.createdAt,
    text: read.text || read.summary || read.title,
    commentCount: read.replyCount,
    interactionStatistic: counters(read.reactions),
    ...(read.locked ? { creativeWorkStatus: 'Closed' } : {}),
    comment: tree(null),
  };
}
