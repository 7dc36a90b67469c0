import { messagesUrl } from '../api/requests.js';
import { catalogs, type Messages } from './messages.js';

const waiting = new Map<string, Set<() => void>>();

/**
 * Asks the Colloquy server at `api` for the catalog of `language`, once per page, and calls
 * `done` once it is in {@link catalogs}. A module of its own, loaded by i18nFor() for a language
 * other than English.
 */
export function fetchCatalog(api: string, language: string, done: () => void): void {
  let callbacks = waiting.get(language);
  if (callbacks) return void callbacks.add(done);
  waiting.set(language, (callbacks = new Set([done])));
  fetch(messagesUrl(api, language))
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((catalog: Partial<Messages>) => {
      // An unknown language or a failed read settles on English; no retry storm.
      catalogs.set(language, catalog);
      for (const callback of callbacks) callback();
    });
}
