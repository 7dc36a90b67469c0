/**
 * Remark42's backup (its `export`, and the daily `backup-<site>-<date>.gz` files, gzipped or
 * not): JSON lines, the first a meta record `{"version":1,"users":[…],"posts":[{"url","read_only"}]}`,
 * then one comment per line as Remark42 stores it: `id`, `pid`, `text` (rendered HTML), `orig`
 * (the Markdown its author wrote, absent for comments Remark42 itself imported), `user`,
 * `locator.url`, `time`, `edit`, `delete`, `title`.
 *
 * Order: threads are the distinct `locator.url`s; the reader yields a thread record just before
 * the first comment of its page. Remark42 writes each page's comments together, oldest first, so
 * parents precede replies in its own files, but the reader does not rely on it.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { lazyBody } from './body.js';
import {
  at,
  ImportFormatError,
  makeReader,
  resolveThreadUrl,
  type ImportReader,
  type ReaderOptions,
  type SourcePosition,
  unreadable,
} from './records.js';
import { isoInstant } from './time.js';

/** Opens a file as text, gunzipping it when it starts with gzip's magic bytes. */
export async function openMaybeGzipped(
  file: string,
): Promise<{ text: Readable; raw: ReturnType<typeof createReadStream> }> {
  const handle = await open(file);
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    return { text: raw.pipe(gunzip), raw };
  }
  return { text: raw, raw };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function parseLine(line: string, position: SourcePosition): Json {
  try {
    return JSON.parse(line) as Json;
  } catch (error) {
    const offset = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    const where: SourcePosition =
      offset !== undefined && position.kind === 'text'
        ? { ...position, column: [...line.slice(0, Number(offset))].length + 1 }
        : position;
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      / in JSON at position \d+.*$/s,
      '',
    );
    throw new ImportFormatError(where, `this line is not JSON: ${reason}`, {
      cause: error,
    });
  }
}

export function readRemark42(file: string, options: ReaderOptions = {}): ImportReader {
  return makeReader('remark42', file, 'bytes', async function* (progress) {
    progress.total = (await stat(file)).size;
    const { text: input, raw } = await openMaybeGzipped(file);
    const lines = createInterface({ input, crlfDelay: Infinity });
    /** Pages named in the meta record, and whether they are read-only. */
    const readOnly = new Map<string, boolean>();
    /** Pages whose thread record has been yielded; as many as the site has pages. */
    const seen = new Set<string>();
    let lineNumber = 0;
    let sawMeta = false;
    try {
      for await (const line of lines) {
        lineNumber++;
        progress.done = raw.bytesRead;
        if (line.trim() === '') continue;
        const position: SourcePosition = { kind: 'text', file, line: lineNumber, column: 1 };
        const value = parseLine(line, position);
        if (!isObject(value)) throw new ImportFormatError(position, 'each line should hold a JSON object');

        if (!sawMeta) {
          sawMeta = true;
          const version = value.version;
          if (
            !('users' in value || 'posts' in value) ||
            (version !== 0 && version !== 1 && version !== undefined)
          ) {
            throw new ImportFormatError(
              position,
              'this is not a Remark42 backup: it should start with {"version":1,"users":[…],"posts":[…]}',
            );
          }
          for (const post of Array.isArray(value.posts) ? value.posts : []) {
            const url = isObject(post) ? text(post.url) : undefined;
            if (url !== undefined && isObject(post)) readOnly.set(url, post.read_only === true);
          }
          continue;
        }

        const sourceId = text(value.id);
        if (sourceId === undefined) throw new ImportFormatError(position, 'a comment without an "id"');
        const locator = value.locator;
        const url = isObject(locator) ? text(locator.url) : undefined;
        if (url === undefined)
          throw new ImportFormatError(position, `comment ${sourceId} has no locator.url`);
        const time = text(value.time);
        if (time === undefined) throw new ImportFormatError(position, `comment ${sourceId} has no "time"`);

        if (!seen.has(url)) {
          seen.add(url);
          yield {
            kind: 'thread',
            sourceId: url,
            url: at(position, () => resolveThreadUrl(url, options)),
            title: text(value.title) ?? null,
            createdAt: null,
            locked: readOnly.get(url) ?? false,
            position,
          };
        }

        const user = isObject(value.user) ? value.user : {};
        const edit = value.edit;
        const editedAt = isObject(edit) ? text(edit.time) : undefined;
        const orig = text(value.orig);
        const deleted = value.delete === true;
        yield {
          kind: 'comment',
          sourceId,
          threadSourceId: url,
          parentSourceId: text(value.pid) ?? null,
          author: { name: text(user.name) ?? null },
          createdAt: at(position, () => isoInstant(time)),
          ...(editedAt === undefined ? {} : { editedAt: at(position, () => isoInstant(editedAt)) }),
          body: deleted
            ? lazyBody('markdown', '')
            : orig !== undefined
              ? lazyBody('markdown', orig)
              : lazyBody('html', text(value.text) ?? ''),
          state: deleted ? 'deleted' : 'approved',
          position,
        };
      }
    } catch (error) {
      // A gzip stream cut short, or a read error: where the reading stopped.
      throw unreadable(file, lineNumber + 1, error);
    } finally {
      lines.close();
      raw.destroy();
    }
    if (!sawMeta)
      throw new ImportFormatError({ kind: 'text', file, line: 1, column: 1 }, 'the file is empty');
  });
}
