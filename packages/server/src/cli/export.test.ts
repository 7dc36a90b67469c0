/**
 * `colloquy-server export` and `import --from colloquy` on real databases: a SQLite file and
 * (when COLLOQUY_TEST_DATABASE_URL is set) PostgreSQL schemas. Export → import into an empty
 * database → export gives the same bytes for every pairing of the two; every line validates
 * against the published JSON Schema (ajv); a second import changes nothing; bad and cut input
 * stops with its line and leaves the database as it was.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import pg from 'pg';
import { renderMarkdown } from '../markdown.js';
import { exportJsonSchema } from '../import/colloquy-format.js';
import { seedDemo } from '../seed.js';
import type { Store } from '../store/store.js';
import { tempDir } from '../testing/helpers.js';
import { counting } from '../testing/instances.js';
import { openStore, type DatabaseOptions } from './database.js';
import { EXPORT_PAGE, exportCommand, exportRecords } from './export.js';
import { importCommand } from './import.js';
import { UsageError } from './settings.js';

const PG_URL = process.env.COLLOQUY_TEST_DATABASE_URL;
const SCHEMA_FILE = new URL('../../schema/colloquy-export.v1.json', import.meta.url);

const quiet = () => ({ stdout: new PassThrough().resume(), stderr: new PassThrough().resume() });

/** Databases of one kind, each fresh and empty. */
interface Kind {
  name: string;
  fresh(): Promise<DatabaseOptions>;
}

let dir = '';
let cleanup: () => Promise<void> = async () => {};
const schemas: string[] = [];
let files = 0;
const pgAdmin = PG_URL ? new pg.Pool({ connectionString: PG_URL, max: 1 }) : null;

const sqlite: Kind = {
  name: 'SQLite',
  fresh: async () => ({ dbFile: join(dir, `db-${++files}.db`), databaseUrl: null, dbSchema: null }),
};
const postgres: Kind | null = PG_URL
  ? {
      name: 'PostgreSQL',
      fresh: async () => {
        const schema = `export_${randomBytes(6).toString('hex')}`;
        schemas.push(schema);
        return { dbFile: '', databaseUrl: PG_URL, dbSchema: schema };
      },
    }
  : null;

before(async () => {
  ({ dir, cleanup } = await tempDir());
});
after(async () => {
  for (const schema of schemas) await pgAdmin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pgAdmin?.end();
  await cleanup();
});

/** A site with every kind of thing the format carries. */
async function fill(store: Store): Promise<void> {
  await seedDemo(store);
  await store.upsertTopic({
    id: 'launch-notes',
    title: 'Launch notes',
    url: 'https://news.example/launch',
    category: { slug: 'news', name: 'News', path: ['Community', 'News'] },
    label: 'Background',
    summary: 'What changed.',
    author: { name: 'Natalya Tihonova', avatarUrl: 'https://news.example/n.png' },
    createdAt: '2026-04-21T16:20:34Z',
    ...renderMarkdown('We shipped **threads** [1].\n\n    code kept'),
    source: 'We shipped **threads** [1].\n\n    code kept',
    sources: [{ title: 'Notes', url: 'https://news.example/notes' }],
    locked: true,
  });
  await store.upsertTopic({
    id: 'open',
    title: 'Open',
    url: null,
    category: null,
    label: null,
    summary: null,
    author: null,
    ...renderMarkdown('Open *topic*'),
    source: 'Open *topic*',
    sources: [],
    locked: false,
  });
  const reply = (parentId: string | null, source: string, extra = {}) =>
    store.createReply({
      topicId: 'open',
      parentId,
      authorName: 'Jürgen Ö',
      ...renderMarkdown(source),
      source,
      ...extra,
    });
  const root = await reply(null, '- [x] a list\n- with `code`');
  const child = await reply(root.id, '> quoted\n\nand a [link](https://example.org/)');
  await reply(child.id, 'grandchild');
  const verified = await reply(null, 'signed in', { verifiedSub: 'user-42' });
  const hidden = await reply(null, 'hidden later');
  const deleted = await reply(null, 'deleted later');
  await reply(deleted.id, 'answer to a deleted reply');
  await reply(null, 'waiting for review', { status: 'pending' });
  const edited = await reply(null, 'first words');
  await store.editReply(edited.id, { ...renderMarkdown('  edited *words*'), source: '  edited *words*' });
  await store.setReplyStatus(hidden.id, 'hidden');
  await store.setReplyStatus(deleted.id, 'deleted');
  await store.toggleReaction({ type: 'reply', id: verified.id }, 'like', 'reader-one-aaaaaaaa');
  await store.toggleReaction({ type: 'reply', id: verified.id }, 'like', 'reader-two-aaaaaaaa');
  await store.toggleReaction({ type: 'reply', id: root.id }, 'insightful', 'reader-one-aaaaaaaa');
  await store.toggleReaction({ type: 'topic', id: 'launch-notes' }, 'disagree', 'reader-one-aaaaaaaa');
  // A page topic, made by its first reply.
  await store.createReply({
    topicId: 'https://blog.example/post',
    parentId: null,
    authorName: 'Page reader',
    ...renderMarkdown('on a page'),
    source: 'on a page',
    createTopic: { title: 'https://blog.example/post', url: 'https://blog.example/post' },
  });
}

async function exportTo(options: DatabaseOptions, file: string): Promise<string> {
  await exportCommand({ ...options, out: file }, quiet());
  return readFile(file, 'utf8');
}

