import type { Block, Doc, Inline } from '@colloquy/api';
import type { BlockContent, ListItem, PhrasingContent, Root, RootContent, TableCell, TableRow } from 'mdast';
import { gfmToMarkdown } from 'mdast-util-gfm';
import { toMarkdown, type Options } from 'mdast-util-to-markdown';

/**
 * A document tree written back as Markdown source, for bodies stored before their source was
 * kept: the tree becomes a Markdown syntax tree (mdast), which mdast-util-to-markdown serializes
 * as CommonMark with the GFM extensions, escaping whatever would otherwise read as syntax. For
 * the trees the renderer makes, rendering the result gives the same tree again.
 *
 * The tree is at most a few levels deep by construction (to-doc.ts caps blocks and inlines at
 * eight), so the recursion here and in the serializer is bounded.
 */

/** How Markdown is written here and by the import's HTML conversion (import/body.ts). */
export const SERIALIZE_OPTIONS: Options = {
  extensions: [gfmToMarkdown()],
  bullet: '-',
  emphasis: '*',
  strong: '*',
  fence: '`',
  fences: true,
  rule: '-',
  listItemIndent: 'one',
};

const options: Options = {
  ...SERIALIZE_OPTIONS,
  // `<url>` is CommonMark's autolink, whose rules for emails are stricter than the renderer's
  // GFM autolink literals: `[text](url)` reads back as the same link whatever the address.
  resourceLink: true,
};

export function docToMarkdown(doc: Doc): string {
  const root: Root = { type: 'root', children: doc.map(block) };
  return toMarkdown(root, options).replace(/\n$/, '');
}

function block(node: Block): RootContent {
  switch (node.t) {
    case 'p':
      return { type: 'paragraph', children: inlines(node.c) };
    case 'h':
      return { type: 'heading', depth: node.level, children: inlines(node.c) };
    case 'pre':
      // The renderer keeps a code block's final line break; mdast's value has none.
      return { type: 'code', lang: node.lang ?? null, meta: null, value: node.v.replace(/\n$/, '') };
    case 'quote':
      return { type: 'blockquote', children: node.c.map(block) as BlockContent[] };
    case 'hr':
      return { type: 'thematicBreak' };
    case 'ul':
    case 'ol': {
      // Trees stored before `tight` existed show as loose lists, and are written as such.
      const spread = node.tight !== true;
      return {
        type: 'list',
        ordered: node.t === 'ol',
        start: node.t === 'ol' ? node.start : null,
        spread,
        children: node.items.map((item) => listItem(item, spread)),
      };
    }
    case 'table':
      return {
        type: 'table',
        align: node.align,
        children: [node.head, ...node.rows].map(
          (row): TableRow => ({
            type: 'tableRow',
            children: row.map((cell): TableCell => ({ type: 'tableCell', children: inlines(cell) })),
          }),
        ),
      };
  }
}

/** A task's box, first in its item's first paragraph, becomes the item's `checked`. */
function listItem(blocks: Block[], spread: boolean): ListItem {
  const children = blocks.map(block) as BlockContent[];
  const first = blocks[0];
  const box = first?.t === 'p' ? first.c[0] : undefined;
  if (first?.t !== 'p' || box?.t !== 'task') return { type: 'listItem', spread, checked: null, children };
  const rest = first.c.slice(1);
  const next = rest[0];
  // The renderer leaves the white space after `[x]` in the text that follows; the serializer
  // writes one space of its own.
  if (next?.t === 'text') rest[0] = { t: 'text', v: next.v.replace(/^[ \t]/, '') };
  children[0] = { type: 'paragraph', children: inlines(rest) };
  return { type: 'listItem', spread, checked: box.checked, children };
}

function inlines(nodes: Inline[]): PhrasingContent[] {
  return nodes.map(inline);
}

function inline(node: Inline): PhrasingContent {
  switch (node.t) {
    case 'text':
      return { type: 'text', value: node.v };
    case 'em':
      return { type: 'emphasis', children: inlines(node.c) };
    case 'strong':
      return { type: 'strong', children: inlines(node.c) };
    case 'del':
      return { type: 'delete', children: inlines(node.c) };
    case 'code':
      return { type: 'inlineCode', value: node.v };
    case 'link':
      return { type: 'link', url: node.href, title: null, children: inlines(node.c) };
    case 'br':
      return { type: 'break' };
    case 'cite':
      // `[n]` with no definition: the renderer's citation syntax, unescaped.
      return {
        type: 'linkReference',
        identifier: String(node.n),
        label: String(node.n),
        referenceType: 'shortcut',
        children: [{ type: 'text', value: String(node.n) }],
      };
    case 'task':
      // A box anywhere but first in its item's first paragraph: written as the text it shows.
      return { type: 'text', value: node.checked ? '[x]' : '[ ]' };
  }
}
