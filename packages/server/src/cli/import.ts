import { access, constants } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultWorkers } from '../import/convert-pool.js';
import { createProgressReporter, formatCount } from '../import/progress.js';
import { ImportFormatError, importFormats, type ImportFormat } from '../import/records.js';
import { emptySummary, runImport, type ImportSummary } from '../import/run.js';
import { DATABASE_SETTINGS, databaseName, openStore } from './database.js';
import { describeSettings, readSettings, UsageError, type Env, type Setting } from './settings.js';

const IMPORT_SETTINGS = {
  format: {
    flag: 'from',
    value: 'FORMAT',
    help: `what wrote the file: ${importFormats.join(', ')}`,
    parse: (text: string): ImportFormat => {
      const format = importFormats.find((name) => name === text);
      if (format === undefined)
        throw new UsageError(`--from must be one of ${importFormats.join(', ')}, got "${text}".`);
      return format;
    },
    fallback: (): ImportFormat => {
      throw new UsageError(`--from is required: one of ${importFormats.join(', ')}.`);
    },
  } satisfies Setting<ImportFormat>,
  ...DATABASE_SETTINGS,
  baseUrl: {
    flag: 'base-url',
    value: 'URL',
    help: "the site's address, for sources that keep only the path of a page (isso, waline), e.g. https://blog.example.org",
    parse: (text: string): string | null => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        throw new UsageError(
          `--base-url must be an absolute URL such as https://blog.example.org, got "${text}".`,
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        throw new UsageError(`--base-url must be an http(s) URL, got "${text}".`);
      return url.href;
    },
    fallback: () => null,
  } satisfies Setting<string | null>,
  batchSize: {
    flag: 'batch-size',
    value: 'N',
    help: 'comments and threads written per transaction; a failed run keeps the batches before the failure',
    shownDefault: '1000',
    parse: (text: string): number => {
      if (!/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > 100_000)
        throw new UsageError(`--batch-size must be a whole number from 1 to 100000, got "${text}".`);
      return Number(text);
    },
    fallback: () => 1000,
  } satisfies Setting<number>,
  workers: {
    flag: 'workers',
    value: 'N',
    help: 'worker threads converting and rendering comment bodies once the file is larger than one batch; 0: none',
    shownDefault: 'one per core but one, at least 1, at most 4',
    parse: (text: string): number => {
      if (!/^\d{1,2}$/.test(text) || Number(text) > 64)
        throw new UsageError(`--workers must be a whole number from 0 to 64, got "${text}".`);
      return Number(text);
    },
    fallback: defaultWorkers,
  } satisfies Setting<number>,
  dryRun: {
    flag: 'dry-run',
    help: 'read, convert and check everything, say what would be imported, write nothing',
    parse: () => true,
    fallback: () => false,
  } satisfies Setting<boolean>,
};

export const USAGE = `Usage: colloquy-server import --from FORMAT [options] FILE

Imports the threads and comments of another discussion system's export into the database
(page topics keyed by each thread's URL, comments as replies with their nesting). Running it
again on the same file changes nothing: what is already imported is recognised and skipped.
FILE is the export: Disqus XML, WordPress WXR, Remark42 backup, Isso's SQLite database, Waline
JSON, a JSON file of GitHub Discussions (giscus), or Colloquy's own (colloquy-server export),
whose topics and replies keep their ids, fields and reaction counts.

Options (each also read from the environment variable in brackets; flags win):
${describeSettings(IMPORT_SETTINGS)}`;

export interface ImportOptions {
  format: ImportFormat;
  file: string;
  dbFile: string;
  databaseUrl: string | null;
  dbSchema: string | null;
  baseUrl: string | null;
  batchSize: number;
  workers: number;
  dryRun: boolean;
}

