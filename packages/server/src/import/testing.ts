/** What the readers' tests share: fixture paths and a reader drained into arrays by kind. */
import { fileURLToPath } from 'node:url';
import type { CommentRecord, ImportReader, SkippedRecord, ThreadRecord } from './records.js';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}

export interface Drained {
  threads: ThreadRecord[];
  comments: CommentRecord[];
  skipped: SkippedRecord[];
  /** Every record's kind and source id, in the order the reader gave them. */
  order: string[];
}

export async function drain(reader: ImportReader): Promise<Drained> {
  const drained: Drained = { threads: [], comments: [], skipped: [], order: [] };
  for await (const record of reader) {
    drained.order.push(`${record.kind}:${record.sourceId ?? ''}`);
    if (record.kind === 'thread') drained.threads.push(record);
    else if (record.kind === 'comment') drained.comments.push(record);
    else drained.skipped.push(record);
  }
  return drained;
}

export function byId<T extends { sourceId: string }>(records: readonly T[], sourceId: string): T {
  const found = records.find((record) => record.sourceId === sourceId);
  if (found === undefined) throw new Error(`no record ${sourceId}`);
  return found;
}
