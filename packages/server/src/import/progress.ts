/**
 * Progress of a long import: a bar with counts and rate when standard error is a terminal
 * (cli-progress draws it), plain lines at most every few seconds otherwise, so that logs of a
 * run in CI or under a service manager stay readable.
 */
import cliProgress from 'cli-progress';
import type { ImportRecord, ReadProgress } from './records.js';

export interface ImportCounts {
  threads: number;
  comments: number;
  skipped: number;
}

export interface ProgressReporter {
  /** Counts one record as read. */
  record(record: ImportRecord, where: ReadProgress): void;
  /** Writes the last state and lets go of the terminal. */
  finish(where: ReadProgress): void;
  readonly counts: Readonly<ImportCounts>;
}

export interface ProgressOptions {
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** What is being done, e.g. "Importing disqus-export.xml". */
  readonly label: string;
  /** Milliseconds between plain lines. */
  readonly interval?: number;
  /** The clock, in milliseconds; the tests give their own. */
  readonly now?: () => number;
}

function percent(where: ReadProgress): string {
  if (where.total === null || where.total === 0) return '';
  return ` (${Math.min(100, Math.floor((where.done / where.total) * 100))} % of the ${where.unit === 'bytes' ? 'file' : 'rows'})`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  const counts: ImportCounts = { threads: 0, comments: 0, skipped: 0 };
  const rate = (): number => {
    const seconds = (now() - started) / 1000;
    return seconds > 0 ? Math.round(counts.comments / seconds) : 0;
  };
  const count = (record: ImportRecord): void => {
    if (record.kind === 'thread') counts.threads++;
    else if (record.kind === 'comment') counts.comments++;
    else counts.skipped++;
  };

  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${options.label} {bar} {percentage}% | {comments} comments, {threads} topics, {skipped} skipped | {rate}/s | {eta_formatted} left`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const payload = () => ({
      comments: formatCount(counts.comments),
      threads: formatCount(counts.threads),
      skipped: formatCount(counts.skipped),
      rate: formatCount(rate()),
    });
    return {
      counts,
      record(record, where) {
        count(record);
        if (!started) {
          bar.start(where.total ?? 0, where.done, payload());
          started = true;
        } else if ((counts.comments + counts.threads + counts.skipped) % 256 === 0) {
          if (where.total !== null) bar.setTotal(where.total);
          bar.update(where.done, payload());
        }
      },
      finish(where) {
        if (!started) bar.start(where.total ?? 0, where.done, payload());
        bar.update(where.done, payload());
        bar.stop();
      },
    };
  }

  const interval = options.interval ?? 5000;
  let last = started;
  const line = (where: ReadProgress, done: boolean): void => {
    stream.write(
      `${options.label}: ${formatCount(counts.comments)} comments, ${formatCount(counts.threads)} topics, ` +
        `${formatCount(counts.skipped)} skipped, ${formatCount(rate())} comments/s${done ? ', done' : percent(where)}\n`,
    );
  };
  return {
    counts,
    record(record, where) {
      count(record);
      const time = now();
      if (time - last >= interval) {
        last = time;
        line(where, false);
      }
    },
    finish(where) {
      line(where, true);
    },
  };
}
