import { isServer } from 'lit';
import type { controlsMessages } from './controls-messages.js';
import type { editMessages } from './edit-messages.js';
import type { formMessages } from './form-messages.js';

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
  sending: 'Sending…',
  locked: 'This topic is closed.',
  awaitingReview: 'Awaiting review',
  deleted: 'Removed.',
  signedIn: 'Signed in',
  moreInThread: 'Show more replies (#)',
  report: 'Report',
};

/**
 * A message with a count in it: one text with `#` where the number goes, or its plural forms,
 * chosen by `Intl.PluralRules` for the count (`other` when the rules select a form not given).
 * A form may leave the number out where the language says it in words ("one reply").
 */
export type Counted = string | ({ other: string } & { [form in Intl.LDMLPluralRule]?: string });

/** The messages that are filled with a count: only these may have plural forms. */
export type CountedKey = 'replies' | 'newReplies' | 'moreInThread';

/** The UI strings of one language (every catalog has them all). */
export type Messages = {
  [key in
    | keyof typeof en
    | keyof typeof editMessages
    | keyof typeof formMessages
    | keyof typeof controlsMessages]: key extends CountedKey ? Counted : string;
};

/** English, the catalog built into the elements and the fallback for every missing string. */
export { en };

/** Formatting and strings for one locale. */
export class I18n {
  /**
   * The UI strings, English when the language has no catalog. The English strings of the
   * reply form, of the editor of one's own reply and of the reader controls are in their
   * modules (form-messages.ts, edit-messages.ts, controls-messages.ts), not here.
   */
  readonly t: Omit<
    Messages,
    keyof typeof editMessages | keyof typeof formMessages | keyof typeof controlsMessages
  > &
    Partial<Messages>;
  /** Whether the language is written right to left (Arabic, Hebrew, Persian, Urdu, …). */
  readonly rtl: boolean;
  readonly #locale: string;
  // Made on first use: a first render before the topic is read formats nothing.
  #numbers?: Intl.NumberFormat;
  #plurals?: Intl.PluralRules;
  #dates?: Intl.DateTimeFormat;

  /** `t`: the strings of `locale`'s language; English by default. */
  constructor(locale: string, t: Partial<Messages> = en) {
    try {
      [locale = 'en'] = Intl.getCanonicalLocales(locale);
    } catch {
      locale = 'en';
    }
    this.t = { ...en, ...t };
    // Written right to left: the language's script (its likely one unless the tag names one,
    // `ar` is `ar-Arab-EG`) is one of those written so. Not English without a script named (the
    // built-in strings, and most readers), whose script is known: finding a language's likely
    // script costs a browser 4 to 8 ms of CPU the first time, in the task of the first render.
    this.rtl =
      !/^en(-[A-Z]{2})?$/.test(locale) &&
      /-(Adlm|Arab|Hebr|Nkoo|Rohg|Syrc|Thaa)/.test(`${new Intl.Locale(locale).maximize()}`);
    this.#locale = locale;
    // A browser's first number or date formatter costs 15 to 30 ms of CPU (ICU's data and V8's
    // tables of the locales it has, made once a process): more than the rest of a first render.
    // Made in tasks of their own (the first pays for both), while the topic is read, rather than
    // in the task that renders it.
    if (!isServer)
      setTimeout(() => {
        this.num(0);
        setTimeout(this.date, 0, '');
      });
  }

  num = (n: number): string => (this.#numbers ??= new Intl.NumberFormat(this.#locale)).format(n);

  /** An ISO instant in the reader's locale, e.g. "4/21/2026, 4:20:34 PM". */
  date = (iso: string): string => {
    // The numeric date and time with seconds that toLocaleString() gives.
    const n = 'numeric';
    const format = (this.#dates ??= new Intl.DateTimeFormat(this.#locale, {
      year: n,
      month: n,
      day: n,
      hour: n,
      minute: n,
      second: n,
    }));
    const date = new Date(iso);
    return Number.isNaN(+date) ? iso : format.format(date);
  };

  /**
   * A message with `#` replaced by `value`, numbers formatted for the locale; a counted
   * message in the plural form the locale's rules choose for the count.
   */
  fill: {
    (message: Counted, count: number): string;
    (message: string, value: string): string;
  } = (message: Counted, value: string | number): string =>
    (typeof message === 'string'
      ? message
      : (message[(this.#plurals ??= new Intl.PluralRules(this.#locale)).select(value as number)] ??
        message.other)
    ).replace('#', typeof value === 'number' ? this.num(value) : value);
}

/** The I18n of each language tag in use; emptied when a site's strings change. */
export const cache = new Map<string, I18n>();
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
 * Puts a site's own strings over those of `language` (a language tag; its primary subtag
 * counts, `de` for `de-AT`): over the built-in English, a catalog from the server (also one
 * that arrives later) or one given to {@link addCatalog} before. A language the server has no
 * catalog for is added this way: its strings over English. Later calls add to earlier ones,
 * and the elements on the page render again with them.
 */
export function setMessages(language: string, messages: Partial<Messages>): void {
  // At once where the language's strings are here (English always is), for the elements about
  // to render; the rest (a catalog still to come, rendering again) is the catalog loader's,
  // which readers of English without a site's strings never load.
  const catalog = catalogs.get(language);
  if (catalog) catalogs.set(language, { ...catalog, ...messages });
  cache.clear();
  void import('./fetch-catalog.js').then((loader) => loader.setMessages(language, messages));
}

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
