import { safeHref } from '@colloquy/api';
import type { Block, ColumnAlign, Doc, Inline } from '@colloquy/api';
import type { Token } from 'markdown-it';
import { unescapeAll } from './parser.js';

/**
 * Maps markdown-it's token stream to Colloquy's document tree through an allow-list: the token
 * types below become nodes, every other token leaves its text (or its children) and nothing
 * else. The walk is a loop over the flat token stream with explicit stacks, never recursion,
 * and the tree it builds is at most {@link MAX_BLOCK_DEPTH} blocks and {@link MAX_INLINE_DEPTH}
 * inlines deep: deeper quotes and lists give their blocks to the deepest one kept, deeper
 * emphasis its text to the deepest kept, so nothing written is lost.
 */

/** Quotes and lists kept one inside another; the elements indent each, and phones are narrow. */
export const MAX_BLOCK_DEPTH = 8;
/** Emphasis, strong, strikethrough and links kept one inside another. */
export const MAX_INLINE_DEPTH = 8;

/** Block containers being filled; `blocks` is where their children go. */
type BlockFrame =
  | { kind: 'root'; blocks: Block[] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'list'; node: Extract<Block, { t: 'ul' | 'ol' }>; blocks: Block[]; sawLoose: boolean }
  | { kind: 'item'; blocks: Block[]; list: ListFrame; first: boolean }
  /** A quote or list too deep to keep, or a token type not allowed: its children go to `blocks`. */
  | { kind: 'flat'; blocks: Block[] };
type ListFrame = Extract<BlockFrame, { kind: 'list' }>;

/** Table under construction. */
interface TableFrame {
  node: Extract<Block, { t: 'table' }>;
  row: Inline[][] | null;
  inHead: boolean;
}

