import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Reply } from '@colloquy/api';
import { renderDoc } from '../doc/render-doc.js';
import { ColloquyElement, heading } from '../internal/colloquy-element.js';
import { EDIT_TOKENS_KEY } from '../store/edit-tokens.js';
import { readJson } from '../store/storage.js';
import { isSending } from '../store/topic-store.js';
import type { ReplyEditor } from './reply-edit.js';
import type { FormHost, ReplyForm } from './reply-form.js';
import { theme } from '../styles/theme.js';
import { styles } from './reply-thread.styles.js';

/** Deeper replies are shown at this depth, with "in reply to <name>". */
const MAX_DEPTH = 3;

/** A reply and the answers shown nested under it. */
export interface ThreadNode {
  reply: Reply;
  children: ThreadNode[];
  /** The parent's author, when the reply is shown flatter than it is nested. */
  inReplyTo?: string;
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
 * @summary The replies of a topic, nested, with per-reply reactions, reply-to, "Load more",
 * "Show more replies" in a thread a page cut, Edit and Delete of the reader's own replies within
 * their edit window, and a form to post a reply. The draft survives a reload; a refused reply
 * is rolled back with the server's explanation.
 *
 * @attr topic - The topic id; default: the page's canonical URL.
 * @attr api - The Colloquy server's origin; default: where the widget script came from.
 * @attr lang - Language of the UI, a language tag (`en`, `de-AT`, `ar`): its primary subtag picks
 * the strings, English when there are none; default: the closest `lang` on the page, else the
 * browser's language. A language written right to left (`ar`, `he`, `fa`, …) lays the element
 * out right to left (`dir="rtl"` on it) unless it has a `dir` of its own.
 * @attr theme - `light`, `dark` or `auto` (default, follows `prefers-color-scheme`).
 * @attr heading-level - Level of the "Replies (N)" heading, 1–6 (default 2).
 * @attr token - A token the host site signed for its signed-in reader (HS256 JWT with `sub`,
 * `name` and `exp`): replies are posted under that name, marked as from a signed-in user.
 *
 * @fires {ColloquyReplyPostedEvent} colloquy-reply-posted - The server accepted the reader's reply; `detail` is the Reply.
 * @fires {ColloquyReactionEvent} colloquy-reaction - The reader toggled a reaction on a reply and the server confirmed it.
 * @fires {ColloquyErrorEvent} colloquy-error - Loading, loading more, posting, reacting, editing or deleting failed.
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
 * @csspart edit-button - The "Edit" button of the reader's own reply, while its edit window is open.
 * @csspart delete-button - The "Delete" button of the reader's own reply, while its edit window is open.
 * @csspart editor - The form editing the reader's reply in its place (its Markdown source).
 * @csspart save - The editor's "Save" button.
 * @csspart cancel - The "Cancel" button of the editor and of the confirmation of a deletion.
 * @csspart confirm - The confirmation asked before a reply is deleted.
 * @csspart confirm-delete - The confirmation's "Delete" button.
 * @csspart more-in-thread - The "Show more replies (N)" button at the end of a thread a page cut.
 * @csspart empty - The "No replies in this topic yet." note.
 * @csspart new-replies - The "New replies (N)" button that shows replies which arrived live.
 * @csspart load-more - The "Load more" button.
 * @csspart form-placeholder - The "Reply" button in the form's place until the form's module has loaded (it loads when the place nears the viewport, or on focus or click).
 * @csspart form - The reply form.
 * @csspart field - Each labelled field of the form.
 * @csspart submit - The "Post reply" button.
 * @csspart alert - The form's error message region (`role="alert"`).
 * @csspart status-region - The thread's polite live region (`role="status"`, visually hidden): says that the reader's reply was posted or is awaiting review, and how many new replies arrived.
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
    for (const name of ['formFailure', 'moreError']) ReplyThread.createProperty(name, { state: true });
  }

  /**
   * The host site's token for its signed-in reader, if any: replies are then posted under the
   * name in the token and marked as from a signed-in user, and the form asks for no name.
   */
  declare token: string | undefined;

  /** Why the form's module could not be loaded, while it could not. */
  declare private formFailure: unknown;
  /** Why the last "Load more" failed, for the reader. */
  declare private moreError: string | undefined;
  /** The reply form, once its module is in. */
  #form: ReplyForm | undefined;
  #formLoad: Promise<ReplyForm | undefined> | undefined;
  /** The editor of the reader's own replies, once its module is in. */
  #editor: ReplyEditor | undefined;
  #editorLoad: unknown;
  /** What the form and the editor need of the element. */
  readonly #host: FormHost = {
    element: this,
    store: () => this.store,
    i18n: () => this.i18n,
    report: (action, error) => this.report(action, error),
  };
  /** Loads the form when its place comes within half a screen of the viewport. */
  #formWatch: IntersectionObserver | undefined;
  #watched: Element | null = null;

  /** Loads the form's module (once; again after a failure), then renders the form. */
  #loadForm(): Promise<ReplyForm | undefined> {
    this.formFailure = undefined;
    return (this.#formLoad ??= import('./reply-form.js').then(
      ({ ReplyForm }) => {
        this.#unwatch();
        this.requestUpdate();
        return (this.#form = new ReplyForm(this.#host));
      },
      (error) => {
        this.#formLoad = undefined;
        this.formFailure = error;
        this.report('load', error);
        return undefined;
      },
    ));
  }

  #unwatch() {
    this.#formWatch?.disconnect();
    this.#formWatch = undefined;
    this.#watched = null;
  }

  /**
   * Loads the editor of the reader's own replies (once), which renders their Edit and Delete
   * buttons: only when this reader has edit tokens kept, which most never have.
   */
  #loadEditor() {
    this.#editorLoad ??=
      readJson(EDIT_TOKENS_KEY) &&
      import('./reply-edit.js').then(
        ({ ReplyEditor }) => {
          this.#editor = new ReplyEditor(this.#host);
          this.requestUpdate();
        },
        (error) => this.report('edit', error),
      );
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const spot = this.renderRoot.querySelector('[part=form-placeholder]');
    if (spot === this.#watched) return;
    this.#unwatch();
    if (!spot) return;
    this.#watched = spot;
    this.#formWatch = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && void this.#loadForm(),
      { rootMargin: '50%' },
    );
    this.#formWatch.observe(spot);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unwatch();
  }

  /** Opens the form for a reply to `reply` (null: to the topic), loading it first if need be. */
  async #answer(reply: Reply | null) {
    await (await this.#loadForm())?.answer(reply);
  }

  /** "Load more" (its click event, which the store takes as not `true`), or "Show more replies" (`true`). */
  async #more(thread?: boolean) {
    this.moreError = '';
    try {
      await this.store?.loadMore(thread);
    } catch (error) {
      this.moreError = this.report('load-more', error);
    }
  }

  #renderNode({ reply, children, inReplyTo }: ThreadNode): unknown {
    const { t, fill, date } = this.i18n;
    const store = this.store;
    const { author, createdAt, status } = reply;
    const sending = isSending(reply);
    const gone = status === 'deleted' || status === 'hidden';
    const more = store?.moreInThread;
    const note = sending ? t.sending : status === 'pending' ? t.awaitingReview : '';
    return html`<li id=${`reply-${reply.id}`} part=${sending ? 'reply pending' : 'reply'} ?data-pending=${sending}>
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
        ${
          this.#editor?.render(reply) ??
          html`<div part="body">${gone ? html`<p class="muted">${t.deleted}</p>` : renderDoc(reply.body)}</div>
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
              ${this.#editor?.actions(reply)}
            </div>`
        }`
        }
      </article>
      ${
        children.length
          ? html`<ol part="list">${children.map((child) => this.#renderNode(child))}</ol>`
          : nothing
      }
      ${
        more?.rootId === reply.id
          ? html`<button part="more-in-thread" type="button" @click=${() => this.#more(true)}>${fill(t.moreInThread, more.count)}</button>`
          : nothing
      }
    </li>`;
  }

  #renderForm(): unknown {
    const { t } = this.i18n;
    if (this.store?.topic?.locked) return html`<p part="locked" class="muted">${t.locked}</p>`;
    if (this.#form) return this.#form.render();
    if (this.formFailure)
      return html`<div part="error">
        <p role="alert">${t.failed} ${this.errorText(this.formFailure)}</p>
        <button type="button" @click=${this.#loadForm}>${t.retry}</button>
      </div>`;
    // The form's place, until its module is in: near the viewport, or focused or clicked.
    return html`<button part="form-placeholder" type="button" @focus=${this.#loadForm}
      @click=${() => this.#answer(null)}>${t.reply}</button>`;
  }

  override render(): unknown {
    const store = this.store;
    const { t, fill } = this.i18n;
    const state = this.renderState();
    if (state !== nothing || !store) return state;
    this.#loadEditor();
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
      ${this.moreError ? html`<p part="alert" role="alert">${this.moreError}</p>` : nothing}
      ${this.#renderForm()}
    </section>`;
  }
}
