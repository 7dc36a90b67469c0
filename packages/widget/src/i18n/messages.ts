/** Plural forms; `#` stands for the formatted count. */
type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const en = {
  category: 'Category',
  reactions: 'Reactions',
  like: 'Like',
  insightful: 'Insightful',
  disagree: 'Disagree',
  replies: 'Replies (#)',
  replyCount: { one: '# reply', other: '# replies' } as Plural,
  noReplies: 'No replies in this topic yet.',
  sources: 'Sources',
  loading: 'Loading…',
  loadFailed: 'The discussion could not be loaded.',
  network: 'The discussion server is unreachable. Check your connection and retry.',
  failed: 'Something went wrong. Please try again.',
  retry: 'Retry',
  loadMore: 'Load more',
  reply: 'Reply',
  replyTo: 'Reply to #',
  replyingTo: 'Replying to #',
  inReplyTo: 'in reply to #',
  cancel: 'Cancel',
  name: 'Name',
  text: 'Reply',
  post: 'Post reply',
  sending: 'Sending…',
  nameRequired: 'Please enter your name.',
  textRequired: 'Please write a reply.',
  tooLong: 'At most # characters, please.',
  locked: 'This topic is closed for new replies.',
};

/** The UI strings of one language. */
export type Messages = typeof en;

const de: Messages = {
  category: 'Kategorie',
  reactions: 'Reaktionen',
  like: 'Gefällt mir',
  insightful: 'Aufschlussreich',
  disagree: 'Widerspruch',
  replies: 'Antworten (#)',
  replyCount: { one: '# Antwort', other: '# Antworten' },
  noReplies: 'Zu diesem Thema gibt es noch keine Antworten.',
  sources: 'Quellen',
  loading: 'Wird geladen…',
  loadFailed: 'Die Diskussion konnte nicht geladen werden.',
  network: 'Der Diskussionsserver ist nicht erreichbar. Prüfen Sie Ihre Verbindung.',
  failed: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  retry: 'Erneut versuchen',
  loadMore: 'Mehr laden',
  reply: 'Antworten',
  replyTo: 'Antwort an #',
  replyingTo: 'Antwort an #',
  inReplyTo: 'als Antwort auf #',
  cancel: 'Abbrechen',
  name: 'Name',
  text: 'Antwort',
  post: 'Antwort senden',
  sending: 'Wird gesendet…',
  nameRequired: 'Bitte geben Sie Ihren Namen ein.',
  textRequired: 'Bitte schreiben Sie eine Antwort.',
  tooLong: 'Bitte höchstens # Zeichen.',
  locked: 'Dieses Thema ist für neue Antworten geschlossen.',
};

const catalogs: Record<string, Messages> = { en, de };

/** Formatting and strings for one locale. */
export class I18n {
  /** The UI strings, English when the language has no catalog. */
  readonly t: Messages;
  private readonly numbers: Intl.NumberFormat;
  private readonly dates: Intl.DateTimeFormat;
  private readonly plurals: Intl.PluralRules;

  constructor(locale: string) {
    try {
      [locale = 'en'] = Intl.getCanonicalLocales(locale);
    } catch {
      locale = 'en';
    }
    this.t = catalogs[locale.split('-')[0]!.toLowerCase()] ?? en;
    this.numbers = new Intl.NumberFormat(locale);
    // The numeric date and time with seconds that toLocaleString() gives, e.g. "4/21/2026, 4:20:34 PM".
    const n = 'numeric';
    this.dates = new Intl.DateTimeFormat(locale, { year: n, month: n, day: n, hour: n, minute: n, second: n });
    this.plurals = new Intl.PluralRules(locale);
  }

  num = (n: number): string => this.numbers.format(n);

  /** An ISO instant in the reader's locale, e.g. "4/21/2026, 4:20:34 PM". */
  date = (iso: string): string => {
    const date = new Date(iso);
    return isNaN(+date) ? iso : this.dates.format(date);
  };

  /** A message with `#` replaced: by `value` as is, or by a count picking the plural form. */
  fill = (message: string | Plural, value: string | number): string =>
    (typeof message === 'string'
      ? message
      : (message[this.plurals.select(value as number)] ?? message.other)
    ).replace('#', typeof value === 'number' ? this.num(value) : value);
}

const cache = new Map<string, I18n>();

/**
 * The I18n of an element: its `lang`, else the closest `[lang]` ancestor's (across shadow
 * roots), else the document's, else the browser's language.
 */
export function i18nFor(element: Element): I18n {
  let lang = '';
  for (let node: Node | null = element; node && !lang; ) {
    if (node instanceof Element) lang = node.getAttribute('lang') ?? '';
    node = node.parentNode ?? (node as ShadowRoot).host ?? null;
  }
  lang ||= navigator.language || 'en';
  let i18n = cache.get(lang);
  if (!i18n) cache.set(lang, (i18n = new I18n(lang)));
  return i18n;
}
