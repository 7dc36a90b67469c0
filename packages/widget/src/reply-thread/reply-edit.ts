import { css, html, nothing } from 'lit';
import { EDIT_TOKEN_HEADER, type Reply } from '@colloquy/api';
import { request, type RequestOptions } from '../api/client.js';
import { replyUrl } from '../api/requests.js';
import { renderDoc } from '../doc/render-doc.js';
import { editMessages } from '../i18n/edit-messages.js';
import { editable } from '../store/edit-tokens.js';
import { rememberOwnWrite } from '../store/own-writes.js';
import { addStyles, fieldStyles } from './fields.js';
import type { FormHost } from './reply-form.js';

/**
 * An edit or a deletion of one of the reader's replies, or a report of anyone's reply to the
 * moderators, under way.
 */
interface Change {
  kind: ChangeKind;
  /** A report the server has taken. */
  done?: boolean;
  /** The reason given with a report. */
  reason?: string;
  /** The Markdown being edited: the reply's source, once it has been read. */
  text?: string;
  /** Whether a request is in flight. */
  busy: boolean;
  /** The last failure, for the reader. */
  error: string;
}

/** What a change does: edit the reader's reply, delete it, or report a reply. */
export type ChangeKind = 'edit' | 'delete' | 'report';

const styles = css`
  [part='editor'],[part='confirm'] { display: grid; gap: 0.5rem; margin: 0.25em 0 var(--colloquy-gap); }
  [part='confirm'] p,[part='reported'] { margin: 0; }
`;

/**
 * The Edit and Delete buttons of the reader's own replies, within their edit window, and their
 * editor: Edit opens the reply's Markdown source (read with its edit token) in place of its
 * body, Save sends it, Cancel or Escape puts the reply back as it was; Delete asks to confirm
 * first. And a report of any reply to the moderators, with an optional reason, confirmed first.
 * A module of its own, loaded only when a reply shown is the reader's own and still editable,
 * which most readers never have, or when a reader reports a reply. Renders into the thread's
 * template; its styles join the thread's shadow root.
 */
