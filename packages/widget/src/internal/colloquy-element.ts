import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ColloquyError } from '../api/client.js';
import type { ReactionKind, Reactions } from '@colloquy/api';
import { ColloquyErrorEvent, type ColloquyErrorDetail } from '../events/error.js';
import { i18nFor, type I18n } from '../i18n/messages.js';
import { defaultApi, StoreController } from '../store/context.js';
import { readJson, writeJson } from '../store/storage.js';
import type { ReactionTarget, TopicStore } from '../store/topic-store.js';
import { staggered } from './define.js';
import { reactionBar } from './reaction-bar.js';

/** Where the heights of the elements' last complete first renders are kept, by topic and width. */
const HEIGHTS = 'colloquy:heights';
/** Heights kept at most (of elements by topic and width); the least recently shown go first. */
const KEPT_HEIGHTS = 60;
/**
 * The room a defined element holds before its first render (in the script-tag build, a task
 * after it connects): the one the host reserved, else a skeleton's.
 */
const UNRENDERED = '--colloquy-unrendered';

/**
 * What the three Colloquy elements share: the common attributes, the connection to the topic
 * store, the reader's language, reactions and error reporting.
 */
export class ColloquyElement extends LitElement {
  static override properties: PropertyDeclarations = {
    topic: { type: String },
    api: { type: String },
    lang: { type: String, reflect: true },
    dir: { reflect: true },
    theme: { type: String, reflect: true },
    headingLevel: { type: Number, attribute: 'heading-level' },
  };

  /** The topic id; default: the host page's canonical URL. */
  declare topic: string | undefined;
  /** The Colloquy server's origin; default: the origin the widget script was loaded from. */
  declare api: string | undefined;
  /**
   * The writing direction, as for any element; default: `rtl` when the element's language is
   * written right to left (set by the element), else the page's. An author's `dir` is kept.
   */
  declare dir: string;
  /** `light`, `dark` or `auto` (default: follows `prefers-color-scheme`). */
  declare theme: 'light' | 'dark' | 'auto' | undefined;
  /** Level of the element's main heading, 1–6 (default 2). */
  declare headingLevel: number;

  protected readonly data = new StoreController(this);
  /** Strings and formats for the reader's language, refreshed before each render. */
  protected i18n!: I18n;
  #reportedError: ColloquyError | null = null;
  /** Whether this element's height with its content has been remembered (once per element). */
  #measured = false;
  /** The frame in which the element is measured next, once it has rendered. */
  #frame = 0;
  /** The `dir` this element gave itself: an author's `dir` (any other) is left as it is. */
  #dir: string | undefined;
  /** Whether the first render waits for a task of its own (see connectedCallback). */
  #deferred = false;

  constructor() {
    super();
    this.headingLevel = 2;
  }

  /**
   * In the script-tag build, an element the server did not render renders first in a task after
   * the one it connects in, so that upgrading the elements, starting the read and rendering are
   * not one long task on a slow phone. Meanwhile it holds its room (`--colloquy-unrendered`), so
   * the page around it does not move.
   */
  override connectedCallback(): void {
    const prerendered = !!this.shadowRoot?.firstChild;
    super.connectedCallback();
    if (!staggered || this.hasUpdated || prerendered || this.#deferred) return;
    this.#deferred = true;
    this.style.setProperty(UNRENDERED, 'var(--colloquy-loading-height, var(--colloquy-skeleton))');
    this.#language();
    this.#measureInFrame();
  }

  // biome-ignore lint/suspicious/noConfusingVoidType: the return type of LitElement's own
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (!this.#deferred || this.hasUpdated) return super.scheduleUpdate();
    return new Promise((resolve) => setTimeout(resolve)).then(() => super.scheduleUpdate());
  }

  #language() {
    this.i18n = i18nFor(this, this.store?.api ?? (this.api || defaultApi()), () => this.requestUpdate());
  }

