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

/** Renders a body as written: leading white space is Markdown (four spaces make code). */
export function renderMarkdown(source: string): Rendered {
  const body = toDoc(parse(source));
  return { body, text: docText(body) };
}
