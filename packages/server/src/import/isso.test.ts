import assert from 'node:assert/strict';
import { mkdtemp, readFile, truncate, writeFile, copyFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { readIsso } from './isso.js';
import { ImportFormatError } from './records.js';
import { byId, drain, fixture } from './testing.js';

/** A real Isso database, built from Isso's schema and the fixture's rows. */
async function buildIssoDatabase(directory: string, extraSql = ''): Promise<string> {
  const file = join(directory, 'comments.db');
  const db = new Database(file);
  // As Isso's connections have it (Python's sqlite3 leaves SQLite's default), so orphans can exist.
  db.pragma('foreign_keys = OFF');
  db.exec(await readFile(fixture('isso-schema.sql'), 'utf8'));
  db.exec(await readFile(fixture('isso-data.sql'), 'utf8'));
  if (extraSql !== '') db.exec(extraSql);
  db.close();
  return file;
}

describe('Isso reader', () => {
  let directory: string;
  let database: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'colloquy-isso-'));
    database = await buildIssoDatabase(directory);
  });

  test('yields each thread just before its comments, ordered by id', async () => {
    const { threads, comments, order } = await drain(readIsso(database));
    assert.deepEqual(
      threads.map((thread) => thread.sourceId),
      ['1', '2', '3'],
    );
    assert.equal(comments.length, 7);
    assert.deepEqual(order, [
      'thread:1',
      'comment:1',
      'comment:2',
      'comment:3',
      'comment:4',
      'comment:5',
      'thread:2',
      'comment:6',
      'thread:3',
      'comment:7',
    ]);
  });

  test('maps threads, resolving paths against the site when given', async () => {
    const bare = await drain(readIsso(database));
    assert.equal(byId(bare.threads, '1').url, '/blog/2023/rust-lifetimes/');
    const { threads } = await drain(readIsso(database, { baseUrl: 'https://blog.example.org' }));
    assert.deepEqual(byId(threads, '1'), {
      kind: 'thread',
      sourceId: '1',
      url: 'https://blog.example.org/blog/2023/rust-lifetimes/',
      title: 'Rust lifetimes, gently',
      createdAt: null,
      locked: false,
      position: { kind: 'row', file: database, table: 'threads', rowid: 1 },
    });
    assert.equal(byId(threads, '2').url, 'https://blog.example.org/blog/2024/%C3%BCber-unicode/');
    assert.equal(byId(threads, '3').url, 'https://other.example.net/guestbook', 'absolute URIs stay');
    assert.equal(byId(threads, '3').title, null);
  });

  test('keeps nesting, authors, times in UTC and states', async () => {
    const { comments } = await drain(readIsso(database));
    assert.equal(byId(comments, '1').parentSourceId, null);
    assert.equal(byId(comments, '2').parentSourceId, '1');
    assert.equal(byId(comments, '4').parentSourceId, '1');
    assert.deepEqual(byId(comments, '1').author, {
      name: 'Ferris Crab',
      email: 'ferris@example.org',
      url: 'https://ferris.example.org',
    });
    assert.deepEqual(byId(comments, '2').author, { name: 'Ольга' });
    assert.deepEqual(byId(comments, '3').author, { name: null, email: 'removed@example.org' });
    assert.deepEqual(byId(comments, '7').author, { name: null });
    assert.equal(byId(comments, '1').createdAt, '2023-10-31T15:17:12.123Z');
    assert.equal(byId(comments, '2').editedAt, '2023-10-31T16:18:20.000Z');
    assert.equal(byId(comments, '6').createdAt, '2024-01-01T00:00:00.000Z');
    assert.deepEqual(
      ['1', '3', '5'].map((id) => byId(comments, id).state),
      ['approved', 'deleted', 'pending'],
    );
    assert.deepEqual(byId(comments, '5').position, {
      kind: 'row',
      file: database,
      table: 'comments',
      rowid: 5,
    });
  });

  test('keeps the Markdown, converting only raw HTML inside it', async () => {
    const { comments } = await drain(readIsso(database));
    assert.equal(
      byId(comments, '1').body.markdown,
      "Finally an explanation that *clicks*. The `'a` bit:\n\n```rust\nfn longest<'a>(x: &'a str, y: &'a str) -> &'a str { x }\n```",
    );
    assert.equal(byId(comments, '6').body.markdown, '- ä, ö, ü\n- 日本語\n- emoji 🎉');
    assert.equal(
      byId(comments, '4').body.markdown,
      'Replying to the deleted one (Isso points it at the top comment). **Bold in HTML**, *too*.',
    );
    assert.equal(byId(comments, '3').body.markdown, '');
  });

  test('counts progress in rows', async () => {
    const reader = readIsso(database);
    await drain(reader);
    assert.deepEqual(reader.progress, { unit: 'rows', done: 7, total: 7 });
  });

  test('skips comments whose thread is gone, and stops at an unknown mode', async () => {
    const orphans = await mkdtemp(join(tmpdir(), 'colloquy-isso-'));
    const withOrphan = await buildIssoDatabase(
      orphans,
      "INSERT INTO comments (tid, id, parent, created, mode, text, voters) VALUES (99, 8, NULL, 1704070900.0, 1, 'lost', X'00');",
    );
    const { skipped } = await drain(readIsso(withOrphan));
    assert.deepEqual(
      skipped.map((record) => [record.sourceId, record.reason]),
      [['8', 'its thread 99 is not in the database']],
    );

    const odd = await mkdtemp(join(tmpdir(), 'colloquy-isso-'));
    const withOddMode = await buildIssoDatabase(odd, 'UPDATE comments SET mode = 3 WHERE id = 6;');
    await assert.rejects(drain(readIsso(withOddMode)), {
      name: 'ImportFormatError',
      message: `${withOddMode}, table comments, row 6: comment 6 has an unknown mode 3`,
    });
  });

  test('stops with a clear message on a truncated or foreign file', async () => {
    const big = await mkdtemp(join(tmpdir(), 'colloquy-isso-'));
    // Enough rows that the comments table spans many pages, so a cut file loses some of them.
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `(1, ${100 + i}, NULL, 1704070900.0, 1, '${'long text '.repeat(20)}', X'00')`,
    ).join(',');
    const file = await buildIssoDatabase(
      big,
      `INSERT INTO comments (tid, id, parent, created, mode, text, voters) VALUES ${rows};`,
    );
    const cut = join(big, 'cut.db');
    await copyFile(file, cut);
    await truncate(cut, Math.floor((await stat(file)).size / 2));
    await assert.rejects(drain(readIsso(cut)), (error: unknown) => {
      assert.ok(error instanceof ImportFormatError);
      assert.equal(error.position.kind, 'row');
      assert.match(
        error.reason,
        /^the database could not be (read|opened): .*(malformed|not a database|corrupt)/i,
      );
      return true;
    });

    const notSqlite = join(big, 'notes.txt');
    await writeFile(
      notSqlite,
      'this is not a database at all, just some words to fill the header '.repeat(10),
    );
    await assert.rejects(drain(readIsso(notSqlite)), /could not be (read|opened): file is not a database/);

    const foreign = join(big, 'other.db');
    new Database(foreign).exec('CREATE TABLE replies (id INTEGER PRIMARY KEY)').close();
    await assert.rejects(drain(readIsso(foreign)), /not an Isso database/);
  });
});
