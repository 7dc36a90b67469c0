import { ContextEvent, createContext } from '@lit/context';
import type { LitElement, ReactiveController } from 'lit';
import { topicStore, type TopicStore } from './topic-store.js';

/**
 * Context of the {@link TopicStore} shared by the elements inside a provider (for example a
 * `ContextProvider` on a wrapper element). Without a provider, elements use the page-wide store.
 */
export const topicStoreContext = createContext<TopicStore>(Symbol('colloquy-topic-store'));

/** The API base when no `api` attribute is given: the origin the widget script came from. */
export function defaultApi(): string {
  return new URL(import.meta.url).origin;
}

/** The topic when no `topic` attribute is given: the host page's canonical URL. */
export function defaultTopic(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href;
  return canonical || location.origin + location.pathname;
}

/** What a host element offers the controller: the `api` and `topic` attributes. */
export type StoreHost = LitElement & {
  api?: string | undefined;
  topic?: string | undefined;
  /** `compact` needs only the topic's summary. */
  variant?: string;
};

/**
 * The controllers of connected elements further than a screen from the viewport: told whenever
 * a store notifies its subscribers, so that one whose store has become ready (another element
 * read it) renders at once, without waiting for the reader to scroll near.
 */
const waiting = new Set<() => void>();

/**
 * Connects an element to its topic store: the provided one when an ancestor provides the
 * context, else the page-wide one for the element's `api` and `topic`. Subscribes while
 * connected and follows changes of `api` and `topic`.
 */
export class StoreController implements ReactiveController {
  #store: TopicStore | undefined;
  #provided: TopicStore | undefined;
  #unsubscribe: (() => void) | undefined;
  #leaveProvider: (() => void) | undefined;
  /** Whether the host has come within a screen of the viewport; nothing is read before. */
  #near = false;
  readonly #wake = () => this.#resolve();

  constructor(private readonly host: StoreHost) {
    host.addController(this);
  }

  /**
   * The store in use while the host is connected; before that (and on a server, where nothing
   * connects) the host's topic's store if it has its read already.
   */
  get store(): TopicStore | undefined {
    return this.#store ?? this.#ready();
  }

  /**
   * The store of the host's topic when it is ready: a server-rendered page brought its read
   * (see ssr/prime.ts), or another element read it. Used at once, costing no read.
   */
  #ready() {
    const { api, topic } = this.host;
    const store = api && topic ? topicStore(api, topic) : undefined;
    return store?.state === 'ready' ? store : undefined;
  }

  hostConnected(): void {
    // The context protocol: a provider above answers at once, and again when its store changes.
    // (ContextConsumer does the same with more machinery than one subscription needs.)
    this.host.dispatchEvent(
      new ContextEvent(
        topicStoreContext,
        this.host,
        (store, unsubscribe) => {
          this.#leaveProvider = unsubscribe;
          this.#provided = store;
          this.#resolve();
        },
        true,
      ),
    );
    if (!this.#near) {
      // Already within a screen of the viewport (the usual case when the script has just run):
      // read now, without waiting a frame for the observer's first report. An element not
      // rendered at all (in a hidden part of the page) has no box, and waits.
      const [box] = this.host.getClientRects();
      this.#near = !!box && box.bottom >= -innerHeight && box.top <= 2 * innerHeight;
    }
    if (!this.#near) {
      // A widget further down the page than a screen costs the reader nothing until then, or
      // until its store is ready.
      waiting.add(this.#wake);
      const watch = new IntersectionObserver(
        (entries) => {
          if (!entries.at(-1)?.isIntersecting) return;
          watch.disconnect();
          this.#near = true;
          this.#resolve();
        },
        { rootMargin: '100%' },
      );
      watch.observe(this.host);
    }
    this.#resolve();
  }

  hostUpdate(): void {
    this.#resolve();
  }

  hostDisconnected(): void {
    waiting.delete(this.#wake);
    this.#leaveProvider?.();
    this.#unsubscribe?.();
    this.#unsubscribe = this.#leaveProvider = this.#store = this.#provided = undefined;
  }

  #resolve() {
    // A store with its read costs nothing more: used at once, off screen too (as the server rendered it).
    if (!this.host.isConnected) return;
    const store =
      this.#provided ?? topicStore(this.host.api || defaultApi(), this.host.topic || defaultTopic());
    if (store === this.#store || !(this.#near || store.state === 'ready')) return;
    this.#unsubscribe?.();
    this.#store = store;
    this.#unsubscribe = store.subscribe(() => {
      this.host.requestUpdate();
      for (const wake of waiting) wake();
    }, this.host.variant !== 'compact');
    this.host.requestUpdate();
  }
}
