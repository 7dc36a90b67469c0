/**
 * Isso's SQLite database, opened read-only: `threads (id, uri, title)` and
 * `comments (tid, id, parent, created, modified, mode, text, author, email, website, …)`, where
 * `mode` is 1 for approved, 2 for pending and 4 for deleted (kept blank because it has replies),
 * times are Unix seconds, `uri` is the page's path and `text` the Markdown its author wrote.
 * Isso keeps replies one level deep: a reply to a reply points at the top-level comment.
 *
 * Order: the reader asks for the comments by thread and id, so each thread record comes just
 * before its comments and, as Isso gives ids in the order comments are written, a parent before
 * its replies.
 */
import Database from 'better-sqlite3';
import { lazyBody } from './body.js';
import {
  at,
  ImportFormatError,
  makeReader,
  resolveThreadUrl,
  type CommentState,
  type ImportReader,
  type ReaderOptions,
  type SourcePosition,
} from './records.js';
import { epochSecondsInstant } from './time.js';

interface Row {
  id: number;
  tid: number | null;
  parent: number | null;
  created: number;
  modified: number | null;
  mode: number | null;
  text: string | null;
  author: string | null;
  email: string | null;
  website: string | null;
  uri: string | null;
  title: string | null;
}

const states: Readonly<Record<number, CommentState>> = { 1: 'approved', 2: 'pending', 4: 'deleted' };

function present(value: string | null): string | undefined {
  return value === null || value.trim() === '' ? undefined : value.trim();
}

export function readIsso(file: string, options: ReaderOptions = {}): ImportReader {
  return makeReader('isso', file, 'rows', async function* (progress) {
    const position = (rowid: number): SourcePosition => ({ kind: 'row', file, table: 'comments', rowid });
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (error) {
      throw new ImportFormatError(
        position(0),
        `the database could not be opened: ${(error as Error).message}`,
        { cause: error },
      );
    }
    let last = 0;
    let rows: IterableIterator<Row> | undefined;
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('threads', 'comments')")
        .pluck()
        .all() as string[];
      if (tables.length !== 2) {
        throw new ImportFormatError(
          position(0),
          'this is not an Isso database: it has no threads and comments tables',
        );
      }
      progress.total = db.prepare('SELECT count(*) FROM comments').pluck().get() as number;
      rows = db
        .prepare(
          `SELECT c.id, c.tid, c.parent, c.created, c.modified, c.mode, c.text, c.author, c.email, c.website,
                  t.uri, t.title
             FROM comments AS c LEFT JOIN threads AS t ON t.id = c.tid
            ORDER BY c.tid, c.id`,
        )
        .iterate() as IterableIterator<Row>;
      let thread: number | null | undefined;
      for (const row of rows) {
        last = row.id;
        progress.done++;
        const where = position(row.id);
        if (row.uri === null) {
          yield {
            kind: 'skipped',
            what: 'comment',
            sourceId: String(row.id),
            reason: `its thread ${row.tid} is not in the database`,
            position: where,
          };
          continue;
        }
        if (row.tid !== thread) {
          thread = row.tid;
          yield {
            kind: 'thread',
            sourceId: String(row.tid),
            url: at(where, () => resolveThreadUrl(row.uri, options)),
            title: present(row.title) ?? null,
            createdAt: null,
            locked: false,
            position: { kind: 'row', file, table: 'threads', rowid: row.tid ?? 0 },
          };
        }
        const state = row.mode === null ? undefined : states[row.mode];
        if (state === undefined)
          throw new ImportFormatError(where, `comment ${row.id} has an unknown mode ${row.mode}`);
        const email = present(row.email);
        const url = present(row.website);
        yield {
          kind: 'comment',
          sourceId: String(row.id),
          threadSourceId: String(row.tid),
          parentSourceId: row.parent === null ? null : String(row.parent),
          author: {
            name: present(row.author) ?? null,
            ...(email === undefined ? {} : { email }),
            ...(url === undefined ? {} : { url }),
          },
          createdAt: at(where, () => epochSecondsInstant(row.created)),
          ...(row.modified === null
            ? {}
            : { editedAt: at(where, () => epochSecondsInstant(row.modified as number)) }),
          body: lazyBody('markdown', row.text ?? ''),
          state,
          position: where,
        };
      }
    } catch (error) {
      if (error instanceof ImportFormatError) throw error;
      throw new ImportFormatError(
        position(last),
        `the database could not be read: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      rows?.return?.();
      db.close();
    }
  });
}
