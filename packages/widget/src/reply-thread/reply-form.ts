import { css, html, nothing, type LitElement } from 'lit';
import type { NewReply, Reply } from '@colloquy/api';
import type { ColloquyErrorDetail } from '../events/error.js';
import { ColloquyReplyPostedEvent } from '../events/reply-posted.js';
import { formMessages } from '../i18n/form-messages.js';
import type { I18n } from '../i18n/messages.js';
import { postReply, prepare } from '../store/post-reply.js';
import { readJson, writeJson } from '../store/storage.js';
import type { TopicStore } from '../store/topic-store.js';
import { addStyles, fieldStyles } from './fields.js';

const NAME_KEY = 'colloquy:name';

interface Draft {
  name: string;
  text: string;
}

/** What the form (and the editor of one's own reply) needs of the `<reply-thread>` it is part of. */
export interface FormHost {
  element: LitElement & { token: string | undefined; headingLevel: number };
  store(): TopicStore | undefined;
  i18n(): I18n;
  /** Fires `colloquy-error` and returns the message for the reader. */
  report(action: ColloquyErrorDetail['action'], error: unknown): string;
}

const styles = css`
  form { display: grid; gap: 0.75rem; margin-top: var(--colloquy-gap); }
  label { display: block; font-weight: 600; }
  [part='submit'] { justify-self: start; }
  .form-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem; }
  .form-head h3 { margin: 0; font-size: 1em; }
`;

/**
 * The reply form of a `<reply-thread>`, with its draft (kept in localStorage), reply-to and
 * posting. A module of its own, loaded when the form's place nears the viewport or the reader
 * asks to reply, so that the thread's first render does not wait for it. Renders into the
 * thread's template; its styles join the thread's shadow root.
 */
export class ReplyForm {
  /** The reply being answered, or null for a reply to the topic. */
  replyTo: Reply | null = null;
  #name = '';
  #text = '';
  #posting = false;
  #error = '';
  /** What the thread's live region says: the outcome of the last post, or the new replies. */
  #news = '';
  /** How many live replies were waiting behind "New replies" when the region last spoke. */
  #unseen = 0;
  #draftStore: TopicStore | undefined;
  /** The honeypot field's value: people never see the field, bots fill it in. */
  #website = '';

