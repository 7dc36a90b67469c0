import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { REACTION_KINDS } from '@colloquy/api';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  exportLineText,
  type ExportLine,
  type ReplyLine,
  type TopicLine,
} from '../import/colloquy-format.js';
import type { Store } from '../store/store.js';
import { DATABASE_SETTINGS, databaseName, openStore, type DatabaseOptions } from './database.js';
import { describeSettings, readSettings, type Env, type Setting } from './settings.js';

/** Rows read per query: memory holds one page, whatever the size of the database. */
export const EXPORT_PAGE = 500;

const EXPORT_SETTINGS = {
  ...DATABASE_SETTINGS,
  out: {
    flag: 'out',
    value: 'FILE',
    help: 'write the export to FILE (replaced if it exists) instead of standard output',
    shownDefault: 'standard output',
    parse: (text: string): string | null => text,
    fallback: () => null,
  } satisfies Setting<string | null>,
};

export const USAGE = `Usage: colloquy-server export [options]

Writes every topic and reply of the database (Markdown sources and rendered trees, reaction
counts, moderation states, ids, nesting, times, authors) as JSON lines in Colloquy's open
export format, version ${EXPORT_VERSION} (its JSON Schema: schema/${EXPORT_FORMAT}.v${EXPORT_VERSION}.json in the
@colloquy/server package). \`colloquy-server import --from colloquy FILE\` reads it back.

Options (each also read from the environment variable in brackets; flags win):
${describeSettings(EXPORT_SETTINGS)}`;

export interface ExportOptions extends DatabaseOptions {
  out: string | null;
}

export const exportOptions = (env: Env, args: readonly string[]): ExportOptions =>
  readSettings(EXPORT_SETTINGS, env, args);

const reactionsOf = (reactions: Record<(typeof REACTION_KINDS)[number], number>) =>
  Object.fromEntries(REACTION_KINDS.map((kind) => [kind, reactions[kind]])) as TopicLine['reactions'];

/** Every record of the store, in the file's order, a page of rows at a time. */
export async function* exportRecords(store: Store): AsyncGenerator<ExportLine> {
  yield { type: 'header', format: EXPORT_FORMAT, version: EXPORT_VERSION };
  let topics = 0;
  for (let after = ''; ; ) {
    const page = await store.exportTopics(after, EXPORT_PAGE);
    for (const topic of page) {
      topics++;
      yield {
        type: 'topic',
        id: topic.id,
        url: topic.url,
        title: topic.title,
        category: topic.category,
        label: topic.label,
        summary: topic.summary,
        author: topic.author,
        createdAt: topic.createdAt,
        locked: topic.locked,
        source: topic.source,
        body: topic.body,
        text: topic.text,
        sources: topic.sources.map((s) => ({ title: s.title, url: s.url })),
        reactions: reactionsOf(topic.reactions),
      };
    }
    const last = page.at(-1);
    if (page.length < EXPORT_PAGE || last === undefined) break;
    after = last.id;
  }
  let replies = 0;
  for (let after = ''; ; ) {
    const page = await store.exportReplies(after, EXPORT_PAGE);
    for (const { reply, authorSub } of page) {
      replies++;
      yield {
        type: 'reply',
        id: reply.id,
        topicId: reply.topicId,
        parentId: reply.parentId,
        authorName: reply.author.name,
        authorSub,
        createdAt: reply.createdAt,
        editedAt: reply.editedAt,
        status: reply.status,
        source: reply.source,
        body: reply.body,
        text: reply.text,
        reactions: reactionsOf(reply.reactions),
      } satisfies ReplyLine;
    }
    const last = page.at(-1);
    if (page.length < EXPORT_PAGE || last === undefined) break;
    after = last.reply.id;
  }
  yield { type: 'end', topics, replies };
}

/** `colloquy-server export`: what the CLI runs, and the tests with their own output stream. */
export async function exportCommand(
  options: ExportOptions,
  output: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<{ topics: number; replies: number }> {
  const store = await openStore(options);
  const target = options.out === null ? output.stdout : createWriteStream(options.out);
  const counts = { topics: 0, replies: 0 };
  try {
    output.stderr.write(
      `Exporting ${databaseName(options)}${options.out === null ? '' : ` to ${options.out}`}\n`,
    );
    for await (const record of exportRecords(store)) {
      if (record.type === 'topic') counts.topics++;
      if (record.type === 'reply') counts.replies++;
      // Backpressure: wait while the output holds what it was given.
      if (!target.write(exportLineText(record))) await once(target, 'drain');
    }
  } finally {
    await store.close();
    if (target !== output.stdout) {
      target.end();
      await once(target, 'finish');
    }
  }
  output.stderr.write(`Exported ${counts.topics} topics and ${counts.replies} replies.\n`);
  return counts;
}
