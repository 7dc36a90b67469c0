/**
 * Comment bodies from other systems to Markdown source.
 *
 * HTML goes through the unified syntax-tree utilities: parsed as a fragment the way browsers do
 * (parse5, so entities, unclosed tags and stray text behave as on the old site), sanitized with
 * GitHub's schema (scripts, styles, event attributes and javascript: links go), turned into a
 * Markdown tree and serialized as CommonMark with GFM. The result is Markdown source like any a
 * reader types: it is rendered and validated later by the same pipeline as every reply.
 */
import type { Element, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { raw } from 'hast-util-raw';
import { defaultSchema, sanitize, type Schema } from 'hast-util-sanitize';
import { toMdast, type Handle, type State } from 'hast-util-to-mdast';
import type { Link, Nodes as MdastNodes, PhrasingContent, Root as MdastRoot, Text } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toHast } from 'mdast-util-to-hast';
import { toMarkdown } from 'mdast-util-to-markdown';
import { gfm } from 'micromark-extension-gfm';
import { autop } from '@wordpress/autop';
import type { Doc } from '@colloquy/api';
import { simpleHtmlToBody, simpleHtmlToMarkdown } from './simple-html.js';
import { SERIALIZE_OPTIONS } from '../markdown/from-doc.js';

/** Elements removed with everything inside them, not just unwrapped to their text. */
const schema: Schema = {
  ...defaultSchema,
  strip: ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math'],
};

/**
 * Link titles (Disqus repeats the URL in them) carry nothing a reply shows; a link left without
 * a usable target after sanitizing becomes its text rather than an empty link.
 */
const link: Handle = (state: State, node: Element) => {
  const children = state.all(node) as PhrasingContent[];
  const href = typeof node.properties.href === 'string' ? node.properties.href.trim() : '';
  if (href === '') return children;
  const result: Link = { type: 'link', url: state.resolve(href), title: null, children };
  state.patch(node, result);
  return result;
};

/** Replies show no images: an image becomes a link to it, named by its alt text. */
const image: Handle = (state: State, node: Element) => {
  const src = typeof node.properties.src === 'string' ? node.properties.src.trim() : '';
  const alt = typeof node.properties.alt === 'string' ? node.properties.alt.trim() : '';
  if (src === '') return alt === '' ? undefined : ({ type: 'text', value: alt } satisfies Text);
  const result: Link = {
    type: 'link',
    url: state.resolve(src),
    title: null,
    children: [{ type: 'text', value: alt || src }],
  };
  state.patch(node, result);
  return result;
};

function hastToMarkdown(tree: HastRoot): string {
  const clean = sanitize(tree, schema) as HastRoot;
  const mdast = toMdast(clean, { handlers: { a: link, img: image } }) as MdastNodes;
  return toMarkdown(mdast, SERIALIZE_OPTIONS).trim();
}

/**
 * An HTML fragment to Markdown through the syntax trees, whatever it holds; `rewriteHref` is
 * applied to each link's target first.
 */
export function htmlTreeToMarkdown(html: string, rewriteHref?: (href: string) => string): string {
  const tree = fromHtml(html, { fragment: true });
  if (rewriteHref !== undefined) rewriteLinks(tree, rewriteHref);
  return hastToMarkdown(tree);
}

/**
 * An HTML fragment (Disqus, Remark42's rendered text, GitHub's bodyHTML) to Markdown: the
 * common simple HTML by simple-html.ts, which writes exactly what the trees would, anything
 * else through the trees.
 */
export function htmlToMarkdown(html: string): string {
  return simpleHtmlToMarkdown(html) ?? htmlTreeToMarkdown(html);
}

/**
 * WordPress keeps comments as text in which line breaks are meaningful and a few HTML tags are
 * allowed; it adds paragraphs when it displays them. The same function it uses (`autop`, from
 * WordPress's own package) does that here before the HTML is converted.
 */
export function wordpressToMarkdown(content: string): string {
  return htmlToMarkdown(autop(content));
}

/** A start tag, end tag, comment or declaration: what CommonMark would pass through as raw HTML. */
const rawHtml = /<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|\/[A-Za-z][A-Za-z0-9-]*\s*>|!--|![A-Za-z])/;

