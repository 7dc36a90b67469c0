import { css, html, nothing, type LitElement } from 'lit';
import type { NewReply, Reply } from '@colloquy/api';
import type { ColloquyErrorDetail } from '../events/error.js';
import { ColloquyReplyPostedEvent } from '../events/reply-posted.js';
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
  element: LitElement & { token: string | undefined };
  store(): TopicStore | undefined;
  i18n(): I18n;
  /** Fires `colloquy-error` and returns the message for the reader. */
  report(action: ColloquyErrorDetail['action'], error: unknown): string;
}

const styles = css`
  form { display: grid; gap: 0.75rem; margin-top: var(--colloquy-gap); }
  label { display: block; font-weight: 600; }
  [part='submit'] { justify-self: start; }
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
  #draftStore: TopicStore | undefined;
  /** The honeypot field's value: people never see the field, bots fill it in. */
  #website = '';

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

  /** Opens the form for a reply to `reply` (null: to the topic) and moves the focus into it. */
  async answer(reply: Reply | null): Promise<void> {
    this.#set(() => (this.replyTo = reply));
    const element = this.host.element;
    await element.updateComplete;
    element.renderRoot.querySelector('textarea')?.focus();
  }

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
      this.#saveDraft();
      await element.updateComplete;
      element.dispatchEvent(new ColloquyReplyPostedEvent(reply));
    } catch (error) {
      this.#error = this.host.report('post', error);
    } finally {
      this.#set(() => (this.#posting = false));
    }
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
    const { t, fill } = this.host.i18n();
    const { replyTo } = this;
    // The browser checks the fields (required, lengths, a name not only spaces) before the
    // form submits, with its own accessible messages; the server explains anything else.
    const field = (id: string, label: string, control: unknown) =>
      html`<div part="field"><label for=${id}>${label}</label>${control}</div>`;
    return html`<form part="form" @submit=${this.#submit} @input=${this.#onInput}>
      ${
        replyTo
          ? html`<p class="muted">
            ${fill(t.replyingTo, replyTo.author.name)}
            <button type="button" @click=${() => this.answer(null)}>${t.cancel}</button>
          </p>`
          : nothing
      }
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
    </form>`;
  }
}
