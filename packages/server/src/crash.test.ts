import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { CreatedReply, ReplyPage } from '@colloquy/api';
import { tempDir } from './testing/helpers.js';
import { startServer } from './testing/processes.js';

const ORIGIN = 'http://localhost:8080';
const ADMIN = 'crash-admin-token';

/** Starts the real CLI on `db`, with the limits off: the burst comes from one address. */
const start = (db: string) =>
  startServer({
    HOST: '127.0.0.1',
    COLLOQUY_DB: db,
    COLLOQUY_ADMIN_TOKEN: ADMIN,
    COLLOQUY_ALLOWED_ORIGINS: ORIGIN,
    COLLOQUY_REPLY_RATE_LIMIT: '0',
    COLLOQUY_TOPIC_RATE_LIMIT: '0',
    COLLOQUY_WRITE_RATE_LIMIT: '0',
  });

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

describe('a crash in the middle of a burst of writes', () => {
  it('keeps every reply that was answered 201, and the database intact', async () => {
    const { dir, cleanup } = await tempDir();
    const db = join(dir, 'crash.db');
    try {
      const first = await start(db);
      const topic = await fetch(`${first.url}/api/v1/topics`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ id: 'burst', title: 'Burst' }),
      });
      assert.equal(topic.status, 201);

      const TOTAL = 300;
      const CONCURRENCY = 20;
      const KILL_AFTER = 120; // answered requests before the SIGKILL
      const acknowledged: string[] = [];
      let answered = 0;
      let next = 0;
      let killed = false;
      const worker = async () => {
        while (next < TOTAL) {
          const k = next++;
          try {
            const res = await fetch(`${first.url}/api/v1/topics/burst/replies`, {
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Origin: ORIGIN },
              body: JSON.stringify({ authorName: `Writer ${k}`, body: `Reply number ${k}` }),
            });
            if (res.status === 201) acknowledged.push(((await res.json()) as CreatedReply).id);
            else await res.body?.cancel();
          } catch {
            // Refused or cut off by the kill: not acknowledged, so nothing is promised.
          }
          if (++answered === KILL_AFTER && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await exited(first.child);
      assert.equal(first.child.signalCode, 'SIGKILL');
      assert.ok(acknowledged.length >= KILL_AFTER - CONCURRENCY, `${acknowledged.length} acknowledged`);
      assert.ok(acknowledged.length < TOTAL, 'the kill happened in the middle of the burst');

      const second = await start(db);
      try {
        const present = new Set<string>();
        let cursor: string | null = null;
        let total = 0;
        do {
          const page: ReplyPage = (await (
            await fetch(
              `${second.url}/api/v1/topics/burst/replies?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
            )
          ).json()) as ReplyPage;
          for (const reply of page.replies) present.add(reply.id);
          total = page.total;
          cursor = page.nextCursor;
        } while (cursor);
        const missing = acknowledged.filter((id) => !present.has(id));
        assert.deepEqual(missing, [], 'every reply answered 201 survives');
        assert.equal(total, present.size, 'the cached count matches the rows');
      } finally {
        second.child.kill('SIGTERM');
        await exited(second.child);
      }

      const check = new Database(db, { readonly: true });
      try {
        assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
        const counted = check.prepare(`SELECT reply_count FROM topics WHERE id = 'burst'`).get() as {
          reply_count: number;
        };
        const rows = check
          .prepare(`SELECT count(*) AS n FROM replies WHERE topic_id = 'burst' AND status = 'published'`)
          .get() as { n: number };
        assert.equal(counted.reply_count, rows.n);
      } finally {
        check.close();
      }
    } finally {
      await cleanup();
    }
  });
});
