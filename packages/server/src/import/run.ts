/**
 * An import run: records from a reader, rendered and validated like any reply, written into the
 * store in batches of one transaction each. Memory stays that of one batch, plus the ids of
 * threads and comments that were skipped (their comments are skipped too, with a reason) and
 * any comments that come before their thread or parent in the file (held until it is written).
 */
import { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, pageTopicUrl, type ReplyStatus } from '@colloquy/api';
import type { ImportedReply, ImportedTopic, ImportOutcome } from '../store/imports.js';
import type { Store } from '../store/store.js';
import { topicInput } from '@colloquy/api/schemas';
import { renderMarkdown } from '../markdown.js';
import type { TopicLine } from './colloquy-format.js';
import type { BodySource } from './body.js';
import type { PreparedBody } from './prepare.js';
import { inlineConverter, workerConverter, type BodyConverter } from './convert-pool.js';
import type { ProgressReporter } from './progress.js';
import type { CommentRecord, ImportReader, ThreadRecord } from './records.js';

export interface ImportRunOptions {
  reader: ImportReader;
  /** Null: a dry run, which reads, renders and validates everything and writes nothing. */
  store: Store | null;
  /** Comments and threads per transaction. */
  batchSize: number;
  /**
   * Worker threads that prepare bodies (see convert-pool.ts), started once the file proves
   * larger than one batch; 0: all on the main thread.
   */
  workers: number;
  progress?: ProgressReporter;
}

export interface ImportSummary {
  dryRun: boolean;
  topics: { imported: number; present: number };
  replies: { imported: number; present: number; byStatus: Record<ReplyStatus, number> };
  /** Reason → how many threads or comments were left out for it. */
  skipped: Map<string, number>;
}

const statusOf = { approved: 'published', pending: 'pending', spam: 'hidden', deleted: 'deleted' } as const;

/** Anonymous and erased authors, and names that end up empty once cleaned. */
export const ANONYMOUS = 'Anonymous';

/**
 * A display name as a reply shows it: NFKC, without control or bidirectional override
 * characters, spaces collapsed, at most MAX_NAME_LENGTH code units (never cutting a character
 * in two). A name another system allowed is kept rather than refused, as much of it as fits.
 */
