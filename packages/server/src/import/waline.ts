/**
 * Waline's export (its admin's Migration › Export, `GET /api/db`): one JSON document
 * `{"type":"waline","version":1,"time":…,"tables":["Comment","Counter","Users"],"data":{"Comment":[…],…}}`
 * whose Comment rows are as Waline stores them: `objectId`, `url` (the page's path), `nick`,
 * `mail`, `link`, `comment` (the Markdown its author wrote), `pid` (the comment answered), `rid`
 * (the thread's root comment), `status` (`approved`, `waiting`, `spam`), `insertedAt`.
 * The file can be large, so the rows are streamed one by one.
 *
 * Order: a page's thread record comes just before its first comment. Rows come in the storage's
 * order, which is usually the order they were written, but a reply may come before its parent.
 * Counter and Users are not read: names come from each comment's own `nick`.
 */
import { lazyBody } from './body.js';
import { isObject, readJsonValues, stringOf, type JsonObject, type JsonValue } from './json.js';
import {
  at,
  ImportFormatError,
  makeReader,
  resolveThreadUrl,
  type CommentState,
  type ImportReader,
  type ReaderOptions,
} from './records.js';
import { epochMillisInstant, isoInstant } from './time.js';

const states: Readonly<Record<string, CommentState>> = {
  approved: 'approved',
  waiting: 'pending',
  spam: 'spam',
};

/**
 * Waline's dates by storage: ISO strings (LeanCloud, MySQL, PostgreSQL through JSON), LeanCloud's
 * `{"__type":"Date","iso":…}`, milliseconds, or SQLite's `YYYY-MM-DD HH:MM:SS`, which is UTC.
 */
function walineInstant(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'number') return epochMillisInstant(value);
  if (typeof value === 'string' && value.trim() !== '') return isoInstant(value);
  if (isObject(value) && typeof value.iso === 'string') return isoInstant(value.iso);
  return undefined;
}

export function readWaline(file: string, options: ReaderOptions = {}): ImportReader {
  return makeReader('waline', file, 'bytes', async function* (progress) {
    const items = readJsonValues(
      file,
      // Counter and Users rows are named too, only so that they are dropped as they are read.
      { paths: ['$.type', '$.data.Comment.*', '$.data.Counter.*', '$.data.Users.*'] },
      progress,
    );
    let sawType = false;
    const seen = new Set<string>();
    for await (const item of items) {
      if (item.path.length === 1 && item.path[0] === 'type') {
        if (item.value !== 'waline') {
          throw new ImportFormatError(
            item.position,
            `this is not a Waline export: its "type" is ${JSON.stringify(item.value)}, not "waline"`,
          );
        }
        sawType = true;
        continue;
      }
      if (item.path[1] !== 'Comment') continue;
      if (!isObject(item.value))
        throw new ImportFormatError(item.position, 'a Comment row that is not an object');
      if (!sawType)
        throw new ImportFormatError(
          item.position,
          'this is not a Waline export: it has no "type": "waline" before its data',
        );
      const row: JsonObject = item.value;
      const { position } = item;
      const sourceId = stringOf(row.objectId);
      if (sourceId === undefined) throw new ImportFormatError(position, 'a comment without an "objectId"');
      const url = stringOf(row.url);
      if (url === undefined) throw new ImportFormatError(position, `comment ${sourceId} has no "url"`);
      const status = stringOf(row.status) ?? 'approved';
      const state = states[status];
      if (state === undefined)
        throw new ImportFormatError(position, `comment ${sourceId} has an unknown status "${status}"`);
      const createdAt = at(position, () => walineInstant(row.insertedAt) ?? walineInstant(row.createdAt));
      if (createdAt === undefined) throw new ImportFormatError(position, `comment ${sourceId} has no date`);

      if (!seen.has(url)) {
        seen.add(url);
        yield {
          kind: 'thread',
          sourceId: url,
          url: at(position, () => resolveThreadUrl(url, options)),
          title: null,
          createdAt: null,
          locked: false,
          position,
        };
      }
      const email = stringOf(row.mail);
      const link = stringOf(row.link);
      yield {
        kind: 'comment',
        sourceId,
        threadSourceId: url,
        parentSourceId: stringOf(row.pid) ?? null,
        author: {
          name: stringOf(row.nick) ?? null,
          ...(email === undefined ? {} : { email }),
          ...(link === undefined ? {} : { url: link }),
        },
        createdAt,
        body: lazyBody('markdown', typeof row.comment === 'string' ? row.comment : ''),
        state,
        position,
      };
    }
    if (!sawType) {
      throw new ImportFormatError(
        { kind: 'text', file, line: 1, column: 1 },
        'this is not a Waline export: it has no "type": "waline"',
      );
    }
  });
}
