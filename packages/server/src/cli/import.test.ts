/**
 * `colloquy-server import` on each format's fixture, into a real SQLite file and (when
 * COLLOQUY_TEST_DATABASE_URL is set) a real PostgreSQL schema: what lands in the database is
 * checked against the reader's records, a second run must change nothing, and bad or truncated
 * input must leave the database as it was before the failed batch.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, stat, truncate, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { readers } from '../import/index.js';
import { importedName } from '../import/run.js';
import type { CommentRecord, ImportFormat } from '../import/records.js';
import { drain, fixture } from '../import/testing.js';
import { renderMarkdown } from '../markdown.js';
import { capturedOutput as output, tempDir } from '../testing/helpers.js';
import { CLI } from '../testing/processes.js';
import { importCommand, importOptions, type ImportOptions } from './import.js';
import { openStore } from './database.js';
import { UsageError } from './settings.js';

const PG_URL = process.env.COLLOQUY_TEST_DATABASE_URL;

type Row = Record<string, unknown>;

/** A database to import into, and a way to read every row of it back. */
interface Target {
  readonly name: string;
  /** The database options, as the command's flags would give them. */
  args(): string[];
  /** The same as environment variables, for the spawned command. */
  env(): Record<string, string>;
  /** Every table's rows, sorted, with values as plain JSON: equal dumps are equal databases. */
  dump(): Promise<Record<string, string[]>>;
  query(text: string): Promise<Row[]>;
  /** A fresh, empty database (migrated, no rows). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const sortRows = (rows: Row[]) =>
  rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? String(v) : v))).sort();

async function sqliteTarget(dir: string): Promise<Target> {
  let file = '';
  let n = 0;
  const target: Target = {
    name: 'SQLite',
    args: () => ['--db', file],
    env: () => ({ COLLOQUY_DB: file, DATABASE_URL: '' }),
    async query(text) {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare(text).all() as Row[];
      } finally {
        db.close();
      }
    },
    async dump() {
      const tables = (await target.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )) as Array<{ name: string }>;
      const out: Record<string, string[]> = {};
      for (const { name } of tables) {
        if (name === 'schema_migrations') continue;
        out[name] = sortRows(await target.query(`SELECT * FROM "${name}"`));
      }
      return out;
    },
    async reset() {
      file = join(dir, `import-${++n}.db`);
      await (await openStore({ dbFile: file, databaseUrl: null, dbSchema: null })).close();
    },
    async close() {},
  };
  return target;
}

async function postgresTarget(url: string): Promise<Target> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schemas: string[] = [];
  let schema = '';
  const target: Target = {
    name: 'PostgreSQL',
    args: () => ['--database-url', url, '--db-schema', schema],
    env: () => ({ DATABASE_URL: url, COLLOQUY_DB_SCHEMA: schema }),
    async query(text) {
      await client.query(`SET search_path = "${schema}"`);
      return (await client.query(text)).rows as Row[];
    },
    async dump() {
      const tables = (
        await client.query(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
          [schema],
        )
      ).rows as Array<{ table_name: string }>;
      const out: Record<string, string[]> = {};
      for (const { table_name } of tables) {
        if (table_name === 'schema_migrations') continue;
        out[table_name] = sortRows(await target.query(`SELECT * FROM "${table_name}"`));
      }
      return out;
    },
    async reset() {
      schema = `import_test_${randomBytes(6).toString('hex')}`;
      schemas.push(schema);
      await (await openStore({ dbFile: '', databaseUrl: url, dbSchema: schema })).close();
    },
    async close() {
      for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      await client.end();
    },
  };
  return target;
}

/** A real Isso database, built from Isso's schema and the fixture's rows (as isso.test.ts does). */
let issoFiles = 0;
async function issoDatabase(dir: string): Promise<string> {
  const file = join(dir, `isso-comments-${++issoFiles}.db`);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.exec(await readFile(fixture('isso-schema.sql'), 'utf8'));
  db.exec(await readFile(fixture('isso-data.sql'), 'utf8'));
  db.close();
  return file;
}

interface Case {
  format: ImportFormat;
  file: (dir: string) => Promise<string>;
  truncated: (dir: string) => Promise<string>;
  /** What the fixture holds, counted by hand from it. */
  topics: number;
  replies: number;
  skipped: number;
}

const BASE = 'https://blog.example.org';
const cases: Case[] = [
  {
    format: 'disqus',
    file: async () => fixture('disqus.xml'),
    truncated: async () => fixture('disqus-truncated.xml'),
    topics: 2,
    replies: 8,
    skipped: 2,
  },
  {
    format: 'wordpress',
    file: async () => fixture('wordpress.xml'),
    truncated: async () => fixture('wordpress-truncated.xml'),
    topics: 2,
    replies: 7,
    skipped: 1,
  },
  {
    format: 'remark42',
    file: async () => fixture('remark42.jsonl'),
    truncated: async () => fixture('remark42-truncated.jsonl'),
    topics: 2,
    replies: 6,
    skipped: 0,
  },
  {
    format: 'isso',
    file: issoDatabase,
    truncated: async (dir) => {
      const whole = await issoDatabase(dir);
      const cut = join(dir, 'isso-cut.db');
      await copyFile(whole, cut);
      await truncate(cut, Math.floor((await stat(whole)).size / 2));
      return cut;
    },
    topics: 3,
    replies: 7,
    skipped: 0,
  },
  {
    format: 'waline',
    file: async () => fixture('waline.json'),
    truncated: async () => fixture('waline-truncated.json'),
    topics: 2,
    replies: 7,
    skipped: 0,
  },
  {
    format: 'giscus',
    file: async () => fixture('giscus.json'),
    truncated: async () => fixture('giscus-truncated.json'),
    topics: 2,
    replies: 6,
    skipped: 0,
  },
];

async function runImport(target: Target, format: ImportFormat, file: string, extra: string[] = []) {
  const options: ImportOptions = importOptions(
    {},
    ['import', '--from', format, '--base-url', BASE, ...target.args(), ...extra, file].slice(1),
  );
  const io = output();
  const summary = await importCommand(options, io.streams);
  return { summary, ...io.text() };
}

const statusOf = { approved: 'published', pending: 'pending', spam: 'hidden', deleted: 'deleted' };

/** The imported replies, each with its source id, its parent's source id and its thread's. */
async function importedReplies(target: Target): Promise<Row[]> {
  return target.query(`
    SELECT s.source_id, p.source_id AS parent_source_id, t.source_id AS thread_source_id,
           r.id, r.topic_id, r.parent_id, r.depth, r.author_name, r.created_at, r.edited_at,
           r.body, r.text, r.status
    FROM replies r
    JOIN import_replies s ON s.reply_id = r.id
    LEFT JOIN import_replies p ON p.reply_id = r.parent_id
    JOIN import_topics t ON t.topic_id = r.topic_id`);
}

const iso = (value: unknown) => new Date(value as string).toISOString();

function targets(): Array<{ name: string; make: (dir: string) => Promise<Target>; skip: string | false }> {
  return [
    { name: 'SQLite', make: sqliteTarget, skip: false },
    {
      name: 'PostgreSQL',
      make: async () => postgresTarget(PG_URL ?? ''),
      skip: PG_URL ? false : 'COLLOQUY_TEST_DATABASE_URL is not set',
    },
  ];
}

for (const { name, make, skip } of targets()) {
  describe(`colloquy-server import into ${name}`, { skip }, () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let target: Target;
    before(async () => {
      ({ dir, cleanup } = await tempDir());
      target = await make(dir);
    });
    after(async () => {
      await target?.close();
      await cleanup?.();
    });

    for (const c of cases) {
      it(`imports the ${c.format} fixture: topics, nesting, authors, times, states and rendered bodies`, async () => {
        await target.reset();
        const file = await c.file(dir);
        const records = await drain(readers[c.format](file, { baseUrl: BASE }));
        const { summary, out } = await runImport(target, c.format, file);

        const replies = await importedReplies(target);
        const topics = await target.query(
          'SELECT t.*, s.source_id FROM topics t JOIN import_topics s ON s.topic_id = t.id',
        );
        assert.equal(summary.topics.imported, c.topics);
        assert.equal(summary.replies.imported, c.replies);
        assert.equal(
          [...summary.skipped.values()].reduce((a, b) => a + b, 0),
          c.skipped,
        );
        assert.equal(topics.length, summary.topics.imported);
        assert.equal(replies.length, summary.replies.imported);
        assert.match(out, new RegExp(`Replies: ${summary.replies.imported} imported`));

        // Each thread is the page topic of its exact URL.
        for (const topic of topics) {
          const thread = records.threads.find((t) => t.sourceId === topic.source_id);
          assert.ok(thread, `topic ${String(topic.id)} comes from a thread of the file`);
          assert.equal(topic.id, thread.url);
          assert.equal(topic.url, thread.url);
          if (thread.title) assert.equal(topic.title, thread.title.replace(/\s+/g, ' ').trim());
          const published = replies.filter((r) => r.topic_id === topic.id && r.status === 'published');
          assert.equal(Number(topic.reply_count), published.length);
          // Its newest published reply, by time and then id, as the live writes keep it.
          const time = (value: unknown) =>
            value instanceof Date ? value.getTime() : Date.parse(String(value));
          const newest = published.reduce<(typeof published)[number] | undefined>(
            (best, r) =>
              best === undefined ||
              time(r.created_at) > time(best.created_at) ||
              (time(r.created_at) === time(best.created_at) && String(r.id) > String(best.id))
                ? r
                : best,
            undefined,
          );
          assert.equal(topic.latest_reply_id ?? null, newest?.id ?? null);
          assert.ok(
            published.length === 0 || Number(topic.version) > 1,
            'a topic that gained replies has a new version',
          );
        }

        const byId = new Map<string, CommentRecord>(records.comments.map((r) => [r.sourceId, r]));
        let nested = 0;
        for (const reply of replies) {
          const record = byId.get(String(reply.source_id));
          assert.ok(record, `reply ${String(reply.source_id)} comes from a comment of the file`);
          assert.equal(reply.thread_source_id, record.threadSourceId);
          assert.equal(reply.parent_source_id, record.parentSourceId);
          if (record.parentSourceId !== null) nested++;
          assert.equal(iso(reply.created_at), iso(record.createdAt));
          assert.equal(
            reply.edited_at === null ? null : iso(reply.edited_at),
            record.editedAt ? iso(record.editedAt) : null,
          );
          assert.equal(reply.status, statusOf[record.state]);
          if (record.state === 'deleted') {
            assert.equal(reply.author_name, '');
            assert.equal(reply.text, '');
            continue;
          }
          assert.equal(reply.author_name, importedName(record.author.name));
          const rendered = renderMarkdown(record.body.markdown.trim());
          const body = typeof reply.body === 'string' ? JSON.parse(reply.body) : reply.body;
          assert.deepEqual(body, rendered.body);
          assert.equal(reply.text, rendered.text);
        }
        assert.ok(nested > 0, 'the fixture nests replies');
        // Depth follows the parent's.
        const depthOf = new Map(replies.map((r) => [r.id, Number(r.depth)]));
        for (const reply of replies) {
          const expected = reply.parent_id === null ? 0 : (depthOf.get(reply.parent_id) ?? -1) + 1;
          assert.equal(Number(reply.depth), expected);
        }
        // An import tells no one.
        assert.deepEqual(await target.query('SELECT * FROM outbox'), []);

        // The same file again changes nothing at all.
        const before = await target.dump();
        const again = await runImport(target, c.format, file);
        assert.equal(again.summary.replies.imported, 0);
        assert.equal(again.summary.topics.imported, 0);
        assert.equal(again.summary.replies.present, summary.replies.imported);
        assert.deepEqual(await target.dump(), before);
      });

      it(`stops on the truncated ${c.format} file with its position and leaves the database as it was`, async () => {
        await target.reset();
        const before = await target.dump();
        const file = await c.truncated(dir);
        await assert.rejects(runImport(target, c.format, file), (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.equal(error.exitCode, 1);
          assert.match(error.message, /^The import stopped at .+(:\d+:\d+|, row \d+)?: /);
          assert.match(error.message, /Nothing was written/);
          return true;
        });
        assert.deepEqual(await target.dump(), before);
      });
    }

    it('keeps the batches before a failure and only those, and a later run completes the import', async () => {
      await target.reset();
      const truncatedRun = runImport(target, 'disqus', fixture('disqus-truncated.xml'), [
        '--batch-size',
        '1',
      ]);
      await assert.rejects(truncatedRun, (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, /batches before it were/);
        return true;
      });
      const partial = await importedReplies(target);
      const all = await drain(readers.disqus(fixture('disqus.xml')));
      // Whatever was written is a prefix of the file's comments, in order.
      const written = new Set(partial.map((r) => r.source_id));
      const order = all.comments.map((c) => c.sourceId).filter((id) => written.has(id));
      assert.equal(order.length, partial.length);
      const { summary } = await runImport(target, 'disqus', fixture('disqus.xml'));
      assert.equal(summary.replies.present, partial.length);
      assert.equal((await importedReplies(target)).length, 8);
    });

    it('adds to the count of a topic that already had live replies, batch after batch, and keeps its newest reply', async () => {
      await target.reset();
      const url = 'https://blog.example.org/2024/10/rsp-update/';
      const options = importOptions({}, ['--from', 'disqus', ...target.args(), 'unused.xml']);
      const store = await openStore(options);
      let live: string[];
      try {
        const first = await store.createReply({
          topicId: url,
          parentId: null,
          authorName: 'Live reader',
          body: [],
          text: 'first',
          createTopic: { title: 'Updated policy', url },
          notify: false,
        });
        const second = await store.createReply({
          topicId: url,
          parentId: first.id,
          authorName: 'Another reader',
          body: [],
          text: 'second',
          notify: false,
        });
        live = [first.id, second.id];
      } finally {
        await store.close();
      }
      // One comment a batch: the topic is touched by several batches, each adding to its count.
      const { summary } = await runImport(target, 'disqus', fixture('disqus.xml'), ['--batch-size', '1']);
      assert.ok(summary.replies.imported > 2);
      const [topic] = await target.query(
        `SELECT reply_count, latest_reply_id FROM topics WHERE id = '${url}'`,
      );
      const published = await target.query(
        `SELECT id FROM replies WHERE topic_id = '${url}' AND status = 'published'`,
      );
      assert.ok(topic);
      assert.ok(published.length > live.length, 'the import added published replies to the live topic');
      assert.equal(Number(topic.reply_count), published.length);
      // The live replies are newer than every imported one (2024): the newest stays the live one.
      assert.equal(topic.latest_reply_id, live[1]);
    });

    it('prepares bodies on worker threads for a file larger than a batch, with the same result', async () => {
      const comparable = async () =>
        (await importedReplies(target))
          .map(({ source_id, parent_source_id, depth, author_name, created_at, body, text, status }) =>
            JSON.stringify({
              source_id,
              parent_source_id,
              depth,
              author_name,
              created_at,
              body,
              text,
              status,
            }),
          )
          .sort();
      await target.reset();
      await runImport(target, 'wordpress', fixture('wordpress.xml'), ['--workers', '0']);
      const inline = await comparable();
      await target.reset();
      const { summary } = await runImport(target, 'wordpress', fixture('wordpress.xml'), [
        '--batch-size',
        '2',
        '--workers',
        '2',
      ]);
      assert.equal(summary.replies.imported, 7);
      assert.deepEqual(await comparable(), inline);
    });

    it('writes nothing on a dry run and says what it would import', async () => {
      await target.reset();
      const before = await target.dump();
      const { summary, out } = await runImport(target, 'disqus', fixture('disqus.xml'), ['--dry-run']);
      assert.equal(summary.dryRun, true);
      assert.equal(summary.topics.imported, 2);
      assert.equal(summary.replies.imported, 8);
      assert.match(out, /^Dry run, nothing written/);
      assert.match(out, /Replies: 8 would be imported/);
      assert.deepEqual(await target.dump(), before);
    });

    it('runs as the real command: exit 0 with a summary, exit 1 with the position on a truncated file', async () => {
      await target.reset();
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'import', ...args], {
            env: { ...process.env, ...target.env() },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
          child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
          child.once('exit', (code) => resolve({ code, stdout, stderr }));
        });
      const ok = await run(['--from', 'disqus', fixture('disqus.xml')]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /Topics: 2 imported, 0 already there/);
      assert.match(
        ok.stdout,
        /Replies: 8 imported \(6 published, 0 pending review, 1 hidden as spam, 1 deleted\)/,
      );
      assert.match(ok.stdout, /1 × thread deleted in Disqus/);
      assert.match(ok.stderr, /comments\/s, done/);
      const before = await target.dump();
      const bad = await run(['--from', 'disqus', fixture('disqus-truncated.xml')]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /The import stopped at .*disqus-truncated\.xml:\d+:\d+: /);
      assert.deepEqual(await target.dump(), before);
      const usage = await run([fixture('disqus.xml')]);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--from is required/);
      assert.match(usage.stderr, /Usage: colloquy-server import/);
    });
  });
}
