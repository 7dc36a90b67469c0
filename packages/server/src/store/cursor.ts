import type { ReplySort } from '@colloquy/api';
import type { PageCursor } from './store.js';

/**
 * Cursors are opaque to clients: base64url (no padding) of the last top-level reply's
 * createdAt and id, and for a cursor inside a thread, of its last reply's createdAt and id and
 * the thread's root id, then `+` when the page goes on with the threads after that one. A
 * cursor of another order than `oldest` starts with it: `n` (newest), or `t` and the root's
 * reactions (top), so a cursor is only ever read in the order it was made for.
 */
export function encodeCursor(cursor: PageCursor): string {
  const parts = [cursor.createdAt, cursor.id];
  if (cursor.sort === 'newest') parts.unshift('n');
  if (cursor.sort === 'top') parts.unshift(`t${cursor.score ?? 0}`);
  if (cursor.rootId !== undefined) parts.push(cursor.rootId, ...(cursor.resume ? ['+'] : []));
  return Buffer.from(parts.join('|'), 'utf8').toString('base64url');
}

/** The order a cursor was made for. */
export const sortOf = (cursor: PageCursor): ReplySort => cursor.sort ?? 'oldest';

/** The order part of a cursor: `n`, or `t` and up to 9 digits (no leading zeros). */
const ORDER = /^(n|t(0|[1-9]\d{0,8}))$/;

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
  const all = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  const order = all[0] !== undefined && ORDER.test(all[0]) ? all.shift() : undefined;
  const [createdAt, id, rootId, resume, ...rest] = all;
  if (rest.length > 0 || !createdAt || !id || !ISO_INSTANT.test(createdAt) || !ID.test(id)) return null;
  if (rootId !== undefined && !ID.test(rootId)) return null;
  if (resume !== undefined && resume !== '+') return null;
  const sorted: Pick<PageCursor, 'sort' | 'score'> =
    order === undefined
      ? {}
      : order === 'n'
        ? { sort: 'newest' }
        : { sort: 'top', score: Number(order.slice(1)) };
  const cursor: PageCursor =
    rootId === undefined
      ? { createdAt, id, ...sorted }
      : { createdAt, id, rootId, ...(resume === '+' ? { resume: true } : {}), ...sorted };
  return encodeCursor(cursor) === raw ? cursor : null;
}
