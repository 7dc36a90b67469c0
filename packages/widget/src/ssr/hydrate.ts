/**
 * Loaded only on a page with server-rendered elements (see internal/define.ts), before the
 * elements are defined: installs Lit's hydration support on the LitElement the elements use,
 * so that each adopts the shadow root the server rendered instead of rendering anew, and
 * primes the topic stores with the reads the page brought, so nothing is read again.
 */
import { LitElement } from 'lit';
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import { addCatalog } from '../i18n/messages.js';
import { primeStore, type TopicStore, topicStore } from '../store/topic-store.js';
import { PAGE_DATA, type PageData } from './page-data.js';

declare global {
  var litElementHydrateSupport: ((lit: { LitElement: typeof LitElement }) => void) | undefined;
}

// Lit calls this hook when its module first runs; here Lit has run already, so call it now.
globalThis.litElementHydrateSupport?.({ LitElement });
globalThis.litElementHydrateSupport = undefined;

const stores: TopicStore[] = [];
for (const script of document.querySelectorAll(PAGE_DATA)) {
  try {
    // JSON.parse, never the HTML parser: the data is data.
    const { api, topic, lang, read, messages } = JSON.parse(script.textContent ?? '') as PageData;
    if (messages) addCatalog(lang, messages);
    primeStore(api, topic, read);
    stores.push(topicStore(api, topic));
  } catch {
    // Not ours, or damaged: those elements read their topic as without a server render.
  }
}

/**
 * After the elements have hydrated: what only this browser knows joins what the server
 * rendered (this reader's replies held for review, their own reactions pressed).
 */
export const hydrated = (): void => {
  const settling = stores.splice(0);
  setTimeout(() => {
    for (const store of settling) store.showHeld();
  });
};