export function importedName(raw: string | null): string {
  if (raw === null) return ANONYMOUS;
  const cleaned = raw
    .normalize('NFKC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let name = '';
  for (const character of cleaned) {
    if (name.length + character.length > MAX_NAME_LENGTH) break;
    name += character;
  }
  name = name.trim();
  return name === '' ? ANONYMOUS : name;
}

function cut(text: string, max: number): string {
  let out = '';
  for (const character of text) {
    if (out.length + character.length > max) break;
    out += character;
  }
  return out;
}

type Converted<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * A Colloquy export's topic, checked as the admin API checks a topic (the same schema) and its
 * source rendered: kept whole, under its own id.
 */
function keptTopicOf(record: ThreadRecord, line: TopicLine): Converted<ImportedTopic> {
  const checked = topicInput.safeParse({
    id: line.id,
    title: line.title,
    url: line.url,
    category: line.category,
    label: line.label,
    summary: line.summary,
    author: line.author,
    createdAt: line.createdAt,
    body: line.source,
    sources: line.sources,
    locked: line.locked,
  });
  if (!checked.success)
    return {
      ok: false,
      reason: `topic that breaks the rules of a topic (${checked.error.issues[0]?.message ?? 'invalid'})`,
    };
  const topic = checked.data;
  const source = topic.body ?? '';
  return {
    ok: true,
    value: {
      sourceId: record.sourceId,
      url: topic.url ?? topic.id,
      title: topic.title,
      createdAt: topic.createdAt ?? record.createdAt,
      locked: topic.locked ?? false,
      kept: {
        id: topic.id,
        url: topic.url ?? null,
        category: topic.category ?? null,
        label: topic.label ?? null,
        summary: topic.summary ?? null,
        author: topic.author ? { name: topic.author.name, avatarUrl: topic.author.avatarUrl ?? null } : null,
        ...renderMarkdown(source),
        source,
        sources: topic.sources ?? [],
        reactions: line.reactions,
      },
    },
  };
}

function topicOf(record: ThreadRecord): Converted<ImportedTopic> {
  if (record.topic) return keptTopicOf(record, record.topic);
  if (record.url === null) return { ok: false, reason: 'thread without a page URL' };
  if (pageTopicUrl(record.url) === null) {
    return {
      ok: false,
      reason: /^[a-z][a-z0-9+.-]*:/i.test(record.url)
        ? 'thread whose page URL is not an http(s) URL'
        : 'thread whose page is a path without a site (give --base-url)',
    };
  }
  const title = cut((record.title ?? '').replace(/\s+/g, ' ').trim(), MAX_TITLE_LENGTH).trim();
  return {
    ok: true,
    value: {
      sourceId: record.sourceId,
      url: record.url,
      title: title === '' ? record.url : title,
      createdAt: record.createdAt,
      locked: record.locked,
    },
  };
}

/**
 * A comment read and checked, its body still to be prepared (null: deleted, nothing to show).
 * Its fields are listed one by one here and in the reply made of it (see complete() in
 * runImport) rather than spread from an object of the shared ones: V8 gives an object built by a
 * spread and then extended a slower layout, about three times the memory of one built with all
 * its fields, and a batch's replies live through many young-generation collections before it is
 * written.
 */
interface ReadReply {
  sourceId: string;
  threadSourceId: string;
  parentSourceId: string | null;
  createdAt: string;
  editedAt: string | null;
  status: ReplyStatus;
  kept: ImportedReply['kept'] | undefined;
  authorName: string;
  input: string | BodySource | null;
}

function readReply(record: CommentRecord): ReadReply {
  const status = statusOf[record.state];
  return {
    sourceId: record.sourceId,
    threadSourceId: record.threadSourceId,
    parentSourceId: record.parentSourceId,
    createdAt: new Date(record.createdAt).toISOString(),
    editedAt: record.editedAt === undefined ? null : new Date(record.editedAt).toISOString(),
    status,
    kept: record.kept,
    // A deleted comment keeps only its place, so that the replies to it stay where they were.
    authorName: status === 'deleted' ? '' : importedName(record.author.name),
    input: status === 'deleted' ? null : (record.body.source ?? record.body.markdown),
  };
}

/** The reply to write: a read comment with its prepared body (a deleted one: none). */
function importedReply(
  reply: ReadReply,
  body: { body: string; text: string; source: string } | null,
): ImportedReply {
  const imported: ImportedReply = {
    sourceId: reply.sourceId,
    threadSourceId: reply.threadSourceId,
    parentSourceId: reply.parentSourceId,
    authorName: body === null ? '' : reply.authorName,
    createdAt: reply.createdAt,
    editedAt: reply.editedAt,
    body: body === null ? '[]' : body.body,
    text: body === null ? '' : body.text,
    source: body === null ? '' : body.source,
    status: reply.status,
  };
  if (reply.kept !== undefined) imported.kept = reply.kept;
  return imported;
}

/** Why a reply that could not be placed is left out, once nothing more can place it. */
const unplaced: Record<'no-topic' | 'no-parent', string> = {
  'no-topic': 'comment whose thread is not in the file',
  'no-parent': 'comment whose parent comment is not in the file or is on another page',
};

export function emptySummary(dryRun: boolean): ImportSummary {
  return {
    dryRun,
    topics: { imported: 0, present: 0 },
    replies: {
      imported: 0,
      present: 0,
      byStatus: { published: 0, pending: 0, hidden: 0, deleted: 0 },
    },
    skipped: new Map(),
  };
}

/**
 * Runs the import, counting into `summary` as batches commit: when reading fails part way, the
 * summary says what the batches before the failure wrote (the failed batch writes nothing).
 */
export async function runImport(
  options: ImportRunOptions,
  summary: ImportSummary = emptySummary(options.store === null),
): Promise<ImportSummary> {
  const { reader, store, batchSize, progress } = options;
  const skip = (reason: string) => summary.skipped.set(reason, (summary.skipped.get(reason) ?? 0) + 1);
  /** Threads and comments left out: what answers them is left out too. */
  const skippedThreads = new Set<string>();
  const skippedComments = new Set<string>();
  /** A dry run keeps the threads it has seen, to tell which comments have none. */
  const seenThreads = new Set<string>();
  let topics: ImportedTopic[] = [];
  let replies: ReadReply[] = [];
  /** Comments whose thread or parent was not written yet, retried at the end. */
  let held: Array<{ reply: ImportedReply; outcome: ImportOutcome }> = [];
  let converter: BodyConverter = inlineConverter;

  const count = (reply: ImportedReply, outcome: ImportOutcome): boolean => {
    if (outcome === 'imported') {
      summary.replies.imported++;
      summary.replies.byStatus[reply.status]++;
    } else if (outcome === 'present') summary.replies.present++;
    else return false;
    return true;
  };

  const write = async (batchTopics: ImportedTopic[], batchReplies: ImportedReply[]) => {
    if (store === null) {
      summary.topics.imported += batchTopics.length;
      for (const reply of batchReplies) {
        if (seenThreads.has(reply.threadSourceId)) count(reply, 'imported');
        else held.push({ reply, outcome: 'no-topic' });
      }
      return;
    }
    const result = await store.imports.importBatch(reader.format, {
      topics: batchTopics,
      replies: batchReplies,
    });
    summary.topics.imported += result.topics.imported;
    summary.topics.present += result.topics.present;
    result.replies.forEach((outcome, index) => {
      const reply = batchReplies[index];
      if (reply !== undefined && !count(reply, outcome)) held.push({ reply, outcome });
    });
  };

  /**
   * The bodies of the batch being read, sent to be prepared a part at a time as they are read
   * (rather than all once the batch is whole), so that the workers start on a batch while the
   * rest of it is read. `sent`: how many of `replies` are.
   */
  let parts: Array<Promise<PreparedBody[]>> = [];
  let sent = 0;
  const send = () => {
    const inputs = replies.slice(sent).flatMap((reply) => (reply.input === null ? [] : [reply.input]));
    sent = replies.length;
    if (inputs.length === 0) return;
    const part = converter.prepare(inputs);
    // Awaited once the batch is whole; a batch whose reading fails is never written.
    part.catch(() => {});
    parts.push(part);
  };
  const part = Math.max(1, Math.ceil(batchSize / 4));

  /** Bodies prepared, the comments that fail the rules (and those answering them) left out. */
  const complete = async (
    read: ReadReply[],
    sentParts: Array<Promise<PreparedBody[]>>,
  ): Promise<ImportedReply[]> => {
    const prepared = (await Promise.all(sentParts)).flat();
    let next = 0;
    const done: ImportedReply[] = [];
    for (const reply of read) {
      const body = reply.input === null ? null : prepared[next++];
      const { sourceId, parentSourceId } = reply;
      if (parentSourceId !== null && skippedComments.has(parentSourceId)) {
        skip('comment answering a comment that was left out');
        skippedComments.add(sourceId);
      } else if (body === null) {
        done.push(importedReply(reply, null));
      } else if (body === undefined || !body.ok) {
        skip(body?.reason ?? 'comment whose body could not be converted');
        skippedComments.add(sourceId);
      } else {
        done.push(importedReply(reply, body));
      }
    }
    return done;
  };

  /**
   * The batches before this one, being written: a batch's bodies are sent to be prepared as
   * it is read (a quarter of a batch at a time), and it is written once they are and the batch
   * before it is written.
   * So the file is read on while the workers convert and the store writes: at most three
   * batches are in memory (one read, one converted, one written).
   */
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (topics.length === 0 && replies.length === 0) return;
    if (converter === inlineConverter && options.workers > 0 && topics.length + replies.length >= batchSize)
      converter = workerConverter(options.workers);
    send();
    const [batchTopics, batchReplies, batchParts] = [topics, replies, parts];
    topics = [];
    replies = [];
    parts = [];
    sent = 0;
    const previous = writing;
    // Batches are prepared in the order they are sent, so each batch's bodies are checked
    // (and the comments they leave out known) before the next batch's are.
    const ready = complete(batchReplies, batchParts);
    ready.catch(() => {});
    writing = (async () => {
      await previous;
      await write(batchTopics, await ready);
    })();
    // Failures surface at the next flush or at the end, in file order.
    writing.catch(() => {});
    await previous;
  };

  try {
    try {
      for await (const record of reader) {
        progress?.record(record, reader.progress);
        if (record.kind === 'skipped') {
          skip(`${record.what} ${record.reason}`);
          if (record.sourceId !== null)
            (record.what === 'thread' ? skippedThreads : skippedComments).add(record.sourceId);
          continue;
        }
        if (record.kind === 'thread') {
          const topic = topicOf(record);
          if (!topic.ok) {
            skip(topic.reason);
            skippedThreads.add(record.sourceId);
            continue;
          }
          if (store === null) seenThreads.add(record.sourceId);
          topics.push(topic.value);
        } else {
          if (skippedThreads.has(record.threadSourceId)) {
            skip('comment on a thread that was left out');
            skippedComments.add(record.sourceId);
            continue;
          }
          if (record.parentSourceId !== null && skippedComments.has(record.parentSourceId)) {
            skip('comment answering a comment that was left out');
            skippedComments.add(record.sourceId);
            continue;
          }
          replies.push(readReply(record));
          // Once workers run (from the second batch on), a part goes to them as soon as it is read.
          if (converter !== inlineConverter && replies.length - sent >= part) send();
        }
        if (topics.length + replies.length >= batchSize) await flush();
      }
    } catch (error) {
      // The batches read whole before the failure are written; the one being read is not.
      await writing;
      throw error;
    }
    await flush();
    await writing;
  } finally {
    await converter.close();
  }

  if (store === null) {
    const waiting = held;
    held = [];
    for (const entry of waiting) {
      if (seenThreads.has(entry.reply.threadSourceId)) count(entry.reply, 'imported');
      else held.push(entry);
    }
  }
  // Comments that came before their thread or parent: again, oldest first, until a pass places
  // none of them.
  while (held.length > 0 && store !== null) {
    const waiting = held.sort((a, b) => (a.reply.createdAt < b.reply.createdAt ? -1 : 1));
    held = [];
    for (let start = 0; start < waiting.length; start += batchSize) {
      await write(
        [],
        waiting.slice(start, start + batchSize).map((entry) => entry.reply),
      );
    }
    if (held.length === waiting.length) break;
  }
  for (const { outcome } of held) skip(unplaced[outcome === 'no-topic' ? 'no-topic' : 'no-parent']);
  progress?.finish(reader.progress);
  return summary;
}
