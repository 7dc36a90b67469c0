import { html, nothing, type TemplateResult } from 'lit';
import type { Block, Doc, Inline } from '@colloquy/api';

/** Schemes a link may use; checked again here although the server already drops others. */
export const SAFE_HREF = /^(https?:|mailto:)/i;

/** The id of a source's anchor, which `<source-list>` puts in the page. */
export const sourceAnchor = (n: number): string => `colloquy-source-${n}`;

function inline(node: Inline): unknown {
  switch (node.t) {
    case 'text':
      return node.v;
    case 'em':
      return html`<em>${node.c.map(inline)}</em>`;
    case 'strong':
      return html`<strong>${node.c.map(inline)}</strong>`;
    case 'code':
      return html`<code>${node.v}</code>`;
    case 'br':
      return html`<br />`;
    case 'cite':
      return html`<a class="cite" href="#${sourceAnchor(node.n)}">[${node.n}]</a>`;
    case 'link':
      return SAFE_HREF.test(node.href)
        ? html`<a href=${node.href} rel="nofollow ugc noopener noreferrer" target="_blank"
            >${node.c.map(inline)}</a
          >`
        : node.c.map(inline);
    default:
      return nothing;
  }
}

function block(node: Block): TemplateResult | typeof nothing {
  switch (node.t) {
    case 'p':
      return html`<p>${node.c.map(inline)}</p>`;
    case 'pre':
      return html`<pre><code>${node.v}</code></pre>`;
    case 'ul':
      return html`<ul>
        ${node.items.map((item) => html`<li>${item.map(block)}</li>`)}
      </ul>`;
    case 'ol':
      return html`<ol start=${node.start}>
        ${node.items.map((item) => html`<li>${item.map(block)}</li>`)}
      </ol>`;
    case 'quote':
      return html`<blockquote>${node.c.map(block)}</blockquote>`;
    default:
      return nothing;
  }
}

/**
 * Renders a document tree with Lit templates only: text is always text, never HTML, and
 * links keep to http(s) and mailto.
 */
export function renderDoc(doc: Doc | null | undefined): unknown[] {
  return Array.isArray(doc) ? doc.map(block) : [];
}
