import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { renderMarkdown } from '../markdown.js';
import { seedDemo } from '../seed.js';
import { SqliteStore } from '../store/sqlite.js';
import { tempDir } from '../testing/helpers.js';
import { backUp, backupFileName, scheduleBackups } from './backups.js';
import { serveOptions } from './serve.js';
import { UsageError } from './settings.js';

const DAY = 24 * 60 * 60 * 1000;

describe('serve --backup-dir', () => {
  it('writes a valid SQLite copy holding the data, and keeps only the newest N', async () => {
    const { dir, cleanup } = await tempDir();
    const store = SqliteStore.open(join(dir, 'live.db'));
    try {
      await seedDemo(store);
      const reply = await store.createReply({
        topicId: 'rsp-update',
        parentId: null,
        authorName: 'Ann',
        ...renderMarkdown('kept *safe*'),
        source: 'kept *safe*',
      });
      const backups = join(dir, 'backups');
      let day = Date.parse('2026-12-01T03:00:00Z');
      const clock = () => new Date(day);
      const written: string[] = [];
      for (let k = 0; k < 5; k++) {
        written.push(await backUp(store, { dir: backups, keep: 3, now: clock }));
        day += DAY;
      }
      assert.deepEqual(
        (await readdir(backups)).sort(),
        written.slice(2).map((file) => file.slice(backups.length + 1)),
        'the three newest are kept',
      );
      assert.equal(backupFileName(new Date('2026-12-05T03:00:00Z')), 'colloquy-2026-12-05T03-00-00Z.db');

      const copy = new Database(written.at(-1) ?? '', { readonly: true });
      try {
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
        const row = copy.prepare('SELECT source, author_name FROM replies WHERE id = ?').get(reply.id);
        assert.deepEqual(row, { source: 'kept *safe*', author_name: 'Ann' });
      } finally {
        copy.close();
      }
      // The copy opens as a store of its own, with the same data.
      const restored = SqliteStore.open(written.at(-1) ?? '');
      assert.equal((await restored.getReply(reply.id))?.text, 'kept safe');
      await restored.close();
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('backs up at start and then on every interval, until stopped', async () => {
    const { dir, cleanup } = await tempDir();
    const store = SqliteStore.open(join(dir, 'live.db'));
    try {
      let day = Date.parse('2026-12-01T03:00:00Z');
      const files: string[] = [];
      let wake: () => void = () => {};
      const schedule = scheduleBackups(store, {
        dir: join(dir, 'b'),
        keep: 2,
        intervalMs: 5,
        now: () => new Date((day += DAY)),
        onBackup: (file) => {
          files.push(file);
          wake();
        },
      });
      // The schedule's timer is unref'd, as a server's should be; this one keeps the test's event
      // loop alive between backups, and gives up rather than wait for ever.
      const deadline = Date.now() + 30_000;
      const alive = setInterval(() => wake(), 100);
      try {
        while (files.length < 3 && Date.now() < deadline)
          await new Promise<void>((resolve) => (wake = resolve));
      } finally {
        clearInterval(alive);
      }
      assert.ok(files.length >= 3, `${files.length} backups in 30 s`);
      await schedule.stop();
      const count = files.length;
      assert.equal((await readdir(join(dir, 'b'))).length, 2, 'two are kept');
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(files.length, count, 'no backup after stop');
    } finally {
      await store.close();
      await cleanup();
    }
  });

  it('is refused for PostgreSQL, with the reason, and reads its keep count', () => {
    assert.throws(
      () => serveOptions({ DATABASE_URL: 'postgres://h/db' }, ['--backup-dir', '/tmp/b']),
      (error: unknown) =>
        error instanceof UsageError && /PostgreSQL/.test(error.message) && /pg_dump/.test(error.message),
    );
    const options = serveOptions({ COLLOQUY_BACKUP_DIR: '/tmp/b' }, ['--backup-keep', '3']);
    assert.deepEqual([options.backupDir, options.backupKeep], ['/tmp/b', 3]);
    assert.equal(serveOptions({}, []).backupDir, null);
    assert.throws(() => serveOptions({}, ['--backup-keep', '0']), UsageError);
  });
});
