import { messagesUrl } from '../api/requests.js';
import { ColloquyElement } from '../internal/colloquy-element.js';
import { cache, catalogs, type Messages } from './messages.js';

const waiting = new Map<string, Set<() => void>>();
/** A site's own strings, by language subtag (see setMessages()). */
const overrides = new Map<string, Partial<Messages>>();

/**
 * Asks the Colloquy server at `api` for the catalog of `language`, once per page, and calls
 * `done` once it is in {@link catalogs}, under the site's own strings for it. A module of its
 * own, loaded by i18nFor() for a language other than English, and by setMessages().
 */
export function fetchCatalog(api: string, language: string, done: () => void): void {
  let callbacks = waiting.get(language);
  if (callbacks) return void callbacks.add(done);
  waiting.set(language, (callbacks = new Set([done])));
  fetch(messagesUrl(api, language))
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((catalog: Partial<Messages>) => {
      // An unknown language or a failed read settles on English (with a site's strings for
      // it: a language added by the site); no retry storm.
      catalogs.set(language, { ...catalog, ...overrides.get(language) });
      for (const callback of callbacks) callback();
    });
}

/** The rest of setMessages() (see there): kept for a catalog still to come, and shown. */
export function setMessages(tag: string, messages: Partial<Messages>): void {
  const language = tag.split('-', 1).join('').toLowerCase();
  overrides.set(language, { ...overrides.get(language), ...messages });
  const catalog = catalogs.get(language);
  if (catalog) catalogs.set(language, { ...catalog, ...messages });
  cache.clear();
  renderAgain(document);
}

/** Renders every Colloquy element in `root` again, in open shadow roots too. */
function renderAgain(root: ParentNode): void {
  for (const element of root.querySelectorAll('*')) {
    if (element instanceof ColloquyElement) element.requestUpdate();
    if (element.shadowRoot) renderAgain(element.shadowRoot);
  }
}
