/**
 * The document tree: what a body is on the way out. Bodies are Markdown on the way in and this
 * small tree on the way out, so nothing the server returns ever needs to be parsed or inserted
 * as HTML in the browser. One walker visits it, without recursion, so however deeply a tree
 * nests, reading it never exhausts the call stack.
 */

/** Inline nodes of a document tree. */
export type Inline =
  | { t: 'text'; v: string }
  | { t: 'em'; c: Inline[] }
  | { t: 'strong'; c: Inline[] }
  | { t: 'code'; v: string }
  /** `href` is always http(s) or mailto; the server drops any other scheme. */
  | { t: 'link'; href: string; c: Inline[] }
  | { t: 'br' }
  /** A citation `[n]` of the topic's source number `n`. */
  | { t: 'cite'; n: number };

/** Block nodes of a document tree. */
export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'pre'; v: string }
  | { t: 'ul'; items: Block[][] }
  | { t: 'ol'; start: number; items: Block[][] }
  | { t: 'quote'; c: Block[] };

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

/** What the walker visits. */
export type DocNode = Block | Inline | ListItem;

/**
 * Called by {@link walkDoc} on the way into and out of each node, in document order. `index`
 * is the node's position among its siblings (blocks of a body, quote or list entry; entries of
 * a list; inlines of a paragraph or span). `enter` returning false skips the node's children;
 * `leave` is called all the same.
 */
export interface DocVisitor {
  enter?(node: DocNode, index: number): boolean | void;
  leave?(node: DocNode, index: number): void;
}

const NO_CHILDREN: readonly DocNode[] = [];

function childrenOf(node: DocNode): readonly DocNode[] {
  switch (node.t) {
    case 'p':
    case 'em':
    case 'strong':
    case 'link':
    case 'quote':
    case 'li':
      return node.c;
    case 'ul':
      return node.items.map((c): ListItem => ({ t: 'li', c, n: null }));
    case 'ol':
      return node.items.map((c, k): ListItem => ({ t: 'li', c, n: node.start + k }));
    default:
      return NO_CHILDREN;
  }
}

/** Visits every node of `doc` depth first, in document order, with an explicit stack. */
export function walkDoc(doc: Doc, visitor: DocVisitor): void {
  const stack: Array<{ node: DocNode; index: number; entered: boolean }> = [];
  const pushChildren = (nodes: readonly DocNode[]) => {
    for (let k = nodes.length - 1; k >= 0; k--) stack.push({ node: nodes[k]!, index: k, entered: false });
  };
  pushChildren(doc);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
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
 * break and marked `- ` or `N. `, quoted lines prefixed with `> `, line breaks kept, citations
 * as `[n]`, links as their text.
 */
export function docText(doc: Doc): string {
  const out: string[] = [];
  // Every line inside a quote starts with "> ", once per enclosing quote.
  let quotes = 0;
  const write = (text: string) => {
    out.push(quotes === 0 || !text.includes('\n') ? text : text.replaceAll('\n', `\n${'> '.repeat(quotes)}`));
  };
  walkDoc(doc, {
    enter(node, index) {
      switch (node.t) {
        case 'p':
        case 'pre':
        case 'ul':
        case 'ol':
        case 'quote':
          if (index > 0) write('\n\n');
          if (node.t === 'pre') write(node.v);
          if (node.t === 'quote') {
            write('> ');
            quotes++;
          }
          return;
        case 'li':
          if (index > 0) write('\n');
          write(node.n === null ? '- ' : `${node.n}. `);
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
      }
    },
    leave(node) {
      if (node.t === 'quote') quotes--;
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
