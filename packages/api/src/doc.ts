/**
 * The document tree: what a body is on the way out. Bodies are Markdown on the way in and this
 * small tree on the way out, so nothing the server returns ever needs to be parsed or inserted
 * as HTML in the browser. One walker visits it, without recursion, so however deeply a tree
 * nests, reading it never exhausts the call stack.
 */

/** Inline nodes of a document tree. */
export type Inline =
  /** Text; a newline in it is a soft line break, which readers see as a space (CommonMark). */
  | { t: 'text'; v: string }
  | { t: 'em'; c: Inline[] }
  | { t: 'strong'; c: Inline[] }
  /** Strikethrough (GFM `~~x~~`). */
  | { t: 'del'; c: Inline[] }
  | { t: 'code'; v: string }
  /** `href` is always http(s) or mailto; the server drops any other scheme. */
  | { t: 'link'; href: string; c: Inline[] }
  /** A hard line break. */
  | { t: 'br' }
  /** A citation `[n]` of the topic's source number `n`. */
  | { t: 'cite'; n: number }
  /** The checkbox of a task list item (GFM `- [x] done`), first in its item's first paragraph. */
  | { t: 'task'; checked: boolean };

/** Horizontal alignment of a table column; null when the delimiter row sets none. */
export type ColumnAlign = 'left' | 'center' | 'right' | null;

/** Block nodes of a document tree. */
export type Block =
  | { t: 'p'; c: Inline[] }
  /**
   * A heading written in a body. A body is not a section of the page, so the elements show it
   * as a bold paragraph rather than a heading of the page's outline; `level` is as written.
   */
  | { t: 'h'; level: 1 | 2 | 3 | 4 | 5 | 6; c: Inline[] }
  /** A code block; `lang` is the first word of a fence's info string, when there is one. */
  | { t: 'pre'; v: string; lang?: string }
  /**
   * A list. In a tight list (no blank line between its items) the paragraphs of the items are
   * shown without paragraph spacing, as CommonMark distinguishes them. Trees stored before
   * `tight` existed lack it, and show as loose lists.
   */
  | { t: 'ul'; items: Block[][]; tight?: boolean }
  | { t: 'ol'; start: number; items: Block[][]; tight?: boolean }
  | { t: 'quote'; c: Block[] }
  /** A thematic break (`***`, `---`). */
  | { t: 'hr' }
  /**
   * A table (GFM): one header row, then the body rows, each a list of cells; every row has as
   * many cells as `align` has columns.
   */
  | { t: 'table'; align: ColumnAlign[]; head: Inline[][]; rows: Inline[][][] };

/** A rendered body: a list of blocks. */
export type Doc = Block[];

/**
 * One entry of a `ul` or `ol`, as the walker presents it: the entry's blocks, and its number in
 * an ordered list (null in a bullet list).
 */
export interface ListItem {
  t: 'li';
  c: Block[];
  n: number | null;
}

/** One row of a `table`, as the walker presents it: its cells, the header row first. */
export interface TableRow {
  t: 'tr';
  c: Inline[][];
  head: boolean;
}

/** One cell of a table row, as the walker presents it. */
export interface TableCell {
  t: 'td';
  c: Inline[];
}

/** What the walker visits. */
export type DocNode = Block | Inline | ListItem | TableRow | TableCell;

/**
 * Called by {@link walkDoc} on the way into and out of each node, in document order. `index`
 * is the node's position among its siblings (blocks of a body, quote or list entry; entries of
 * a list; rows of a table, header first; cells of a row; inlines of a paragraph, heading, cell
 * or span). `enter` returning false skips the node's children; `leave` is called all the same.
 */
export interface DocVisitor {
  // biome-ignore lint/suspicious/noConfusingVoidType: visitors that return nothing are the common case
  enter?(node: DocNode, index: number): boolean | void;
  leave?(node: DocNode, index: number): void;
}

const NO_CHILDREN: readonly DocNode[] = [];

function childrenOf(node: DocNode): readonly DocNode[] {
  switch (node.t) {
    case 'p':
    case 'h':
    case 'em':
    case 'strong':
    case 'del':
    case 'link':
    case 'quote':
    case 'li':
    case 'td':
      return node.c;
    case 'ul':
      return node.items.map((c): ListItem => ({ t: 'li', c, n: null }));
    case 'ol':
      return node.items.map((c, k): ListItem => ({ t: 'li', c, n: node.start + k }));
    case 'table':
      return [node.head, ...node.rows].map((c, k): TableRow => ({ t: 'tr', c, head: k === 0 }));
    case 'tr':
      return node.c.map((c): TableCell => ({ t: 'td', c }));
    default:
      return NO_CHILDREN;
  }
}

