import type { PageCursor } from './store.js';

/** Cursors are opaque to clients: base64url of the last top-level reply's createdAt and id. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** Null for anything that is not a cursor this server could have written. */
export function decodeCursor(raw: string): PageCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) return null;
  const decoded = Buffer.from(raw, 'base64url').toString('utf8');
  const [createdAt, id, ...rest] = decoded.split('|');
  if (rest.length > 0 || !createdAt || !id) return null;
  if (!ISO_INSTANT.test(createdAt) || !/^[0-9A-Za-z_-]{1,64}$/.test(id)) return null;
  return { createdAt, id };
}
