import {
  MAX_READER_KEY_LENGTH,
  MAX_REPLY_ID_LENGTH,
  MAX_SLUG_LENGTH,
  MAX_URL_LENGTH,
  MIN_READER_KEY_LENGTH,
} from './limits.js';

/** A slug topic id: a letter or digit, then letters, digits, ".", "_" or "-". */
export const TOPIC_SLUG = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${MAX_SLUG_LENGTH - 1}}$`);

/** A reply id: letters, digits, "_" or "-". */
export const REPLY_ID = new RegExp(`^[0-9A-Za-z_-]{1,${MAX_REPLY_ID_LENGTH}}$`);

/** A topic id is a slug, or the absolute http(s) URL of the page a page topic belongs to. */
export function isTopicId(id: string): boolean {
  return TOPIC_SLUG.test(id) || pageTopicUrl(id) !== null;
}

/**
 * The URL of a page topic id, or null when the id is not an http(s) URL (or is not valid
 * Unicode: a lone surrogate could be stored but never asked for again).
 */
export function pageTopicUrl(id: string): URL | null {
  if (id.length > MAX_URL_LENGTH || !/^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(id) || /\p{Cs}/u.test(id))
    return null;
  try {
    const url = new URL(id);
    return url.hostname ? url : null;
  } catch {
    return null;
  }
}

/** The topic id as stored: a slug as it is, a page URL in its canonical form (canonicalPageUrl). */
export const canonicalTopicId = (id: string): string =>
  TOPIC_SLUG.test(id) ? id : (canonicalPageUrl(id) ?? id);

/**
 * Query parameters that say how a reader came to a page, not which page it is: analytics
 * campaign tags and click ids of ad and social networks. Dropped from page topic URLs.
 */
export const TRACKING_PARAMETERS: readonly (string | RegExp)[] = [
  /^utm_/i,
  /^_ga$/,
  /^_gl$/,
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'igshid',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'rb_clickid',
  's_cid',
];

const isTracking = (name: string) =>
  TRACKING_PARAMETERS.some((p) => (typeof p === 'string' ? p === name.toLowerCase() : p.test(name)));

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const hex = (byte: number) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Percent-encoding in one spelling (RFC 3986, 6.2.2): encoded unreserved characters and
 * encoded UTF-8 are decoded (the URL parser encodes non-ASCII again, after NFC), other encoded
 * bytes keep their encoding in upper-case hex.
 */
function normalizePercent(part: string): string {
  return part.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = run
      .slice(1)
      .split('%')
      .map((h) => Number.parseInt(h, 16));
    let out = '';
    for (let k = 0; k < bytes.length; ) {
      const byte = bytes[k] ?? 0;
      if (byte < 0x80) {
        const ch = String.fromCharCode(byte);
        out += UNRESERVED.test(ch) ? ch : hex(byte);
        k++;
        continue;
      }
      let end = k;
      while (end < bytes.length && (bytes[end] ?? 0) >= 0x80) end++;
      const chunk = bytes.slice(k, end);
      try {
        out += new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(chunk));
      } catch {
        out += chunk.map(hex).join('');
      }
      k = end;
    }
    return out;
  });
}

/**
 * The one form of a page URL that its variants share, so that they name one page topic: the
 * URL parser's (scheme and host lower-cased, IDN hosts in punycode, default port dropped, dot
 * segments resolved), without the fragment and tracking parameters (TRACKING_PARAMETERS),
 * percent-encoding in one spelling and the text in NFC. Null for an id that is not an http(s)
 * page URL.
 */
export function canonicalPageUrl(id: string): string | null {
  const parsed = pageTopicUrl(id);
  if (!parsed) return null;
  parsed.hash = '';
  parsed.username = '';
  parsed.password = '';
  const query = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(decodeName(pair.split('=')[0] ?? '')));
  const path = normalizePercent(parsed.pathname).normalize('NFC');
  const search = query.map((pair) => normalizePercent(pair).normalize('NFC')).join('&');
  const again = new URL(`${parsed.origin}${path}${search ? `?${search}` : ''}`);
  return again.href.length <= MAX_URL_LENGTH ? again.href : null;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** A reader key, as the `X-Colloquy-Reader` header and a ban's `readerKey` carry it. */
export const READER_KEY = new RegExp(`^[A-Za-z0-9_-]{${MIN_READER_KEY_LENGTH},${MAX_READER_KEY_LENGTH}}$`);
