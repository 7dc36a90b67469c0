import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { NewReply, Reply } from '@colloquy/api';
import { renderDoc } from '../doc/render-doc.js';
import { ColloquyReplyPostedEvent } from '../events/reply-posted.js';
import { ColloquyElement, heading } from '../internal/colloquy-element.js';
import { readJson, writeJson } from '../store/storage.js';
import { isSending, type TopicStore } from '../store/topic-store.js';
import { theme } from '../styles/theme.js';
import { styles } from './reply-thread.styles.js';

/** Deeper replies are shown at this depth, with "in reply to <name>". */
const MAX_DEPTH = 3;
const NAME_KEY = 'colloquy:name';

/** A reply and the answers shown nested under it. */
export interface ThreadNode {
  reply: Reply;
  children: ThreadNode[];
  /** The parent's author, when the reply is shown flatter than it is nested. */
  inReplyTo?: string;
}

interface Draft {
  name: string;
  text: string;
}

/** Turns the flat, thread-ordered replies into a tree at most {@link MAX_DEPTH} deep. */
export function threadTree(replies: Reply[]): ThreadNode[] {
  const roots: ThreadNode[] = [];
  const nodes = new Map<string, ThreadNode>();
  const byId = new Map(replies.map((reply) => [reply.id, reply]));
  for (const reply of replies) {
    const node: ThreadNode = { reply, children: [] };
    const parent = reply.parentId ? byId.get(reply.parentId) : undefined;
    let host = parent;
    while (host && host.depth >= MAX_DEPTH) host = host.parentId ? byId.get(host.parentId) : undefined;
    if (parent && host !== parent) node.inReplyTo = parent.author.name;
    ((host && nodes.get(host.id)?.children) || roots).push(node);
    nodes.set(reply.id, node);
  }
  return roots;
}

/**
 * @tagname reply-thread
 * @summary The replies of a topic, nested, with per-reply reactions, reply-to, "Load more"
 * and a form to post a reply. The draft survives a reload; a refused reply is rolled back
 * with the server's explanation.
 *
 * @attr topic - The topic id; default: the page's canonical URL.
 * @attr api - The Colloquy server's origin; default: where the widget script came from.
 * @attr lang - Language of the UI (`en`, `de`); default: the page's language.
 * @attr theme - `light`, `dark` or `auto` (default, follows `prefers-color-scheme`).
 * @attr heading-level - Level of the "Replies (N)" heading, 1–6 (default 2).
 * @attr token - A token the host site signed for its signed-in reader (HS256 JWT with `sub`,
 * `name` and `exp`): replies are posted under that name, marked as from a signed-in user.
 *
 * @fires {ColloquyReplyPostedEvent} colloquy-reply-posted - The server accepted the reader's reply; `detail` is the Reply.
 * @fires {ColloquyReactionEvent} colloquy-reaction - The reader toggled a reaction on a reply and the server confirmed it.
 * @fires {ColloquyErrorEvent} colloquy-error - Loading, loading more, posting or reacting failed.
 *
 * @csspart heading - The "Replies (N)" heading.
 * @csspart list - A list of replies (nested lists for answers).
 * @csspart reply - Each reply (`li`); a reply being sent also has the part `pending`.
 * @csspart status - A reply's "Awaiting review" or "Sending…" note.
 * @csspart verified - The mark beside the name of a signed-in author.
 * @csspart author - A reply's author name.
 * @csspart time - A reply's `<time>`.
 * @csspart body - A reply's body.
 * @csspart reactions - A reply's reaction buttons.
 * @csspart reaction - Each reaction button.
 * @csspart count - The count inside a reaction button.
 * @csspart reply-button - The "Reply" button of a reply.
 * @csspart empty - The "No replies in this topic yet." note.
 * @csspart new-replies - The "New replies (N)" button that shows replies which arrived live.
 * @csspart load-more - The "Load more" button.
 * @csspart form - The reply form.
 * @csspart field - Each labelled field of the form.
 * @csspart submit - The "Post reply" button.
 * @csspart alert - The form's error message region (`role="alert"`).
 * @csspart locked - The note shown instead of the form on a locked topic.
 * @csspart loading - The "Loading…" note shown until the topic has been read.
 * @csspart error - The load error with its Retry button.
 *
 * @cssproperty --colloquy-font - Font family.
 * @cssproperty --colloquy-font-size - Base font size.
 * @cssproperty --colloquy-text - Text colour.
 * @cssproperty --colloquy-muted - Secondary text colour (times, notes).
 * @cssproperty --colloquy-accent - Links, focus rings, the submit button and pressed reactions.
 * @cssproperty --colloquy-on-accent - Text on the accent colour.
 * @cssproperty --colloquy-background - Background colour, also of the fields.
 * @cssproperty --colloquy-surface - Background of buttons and placeholders.
 * @cssproperty --colloquy-border - Borders of fields, buttons and nesting lines.
 * @cssproperty --colloquy-pressed - Background of a pressed reaction.
 * @cssproperty --colloquy-danger - Error text and invalid field borders.
 * @cssproperty --colloquy-radius - Corner radius.
 * @cssproperty --colloquy-gap - Spacing between replies and parts.
 */