export function toDoc(tokens: Token[]): Doc {
  const root: Block[] = [];
  const rootFrame: BlockFrame = { kind: 'root', blocks: root };
  const stack: BlockFrame[] = [rootFrame];
  let table: TableFrame | null = null;
  let cell: Inline[] | null = null;
  /** The paragraph (level 0) or heading open, and whether markdown-it hides it (a tight list's). */
  let pending: { level: 0 | 1 | 2 | 3 | 4 | 5 | 6; hidden: boolean } | null = null;
  const top = () => stack.at(-1) ?? rootFrame;
  // The stream is balanced; the root stays whatever a token says.
  const pop = () => (stack.length > 1 ? stack.pop() : undefined);
  const depth = () => stack.filter((f) => f.kind === 'quote' || f.kind === 'list').length;

  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph_open':
        pending = { level: 0, hidden: token.hidden };
        break;
      case 'heading_open':
        pending = { level: headingLevel(token), hidden: false };
        break;
      case 'inline': {
        const content = inlines(token.children ?? []);
        if (cell) {
          cell.push(...content);
          break;
        }
        const frame = top();
        if (frame.kind === 'item' && frame.first) {
          frame.first = false;
          if (!pending?.level) taskMarker(content);
        }
        if (pending?.level) frame.blocks.push({ t: 'h', level: pending.level, c: content });
        else {
          // A paragraph markdown-it shows (not hidden) directly in an item makes its list loose.
          if (frame.kind === 'item' && pending && !pending.hidden) frame.list.sawLoose = true;
          frame.blocks.push({ t: 'p', c: content });
        }
        pending = null;
        break;
      }
      case 'paragraph_close':
      case 'heading_close':
        pending = null;
        break;
      case 'blockquote_open':
        if (depth() >= MAX_BLOCK_DEPTH) stack.push({ kind: 'flat', blocks: top().blocks });
        else {
          const quote: Block = { t: 'quote', c: [] };
          top().blocks.push(quote);
          stack.push({ kind: 'quote', blocks: quote.c });
        }
        break;
      case 'bullet_list_open':
      case 'ordered_list_open': {
        if (depth() >= MAX_BLOCK_DEPTH) {
          stack.push({ kind: 'flat', blocks: top().blocks });
          break;
        }
        const start = Number(token.attrGet('start') ?? 1);
        const node: ListFrame['node'] =
          token.type === 'bullet_list_open'
            ? { t: 'ul', items: [], tight: true }
            : { t: 'ol', start: Number.isSafeInteger(start) ? start : 1, items: [], tight: true };
        top().blocks.push(node);
        stack.push({ kind: 'list', node, blocks: [], sawLoose: false });
        break;
      }
      case 'list_item_open': {
        const list = top();
        if (list.kind !== 'list') {
          stack.push({ kind: 'flat', blocks: list.blocks });
          break;
        }
        const item: Block[] = [];
        list.node.items.push(item);
        stack.push({ kind: 'item', blocks: item, list, first: true });
        break;
      }
      case 'bullet_list_close':
      case 'ordered_list_close': {
        const frame = pop();
        if (frame?.kind === 'list') frame.node.tight = !frame.sawLoose;
        break;
      }
      case 'blockquote_close':
      case 'list_item_close':
        pop();
        break;
      case 'fence': {
        const lang = unescapeAll(token.info).trim().split(/\s+/)[0];
        top().blocks.push(lang ? { t: 'pre', v: token.content, lang } : { t: 'pre', v: token.content });
        markNotFirst(top());
        break;
      }
      case 'code_block':
        top().blocks.push({ t: 'pre', v: token.content });
        markNotFirst(top());
        break;
      case 'hr':
        top().blocks.push({ t: 'hr' });
        markNotFirst(top());
        break;
      case 'table_open': {
        const node: TableFrame['node'] = { t: 'table', align: [], head: [], rows: [] };
        top().blocks.push(node);
        markNotFirst(top());
        table = { node, row: null, inHead: false };
        break;
      }
      case 'thead_open':
        if (table) table.inHead = true;
        break;
      case 'thead_close':
        if (table) table.inHead = false;
        break;
      case 'tr_open':
        if (table) {
          table.row = table.inHead ? table.node.head : [];
          if (!table.inHead) table.node.rows.push(table.row);
        }
        break;
      case 'th_open':
      case 'td_open':
        if (table?.row) {
          cell = [];
          table.row.push(cell);
          if (table.inHead) table.node.align.push(alignOf(token));
        }
        break;
      case 'th_close':
      case 'td_close':
        cell = null;
        break;
      case 'table_close':
        table = null;
        break;
      case 'tr_close':
      case 'tbody_open':
      case 'tbody_close':
        break;
      default:
        // Not allowed: an opening token's children go where it stands; a leaf keeps its source
        // text (a thematic break its `***`), so nothing the writer typed disappears.
        if (token.nesting === 1) stack.push({ kind: 'flat', blocks: top().blocks });
        else if (token.nesting === -1) pop();
        else {
          const text = token.content || token.markup;
          if (text) top().blocks.push({ t: 'p', c: [{ t: 'text', v: text }] });
          markNotFirst(top());
        }
    }
  }
  return root;
}

/** A block that is not a paragraph came first in a list item: the item is no task. */
function markNotFirst(frame: BlockFrame): void {
  if (frame.kind === 'item') frame.first = false;
}

const headingLevel = (token: Token) => (Number(token.tag.slice(1)) || 1) as 1 | 2 | 3 | 4 | 5 | 6;

function alignOf(token: Token): ColumnAlign {
  const style = token.attrGet('style');
  const align = typeof style === 'string' ? /text-align:(left|center|right)/.exec(style)?.[1] : undefined;
  return align === 'left' || align === 'center' || align === 'right' ? align : null;
}

/** GFM's task list item marker, `[ ]` or `[x]` then white space, opens an item's first paragraph. */
const TASK = /^\[([ \txX])\](?=[ \t]|$)/;

function taskMarker(content: Inline[]): void {
  const first = content[0];
  if (first?.t !== 'text') return;
  const match = TASK.exec(first.v);
  if (!match || (first.v.length === match[0].length && content.length > 1)) return;
  const rest = first.v.slice(match[0].length);
  const task: Inline = { t: 'task', checked: match[1] === 'x' || match[1] === 'X' };
  content.splice(0, 1, task, ...(rest ? [{ t: 'text' as const, v: rest }] : []));
}

