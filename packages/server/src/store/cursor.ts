import type { PageCursor } from './store.js';

/**
 * Cursors are opaque to clients: base64url (no padding) of the last top-level reply's
 * createdAt and id, and for a cursor inside a thread, of its last reply's createdAt and id and
 * the thread's root id, then `+` when the page goes on with the threads after that one.
 */
export function encodeCursor(cursor: PageCursor): string {
  const parts = [cursor.createdAt, cursor.id];
  if (cursor.rootId !== undefined) parts.push(cursor.rootId, ...(cursor.resume ? ['+'] : []));
  return Buffer.from(parts.join('|'), 'utf8').toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * Null for anything that is not a cursor this server could have written, byte for byte: the
 * one spelling encodeCursor() gives. base64url has other spellings of the same bytes (unused
 * low bits of the last character, a trailing character that decodes to nothing, padding),
 * and each would be a new query to answer and a new cache entry to keep.
 */
export function decodeCursor(raw: string): PageCursor | null {
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(raw)) return null;
  const decoded = Buffer.from(raw, 'base64url').toString('utf8');
  const [createdAt, id, rootId, resume, ...rest] = decoded.split('|');
  if (rest.length > 0 || !createdAt || !id || !ISO_INSTANT.test(createdAt) || !ID.test(id)) return null;
  if (rootId !== undefined && !ID.test(rootId)) return null;
  if (resume !== undefined && resume !== '+') return null;
  const cursor: PageCursor =
    rootId === undefined
      ? { createdAt, id }
      : { createdAt, id, rootId, ...(resume === '+' ? { resume: true } : {}) };
  return encodeCursor(cursor) === raw ? cursor : null;
}