/**
 * Markdown kept by the source (Isso, Waline, Remark42's `orig`, GitHub's `body`) stays as it is,
 * unless it holds raw HTML: Colloquy shows HTML as text, so the source is read as its own system
 * rendered it (Markdown with HTML inside) and written back as Markdown alone.
 */
export function markdownToMarkdown(markdown: string): string {
  if (!rawHtml.test(markdown)) return markdown.trim();
  const tree = fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  }) as MdastRoot;
  const hast = raw(toHast(tree, { allowDangerousHtml: true }) as HastRoot) as HastRoot;
  return hastToMarkdown(hast);
}

/**
 * Disqus rewrites links in comments to go through its redirector
 * (`https://disq.us/url?url=<target>:<signature>&cuid=…`); the target is what the comment linked.
 */
export function unwrapDisqusLink(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if (!/^(?:www\.)?disq\.us$/i.test(url.hostname) || !/^\/url\/?$/.test(url.pathname)) return href;
  const target = url.searchParams.get('url');
  if (target === null) return href;
  for (const candidate of [target.replace(/:[\w-]+$/, ''), target]) {
    try {
      const parsed = new URL(candidate);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return candidate;
    } catch {
      // not a URL: try the next reading, else keep the redirect
    }
  }
  return href;
}

/** Disqus message HTML to Markdown, with its redirected links pointed back at their targets. */
export function disqusToMarkdown(html: string): string {
  return simpleHtmlToMarkdown(html, unwrapDisqusLink) ?? htmlTreeToMarkdown(html, unwrapDisqusLink);
}

function rewriteLinks(node: HastRoot | Element, rewrite: (href: string) => string): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    const href = child.properties.href;
    if (child.tagName === 'a' && typeof href === 'string') child.properties.href = rewrite(href);
    rewriteLinks(child, rewrite);
  }
}

/** How a source keeps a comment's body, which decides how it becomes Markdown. */
export type BodyKind = 'html' | 'disqus' | 'wordpress' | 'markdown';

/** A comment's body as the source has it, before conversion. */
export interface BodySource {
  readonly kind: BodyKind;
  readonly text: string;
}

/** The source's body to Markdown source, by how the source keeps it. */
export function convertBody(source: BodySource): string {
  switch (source.kind) {
    case 'html':
      return htmlToMarkdown(source.text);
    case 'disqus':
      return disqusToMarkdown(source.text);
    case 'wordpress':
      return wordpressToMarkdown(source.text);
    case 'markdown':
      return markdownToMarkdown(source.text);
  }
}

/**
 * The source's body to Markdown source and, where simple-html.ts reads it, the document tree
 * rendering that Markdown gives (null: render it), built in the same pass; the tree is the one
 * `renderMarkdown` gives for the Markdown, as simple-html.test.ts checks.
 */
export function convertBodyWithTree(source: BodySource): { markdown: string; body: Doc | null } {
  switch (source.kind) {
    case 'html':
      return simpleHtmlToBody(source.text) ?? { markdown: htmlTreeToMarkdown(source.text), body: null };
    case 'disqus':
      return (
        simpleHtmlToBody(source.text, unwrapDisqusLink) ?? {
          markdown: htmlTreeToMarkdown(source.text, unwrapDisqusLink),
          body: null,
        }
      );
    case 'wordpress': {
      const html = autop(source.text);
      return simpleHtmlToBody(html) ?? { markdown: htmlTreeToMarkdown(html), body: null };
    }
    case 'markdown':
      return { markdown: markdownToMarkdown(source.text), body: null };
  }
}

/**
 * A body converted when its Markdown is first read, keeping its source: the import converts
 * sources on worker threads (see convert-pool.ts), so that the thread reading the file does not
 * wait for the conversion, the costliest part of an import.
 */
export function lazyBody(
  kind: BodyKind,
  text: string,
): { readonly markdown: string; readonly source: BodySource } {
  const source: BodySource = { kind, text };
  let markdown: string | undefined;
  return {
    source,
    get markdown() {
      markdown ??= convertBody(source);
      return markdown;
    },
  };
}
