import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Reply, TopicWithReplies } from '@colloquy/api';
import { tempDir } from './testing/helpers.js';
import { CLI, startServer as start } from './testing/processes.js';

/** Runs the CLI to completion and returns its exit code and output. */
function run(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, PORT: '0', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('colloquy-server serve', () => {
  it('listens on a free port, seeds, persists across a restart and exits 0 on SIGTERM', async () => {
    const { dir, cleanup } = await tempDir();
    const db = join(dir, 'nested', 'colloquy.db');
    try {
      const first = await start({ COLLOQUY_DB: db, COLLOQUY_SEED: '1' });
      assert.match(first.url, /^http:\/\/localhost:\d+$/);
      assert.notEqual(new URL(first.url).port, '0');
      assert.ok(existsSync(db), 'the database folder is created');
      assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
      const posted = await fetch(`${first.url}/api/v1/topics/rsp-update/replies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:8080' },
        body: JSON.stringify({ authorName: 'Persisted', body: 'Still here?' }),
      });
      assert.equal(posted.status, 201);
      const reply = (await posted.json()) as Reply;
      assert.equal(await stop(first.child), 0);

      const second = await start({ COLLOQUY_DB: db });
      try {
        const topic = (await (
          await fetch(`${second.url}/api/v1/topics/rsp-update`)
        ).json()) as TopicWithReplies;
        assert.equal(topic.replyCount, 1);
        assert.deepEqual(
          topic.replies.map((r) => r.id),
          [reply.id],
        );
        assert.ok(!second.output().includes('Seeded'), 'no seeding without --seed');
      } finally {
        assert.equal(await stop(second.child), 0);
      }
    } finally {
      await cleanup();
    }
  });

  it('takes flags: --db, --admin-token, --allowed-origins', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const server = await start({}, [
        'serve',
        '--db',
        join(dir, 'flags.db'),
        '--admin-token',
        'secret-token',
        '--allowed-origins',
        'https://site.example',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
      ]);
      try {
        assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const created = await fetch(`${server.url}/api/v1/topics`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret-token' },
          body: JSON.stringify({ id: 'from-flags', title: 'From flags' }),
        });
        assert.equal(created.status, 201);
        const read = await fetch(`${server.url}/api/v1/topics/from-flags`, {
          headers: { Origin: 'https://site.example' },
        });
        assert.equal(read.headers.get('Access-Control-Allow-Origin'), 'https://site.example');
      } finally {
        await stop(server.child);
      }
    } finally {
      await cleanup();
    }
  });

  it('exits 2 with the usage on an unknown flag', async () => {
    const { code, output } = await run({}, ['serve', '--bogus']);
    assert.equal(code, 2);
    assert.match(output, /Unknown option "--bogus"/);
    assert.match(output, /Usage: colloquy-server serve/);
  });

  it('exits 1 when DATABASE_URL names a PostgreSQL server it cannot reach', async () => {
    // Port 1: nothing listens there. (Serving from PostgreSQL is tested in postgres.test.ts.)
    const { code, output } = await run({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' }, ['serve']);
    assert.equal(code, 1);
    assert.match(output, /^colloquy-server: /m);
    assert.ok(!output.includes('Colloquy API on'));
  });
});