const importFrom = (options: DatabaseOptions, file: string, batchSize = 1000) =>
  importCommand(
    { ...options, format: 'colloquy', file, baseUrl: null, batchSize, workers: 0, dryRun: false },
    quiet(),
  );

async function filled(kind: Kind): Promise<{ options: DatabaseOptions; file: string; text: string }> {
  const options = await kind.fresh();
  const store = await openStore(options);
  try {
    await fill(store);
  } finally {
    await store.close();
  }
  const file = join(dir, `export-${++files}.jsonl`);
  return { options, file, text: await exportTo(options, file) };
}

describe('colloquy-server export', () => {
  it('writes lines that validate against the published JSON Schema, which is current', async () => {
    const published = JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      published,
      exportJsonSchema(),
      'schema/colloquy-export.v1.json is generated from colloquy-format.ts',
    );
    const validate = new Ajv2020({ strict: false }).compile(published);
    const { text } = await filled(sqlite);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    for (const line of lines)
      assert.ok(validate(line), `${JSON.stringify(line)}: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(lines[0], { format: 'colloquy-export', type: 'header', version: 1 });
    assert.deepEqual(lines.at(-1), { replies: 10, topics: 4, type: 'end' });
    const types = lines.map((line) => line.type);
    assert.deepEqual(
      [types.indexOf('topic'), types.lastIndexOf('topic'), types.indexOf('reply')],
      [1, 4, 5],
      'topics come before replies',
    );
    // The schema refuses what the format does not allow.
    assert.equal(validate({ type: 'reply', id: 'x' }), false);
    assert.ok(!text.includes('reader-one'), 'who reacted is not exported');
  });

  const kinds = [sqlite, ...(postgres ? [postgres] : [])];
  for (const from of kinds) {
    for (const to of kinds) {
      it(`round-trips exactly from ${from.name} to ${to.name}, and a second import changes nothing`, async () => {
        const source = await filled(from);
        const target = await to.fresh();
        const first = await importFrom(target, source.file, 4);
        assert.equal(first.topics.imported, 4);
        assert.equal(first.replies.imported, 10);
        assert.deepEqual(first.replies.byStatus, { published: 7, pending: 1, hidden: 1, deleted: 1 });
        const again = join(dir, `again-${++files}.jsonl`);
        assert.equal(await exportTo(target, again), source.text);

        const second = await importFrom(target, source.file);
        assert.equal(second.topics.imported + second.replies.imported, 0);
        assert.deepEqual([second.topics.present, second.replies.present], [4, 10]);
        assert.equal(await exportTo(target, again), source.text);
      });
    }
  }

  it('reads the database a page at a time, each row once', async () => {
    const options = await sqlite.fresh();
    const opened = await openStore(options);
    try {
      await opened.upsertTopic({
        id: 'many',
        title: 'Many',
        url: null,
        category: null,
        label: null,
        summary: null,
        author: null,
        ...renderMarkdown('x'),
        sources: [],
        locked: false,
      });
      const total = EXPORT_PAGE * 2 + 1;
      for (let k = 0; k < total; k++)
        await opened.createReply({
          topicId: 'many',
          parentId: null,
          authorName: 'A',
          ...renderMarkdown(`r${k}`),
        });
      const { store, calls } = counting(opened);
      const ids: string[] = [];
      for await (const record of exportRecords(store)) if (record.type === 'reply') ids.push(record.id);
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total);
      assert.deepEqual([...ids].sort(), ids, 'in id order');
      assert.equal(calls.get('exportReplies'), 3, 'three pages of at most EXPORT_PAGE rows');
    } finally {
      await opened.close();
    }
  });

  it('stops at the line of bad or cut input, naming what is wrong, and leaves the database as it was', async () => {
    const source = await filled(sqlite);
    const lines = source.text.split('\n');
    const cases: Array<[string, string, RegExp]> = [
      ['cut inside a line', source.text.slice(0, source.text.length - 200), /:\d+:1: this line is not JSON/],
      [
        'without its end record',
        `${lines.slice(0, -2).join('\n')}\n`,
        /ends before its end record: it is cut short/,
      ],
      [
        'a field that breaks the format',
        source.text.replace('"status":"hidden"', '"status":"gone"'),
        /:(\d+):1: this line is not a record of the format: status: /,
      ],
      ['not an export', '{"hello":1}\n', /:1:1: this line is not a record of the format/],
    ];
    for (const [what, text, message] of cases) {
      const target = await sqlite.fresh();
      const file = join(dir, `bad-${++files}.jsonl`);
      await writeFile(file, text);
      const before = await exportTo(target, join(dir, `before-${files}.jsonl`));
      await assert.rejects(importFrom(target, file), (error: unknown) => {
        assert.ok(error instanceof UsageError, what);
        assert.match(error.message, message, what);
        assert.match(error.message, /Nothing was written/, what);
        return true;
      });
      assert.equal(await exportTo(target, join(dir, `after-${files}.jsonl`)), before, what);
    }
    // The line named is the line with the fault.
    const faulty = source.text.replace('"status":"hidden"', '"status":"gone"');
    const line = faulty.split('\n').findIndex((l) => l.includes('"gone"')) + 1;
    const file = join(dir, 'faulty.jsonl');
    await writeFile(file, faulty);
    await assert.rejects(importFrom(await sqlite.fresh(), file), new RegExp(`faulty\\.jsonl:${line}:1:`));
    await truncate(file, 0);
    await assert.rejects(importFrom(await sqlite.fresh(), file), /the file is empty/);
  });
});
