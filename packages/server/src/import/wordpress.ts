/**
 * WordPress eXtended RSS (Tools › Export): `<item>` elements under `<rss><channel>`, each a post
 * or page with its fields in the `wp:` namespace (`http://wordpress.org/export/1.0/` to `1.2/`)
 * and its comments as `<wp:comment>` children. WordPress's exporter leaves out spam.
 *
 * Order: a comment is always inside its post, so a post's thread record comes before its
 * comments; a post without comments yields no thread. Comments come in the exporter's order (no
 * ORDER BY), so a reply may come before the comment it answers.
 */
import { lazyBody } from './body.js';
import {
  at,
  ImportFormatError,
  makeReader,
  resolveThreadUrl,
  type CommentState,
  type ImportReader,
  type ImportRecord,
  type ReaderOptions,
  type SourcePosition,
  type ThreadRecord,
} from './records.js';
import { isoInstant, rfc2822Instant } from './time.js';
import { childText, readXmlEvents, type XmlElement } from './xml.js';

const wordpressNamespace = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/?$/;

/** WordPress writes this for a date it never set (drafts, some pending comments). */
const noDate = '0000-00-00 00:00:00';

interface Post {
  readonly position: SourcePosition;
  fields: Map<string, string>;
  thread: 'pending' | 'emitted';
}

function gmtOrLocal(gmt: string | undefined, local: string | undefined): string | undefined {
  if (gmt !== undefined && gmt !== noDate) return gmt;
  return local !== undefined && local !== noDate ? local : undefined;
}

function threadRecord(post: Post, options: ReaderOptions): ThreadRecord {
  const { fields, position } = post;
  const sourceId = fields.get('wp:post_id');
  if (sourceId === undefined)
    throw new ImportFormatError(position, 'an <item> with comments has no <wp:post_id> before them');
  const gmt = fields.get('wp:post_date_gmt');
  const pubDate = fields.get('pubDate');
  return {
    kind: 'thread',
    sourceId,
    url: at(position, () => resolveThreadUrl(fields.get('link'), options)),
    title: fields.get('title') ?? null,
    createdAt: at(position, () =>
      gmt !== undefined && gmt !== noDate
        ? isoInstant(gmt)
        : pubDate !== undefined
          ? rfc2822Instant(pubDate)
          : null,
    ),
    locked: fields.get('wp:comment_status') === 'closed',
    position,
  };
}

const states: Readonly<Record<string, CommentState>> = {
  '1': 'approved',
  approve: 'approved',
  '0': 'pending',
  hold: 'pending',
  spam: 'spam',
  trash: 'deleted',
  'post-trashed': 'deleted',
};

function commentRecord(element: XmlElement, position: SourcePosition, threadSourceId: string): ImportRecord {
  const field = (name: string) => childText(element, name);
  const sourceId = field('comment_id');
  if (sourceId === undefined) throw new ImportFormatError(position, '<wp:comment> has no <wp:comment_id>');
  const type = field('comment_type') ?? 'comment';
  if (type === 'pingback' || type === 'trackback') {
    return {
      kind: 'skipped',
      what: 'comment',
      sourceId,
      reason: `${type}s are links from other sites, not replies`,
      position,
    };
  }
  if (type !== 'comment') {
    return {
      kind: 'skipped',
      what: 'comment',
      sourceId,
      reason: `comments of type "${type}" are not replies`,
      position,
    };
  }
  const approved = field('comment_approved') ?? '1';
  const state = states[approved];
  if (state === undefined)
    throw new ImportFormatError(
      position,
      `comment ${sourceId} has an unknown <wp:comment_approved> "${approved}"`,
    );
  const created = gmtOrLocal(field('comment_date_gmt'), field('comment_date'));
  if (created === undefined) throw new ImportFormatError(position, `comment ${sourceId} has no date`);
  const parent = field('comment_parent');
  const email = field('comment_author_email');
  const url = field('comment_author_url');
  return {
    kind: 'comment',
    sourceId,
    threadSourceId,
    parentSourceId: parent === undefined || parent === '0' ? null : parent,
    author: {
      name: field('comment_author') ?? null,
      ...(email === undefined ? {} : { email }),
      ...(url === undefined || url === 'http://' ? {} : { url }),
    },
    createdAt: at(position, () => isoInstant(created)),
    body: lazyBody(
      'wordpress',
      (element.children.find((child) => child.local === 'comment_content')?.text ?? '').trim(),
    ),
    state,
    position,
  };
}

/** The item fields a thread needs, by their qualified names. */
function fieldName(element: XmlElement): string | undefined {
  if (wordpressNamespace.test(element.uri)) return `wp:${element.local}`;
  if (element.uri === '' && ['title', 'link', 'pubDate', 'guid'].includes(element.local))
    return element.local;
  return undefined;
}

export function readWordPress(file: string, options: ReaderOptions = {}): ImportReader {
  return makeReader('wordpress', file, 'bytes', async function* (progress) {
    // Items' own fields and their comments are read whole; the channel's fields are skipped.
    const events = readXmlEvents(
      file,
      { collect: (path) => path.length === 4 && path[2] === 'item' },
      progress,
    );
    let post: Post | undefined;
    for await (const event of events) {
      if (event.type === 'open') {
        if (event.path.length === 1 && event.element.local !== 'rss') {
          throw new ImportFormatError(
            event.position,
            `this is not a WordPress export: its root element is <${event.element.local}>, not <rss>`,
          );
        }
        if (event.path.length === 3 && event.element.local === 'item') {
          post = { position: event.position, fields: new Map(), thread: 'pending' };
        }
      } else if (event.type === 'close') {
        if (event.path.length === 3 && event.path[2] === 'item') post = undefined;
      } else if (post !== undefined) {
        const { element } = event;
        if (element.local === 'comment' && wordpressNamespace.test(element.uri)) {
          if (post.thread === 'pending') {
            yield threadRecord(post, options);
            post.thread = 'emitted';
          }
          yield commentRecord(element, event.position, post.fields.get('wp:post_id') ?? '');
        } else {
          const name = fieldName(element);
          const text = element.text.trim();
          if (name !== undefined && text !== '') post.fields.set(name, text);
        }
      }
    }
  });
}
