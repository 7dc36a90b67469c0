import { html, nothing } from 'lit';
import type { Block, Doc, Inline } from '@colloquy/api';

/** Schemes a link may use; checked again here although the server already drops others. */
export const SAFE_HREF = /^(https?:|mailto:)/i;

/** The id of a source's anchor, which `<source-list>` puts in the page. */
export const sourceAnchor = (n: number): string => `colloquy-source-${n}`;

type Table = Extract<Block, { t: 'table' }>;

const all = (nodes: Array<Block | Inline>): unknown[] => nodes.map(node);

/** A block of a tight list's item, where a paragraph is its text alone (CommonMark). */
const tight = (block: Block) => (block.t === 'p' ? all(block.c) : node(block));

/** A table row's cells; a column's alignment is the `align` attribute, which CSP allows. */
const cells = (table: Table, row: Inline[][], head?: boolean) =>
  row.map((cell, k) =>
    head
      ? html`<th align=${table.align[k] ?? nothing}>${all(cell)}</th>`
      : html`<td align=${table.align[k] ?? nothing}>${all(cell)}</td>`,
  );

/** One node of the tree, block or inline: their type names do not overlap. */
function node(n: Block | Inline): unknown {
  switch (n.t) {
    case 'text':
      return n.v;
    case 'em':
      return html`<em>${all(n.c)}</em>`;
    case 'strong':
      return html`<strong>${all(n.c)}</strong>`;
    case 'del':
      return html`<del>${all(n.c)}</del>`;
    case 'code':
      return html`<code>${n.v}</code>`;
    case 'br':
      return html`<br />`;
    case 'cite':
      return html`<a class="cite" href="#${sourceAnchor(n.n)}">[${n.n}]</a>`;
    case 'task':
      return html`<input type="checkbox" disabled ?checked=${n.checked} />`;
    case 'link':
      return SAFE_HREF.test(n.href)
        ? html`<a href=${n.href} rel="nofollow ugc noopener noreferrer" target="_blank">${all(n.c)}</a>`
        : all(n.c);
    case 'p':
      return html`<p>${all(n.c)}</p>`;
    case 'h':
      // A heading in a body is no heading of the page: a bold paragraph.
      return html`<p><strong>${all(n.c)}</strong></p>`;
    case 'pre':
      return html`<pre><code class=${n.lang ? `language-${n.lang}` : nothing}>${n.v}</code></pre>`;
    case 'ul':
    case 'ol': {
      const items = n.items.map((item) => html`<li>${item.map(n.tight ? tight : node)}</li>`);
      return n.t === 'ul' ? html`<ul>${items}</ul>` : html`<ol start=${n.start}>${items}</ol>`;
    }
    case 'quote':
      return html`<blockquote>${all(n.c)}</blockquote>`;
    case 'hr':
      return html`<hr />`;
    case 'table':
      // The wrapper scrolls a table wider than the element, so a narrow phone never scrolls the
      // page. The first row is the header row: its cells are headers.
      return html`<div class="table" tabindex="0"><table>${[n.head, ...n.rows].map(
        (row, r) => html`<tr>${cells(n, row, !r)}</tr>`,
      )}</table></div>`;
  }
  // A node type this version does not know (a newer server's) renders as nothing.
  return undefined;
}

/**
 * Renders a document tree with Lit templates only: text is always text, never HTML, and
 * links keep to http(s) and mailto.
 */
export function renderDoc(doc: Doc | null | undefined): unknown[] {
  return Array.isArray(doc) ? all(doc) : [];
}
