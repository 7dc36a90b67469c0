import { badRequest } from './problem.js';
import { decodeCursor } from './store/cursor.js';
import type { PageCursor } from './store/store.js';

export { decodeCursor, encodeCursor } from './store/cursor.js';

/** The `cursor` query parameter: absent is the first page, anything undecodable is a 400. */
export function cursorParam(raw: string | undefined): PageCursor | null {
  if (raw === undefined) return null;
  const cursor = decodeCursor(raw);
  if (!cursor)
    throw badRequest('cursor is not a cursor this server issued; use nextCursor from the previous page.');
  return cursor;
}