export class ReplyEditor {
  /** The changes under way, by reply id. */
  readonly #changes = new Map<string, Change>();
  /** The next end of an edit window shown, and the timer that renders again then. */
  #windowEnd = 1 / 0;
  #windowTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: FormHost) {
    addStyles(host.element, fieldStyles);
    addStyles(host.element, styles);
  }

  #update() {
    this.host.element.requestUpdate();
    return this.host.element.updateComplete;
  }

  /** The strings, with the English of the editor's own where the catalog has none. */
  #t() {
    return { ...editMessages, ...this.host.i18n().t };
  }

  /**
   * The Edit and Delete buttons of the reader's `reply`, shown while its edit window is open:
   * the thread is rendered again when the window closes, so that they go.
   */
  actions(reply: Reply): unknown {
    const store = this.host.store();
    const until = (store && editable(store.api, reply.id)?.[1]) || 0;
    if (!until) return nothing;
    if (until < this.#windowEnd) {
      this.#windowEnd = until;
      clearTimeout(this.#windowTimer);
      // At most a day at a time: a longer delay would overflow the timer and fire at once.
      this.#windowTimer = setTimeout(
        () => {
          this.#windowEnd = 1 / 0;
          this.host.element.requestUpdate();
        },
        Math.min(until - Date.now(), 864e5),
      );
    }
    const t = this.#t();
    return html`<button part="edit-button" type="button" @click=${(event: Event) => this.open(reply, 'edit', event.target as Element)}>
        ${t.edit}
      </button>
      <button part="delete-button" type="button" @click=${(event: Event) => this.open(reply, 'delete', event.target as Element)}>
        ${t.delete}
      </button>`;
  }

  /** A request about `reply` with its edit token; rejects like every API call. */
  #send<T>(reply: Reply, init: RequestOptions = {}): Promise<T> {
    const store = this.host.store();
    const [token = ''] = (store && editable(store.api, reply.id)) || [];
    return request<T>(replyUrl(store?.api ?? '', reply.id), {
      ...init,
      headers: { [EDIT_TOKEN_HEADER]: token },
    });
  }

  /**
   * Opens the editor of `reply` (or the confirmation of its deletion or of its report) and
   * moves the focus into it. An edit starts from the reply's Markdown source, as its author
   * wrote it.
   */
  async open(reply: Reply, kind: ChangeKind, from?: Element | null): Promise<void> {
    if (this.#changes.has(reply.id)) return;
    const edit = kind === 'edit';
    const change: Change = { kind, busy: edit, error: '' };
    this.#changes.set(reply.id, change);
    const article = from?.closest('article');
    await this.#update();
    if (edit) {
      try {
        change.text = (await this.#send<Reply>(reply)).source ?? reply.text;
      } catch (error) {
        change.error = this.host.report('edit', error);
      }
      change.busy = false;
      await this.#update();
    }
    article?.querySelector<HTMLElement>('textarea,[part=confirm-delete],[part=confirm-report]')?.focus();
  }

  /** Closes the editor of `reply` and gives the focus back to the button that opened it. */
  async #close(reply: Reply, event: Event) {
    const change = this.#changes.get(reply.id);
    const article = (event.target as Element).closest('article');
    this.#changes.delete(reply.id);
    await this.#update();
    article?.querySelector<HTMLElement>(`[part=${change?.kind}-button]`)?.focus();
  }

  /** Files the report; the reply then says it was reported, and the focus goes to that note. */
  async #report(reply: Reply, change: Change, article: Element | null) {
    const store = this.host.store();
    const reason = change.reason?.trim();
    await request(`${replyUrl(store?.api ?? '', reply.id)}/reports`, {
      method: 'POST',
      body: reason ? { reason } : {},
    });
    change.done = true;
    await this.#update();
    article?.querySelector<HTMLElement>('[part=reported]')?.focus();
  }

  /**
   * Sends the edit (PATCH), the deletion (DELETE) or the report; on success the thread shows
   * the result.
   */
  async #commit(reply: Reply, change: Change, event: Event) {
    event.preventDefault();
    const store = this.host.store();
    if (!store || change.busy) return;
    change.busy = true;
    change.error = '';
    void this.#update();
    const remove = change.kind === 'delete';
    try {
      if (change.kind === 'report') {
        await this.#report(reply, change, (event.target as Element).closest('article'));
        return;
      }
      const total = store.total;
      const changed = await this.#send<Reply>(
        reply,
        remove ? { method: 'DELETE' } : { method: 'PATCH', body: { body: change.text } },
      );
      this.#changes.delete(reply.id);
      store.replace(reply.id, changed);
      // Kept until a read has it, so that an older copy from a shared cache does not undo it.
      rememberOwnWrite(store.ownKey, changed);
      // The stream's counts event may have brought the new total already; never count it twice.
      if (remove && reply.status === 'published') store.total = Math.min(store.total, total - 1);
      store.notify();
    } catch (error) {
      // The reader's text stays, with the server's explanation (e.g. the edit window is over).
      change.error = this.host.report(change.kind, error);
    }
    change.busy = false;
    await this.#update();
  }

  /**
   * What the thread shows of `reply` in place of its body and actions while it is being edited,
   * its deletion or report confirmed, or once it has been reported; `undefined` otherwise.
   */
  render(reply: Reply): unknown {
    const change = this.#changes.get(reply.id);
    if (!change) return undefined;
    const t = this.#t();
    const body = html`<div part="body">${renderDoc(reply.body)}</div>`;
    if (change.done)
      return html`${body}<p part="reported" class="muted" role="status" tabindex="-1">${t.reported}</p>`;
    const cancel = html`<button part="cancel" type="button" @click=${(event: Event) => this.#close(reply, event)}>
      ${t.cancel}
    </button>`;
    const alert = html`<div part="alert" role="alert">${change.error}</div>`;
    const commit = (event: Event) => this.#commit(reply, change, event);
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && void this.#close(reply, event);
    if (change.kind === 'delete')
      return html`${body}
        <div part="confirm" role="group" aria-label=${t.delete} @keydown=${onKey}>
          <p>${t.confirmDelete}</p>
          ${alert}
          <div class="actions">
            <button part="confirm-delete" class="primary" type="button" ?disabled=${change.busy}
              @click=${commit}>${t.delete}</button>
            ${cancel}
          </div>
        </div>`;
    if (change.kind === 'report')
      return html`${body}
        <form part="confirm" aria-label=${t.report} @submit=${commit} @keydown=${onKey}>
          <p>${t.confirmReport}</p>
          <label part="field">${t.reportReason}
            <input name="reason" maxlength="500" autocomplete="off" .value=${change.reason ?? ''}
              @input=${(event: InputEvent) => {
                change.reason = (event.target as HTMLInputElement).value;
              }}>
          </label>
          ${alert}
          <div class="actions">
            <button part="confirm-report" class="primary" type="submit" ?disabled=${change.busy}>${t.report}</button>
            ${cancel}
          </div>
        </form>`;
    return html`<form part="editor" aria-label=${t.editing} @submit=${commit} @keydown=${onKey}>
      ${
        change.text === undefined
          ? change.error
            ? nothing
            : html`<p part="loading" class="muted" aria-busy="true">${t.loading}</p>`
          : html`<textarea name="text" rows="4" maxlength="10000" required aria-label=${t.editing}
            .value=${change.text} @input=${(event: InputEvent) => {
              change.text = (event.target as HTMLTextAreaElement).value;
            }}></textarea>`
      }
      ${alert}
      <div class="actions">
        <button part="save" class="primary" type="submit" ?disabled=${change.busy || change.text === undefined}>
          ${change.busy && change.text !== undefined ? t.sending : t.save}
        </button>
        ${cancel}
      </div>
    </form>`;
  }
}
