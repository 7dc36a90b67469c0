/**
 * `colloquy-server rerender` on a real SQLite file and (when COLLOQUY_TEST_DATABASE_URL is set)
 * a real PostgreSQL schema: a body whose stored tree is not what its source renders to now is
 * fixed, with its topic's version moved on; a current one is not written.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { Doc } from '@colloquy/api';
import { renderMarkdown } from '../markdown.js';
import { tempDir } from '../testing/helpers.js';
import { openStore, type DatabaseOptions } from './database.js';
import { rerenderCommand, rerenderOptions } from './rerender.js';
import { UsageError } from './settings.js';

const PG_URL = process.env.COLLOQUY_TEST_DATABASE_URL;
const STALE: Doc = [{ t: 'p', c: [{ t: 'text', v: '~~struck~~ as an old renderer left it' }] }];

const collect = () => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
};

function rerenderOn(name: string, database: () => Promise<DatabaseOptions & { drop(): Promise<void> }>) {
  describe(`colloquy-server rerender on ${name}`, () => {
    it('fixes the bodies whose tree differs from their source, and writes no other', async () => {
      const options = await database();
      try {
        const store = await openStore(options);
        await store.upsertTopic({
          id: 'doc',
          title: 'Doc',
          url: null,
          category: null,
          label: null,
          summary: null,
          author: null,
          ...renderMarkdown('A *fine* topic'),
          source: 'A *fine* topic',
          sources: [],
          locked: false,
        });
        const base = { topicId: 'doc', parentId: null, authorName: 'Ann' };
        const current = [];
        for (let k = 0; k < 4; k++)
          current.push(
            await store.createReply({ ...base, ...renderMarkdown(`reply ${k}`), source: `reply ${k}` }),
          );
        const stale = await store.createReply({ ...base, body: STALE, text: 'old', source: '~~struck~~' });
        const version = await store.topicVersion('doc');
        await store.close();

        const stdout = collect();
        const stderr = collect();
        const summary = await rerenderCommand(
          { ...options, batchSize: 2 },
          { stdout: stdout.stream, stderr: stderr.stream },
        );
        assert.deepEqual(summary, { replies: { read: 5, changed: 1 }, topics: { read: 1, changed: 0 } });
        assert.match(
          stdout.text(),
          /Replies: 5 read, 1 changed, 4 unchanged\nTopics: 1 read, 0 changed, 1 unchanged/,
        );
        // Batches of two: progress after each of the three batches that held rows.
        assert.equal(stderr.text().match(/^Replies: \d+ read, \d+ changed so far$/gm)?.length, 3);

        const reopened = await openStore(options);
        try {
          const fixed = await reopened.getReply(stale.id);
          assert.deepEqual(fixed?.body, [{ t: 'p', c: [{ t: 'del', c: [{ t: 'text', v: 'struck' }] }] }]);
          assert.equal(fixed?.text, 'struck');
          for (const reply of current) assert.deepEqual(await reopened.getReply(reply.id), reply);
          const moved = await reopened.topicVersion('doc');
          assert.ok(Number(moved) > Number(version), 'the topic’s version moved on');
          await reopened.close();

          const again = await rerenderCommand(
            { ...options, batchSize: 500 },
            { stdout: collect().stream, stderr: collect().stream },
          );
          assert.deepEqual(again, { replies: { read: 5, changed: 0 }, topics: { read: 1, changed: 0 } });
          const last = await openStore(options);
          assert.equal(await last.topicVersion('doc'), moved, 'a second run writes nothing');
          await last.close();
        } catch (error) {
          await reopened.close().catch(() => {});
          throw error;
        }
      } finally {
        await options.drop();
      }
    });
  });
}

rerenderOn('SQLite', async () => {
  const { dir, cleanup } = await tempDir();
  return { dbFile: join(dir, 'colloquy.db'), databaseUrl: null, dbSchema: null, drop: cleanup };
});

if (PG_URL) {
  const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
  after(() => admin.end());
  rerenderOn('PostgreSQL', async () => {
    const schema = `rerender_${randomBytes(6).toString('hex')}`;
    return {
      dbFile: '',
      databaseUrl: PG_URL,
      dbSchema: schema,
      drop: async () => {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      },
    };
  });
} else {
  describe('colloquy-server rerender on PostgreSQL', () => {
    it('runs when COLLOQUY_TEST_DATABASE_URL is set', {
      skip: 'COLLOQUY_TEST_DATABASE_URL is not set',
    }, () => {});
  });
}

describe('colloquy-server rerender options', () => {
  it('reads the database like serve does, and refuses a bad batch size', () => {
    const options = rerenderOptions({ COLLOQUY_DB: 'x.db' }, ['--batch-size', '50']);
    assert.equal(options.dbFile, 'x.db');
    assert.equal(options.batchSize, 50);
    assert.equal(rerenderOptions({ DATABASE_URL: 'postgres://h/db' }, []).databaseUrl, 'postgres://h/db');
    assert.throws(() => rerenderOptions({}, ['--batch-size', '0']), UsageError);
  });
});
