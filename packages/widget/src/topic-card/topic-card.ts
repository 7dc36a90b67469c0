import { html, nothing, type PropertyDeclarations } from 'lit';
import { renderDoc, SAFE_HREF } from '../doc/render-doc.js';
import { ColloquyElement, heading, initial } from '../internal/colloquy-element.js';
import { theme } from '../styles/theme.js';
import { styles } from './topic-card.styles.js';

/**
 * @tagname topic-card
 * @summary A discussion topic: breadcrumb, title, label, summary, author, time, body, reaction
 * bar and reply count. `variant="compact"` shows the title, the reaction bar and the reply count only.
 *
 * @attr topic - The topic id; default: the page's canonical URL.
 * @attr api - The Colloquy server's origin; default: where the widget script came from.
 * @attr lang - Language of the UI, a language tag (`en`, `de-AT`, `ar`): its primary subtag picks
 * the strings, English when there are none; default: the closest `lang` on the page, else the
 * browser's language. A language written right to left (`ar`, `he`, `fa`, …) lays the element
 * out right to left (`dir="rtl"` on it) unless it has a `dir` of its own.
 * @attr theme - `light`, `dark` or `auto` (default, follows `prefers-color-scheme`).
 * @attr variant - `full` (default) or `compact`.
 * @attr heading-level - Level of the title heading, 1–6 (default 2).
 *
 * @fires {ColloquyReactionEvent} colloquy-reaction - The reader toggled a reaction and the server confirmed it.
 * @fires {ColloquyErrorEvent} colloquy-error - Loading or reacting failed.
 *
 * @csspart card - The whole card.
 * @csspart breadcrumb - The category path (a `nav`).
 * @csspart title - The topic's title heading.
 * @csspart label - The label above the summary, e.g. "Background".
 * @csspart summary - The lead paragraph.
 * @csspart author - The author row.
 * @csspart avatar - The author's picture, or the circle with their initial.
 * @csspart time - The `<time>` of publication.
 * @csspart body - The topic's body.
 * @csspart reactions - The reaction bar.
 * @csspart reaction - Each reaction button.
 * @csspart count - The count inside a reaction button.
 * @csspart replies - The reply count.
 * @csspart loading - The "Loading…" note shown until the topic has been read.
 * @csspart error - The load error with its Retry button.
 *
 * @cssproperty --colloquy-font - Font family.
 * @cssproperty --colloquy-font-size - Base font size.
 * @cssproperty --colloquy-text - Text colour.
 * @cssproperty --colloquy-muted - Secondary text colour (breadcrumb, time, label).
 * @cssproperty --colloquy-accent - Links, focus rings and pressed reactions.
 * @cssproperty --colloquy-on-accent - Text on the accent colour.
 * @cssproperty --colloquy-background - Background colour.
 * @cssproperty --colloquy-surface - Background of buttons and placeholders.
 * @cssproperty --colloquy-border - Border colour.
 * @cssproperty --colloquy-pressed - Background of a pressed reaction.
 * @cssproperty --colloquy-danger - Error text colour.
 * @cssproperty --colloquy-avatar-background - Background of an initial avatar.
 * @cssproperty --colloquy-avatar-text - Initial colour of an avatar.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-gap - Spacing between parts.
 * @cssproperty --colloquy-loading-height - The loading placeholder's height on a first visit (a returning reader's browser reserves the height the element last had for the topic).
 */
export class TopicCard extends ColloquyElement {
  static override styles = [theme, styles];

  static override properties: PropertyDeclarations = {
    variant: { type: String, reflect: true },
  };

  /** `full` (default) or `compact`: title, reactions and reply count, for listing pages. */
  declare variant: 'full' | 'compact';

  constructor() {
    super();
    this.variant = 'full';
  }

  override render(): unknown {
    const store = this.store;
    const topic = store?.topic;
    if (!store || !topic) return this.renderState();
    const { t, fill, date } = this.i18n;
    const replies = fill(t.replies, store.total);
    if (this.variant === 'compact')
      return html`<article part="card">
        ${heading(
          this.headingLevel,
          'title',
          topic.url && SAFE_HREF.test(topic.url)
            ? html`<a href=${topic.url}>${topic.title}</a>`
            : topic.title,
        )}
        ${this.renderReactions(topic.reactions, null)}
        <p part="replies" class="muted">${replies}</p>
      </article>`;
    const { author, category } = topic;
    return html`<article part="card">
      ${
        category?.path.length
          ? html`<nav part="breadcrumb" aria-label=${t.category}>
            <ol>
              ${category.path.map((name) => html`<li>${name}</li>`)}
            </ol>
          </nav>`
          : nothing
      }
      ${heading(this.headingLevel, 'title', topic.title)}
      ${topic.label ? html`<p part="label">${topic.label}</p>` : nothing}
      ${topic.summary ? html`<p part="summary">${topic.summary}</p>` : nothing}
      ${
        author
          ? html`<div part="author">
            ${
              author.avatarUrl
                ? html`<img part="avatar" class="avatar" src=${author.avatarUrl} alt="" />`
                : html`<span part="avatar" class="avatar" aria-hidden="true"
                  >${initial(author.name)}</span
                >`
            }
            <span>${author.name}</span>
          </div>`
          : nothing
      }
      <time part="time" datetime=${topic.createdAt}>${date(topic.createdAt)}</time>
      <div part="body">${renderDoc(topic.body)}</div>
      ${this.renderReactions(topic.reactions, null)}
      <p part="replies">${replies}</p>
    </article>`;
  }
}
