import type { ReplySort } from '@colloquy/api';
import { badRequest } from './problem.js';
import { decodeCursor, sortOf } from './store/cursor.js';
import type { PageCursor } from './store/store.js';

export { decodeCursor, encodeCursor } from './store/cursor.js';

/**
 * The `cursor` query parameter: absent is the first page, anything undecodable is a 400, and
 * so is a cursor of another order than `sort` (its position means nothing in this one).
 */
export function cursorParam(raw: string | undefined, sort: ReplySort = 'oldest'): PageCursor | null {
  if (raw === undefined) return null;
  const cursor = decodeCursor(raw);
  if (!cursor)
    throw badRequest('cursor is not a cursor this server issued; use nextCursor from the previous page.');
  if (sortOf(cursor) !== sort)
    throw badRequest(
      `cursor was issued for sort=${sortOf(cursor)}, not sort=${sort}; page on in the order the cursor was made for.`,
    );
  return cursor;
}
