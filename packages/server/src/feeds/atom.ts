/**
 * Atom 1.0 (RFC 4287) for reply feeds. Written directly rather than through a feed library:
 * the feeds need a handful of elements, and every piece of text goes through one escape
 * (`text`), content is always `type="text"` (a reply's plain text, never markup), and nothing
 * else reaches the output. The tests parse every feed with an XML parser and check RFC 4287's
 * required elements.
 */

export interface AtomEntry {
  /** A permanent IRI for the entry (its reply's API URL). */
  id: string;
  title: string;
  /** RFC 3339 instants. */
  updated: string;
  published: string;
  authorName: string;
  /** Plain text. */
  content: string;
  /** The page the reply is read on, when known. */
  alternate: string | null;
}

export interface AtomFeed {
  /** A permanent IRI for the feed (its own URL). */
  id: string;
  title: string;
  subtitle?: string;
  updated: string;
  /** The feed's own URL (rel="self"). */
  self: string;
  alternate: string | null;
  entries: AtomEntry[];
}

export const ATOM_MEDIA_TYPE = 'application/atom+xml; charset=utf-8';

/** Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE and U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text or an attribute value, escaped; characters XML cannot hold are dropped. */
export const text = (value: string) => value.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const link = (rel: string, href: string, type?: string) =>
  `<link rel="${rel}" href="${text(href)}"${type ? ` type="${type}"` : ''}/>`;

export function renderAtom(feed: AtomFeed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${text(feed.id)}</id>`,
    `  <title type="text">${text(feed.title)}</title>`,
    ...(feed.subtitle ? [`  <subtitle type="text">${text(feed.subtitle)}</subtitle>`] : []),
    `  <updated>${text(feed.updated)}</updated>`,
    `  ${link('self', feed.self, 'application/atom+xml')}`,
    ...(feed.alternate ? [`  ${link('alternate', feed.alternate, 'text/html')}`] : []),
    '  <generator uri="https://www.npmjs.com/package/@colloquy/server">Colloquy</generator>',
  ];
  for (const entry of feed.entries) {
    lines.push(
      '  <entry>',
      `    <id>${text(entry.id)}</id>`,
      `    <title type="text">${text(entry.title)}</title>`,
      `    <updated>${text(entry.updated)}</updated>`,
      `    <published>${text(entry.published)}</published>`,
      `    <author><name>${text(entry.authorName)}</name></author>`,
      ...(entry.alternate ? [`    ${link('alternate', entry.alternate, 'text/html')}`] : []),
      `    <content type="text">${text(entry.content)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