  /** The strings, with the English of the form's own where the catalog has none. */
  #t() {
    return { ...formMessages, ...this.host.i18n().t };
  }

  constructor(private readonly host: FormHost) {
    addStyles(host.element, fieldStyles);
    addStyles(host.element, styles);
  }

  get #draftKey() {
    const store = this.host.store();
    return `colloquy:draft:${store?.api} ${store?.topicId}`;
  }

  #set(change: () => void) {
    change();
    this.host.element.requestUpdate();
  }

  #saveDraft() {
    writeJson(this.#draftKey, this.#text || this.#name ? { name: this.#name, text: this.#text } : null);
    writeJson(NAME_KEY, this.#name || null);
  }

  #onInput = (event: InputEvent) => {
    const { name, value } = event.target as HTMLInputElement;
    if (name === 'website') this.#website = value;
    // Rendered again so that the template knows the fields' values (and can clear them).
    else if (name === 'name') this.#set(() => (this.#name = value));
    else this.#set(() => (this.#text = value));
    this.#saveDraft();
    const store = this.host.store();
    if (store) void prepare(store);
  };

  /** The control that opened the form for a reply to another, to return to on Escape or Cancel. */
  #opener: HTMLElement | null = null;

  /**
   * Opens the form for a reply to `reply` (null: to the topic) and moves the focus into it: to
   * the first required field still empty (the name, else the reply).
   */
  async answer(reply: Reply | null): Promise<void> {
    const element = this.host.element;
    const root = element.renderRoot as ShadowRoot;
    this.#opener = reply ? (root.activeElement as HTMLElement | null) : null;
    this.#set(() => (this.replyTo = reply));
    await element.updateComplete;
    const name = root.querySelector<HTMLInputElement>('#name');
    (name && !name.value.trim() ? name : root.querySelector('textarea'))?.focus();
  }

  /** Cancels the reply to another and gives the focus back to the button that opened it. */
  async #cancel() {
    const opener = this.#opener;
    this.#opener = null;
    this.#set(() => (this.replyTo = null));
    await this.host.element.updateComplete;
    if (opener?.isConnected) opener.focus();
    else this.host.element.renderRoot.querySelector<HTMLElement>('#text')?.focus();
  }

  #onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !this.replyTo) return;
    event.preventDefault();
    void this.#cancel();
  };

  #submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const store = this.host.store();
    if (!store || this.#posting) return;
    const element = this.host.element;
    const input: NewReply = { body: this.#text, parentId: this.replyTo?.id ?? null };
    // With the host site's token the server takes the name from it.
    if (!element.token) input.authorName = this.#name.trim();
    if (store.state === 'missing') input.pageTitle = document.title.slice(0, 300);
    if (this.#website) input.website = this.#website;
    this.#set(() => {
      this.#error = '';
      this.#posting = true;
    });
    try {
      const reply = await postReply(store, input, element.token);
      this.#set(() => {
        this.#text = '';
        this.replyTo = null;
      });
      this.#opener = null;
      const t = this.#t();
      this.#news = reply.status === 'pending' ? `${t.posted} ${t.awaitingReview}` : t.posted;
      this.#saveDraft();
      await element.updateComplete;
      // The focus goes to the reply as it now stands in the thread, which names it by its author.
      const posted = element.renderRoot.querySelector<HTMLElement>(`[id="reply-${reply.id}"] > article`);
      if (posted) {
        posted.tabIndex = -1;
        posted.focus();
      }
      element.dispatchEvent(new ColloquyReplyPostedEvent(reply));
    } catch (error) {
      // Said by the alert region below, at once; the polite region stays quiet.
      this.#error = this.host.report('post', error);
      this.#news = '';
    } finally {
      this.#set(() => (this.#posting = false));
    }
    // A refused reply: the focus stays in the form (the disabled button had lost it), and the
    // alert region says why.
    await element.updateComplete;
    const root = element.renderRoot as ShadowRoot;
    if (this.#error && !root.activeElement) root.querySelector<HTMLElement>('#text')?.focus();
  };

  render(): unknown {
    const store = this.host.store();
    if (store !== this.#draftStore) {
      this.#draftStore = store;
      const draft = readJson<Draft>(this.#draftKey);
      this.#name = draft?.name || readJson<string>(NAME_KEY) || '';
      this.#text = draft?.text ?? '';
      this.replyTo = null;
      this.#error = '';
    }
    const { fill } = this.host.i18n();
    const t = this.#t();
    const { replyTo } = this;
    // Replies that arrived live are announced as their count grows, not moved into view.
    const unseen = store?.unseen.length ?? 0;
    if (unseen > this.#unseen) this.#news = fill(t.newReplies, unseen);
    this.#unseen = unseen;
    // The browser checks the fields (required, lengths, a name not only spaces) before the
    // form submits, with its own accessible messages; the server explains anything else.
    const field = (id: string, label: string, control: unknown) =>
      html`<div part="field"><label for=${id}>${label}</label>${control}</div>`;
    // Named by its heading: "Reply to Ada" when it answers a reply; Escape or Cancel goes back.
    return html`<form part="form" aria-labelledby="form-heading" @submit=${this.#submit}
      @input=${this.#onInput} @keydown=${this.#onKeydown}>
      <div class="form-head">
        <h3 id="form-heading" aria-level=${Math.min(6, this.host.element.headingLevel + 1)}>
          ${replyTo ? fill(t.replyTo, replyTo.author.name) : t.reply}
        </h3>
        ${replyTo ? html`<button type="button" @click=${() => this.#cancel()}>${t.cancel}</button>` : nothing}
      </div>
      ${
        this.host.element.token
          ? nothing
          : field(
              'name',
              t.name,
              html`<input id="name" name="name" autocomplete="name" maxlength="60" required
              pattern=".*\\S.*" .value=${this.#name} />`,
            )
      }
      <div class="sr" aria-hidden="true">
        <label>Website <input name="website" tabindex="-1" autocomplete="off" /></label>
      </div>
      ${field(
        'text',
        t.text,
        html`<textarea id="text" name="text" rows="4" maxlength="10000" required
          .value=${this.#text}></textarea>`,
      )}
      <div part="alert" role="alert">${this.#error}</div>
      <button part="submit" class="primary" type="submit" ?disabled=${this.#posting}>
        ${this.#posting ? t.sending : t.post}
      </button>
    </form>
    <p part="status-region" class="sr" role="status">${this.#news}</p>`;
  }
}
