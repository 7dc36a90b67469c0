/**
 * Colloquy's own export (colloquy-format.ts) read back: every line is checked against the
 * format's schema first, then each topic and reply goes through the same pipeline as any
 * import (the topic through the admin API's checks, the reply's source through a reply's rules
 * and the renderer). The file's order is the export's: topics, then replies by id.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { EXPORT_FORMAT, EXPORT_VERSION, exportLine } from './colloquy-format.js';
import {
  ImportFormatError,
  makeReader,
  type CommentState,
  type ImportReader,
  type SourcePosition,
  unreadable,
} from './records.js';

const stateOf = {
  published: 'approved',
  pending: 'pending',
  hidden: 'spam',
  deleted: 'deleted',
} as const satisfies Record<string, CommentState>;

/** The first of a line's schema problems, naming the field. */
function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not match the format';
  const field = issue.path.length > 0 ? issue.path.join('.') : 'the record';
  return `${field}: ${issue.message}`;
}

export function readColloquy(file: string): ImportReader {
  return makeReader('colloquy', file, 'bytes', async function* (progress) {
    progress.total = (await stat(file)).size;
    const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
    const lines = createInterface({ input: raw, crlfDelay: Infinity });
    const counted = { topics: 0, replies: 0 };
    let lineNumber = 0;
    let state: 'header' | 'records' | 'ended' = 'header';
    try {
      for await (const line of lines) {
        lineNumber++;
        progress.done = raw.bytesRead;
        const position: SourcePosition = { kind: 'text', file, line: lineNumber, column: 1 };
        if (state === 'ended') {
          if (line.trim() === '') continue;
          throw new ImportFormatError(position, 'there is more after the end record');
        }
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          throw new ImportFormatError(
            position,
            `this line is not JSON (${error instanceof Error ? error.message : String(error)})`,
          );
        }
        const parsed = exportLine.safeParse(value);
        if (!parsed.success)
          throw new ImportFormatError(
            position,
            `this line is not a record of the format: ${problemOf(parsed.error)}`,
          );
        const record = parsed.data;
        if (state === 'header') {
          if (record.type !== 'header')
            throw new ImportFormatError(
              position,
              `this is not a ${EXPORT_FORMAT} file: it should start with its header record`,
            );
          state = 'records';
          continue;
        }
        switch (record.type) {
          case 'header':
            throw new ImportFormatError(position, 'a second header record');
          case 'end':
            if (record.topics !== counted.topics || record.replies !== counted.replies)
              throw new ImportFormatError(
                position,
                `the end record counts ${record.topics} topics and ${record.replies} replies, but the file holds ${counted.topics} and ${counted.replies}`,
              );
            state = 'ended';
            break;
          case 'topic':
            counted.topics++;
            yield {
              kind: 'thread',
              sourceId: record.id,
              url: record.url,
              title: record.title,
              createdAt: record.createdAt,
              locked: record.locked,
              topic: record,
              position,
            };
            break;
          case 'reply':
            counted.replies++;
            yield {
              kind: 'comment',
              sourceId: record.id,
              threadSourceId: record.topicId,
              parentSourceId: record.parentId,
              author: { name: record.authorName },
              createdAt: record.createdAt,
              ...(record.editedAt === null ? {} : { editedAt: record.editedAt }),
              body: { markdown: record.source },
              state: stateOf[record.status],
              kept: { id: record.id, reactions: record.reactions, authorSub: record.authorSub },
              position,
            };
            break;
        }
      }
    } catch (error) {
      throw unreadable(file, lineNumber + 1, error);
    } finally {
      lines.close();
      raw.destroy();
    }
    if (state !== 'ended')
      throw new ImportFormatError(
        { kind: 'text', file, line: lineNumber + 1, column: 1 },
        state === 'header'
          ? 'the file is empty'
          : `the file ends before its end record: it is cut short (version ${EXPORT_VERSION} files end with {"type":"end",…})`,
      );
  });
}
