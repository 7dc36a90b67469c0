import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { formatCount } from '../import/progress.js';
import { renderMarkdown } from '../markdown.js';
import type { Store } from '../store/store.js';
import { DATABASE_SETTINGS, databaseName, openStore, type DatabaseOptions } from './database.js';
import { describeSettings, readSettings, UsageError, type Env, type Setting } from './settings.js';

const RERENDER_SETTINGS = {
  ...DATABASE_SETTINGS,
  batchSize: {
    flag: 'batch-size',
    value: 'N',
    help: 'bodies read, and those changed written, per transaction',
    shownDefault: '500',
    parse: (text: string): number => {
      if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 10_000)
        throw new UsageError(`--batch-size must be a whole number from 1 to 10000, got "${text}".`);
      return Number(text);
    },
    fallback: () => 500,
  } satisfies Setting<number>,
};

export const USAGE = `Usage: colloquy-server rerender [options]

Renders every reply and topic body again from its Markdown source with this version's
renderer, as after an upgrade that changed how Markdown renders. Only bodies whose tree changes
are written; their topics' versions move on, so that caches and ETags follow, and live readers
are sent the changed replies. It works in batches, one transaction each, so a server running on
the same database keeps answering meanwhile. Running it again changes nothing.

Options (each also read from the environment variable in brackets; flags win):
${describeSettings(RERENDER_SETTINGS)}`;

export interface RerenderOptions extends DatabaseOptions {
  batchSize: number;
}

export const rerenderOptions = (env: Env, args: readonly string[]): RerenderOptions =>
  readSettings(RERENDER_SETTINGS, env, args);

export interface RerenderSummary {
  replies: { read: number; changed: number };
  topics: { read: number; changed: number };
}

/** `colloquy-server rerender`: what the CLI runs, and the tests with their own output streams. */
export async function rerenderCommand(
  options: RerenderOptions,
  output: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<RerenderSummary> {
  const store = await openStore(options);
  const summary: RerenderSummary = { replies: { read: 0, changed: 0 }, topics: { read: 0, changed: 0 } };
  try {
    output.stderr.write(`Rendering bodies again in ${databaseName(options)}\n`);
    await rerenderAll(store, 'reply', options.batchSize, summary.replies, (line) =>
      output.stderr.write(line),
    );
    await rerenderAll(store, 'topic', options.batchSize, summary.topics, (line) => output.stderr.write(line));
  } finally {
    await store.close();
  }
  const line = (what: string, { read, changed }: { read: number; changed: number }) =>
    `${what}: ${formatCount(read)} read, ${formatCount(changed)} changed, ${formatCount(read - changed)} unchanged\n`;
  output.stdout.write(line('Replies', summary.replies) + line('Topics', summary.topics));
  return summary;
}

async function rerenderAll(
  store: Store,
  kind: 'reply' | 'topic',
  batchSize: number,
  counts: { read: number; changed: number },
  progress: (line: string) => void,
): Promise<void> {
  const what = kind === 'reply' ? 'Replies' : 'Topics';
  for (let after = ''; ; ) {
    const batch = await store.rerenderBodies(kind, after, batchSize, renderMarkdown);
    counts.read += batch.read;
    counts.changed += batch.changed;
    if (batch.last === null) return;
    after = batch.last;
    progress(`${what}: ${formatCount(counts.read)} read, ${formatCount(counts.changed)} changed so far\n`);
    // Between transactions, whatever else waits on the database (a server's writes) goes first.
    await yieldToOthers();
  }
}
