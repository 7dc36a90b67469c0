/**
 * The reader controls of `<reply-thread>`: the order of its replies, and following the page's
 * hash to a reply a link names (`#reply-<id>`, a reply's permalink). A module of its own, loaded
 * with the page, beside the core (which then renders the threads again): the control floats at
 * the end of the heading's line, so the replies do not move when it comes. What going to a
 * reply takes is in a module of its own again (permalink.ts), loaded only when the hash names
 * a reply.
 */
import { html, nothing } from 'lit';
import { REPLY_SORTS, type ReplySort } from '@colloquy/api';
import { controlsMessages } from '../i18n/controls-messages.js';
import type { I18n } from '../i18n/messages.js';
import { writeJson } from '../store/storage.js';
import { SORT_KEY, type TopicStore } from '../store/topic-store.js';
import type { ReplyThread } from './reply-thread.js';

/** Reads `store`'s replies again in `sort` order, which this site keeps for the reader's next visits. */
export function setSort(store: TopicStore, sort: ReplySort): Promise<void> {
  writeJson(SORT_KEY, (store.sort = sort));
  return store.load(true);
}

/**
 * The controls of `thread` (its order: a labelled `<select>`), once there are two replies or
 * more to order.
 */
export function render(thread: ReplyThread): unknown {
  // The element's store and strings: its subclass keeps them protected from the page, not from its modules.
  const { store, i18n } = thread as unknown as { store?: TopicStore; i18n: I18n };
  if (!store || store.total < 2) return nothing;
  // A first render may be hydrating what a server rendered (without the controls): it must
  // render the same, so the controls come with the render right after it.
  if (!thread.hasUpdated) {
    void thread.updateComplete.then(() => thread.requestUpdate());
    return nothing;
  }
  const t = { ...controlsMessages, ...i18n.t };
  const choose = (event: Event) => {
    const sort = REPLY_SORTS[(event.target as HTMLSelectElement).selectedIndex];
    if (sort) void setSort(store, sort);
  };
  return html`<label part="sort">${t.sort}
    <select @change=${choose}>${REPLY_SORTS.map(
      (sort) => html`<option value=${sort} ?selected=${sort === store.sort}>${t[sort]}</option>`,
    )}</select></label>`;
}

/** Goes to the reply the page's hash names, if it names one, with the module that does. */
const follow = () =>
  /^#reply-./.test(location.hash) &&
  import('./permalink.js').then(
    (link) => link.follow(),
    () => {},
  );
// Only in a browser: in Node (a server importing every module, say) this module does nothing.
if (globalThis.document) {
  addEventListener('hashchange', follow);
  follow();
  // The threads shown before this module came render again, with the control (once the core
  // has taken the module: after this turn).
  setTimeout(() => {
    for (const thread of document.querySelectorAll('reply-thread')) thread.requestUpdate();
  });
}
