import type { editMessages } from './edit-messages.js';

const en = {
  category: 'Category',
  reactions: 'Reactions',
  like: 'Like',
  insightful: 'Insightful',
  disagree: 'Disagree',
  replies: 'Replies (#)',
  noReplies: 'No replies in this topic yet.',
  sources: 'Sources',
  loading: 'Loading…',
  loadFailed: 'Could not load the discussion.',
  network: 'The server is unreachable. Check your connection.',
  failed: 'Something went wrong. Try again.',
  retry: 'Retry',
  newReplies: 'New replies (#)',
  loadMore: 'Load more',
  reply: 'Reply',
  replyTo: 'Reply to #',
  inReplyTo: 'in reply to #',
  cancel: 'Cancel',
  name: 'Name',
  text: 'Reply',
  post: 'Post reply',
  sending: 'Sending…',
  locked: 'This topic is closed.',
  awaitingReview: 'Awaiting review',
  deleted: 'Removed.',
  signedIn: 'Signed in',
  posted: 'Your reply was posted.',
  moreInThread: 'Show more replies (#)',
  sort: 'Sort',
  oldest: 'Oldest first',
  newest: 'Newest first',
  top: 'Most reacted',
};

/** The UI strings of one language (every catalog has them all). */
export type Messages = typeof en & typeof editMessages;

/** English, the catalog built into the elements and the fallback for every missing string. */
export { en };

/** Formatting and strings for one locale. */
export class I18n {
  /**
   * The UI strings, English when the language has no catalog. The English strings of the
   * editor of one's own reply are in its module (edit-messages.ts), not here.
   */
  readonly t: typeof en & Partial<Messages>;
  readonly #numbers: Intl.NumberFormat;
  readonly #dates: Intl.DateTimeFormat;

  /** `t`: the strings of `locale`'s language; English by default. */
  constructor(locale: string, t: Partial<Messages> = en) {
    try {
      [locale = 'en'] = Intl.getCanonicalLocales(locale);
    } catch {
      locale = 'en';
    }
    this.t = { ...en, ...t };
    this.#numbers = new Intl.NumberFormat(locale);
    // The numeric date and time with seconds that toLocaleString() gives, e.g. "4/21/2026, 4:20:34 PM".
    const n = 'numeric';
    this.#dates = new Intl.DateTimeFormat(locale, {
      year: n,
      month: n,
      day: n,
      hour: n,
      minute: n,
      second: n,
    });
  }

  num = (n: number): string => this.#numbers.format(n);

  /** An ISO instant in the reader's locale, e.g. "4/21/2026, 4:20:34 PM". */
  date = (iso: string): string => {
    const date = new Date(iso);
    return Number.isNaN(+date) ? iso : this.#dates.format(date);
  };

  /** A message with `#` replaced by `value`, numbers formatted for the locale. */
  fill = (message: string, value: string | number): string =>
    message.replace('#', typeof value === 'number' ? this.num(value) : value);
}

const cache = new Map<string, I18n>();
/** Catalogs of other languages, by language subtag, once the server has answered. */
export const catalogs = new Map<string, Partial<Messages>>([['en', en]]);

/**
 * Makes `catalog` the strings of `language` (a primary subtag, `de`) without asking the server:
 * a server rendering the elements has its catalogs at hand, and a server-rendered page brings
 * the catalog it was rendered with.
 */
export const addCatalog = (language: string, catalog: Partial<Messages>): void =>
  void catalogs.set(language, catalog);

/**
 * The I18n of an element: its `lang`, else the closest `[lang]` ancestor's (across shadow
 * roots), else the document's, else the browser's language. A language other than English
 * is fetched from the server at `api` on first use; until it arrives the strings are English
 * and `onLoad` is called once it has.
 */
export function i18nFor(element: Element, api: string, onLoad: () => void): I18n {
  let lang = '';
  // No `instanceof Element`: on a server the element is a DOM shim's, and there is no Element,
  // no parent and maybe no navigator.
  for (
    let node: Node | undefined = element;
    node && !lang;
    node = node.parentNode ?? (node as ShadowRoot).host
  )
    lang = (node as Partial<Element>).getAttribute?.('lang') ?? '';
  lang ||= globalThis.navigator?.language || 'en';
  const language = lang.split('-', 1).join('').toLowerCase();
  const catalog = catalogs.get(language);
  // The loader is a module of its own, which readers of English never need.
  if (!catalog)
    void import('./fetch-catalog.js').then((loader) => loader.fetchCatalog(api, language, onLoad));
  const key = `${lang} ${!!catalog}`;
  let i18n = cache.get(key);
  if (!i18n) cache.set(key, (i18n = new I18n(lang, catalog)));
  return i18n;
}