/** The options of `import`: the settings, and the one file named after them. */
export function importOptions(env: Env, args: readonly string[]): ImportOptions {
  // The file is the one argument that is neither a flag nor a flag's value.
  const { tokens } = parseArgs({
    args: [...args],
    options: Object.fromEntries(
      Object.values(IMPORT_SETTINGS).map((setting) => [
        setting.flag,
        { type: 'value' in setting ? ('string' as const) : ('boolean' as const) },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const files = tokens.flatMap((token) => (token.kind === 'positional' ? [token] : []));
  if (files.length === 0)
    throw new UsageError('Name the file to import, e.g. import --from disqus export.xml.');
  if (files.length > 1)
    throw new UsageError(`Name one file to import; got ${files.map((f) => `"${f.value}"`).join(', ')}.`);
  const file = files[0]?.value ?? '';
  const rest = args.filter((_, index) => index !== files[0]?.index);
  return { ...readSettings(IMPORT_SETTINGS, env, rest), file };
}

export interface Output {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function formatSummary(summary: ImportSummary): string {
  const { topics, replies } = summary;
  const verb = summary.dryRun ? 'would be imported' : 'imported';
  const lines = [
    `Topics: ${formatCount(topics.imported)} ${verb}${summary.dryRun ? '' : `, ${formatCount(topics.present)} already there`}`,
    `Replies: ${formatCount(replies.imported)} ${verb} (${formatCount(replies.byStatus.published)} published, ` +
      `${formatCount(replies.byStatus.pending)} pending review, ${formatCount(replies.byStatus.hidden)} hidden as spam, ` +
      `${formatCount(replies.byStatus.deleted)} deleted)${summary.dryRun ? '' : `, ${formatCount(replies.present)} already there`}`,
  ];
  const skipped = [...summary.skipped].sort((a, b) => b[1] - a[1]);
  const total = skipped.reduce((sum, [, n]) => sum + n, 0);
  lines.push(`Skipped: ${formatCount(total)}`);
  for (const [reason, n] of skipped) lines.push(`  ${formatCount(n)} × ${reason}`);
  return `${lines.join('\n')}\n`;
}

/** `colloquy-server import`: what the CLI runs, and the tests with their own output streams. */
export async function importCommand(options: ImportOptions, output: Output): Promise<ImportSummary> {
  try {
    await access(options.file, constants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable';
    throw new UsageError(`Cannot import ${options.file}: ${reason}.`, 1);
  }
  // The readers and their parsers load only for an import, not with every command.
  const { readers } = await import('../import/index.js');
  const reader = readers[options.format](
    options.file,
    options.baseUrl === null ? {} : { baseUrl: options.baseUrl },
  );
  const store = options.dryRun ? null : await openStore(options, undefined, { bulkWrites: true });
  const summary = emptySummary(options.dryRun);
  const label = `${options.dryRun ? 'Checking' : 'Importing'} ${basename(options.file)}`;
  try {
    if (store !== null) output.stderr.write(`${label} into ${databaseName(options)}\n`);
    await runImport(
      {
        reader,
        store,
        batchSize: options.batchSize,
        workers: options.workers,
        progress: createProgressReporter({ stream: output.stderr, label }),
      },
      summary,
    );
  } catch (error) {
    if (!(error instanceof ImportFormatError)) throw error;
    const kept = options.dryRun
      ? 'Nothing was written (dry run).'
      : summary.topics.imported + summary.replies.imported === 0
        ? 'Nothing was written: the database is as it was before.'
        : `The batch being read when it stopped was not written; the ${plural(summary.topics.imported, 'topic')} ` +
          `and ${plural(summary.replies.imported, 'reply', 'replies')} of the batches before it were, and running the ` +
          'import again once the file is whole skips them.';
    throw new UsageError(`The import stopped at ${error.message}\n${kept}`, 1);
  } finally {
    await store?.close();
  }
  output.stdout.write(
    `${options.dryRun ? 'Dry run, nothing written. ' : ''}From ${options.file} (${options.format}):\n${formatSummary(summary)}`,
  );
  return summary;
}
