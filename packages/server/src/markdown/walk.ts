import type { Block, Doc, Inline } from '@colloquy/api';

/**
 * One walker of the document tree, depth-first in document order and without recursion, so a
 * tree of any depth costs no stack. The plain text of a body and its link count both come from
 * it. List items, table rows and cells are not nodes of the tree; the walker presents them as
 * `item`, `row` and `cell` so a visitor sees every boundary.
 */
export type TreeNode =
  | Block
  | Inline
  | { t: 'item'; c: Block[] }
  | { t: 'row'; head: boolean; c: Inline[][] }
  | { t: 'cell'; c: Inline[] };

export interface Visitor {
  enter?(node: TreeNode, parent: TreeNode | null): void;
  leave?(node: TreeNode, parent: TreeNode | null): void;
}

function children(node: TreeNode): TreeNode[] {
  switch (node.t) {
    case 'p':
    case 'h':
    case 'quote':
    case 'em':
    case 'strong':
    case 'del':
    case 'link':
    case 'item':
    case 'cell':
      return node.c;
    case 'ul':
    case 'ol':
      return node.items.map((c) => ({ t: 'item', c }));
    case 'table':
      return [{ t: 'row', head: true, c: node.head }, ...node.rows.map((c) => ({ t: 'row' as const, head: false, c }))];
    case 'row':
      return node.c.map((c) => ({ t: 'cell', c }));
    default:
      return [];
  }
}

export function walk(doc: Doc, visitor: Visitor): void {
  const root: TreeNode = { t: 'quote', c: doc };
  const stack: Array<{ node: TreeNode; parent: TreeNode | null; kids: TreeNode[]; next: number }> = [
    { node: root, parent: null, kids: doc, next: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.kids.length) {
      const node = frame.kids[frame.next++]!;
      const parent = frame.node === root ? null : frame.node;
      visitor.enter?.(node, parent);
      stack.push({ node, parent, kids: children(node), next: 0 });
      continue;
    }
    stack.pop();
    if (frame.node !== root) visitor.leave?.(frame.node, frame.parent);
  }
}

/**
 * The plain text of a tree: blocks apart by a blank line, list items as `- ` or `n. ` lines,
 * quoted lines after `> `, table cells apart by ` | ` one row a line, a task's box as `[ ]` or
 * `[x]`, citations as `[n]`, line breaks as newlines.
 */
export function docText(doc: Doc): string {
  // One buffer per open node; a node's text joins its parent's when the node is left.
  const buffers: string[] = [''];
  const counters: number[] = [];
  walk(doc, {
    enter(node) {
      if (node.t === 'ul' || node.t === 'ol') counters.push(node.t === 'ol' ? node.start : 0);
      buffers.push('');
    },
    leave(node, parent) {
      let text = buffers.pop()!;
      switch (node.t) {
        case 'text':
        case 'code':
          text = node.v;
          break;
        case 'pre':
          text = node.v.replace(/\n$/, '');
          break;
        case 'hr':
          text = '---';
          break;
        case 'br':
          text = '\n';
          break;
        case 'cite':
          text = `[${node.n}]`;
          break;
        case 'task':
          text = node.checked ? '[x]' : '[ ]';
          break;
        case 'quote':
          text = text
            .split('\n')
            .map((line) => (line ? `> ${line}` : '>'))
            .join('\n');
          break;
        case 'item': {
          const list = parent as Extract<Block, { t: 'ul' | 'ol' }>;
          const n = counters[counters.length - 1]!;
          if (list.t === 'ol') counters[counters.length - 1] = n + 1;
          // An item's later lines (its other blocks, nested lists) are indented under its first.
          text = `${list.t === 'ol' ? `${n}.` : '-'} ${text.replace(/\n/g, '\n  ')}`;
          break;
        }
        case 'ul':
        case 'ol':
          counters.pop();
          break;
      }
      const separator = separatorBefore(node, parent);
      const out = buffers.length - 1;
      buffers[out] = buffers[out] ? buffers[out] + separator + text : text;
    },
  });
  return buffers[0]!;
}

/** What separates a node's text from its previous sibling's. */
function separatorBefore(node: TreeNode, parent: TreeNode | null): string {
  if (node.t === 'item' || node.t === 'row') return '\n';
  if (node.t === 'cell') return ' | ';
  if (isBlock(node)) {
    // Blocks of a tight list item follow each other line by line.
    return parent?.t === 'item' ? '\n' : '\n\n';
  }
  return '';
}

const BLOCKS = new Set(['p', 'h', 'hr', 'pre', 'ul', 'ol', 'quote', 'table']);
const isBlock = (node: TreeNode): node is Block => BLOCKS.has(node.t);

/** The number of links in a tree, wherever they are (tables, quotes, lists). */
export function countLinks(doc: Doc): number {
  let links = 0;
  walk(doc, {
    enter(node) {
      if (node.t === 'link') links++;
    },
  });
  return links;
}