  protected get store(): TopicStore | undefined {
    return this.data.store;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    this.#language();
    // Right to left in a language written so, on a left-to-right page too; else as the page
    // says. Set here, not in render(), so that a server rendering the element writes it too.
    // (`dir` is reflected: undefined removes the attribute.)
    if (this.dir === this.#dir) this.dir = this.#dir = (this.i18n.rtl ? 'rtl' : undefined) as string;
    const error = this.store?.error ?? null;
    if (error && error !== this.#reportedError) this.report('load', error);
    this.#reportedError = error;
  }

  /**
   * Whether the element is still settling into the height its content takes (rendering in
   * slices, say), after which it is measured.
   */
  protected settling(): boolean {
    return false;
  }

  /**
   * Reserves the height the element had when it last showed this topic at this width (in
   * `localStorage`), while it loads and renders, so the page around it does not move; then
   * remembers the height its content takes, for the next visit. Measured in the next frame,
   * before it is drawn: reading a size right after rendering would lay the page out in the
   * render's task, once for each element rendered in it, which the frame then does again.
   */
  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#deferred) this.style.removeProperty(UNRENDERED);
    this.#deferred = false;
    this.#measureInFrame();
  }

  #measureInFrame() {
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#measure();
    });
  }

  #measure() {
    const store = this.store;
    if (!store || this.#measured || !this.isConnected) return;
    const key = `${store.api} ${store.topicId} ${this.localName}${(this as { variant?: string }).variant ?? ''} ${this.clientWidth}`;
    const heights = readJson<Record<string, number>>(HEIGHTS) ?? {};
    const { style } = this;
    const reserve = '--colloquy-reserved';
    if (!this.hasUpdated || store.state === 'loading' || store.state === 'idle' || this.settling()) {
      if (heights[key]) style.setProperty(reserve, `${heights[key]}px`);
      return;
    }
    this.#measured = true;
    style.removeProperty(reserve);
    // Nothing to keep for an element that shows nothing (a topic without sources, a hidden one).
    const height = this.offsetHeight;
    if (store.state !== 'ready' || !height) return;
    delete heights[key];
    heights[key] = height;
    const keys = Object.keys(heights);
    for (const old of keys.slice(0, keys.length - KEPT_HEIGHTS)) delete heights[old];
    writeJson(HEIGHTS, heights);
  }

  /** The reader-facing text of a failure: the server's `detail` when it gave one. */
  protected errorText(error: unknown): string {
    const { t } = this.i18n;
    const { status, detail } = error as Partial<ColloquyError>;
    return detail || (status === 0 ? t.network : t.failed);
  }

  /** Fires `colloquy-error` and returns the message for the reader. */
  protected report(action: ColloquyErrorDetail['action'], error: unknown): string {
    const message = this.errorText(error);
    const event = new ColloquyErrorEvent({ action, error: error as ColloquyError, message });
    this.dispatchEvent(event);
    return message;
  }

  protected async toggle(replyId: ReactionTarget, kind: ReactionKind): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      // Reacting is a module of its own, loaded on the first click.
      await (await import('../store/react.js')).toggle(this, store, replyId, kind);
    } catch (error) {
      this.report('react', error);
    }
  }

  /** The loading note or the error with Retry for the store's state; `nothing` once there is data. */
  protected renderState(): unknown {
    const store = this.store;
    const { t } = this.i18n;
    if (store?.state === 'error')
      return html`<div part="error">
        <p role="alert">${t.loadFailed} ${this.errorText(store.error)}</p>
        <button type="button" @click=${() => store.load()}>${t.retry}</button>
      </div>`;
    if (!store || store.state === 'idle' || store.state === 'loading')
      return html`<p part="loading" class="muted" aria-busy="true">${t.loading}</p>`;
    return nothing;
  }

  /** The three reaction buttons of the topic (`replyId` null) or a reply. */
  protected renderReactions(reactions: Reactions, replyId: ReactionTarget, pending = false): unknown {
    return reactionBar(
      this.i18n,
      reactions,
      (kind) => !!this.store?.isActive(replyId, kind),
      (kind) => this.toggle(replyId, kind),
      pending,
    );
  }
}

/**
 * The element's main heading: an `h2` whose `aria-level` gives its level, since a Lit template
 * cannot vary its tag name.
 */
export const heading = (level: number, part: string, content: unknown, id?: string) =>
  html`<h2 part=${part} id=${id ?? nothing} aria-level=${level}>
    ${content}
  </h2>`;

/** The first letter of a name, for an avatar without an image. */
export const initial = (name: string): string => ([...name.trim()][0] ?? '?').toUpperCase();