export class ReplyThread extends ColloquyElement {
  static override styles = [theme, styles];

  static override properties: PropertyDeclarations = { token: { type: String } };

  static {
    // Private reactive state, created here rather than in `static properties` so the
    // custom elements manifest does not list it as attributes.
    for (const name of ['replyTo', 'name', 'text', 'posting', 'formError'])
      ReplyThread.createProperty(name, { state: true });
  }

  /**
   * The host site's token for its signed-in reader, if any: replies are then posted under the
   * name in the token and marked as from a signed-in user, and the form asks for no name.
   */
  declare token: string | undefined;

  /** The reply being answered, or null for a reply to the topic. */
  declare private replyTo: Reply | null;
  declare private name: string;
  declare private text: string;
  declare private posting: boolean;
  declare private formError: string;
  #draftStore: TopicStore | undefined;
  /** The honeypot field's value: people never see the field, bots fill it in. */
  #website = '';

  constructor() {
    super();
    this.replyTo = null;
    this.name = this.text = this.formError = '';
    this.posting = false;
  }

  get #draftKey() {
    return `colloquy:draft:${this.store?.api} ${this.store?.topicId}`;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.store !== this.#draftStore) {
      this.#draftStore = this.store;
      const draft = readJson<Draft>(this.#draftKey);
      this.name = draft?.name || readJson<string>(NAME_KEY) || '';
      this.text = draft?.text ?? '';
      this.replyTo = null;
      this.formError = '';
    }
  }

  #saveDraft() {
    writeJson(this.#draftKey, this.text || this.name ? { name: this.name, text: this.text } : null);
    writeJson(NAME_KEY, this.name || null);
  }

  #onInput(event: InputEvent) {
    const { name, value } = event.target as HTMLInputElement;
    if (name === 'website') this.#website = value;
    else if (name === 'name') this.name = value;
    else this.text = value;
    this.#saveDraft();
    void this.store?.prepare();
  }

  /** Opens the form for a reply to `reply` (null: to the topic). */
  async #answer(reply: Reply | null) {
    this.replyTo = reply;
    await this.updateComplete;
    this.renderRoot.querySelector('textarea')?.focus();
  }

  async #submit(event: SubmitEvent) {
    event.preventDefault();
    const store = this.store;
    if (!store || this.posting) return;
    this.formError = '';
    const input: NewReply = { body: this.text, parentId: this.replyTo?.id ?? null };
    // With the host site's token the server takes the name from it.
    if (!this.token) input.authorName = this.name.trim();
    if (store.state === 'missing') input.pageTitle = document.title.slice(0, 300);
    if (this.#website) input.website = this.#website;
    this.posting = true;
    try {
      const reply = await store.postReply(input, this.token);
      this.text = '';
      this.replyTo = null;
      this.#saveDraft();
      await this.updateComplete;
      const posted = new ColloquyReplyPostedEvent(reply);
      this.dispatchEvent(posted);
    } catch (error) {
      this.formError = this.report('post', error);
    } finally {
      this.posting = false;
    }
  }

  async #more() {
    try {
      await this.store?.loadMore();
    } catch (error) {
      this.formError = this.report('load-more', error);
    }
  }

  #renderNode({ reply, children, inReplyTo }: ThreadNode): unknown {
    const { t, fill, date } = this.i18n;
    const { author, createdAt, status } = reply;
    const sending = isSending(reply);
    const gone = status === 'deleted' || status === 'hidden';
    const note = sending ? t.sending : status === 'pending' ? t.awaitingReview : '';
    return html`<li part=${sending ? 'reply pending' : 'reply'} ?data-pending=${sending}>
      <article aria-label=${author.name || t.deleted}>
        <header>
          <strong part="author">${author.name}</strong>
          ${
            author.verified
              ? html`<span part="verified" title=${t.signedIn}>✓<span class="sr">${t.signedIn}</span></span>`
              : nothing
          }
          <time part="time" datetime=${createdAt}>${date(createdAt)}</time>
          ${inReplyTo ? html`<span class="muted">${fill(t.inReplyTo, inReplyTo)}</span>` : nothing}
          ${note ? html`<span part="status" class="muted">${note}</span>` : nothing}
        </header>
        <div part="body">${gone ? html`<p class="muted">${t.deleted}</p>` : renderDoc(reply.body)}</div>
        ${
          gone
            ? nothing
            : html`<div class="actions">
              ${this.renderReactions(reply.reactions, reply.id, sending)}
              ${
                this.store?.topic?.locked
                  ? nothing
                  : html`<button part="reply-button" type="button" ?disabled=${sending}
                    aria-label=${fill(t.replyTo, author.name)} @click=${() => this.#answer(reply)}>
                    ${t.reply}
                  </button>`
              }
            </div>`
        }
      </article>
      ${
        children.length
          ? html`<ol part="list">${children.map((child) => this.#renderNode(child))}</ol>`
          : nothing
      }
    </li>`;
  }

  #renderForm(): unknown {
    const { t, fill } = this.i18n;
    if (this.store?.topic?.locked) return html`<p part="locked" class="muted">${t.locked}</p>`;
    const { name, text, replyTo, posting } = this;
    // The browser checks the fields (required, lengths, a name not only spaces) before the
    // form submits, with its own accessible messages; the server explains anything else.
    const field = (id: string, label: string, control: unknown) =>
      html`<div part="field"><label for=${id}>${label}</label>${control}</div>`;
    return html`<form part="form" @submit=${this.#submit} @input=${this.#onInput}>
      ${
        replyTo
          ? html`<p class="muted">
            ${fill(t.replyingTo, replyTo.author.name)}
            <button type="button" @click=${() => this.#answer(null)}>${t.cancel}</button>
          </p>`
          : nothing
      }
      ${
        this.token
          ? nothing
          : field(
              'name',
              t.name,
              html`<input id="name" name="name" autocomplete="name" maxlength="60" required
              pattern=".*\\S.*" .value=${name} />`,
            )
      }
      <div class="sr" aria-hidden="true">
        <label>Website <input name="website" tabindex="-1" autocomplete="off" /></label>
      </div>
      ${field(
        'text',
        t.text,
        html`<textarea id="text" name="text" rows="4" maxlength="10000" required
          .value=${text}></textarea>`,
      )}
      <div part="alert" role="alert">${this.formError}</div>
      <button part="submit" class="primary" type="submit" ?disabled=${posting}>
        ${posting ? t.sending : t.post}
      </button>
    </form>`;
  }

  override render(): unknown {
    const store = this.store;
    const { t, fill } = this.i18n;
    const state = this.renderState();
    if (state !== nothing || !store) return state;
    return html`<section aria-labelledby="heading">
      ${heading(this.headingLevel, 'heading', fill(t.replies, store.total), 'heading')}
      ${
        store.replies.length
          ? html`<ol part="list">${threadTree(store.replies).map((n) => this.#renderNode(n))}</ol>`
          : html`<p part="empty" class="muted">${t.noReplies}</p>`
      }
      ${
        store.unseen.length
          ? html`<button part="new-replies" type="button" @click=${() => store.reveal()}>
            ${fill(t.newReplies, store.unseen.length)}
          </button>`
          : nothing
      }
      ${
        store.nextCursor
          ? html`<button part="load-more" type="button" ?disabled=${store.loadingMore}
            @click=${this.#more}>${t.loadMore}</button>`
          : nothing
      }
      ${this.#renderForm()}
    </section>`;
  }
}
