/**
 * Loaded only on a page with server-rendered elements (see internal/define.ts), before the
 * elements are defined: installs Lit's hydration support on the LitElement the elements use,
 * so that each adopts the shadow root the server rendered instead of rendering anew, and
 * primes the topic stores with the reads the page brought, so nothing is read again.
 */
import { LitElement } from 'lit';
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { addCatalog } from '../i18n/messages.js';
import { type TopicStore, topicStore } from '../store/topic-store.js';
import { PAGE_DATA, type PageData } from './page-data.js';

declare global {
  var litElementHydrateSupport: ((lit: { LitElement: typeof LitElement }) => void) | undefined;
}

const primed: Array<[TopicStore, PageData['read']]> = [];
// Only in a browser: in Node (a server importing every module, say) this module does nothing.
if (globalThis.document) {
  // Lit calls this hook when its module first runs, if the hook is there by then; usually Lit
  // has run already, so call it now, but never twice (patched twice, an element would render
  // its content a second time after hydrating it). Installed, the hook has given LitElement an
  // `observedAttributes` of its own (adding `defer-hydration`).
  if (!Object.hasOwn(LitElement, 'observedAttributes')) globalThis.litElementHydrateSupport?.({ LitElement });
  for (const script of document.querySelectorAll(PAGE_DATA)) {
    try {
      // JSON.parse, never the HTML parser: the data is data.
      const { api, topic, lang, read, messages } = JSON.parse(script.textContent ?? '') as PageData;
      if (messages) addCatalog(lang, messages);
      const store = topicStore(api, topic);
      store.prime(read);
      primed.push([store, read]);
    } catch {
      // Not ours, or damaged: those elements read their topic as without a server render.
    }
  }
}
globalThis.litElementHydrateSupport = undefined;

// After the elements have been defined and have hydrated (Lit updates in microtasks, this runs
// after them): what only this browser knows joins what the server rendered, this reader's
// replies held for review and their own reactions pressed.
setTimeout(() => {
  for (const [store, read] of primed) {
    store.prime(read, true);
    store.notify();
    // The page rendered the oldest replies first; a reader who chose another order on this
    // site reads them again in it, quietly (what is shown stays until the read is in).
    if (store.sort !== 'oldest') void store.load(true);
  }
});
