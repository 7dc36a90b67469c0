/**
 * The one stream every importer produces: each source format is read into these records, in
 * file order, so that writing them into a store is the same for every format.
 */

import type { Reactions } from '@colloquy/api';
import type { BodySource } from './body.js';
import type { TopicLine } from './colloquy-format.js';

/** The formats a reader exists for. */
export const importFormats = [
  'disqus',
  'wordpress',
  'remark42',
  'isso',
  'waline',
  'giscus',
  'colloquy',
] as const;
export type ImportFormat = (typeof importFormats)[number];

/**
 * Where a record or an error is in the source: a line and column for text files (both from 1,
 * the column counted in characters), a row for SQLite databases.
 */
export type SourcePosition =
  | { readonly kind: 'text'; readonly file: string; readonly line: number; readonly column: number }
  | { readonly kind: 'row'; readonly file: string; readonly table: string; readonly rowid: number };

/** A page with a discussion: becomes a topic. */
export interface ThreadRecord {
  readonly kind: 'thread';
  /** The source's own id for the thread, unique within the file. */
  readonly sourceId: string;
  /**
   * The page's URL: absolute as the source gives it, or resolved against the reader's `baseUrl`
   * when the source keeps only a path (Isso, Waline). Null when the source has none.
   */
  readonly url: string | null;
  readonly title: string | null;
  /** An ISO 8601 instant in UTC, or null when the source does not date its threads. */
  readonly createdAt: string | null;
  /** Closed to new comments in the source. */
  readonly locked: boolean;
  /**
   * A Colloquy export's topic, whole: kept as it was (its id, fields, source and reactions)
   * after the same checks as the admin API's, rather than made a page topic of its URL.
   */
  readonly topic?: TopicLine;
  readonly position: SourcePosition;
}

/** What the source says about a comment's visibility. */
export type CommentState = 'approved' | 'pending' | 'spam' | 'deleted';

export interface CommentAuthor {
  /** The name as the source gives it; null when the source has none (anonymous, erased). */
  readonly name: string | null;
  readonly email?: string;
  readonly url?: string;
}

/** A comment on a thread: becomes a reply. */
export interface CommentRecord {
  readonly kind: 'comment';
  readonly sourceId: string;
  readonly threadSourceId: string;
  /** The comment this one answers, by its source id; null for a top-level comment. */
  readonly parentSourceId: string | null;
  readonly author: CommentAuthor;
  /** An ISO 8601 instant in UTC. */
  readonly createdAt: string;
  /** When the source says the comment was last edited, as an ISO 8601 instant in UTC. */
  readonly editedAt?: string;
  /**
   * Markdown source, still to be rendered and validated like any reply: HTML bodies are converted,
   * Markdown bodies are kept (with any raw HTML inside them converted).
   */
  /** `source`: the body as the file has it, converted when `markdown` is first read (see lazyBody). */
  readonly body: { readonly markdown: string; readonly source?: BodySource };
  readonly state: CommentState;
  /** A Colloquy export's reply: its own id, reaction counts and signed-in author are kept. */
  readonly kept?: KeptReply;
  readonly position: SourcePosition;
}

/** What a Colloquy export keeps of a reply beyond what every format has. */
export interface KeptReply {
  readonly id: string;
  readonly reactions: Reactions;
  readonly authorSub: string | null;
}

/** Something in the file that is deliberately not imported, with the reason for the summary. */
export interface SkippedRecord {
  readonly kind: 'skipped';
  readonly what: 'thread' | 'comment';
  readonly sourceId: string | null;
  readonly reason: string;
  readonly position: SourcePosition;
}

export type ImportRecord = ThreadRecord | CommentRecord | SkippedRecord;

/** How far a reader has got: bytes of the file, or rows of the database. */
export interface ReadProgress {
  readonly unit: 'bytes' | 'rows';
  readonly done: number;
  /** The size of the whole input in the same unit, when known. */
  readonly total: number | null;
}

/** A stream of records from one file, with how far it has read. */
export interface ImportReader extends AsyncIterable<ImportRecord> {
  readonly format: ImportFormat;
  readonly file: string;
  readonly progress: ReadProgress;
}

export interface ReaderOptions {
  /**
   * The site's origin (or any absolute URL) to resolve thread paths against, for sources that
   * keep only the path of a page. Absolute URLs in the source are kept as they are.
   */
  readonly baseUrl?: string;
}

export function formatPosition(position: SourcePosition): string {
  return position.kind === 'text'
    ? `${position.file}:${position.line}:${position.column}`
    : `${position.file}, table ${position.table}, row ${position.rowid}`;
}

/**
 * Bad or truncated input: where it is and what is wrong. `message` reads as one sentence with the
 * position first; `reason` is the same without the position.
 */
export class ImportFormatError extends Error {
  override readonly name = 'ImportFormatError';
  readonly position: SourcePosition;
  readonly reason: string;

  constructor(position: SourcePosition, reason: string, options?: { cause?: unknown }) {
    super(`${formatPosition(position)}: ${reason}`, options);
    this.position = position;
    this.reason = reason;
  }
}

/**
 * A failure of the reading itself (a gzip stream cut short, a read error) as an error at the
 * line where the reading stopped; an ImportFormatError is passed on as it is.
 */
export function unreadable(file: string, line: number, error: unknown): ImportFormatError {
  if (error instanceof ImportFormatError) return error;
  return new ImportFormatError(
    { kind: 'text', file, line, column: 1 },
    `the file could not be read: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/** Runs a conversion of one field, turning its failure into an error at the record's position. */
export function at<T>(position: SourcePosition, convert: () => T): T {
  try {
    return convert();
  } catch (error) {
    if (error instanceof ImportFormatError) throw error;
    throw new ImportFormatError(position, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/** Keeps absolute URLs, resolves paths against the base URL when one is given. */
export function resolveThreadUrl(raw: string | null | undefined, options: ReaderOptions): string | null {
  const value = raw?.trim();
  if (!value) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  if (options.baseUrl === undefined) return value;
  return new URL(value, options.baseUrl).href;
}

/** Mutable progress a reader updates as it reads; exposed read-only through `ImportReader`. */
export interface ProgressCounter {
  unit: 'bytes' | 'rows';
  done: number;
  total: number | null;
}

/** Wraps a record generator as an `ImportReader` whose progress the generator updates. */
export function makeReader(
  format: ImportFormat,
  file: string,
  unit: ReadProgress['unit'],
  generate: (progress: ProgressCounter) => AsyncGenerator<ImportRecord, void, undefined>,
): ImportReader {
  const progress: ProgressCounter = { unit, done: 0, total: null };
  return {
    format,
    file,
    progress,
    [Symbol.asyncIterator]: () => generate(progress),
  };
}
