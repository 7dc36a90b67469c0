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

/** The URL of a page topic id, or null when the id is not an http(s) URL. */
export function pageTopicUrl(id: string): URL | null {
  if (id.length > MAX_URL_LENGTH || !/^https?:\/\/[^\s\u0000-\u001f\u007f]+$/i.test(id)) return null;
  try {
    const url = new URL(id);
    return url.hostname ? url : null;
  } catch {
    return null;
  }
}

/** A reader key, as the `X-Colloquy-Reader` header and a ban's `readerKey` carry it. */
export const READER_KEY = new RegExp(`^[A-Za-z0-9_-]{${MIN_READER_KEY_LENGTH},${MAX_READER_KEY_LENGTH}}$`);
