import { html, isServer, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { Reply } from '@colloquy/api';
import { renderDoc } from '../doc/render-doc.js';
import { ColloquyElement, heading } from '../internal/colloquy-element.js';
import { EDIT_TOKENS_KEY, readJson } from '../store/storage.js';
import { isSending, type TopicStore } from '../store/topic-store.js';
import type { ReplyEditor } from './reply-edit.js';
import type { FormHost, ReplyForm } from './reply-form.js';
import { theme } from '../styles/theme.js';
import { styles } from './reply-thread.styles.js';

/**
 * The reader controls (the order of the replies; following a permalink), loaded with the page
 * beside the core; the threads render again when it is in.
 */
let controls: typeof import('./reader-controls.js') | undefined;
if (!isServer)
  import('./reader-controls.js').then(
    (module) => void (controls = module),
    () => {},
  );

/** Deeper replies are shown at this depth, with "in reply to <name>". */
const MAX_DEPTH = 3;

/**
 * Replies rendered per task in the first render of a page: a long page is rendered in slices,
 * with the browser free to paint and answer input between them.
 */
const SLICE = 5;

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
 * @fires {ColloquyErrorEvent} colloquy-error - Loading, loading more, posting, reacting, editing, deleting or reporting failed.
 *
 * @csspart heading - The "Replies (N)" heading.
 * @csspart list - A list of replies (nested lists for answers).
 * @csspart reply - Each reply (`li`); a reply being sent also has the part `pending`.
 * @csspart status - A reply's "Awaiting review" or "Sending…" note.
 * @csspart verified - The mark beside the name of a signed-in author.
 * @csspart author - A reply's author name.
 * @csspart time - A reply's `<time>`.
 * @csspart permalink - The link around a reply's time: the host page's URL with `#reply-<id>`, which
 * scrolls to the reply and marks it (on load too, reading the part of its thread that holds it
 * when it is past the pages read).
 * @csspart sort - The label with the order of the replies (a `<select>`: oldest first, newest
 * first, most reacted), shown when there are two replies or more; the choice is kept for the site.
 * @csspart body - A reply's body.
 * @csspart reactions - A reply's reaction buttons.
 * @csspart reaction - Each reaction button.
 * @csspart count - The count inside a reaction button.
 * @csspart reply-button - The "Reply" button of a reply.
 * @csspart edit-button - The "Edit" button of the reader's own reply, while its edit window is open.
 * @csspart delete-button - The "Delete" button of the reader's own reply, while its edit window is open.
 * @csspart report-button - The "Report" button of a reply, which asks to confirm (with an optional reason) and files the reply for the moderators' review.
 * @csspart confirm-report - The confirmation's "Report" button.
 * @csspart reported - The note that says a reply was reported.
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
 * @cssproperty --colloquy-loading-height - The loading placeholder's height on a first visit (a returning reader's browser reserves the height the element last had for the topic).
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
  #editorLoad: Promise<ReplyEditor | undefined> | null = null;
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
  /** Whether the observer has said if the form's place is near the viewport. */
  #watchReported = false;
  /**
   * How many replies the first render has reached; Infinity once it has rendered them all. A
   * server renders them all, and an element the server rendered hydrates them all at once.
   */
  #rendered = isServer || this.shadowRoot ? Infinity : SLICE;
  #nextSlice: unknown;

  /** Whether the first render is still adding slices. */
  #slicing(): boolean {
    return this.#rendered < (this.store?.replies.length ?? 0);
  }

  /**
   * Still settling: rendering slices, or waiting to learn whether the form's place is near the
   * viewport, or for the form that comes because it is. The height is remembered once the form
   * is in where it comes at once, so that the next visit reserves room for it too.
   */
  protected override settling(): boolean {
    return this.#slicing() || (!!this.#watched && !this.#watchReported) || (!!this.#formLoad && !this.#form);
  }

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
   * buttons and the report of a reply: when this reader has edit tokens kept, which most never
   * have, or (`now`) to report a reply.
   */
  #loadEditor(now?: boolean): Promise<ReplyEditor | undefined> | null {
    return (this.#editorLoad ??=
      now || readJson(EDIT_TOKENS_KEY)
        ? import('./reply-edit.js').then(
            ({ ReplyEditor }) => {
              this.requestUpdate();
              return (this.#editor = new ReplyEditor(this.#host));
            },
            (error) => {
              this.#editorLoad = null;
              this.report('edit', error);
              return undefined;
            },
          )
        : null);
  }

  /** Opens the report of `reply`, loading its module first. */
  async #flag(reply: Reply, event: Event) {
    const button = event.target as Element;
    (await this.#loadEditor(true))?.open(reply, 'report', button);
  }

  protected override updated(changed: PropertyValues): void {
    const spot = this.renderRoot.querySelector('[part=form-placeholder]');
    if (spot !== this.#watched) {
      this.#unwatch();
      if (spot) {
        this.#watched = spot;
        this.#formWatch = new IntersectionObserver(
          (entries) => {
            this.#watchReported = true;
            if (entries.some((entry) => entry.isIntersecting)) void this.#loadForm();
            else this.requestUpdate();
          },
          { rootMargin: '50%' },
        );
        this.#formWatch.observe(spot);
      }
    }
    // After the watch is set: the element settles once it has reported.
    super.updated(changed);
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
    const key = `reply-${reply.id}`;
    return html`<li id=${key} part=${sending ? 'reply pending' : 'reply'} ?data-pending=${sending}>
      <article aria-label=${author.name || t.deleted}>
        <header>
          <strong part="author">${author.name}</strong>
          ${
            author.verified
              ? html`<span part="verified" title=${t.signedIn}>✓<span class="sr">${t.signedIn}</span></span>`
              : nothing
          }
          <a part="permalink" href="#${key}"><time part="time" datetime=${createdAt}>${date(createdAt)}</time></a>
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
              ${
                sending
                  ? nothing
                  : html`<button part="report-button" type="button" @click=${(event: Event) => this.#flag(reply, event)}>
                    ${t.report}
                  </button>`
              }
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
    // The replies are in thread order (each after its parent), so a slice is a prefix, and the
    // next slice only adds to the end; what follows the list comes with the last slice.
    const { replies } = store;
    const slicing = this.#slicing();
    if (slicing)
      this.#nextSlice ??= setTimeout(() => {
        this.#nextSlice = undefined;
        this.#rendered += SLICE;
        this.requestUpdate();
      });
    else this.#rendered = Infinity;
    return html`<section aria-labelledby="heading">
      ${controls?.render(this)}
      ${heading(this.headingLevel, 'heading', fill(t.replies, store.total), 'heading')}
      ${
        replies.length
          ? html`<ol part="list">${threadTree(replies.slice(0, this.#rendered)).map((n) => this.#renderNode(n))}</ol>`
          : html`<p part="empty" class="muted">${t.noReplies}</p>`
      }
      ${slicing ? nothing : this.#renderEnd(store)}
    </section>`;
  }

  /** What follows the list: new replies, Load more, its error, and the form. */
  #renderEnd(store: TopicStore): unknown {
    const { t, fill } = this.i18n;
    return html`
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
      ${this.#renderForm()}`;
  }
}
