import { docText, type Doc } from '@colloquy/api';
import { parse } from './markdown/parser.js';
import { toDoc } from './markdown/to-doc.js';

/**
 * Markdown (CommonMark with GFM tables, strikethrough, task lists and autolink literals) to
 * the wire `Doc` tree, through markdown-it. HTML is never interpreted (a `<b>` stays text),
 * links are kept only for http(s) and mailto (`safeHref`), and only the node types the tree
 * knows come out, because the tree is rendered on strangers' pages. Cost is bounded by
 * construction: nesting is capped before and while parsing, and every walk is a loop.
 */
export interface Rendered {
  body: Doc;
  /** The plain text of `body` (the contract's `docText`). */
  text: string;
}

/**
 * One paragraph of plain words: it starts with a letter (so no list, quote, heading or code
 * marker can open it), ends with no space, and holds only letters, marks, digits, spaces and
 * punctuation that means nothing to CommonMark or GFM inside a line, a full stop only before a
 * space (no `www.`, no domain) and `&` only before a space (no character reference). No `:`,
 * `/` or `@`, so no autolink literal either. markdown-it makes exactly one text node of such a
 * line (markdown.test.ts checks this against it on fixtures and random text).
 */
const PLAIN_PARAGRAPH = /^\p{L}(?:[\p{L}\p{M}\p{N} ,;?!'"()-]|[.&](?= )|\.$)*$/u;

/**
 * Plain paragraphs, one a line, separated by one blank line, as the tree markdown-it would give
 * (one paragraph of one text node each), without parsing; null for anything else.
 */
export function renderPlain(source: string): Rendered | null {
  const body: Doc = [];
  for (const paragraph of source.split('\n\n')) {
    if (paragraph.endsWith(' ') || !PLAIN_PARAGRAPH.test(paragraph)) return null;
    body.push({ t: 'p', c: [{ t: 'text', v: paragraph }] });
  }
  return { body, text: source };
}

/** Renders a body as written: leading white space is Markdown (four spaces make code). */
export function renderMarkdown(source: string): Rendered {
  const plain = renderPlain(source);
  if (plain !== null) return plain;
  const body = toDoc(parse(source));
  return { body, text: docText(body) };
}