/** Inline containers being filled. */
interface InlineFrame {
  /** The node's children, or the enclosing container's when the node is not kept. */
  out: Inline[];
  /** Whether this frame is a kept node that counts towards the depth limit. */
  kept: boolean;
  inLink: boolean;
}

const WRAPPERS: Record<string, 'em' | 'strong' | 'del'> = {
  em_open: 'em',
  strong_open: 'strong',
  s_open: 'del',
};
const CLOSERS = new Set(['em_close', 'strong_close', 's_close', 'link_close']);

/** The inline children of one `inline` token as tree nodes, adjacent texts merged. */
function inlines(tokens: Token[]): Inline[] {
  const root: Inline[] = [];
  const rootFrame: InlineFrame = { out: root, kept: false, inLink: false };
  const stack: InlineFrame[] = [rootFrame];
  let depth = 0;
  const top = () => stack.at(-1) ?? rootFrame;
  const text = (v: string) => {
    if (!v) return;
    const out = top().out;
    const last = out[out.length - 1];
    if (last?.t === 'text') last.v += v;
    else out.push({ t: 'text', v });
  };
  /** Opens a kept node, or a frame that passes its children through when too deep (or null). */
  const open = (node: (Inline & { c: Inline[] }) | null) => {
    const frame = top();
    const inLink = frame.inLink || node?.t === 'link';
    if (!node || depth >= MAX_INLINE_DEPTH) {
      stack.push({ out: frame.out, kept: false, inLink });
      return;
    }
    frame.out.push(node);
    depth++;
    stack.push({ out: node.c, kept: true, inLink });
  };
  const close = () => {
    if (stack.length > 1 && stack.pop()?.kept) depth--;
  };

  for (const token of tokens) {
    const wrapper = WRAPPERS[token.type];
    if (wrapper) open({ t: wrapper, c: [] });
    else if (CLOSERS.has(token.type)) close();
    else if (token.type === 'text') text(token.content);
    else if (token.type === 'softbreak') text('\n');
    else if (token.type === 'hardbreak') top().out.push({ t: 'br' });
    else if (token.type === 'code_inline') top().out.push({ t: 'code', v: token.content });
    else if (token.type === 'cite') {
      const n = (token.meta as { n: number }).n;
      if (top().inLink) text(`[${n}]`);
      else top().out.push({ t: 'cite', n });
    } else if (token.type === 'link_open') {
      const href = linkTarget(token, top().inLink);
      open(href ? { t: 'link', href, c: [] } : null);
    } else if (token.type === 'image') {
      // An image is never shown: it becomes a link to the picture, labelled with its
      // description (or its address), or just the description where no link may be.
      const alt = plainText(token.children ?? []);
      const href = top().inLink ? null : safeHref(String(token.attrGet('src') ?? ''));
      if (href) top().out.push({ t: 'link', href, c: [{ t: 'text', v: alt || href }] });
      else text(alt);
    } else if (token.nesting === 1) open(null);
    else if (token.nesting === -1) close();
    // Any other token (raw HTML included, were it ever on) leaves its text, never its markup.
    else text(token.content);
  }
  return root;
}

/** The href of a link token under the URL policy, or null when it stays text (inside a link too). */
function linkTarget(token: Token, inLink: boolean): string | null {
  return inLink ? null : safeHref(String(token.attrGet('href') ?? ''));
}

/** The text of an image description: nested images give theirs; everything else its text. */
function plainText(tokens: Token[]): string {
  let out = '';
  const stack: Token[][] = [tokens];
  const index: number[] = [0];
  for (
    let list = stack.at(-1), i = index.at(-1) ?? 0;
    list !== undefined;
    list = stack.at(-1), i = index.at(-1) ?? 0
  ) {
    const token = list[i];
    if (token === undefined) {
      stack.pop();
      index.pop();
      continue;
    }
    index[index.length - 1] = i + 1;
    if (token.type === 'image' && token.children) {
      stack.push(token.children);
      index.push(0);
    } else if (token.type === 'softbreak') out += '\n';
    else if (token.type === 'cite') out += `[${(token.meta as { n: number }).n}]`;
    else if (token.type === 'text' || token.type === 'code_inline') out += token.content;
  }
  return out;
}
