import { html, nothing, type PropertyValues } from 'lit';
import { SAFE_HREF, sourceAnchor } from '../doc/render-doc.js';
import { ColloquyElement, heading } from '../internal/colloquy-element.js';
import { theme } from '../styles/theme.js';
import { styles } from './source-list.styles.js';

/** The hostname without `www.`, shown beside a source's title. */
export function domainOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * @tagname source-list
 * @summary The topic's numbered sources, each with its domain. Citations such as `[2]` link
 * to `#colloquy-source-2`: the element keeps an empty anchor with that id in the page (its
 * light DOM, slotted into the entry) so the link works from anywhere on the page. Renders
 * nothing when the topic has no sources.
 *
 * @attr topic - The topic id; default: the page's canonical URL.
 * @attr api - The Colloquy server's origin; default: where the widget script came from.
 * @attr lang - Language of the UI, a language tag (`en`, `de-AT`, `ar`): its primary subtag picks
 * the strings, English when there are none; default: the closest `lang` on the page, else the
 * browser's language. A language written right to left (`ar`, `he`, `fa`, …) lays the element
 * out right to left (`dir="rtl"` on it) unless it has a `dir` of its own.
 * @attr theme - `light`, `dark` or `auto` (default, follows `prefers-color-scheme`).
 * @attr heading-level - Level of the "Sources" heading, 1–6 (default 2).
 *
 * @fires {ColloquyErrorEvent} colloquy-error - Loading failed.
 *
 * @csspart heading - The "Sources" heading.
 * @csspart list - The `<ol>` of sources.
 * @csspart source - Each source entry (`<li id="colloquy-source-N">`).
 * @csspart domain - The domain beside a source's title.
 * @csspart loading - The loading placeholder.
 *
 * @cssproperty --colloquy-font - Font family.
 * @cssproperty --colloquy-font-size - Base font size.
 * @cssproperty --colloquy-text - Text colour.
 * @cssproperty --colloquy-muted - Colour of the domains.
 * @cssproperty --colloquy-accent - Links and focus rings.
 * @cssproperty --colloquy-background - Background colour.
 * @cssproperty --colloquy-surface - Background of placeholders.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-gap - Spacing between parts.
 * @cssproperty --colloquy-loading-height - The loading placeholder's height on a first visit (a returning reader's browser reserves the height the element last had for the topic).
 *
 * @slot colloquy-source-N - Holds the page-level anchor of source N (managed by the element).
 */
export class SourceList extends ColloquyElement {
  static override styles = [theme, styles];

  #anchors() {
    return this.querySelectorAll(':scope > [data-colloquy-anchor]');
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Keep one light-DOM anchor per source, so `#colloquy-source-N` is found in the page.
    const sources = this.store?.topic?.sources ?? [];
    const wanted = new Set(sources.map((source) => sourceAnchor(source.n)));
    for (const anchor of this.#anchors()) if (!wanted.delete(anchor.id)) anchor.remove();
    for (const id of wanted) {
      const anchor = document.createElement('span');
      anchor.id = anchor.slot = id;
      anchor.dataset.colloquyAnchor = '';
      this.append(anchor);
    }
  }

  override render(): unknown {
    const store = this.store;
    const sources = store?.topic?.sources;
    if (!store || store.state === 'loading' || store.state === 'idle') return this.renderState();
    if (!sources?.length) return nothing;
    return html`<section aria-labelledby="heading">
      ${heading(this.headingLevel, 'heading', this.i18n.t.sources, 'heading')}
      <ol part="list">
        ${sources.map(
          ({ n, title, url }) =>
            html`<li part="source" id=${sourceAnchor(n)} value=${n}>
              <slot name=${sourceAnchor(n)}></slot>${
                SAFE_HREF.test(url)
                  ? html`<a href=${url} rel="nofollow ugc noopener noreferrer" target="_blank">${title}</a>`
                  : title
              }<span part="domain" class="muted">${domainOf(url)}</span>
            </li>`,
        )}
      </ol>
    </section>`;
  }
}