/** Visits every node of `doc` depth first, in document order, with an explicit stack. */
export function walkDoc(doc: Doc, visitor: DocVisitor): void {
  const stack: Array<{ node: DocNode; index: number; entered: boolean }> = [];
  const pushChildren = (nodes: readonly DocNode[]) => {
    for (let k = nodes.length - 1; k >= 0; k--) {
      const node = nodes[k];
      if (node !== undefined) stack.push({ node, index: k, entered: false });
    }
  };
  pushChildren(doc);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.entered) {
      stack.pop();
      visitor.leave?.(frame.node, frame.index);
      continue;
    }
    frame.entered = true;
    if (visitor.enter?.(frame.node, frame.index) !== false) pushChildren(childrenOf(frame.node));
  }
}

/**
 * The plain-text rendering of a body: blocks separated by a blank line, list entries by a line
 * break and marked `- ` or `N. `, quoted lines prefixed with `> `, table rows one a line with
 * their cells apart by ` | `, a thematic break as `---`, a task's box as `[ ]` or `[x]`, line
 * breaks kept, citations as `[n]`, links as their text. The blocks of an entry of a tight list
 * follow each other line by line, its later lines indented under its marker, as it is shown; a
 * loose list's entries hold their blocks apart by a blank line, as a body does.
 */
export function docText(doc: Doc): string {
  const out: string[] = [];
  // What starts every line inside the node being written: "> " per enclosing quote, two spaces
  // per enclosing entry of a tight list, outermost first.
  const prefixes: string[] = [];
  let prefix = '';
  // Per enclosing body, quote or list entry: whether its blocks follow line by line.
  const lineByLine: boolean[] = [false];
  // Per enclosing list: whether it is tight.
  const tight: boolean[] = [];
  const write = (text: string) => {
    out.push(prefix === '' || !text.includes('\n') ? text : text.replaceAll('\n', `\n${prefix}`));
  };
  const indent = (by: string, blocksLineByLine: boolean) => {
    prefixes.push(by);
    prefix += by;
    lineByLine.push(blocksLineByLine);
  };
  walkDoc(doc, {
    enter(node, index) {
      switch (node.t) {
        case 'p':
        case 'h':
        case 'pre':
        case 'ul':
        case 'ol':
        case 'quote':
        case 'hr':
        case 'table':
          if (index > 0) write(lineByLine[lineByLine.length - 1] ? '\n' : '\n\n');
          if (node.t === 'pre') write(node.v.replace(/\n$/, ''));
          else if (node.t === 'hr') write('---');
          else if (node.t === 'ul' || node.t === 'ol') tight.push(node.tight === true);
          else if (node.t === 'quote') {
            write('> ');
            indent('> ', false);
          }
          return;
        case 'li': {
          if (index > 0) write('\n');
          write(node.n === null ? '- ' : `${node.n}. `);
          const inTight = tight.at(-1) ?? false;
          indent(inTight ? '  ' : '', inTight);
          return;
        }
        case 'tr':
          if (index > 0) write('\n');
          return;
        case 'td':
          if (index > 0) write(' | ');
          return;
        case 'text':
        case 'code':
          write(node.v);
          return;
        case 'br':
          write('\n');
          return;
        case 'cite':
          write(`[${node.n}]`);
          return;
        case 'task':
          write(node.checked ? '[x]' : '[ ]');
          return;
      }
    },
    leave(node) {
      if (node.t === 'ul' || node.t === 'ol') tight.pop();
      else if (node.t === 'quote' || node.t === 'li') {
        prefix = prefix.slice(0, prefix.length - (prefixes.pop()?.length ?? 0));
        lineByLine.pop();
      }
    },
  });
  return out.join('');
}

/** The targets of a body's links, in document order. */
export function docLinks(doc: Doc): string[] {
  const hrefs: string[] = [];
  walkDoc(doc, {
    enter(node) {
      if (node.t === 'link') hrefs.push(node.href);
    },
  });
  return hrefs;
}

/** The source numbers a body cites, in document order, repeats included. */
export function docCitations(doc: Doc): number[] {
  const cited: number[] = [];
  walkDoc(doc, {
    enter(node) {
      if (node.t === 'cite') cited.push(node.n);
    },
  });
  return cited;
}
