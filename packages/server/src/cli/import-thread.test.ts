/** The import on a thread of its own: the same writes and output as on the calling thread. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { fixture } from '../import/testing.js';
import { capturedOutput as output, tempDir } from '../testing/helpers.js';
import { importCommand, importOptions } from './import.js';
import { importInThread } from './import-thread.js';
import { UsageError } from './settings.js';

const options = (db: string, file: string) => importOptions({}, ['--from', 'disqus', '--db', db, file]);
const count = (db: string) => {
  const database = new Database(db, { readonly: true });
  try {
    return (database.prepare('SELECT count(*) AS n FROM replies').get() as { n: number }).n;
  } finally {
    database.close();
  }
};

describe('importInThread', () => {
  let dir = '';
  let cleanup = async () => {};
  before(async () => ({ dir, cleanup } = await tempDir()));
  after(() => cleanup());

  it('writes what the command writes on the calling thread, and says the same', async () => {
    const here = output();
    await importCommand(options(join(dir, 'here.db'), fixture('disqus.xml')), here.streams);
    const there = output();
    await importInThread(options(join(dir, 'there.db'), fixture('disqus.xml')), there.streams);
    assert.equal(there.text().out, here.text().out);
    // The same progress lines, but for the rate, which is a measurement.
    const lines = (text: string) =>
      text.replace('there.db', 'here.db').replace(/[\d,]+ comments\/s/g, 'N comments/s');
    assert.equal(lines(there.text().err), lines(here.text().err));
    assert.ok(count(join(dir, 'there.db')) > 0);
    assert.equal(count(join(dir, 'there.db')), count(join(dir, 'here.db')));
  });

  it('stops with the usage error the command stops with, the database as before', async () => {
    const db = join(dir, 'failed.db');
    const io = output();
    await assert.rejects(
      importInThread(options(db, fixture('disqus-truncated.xml')), io.streams),
      (error) => {
        assert.ok(error instanceof UsageError);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /^The import stopped at .*disqus-truncated\.xml:\d+:\d+: /);
        assert.match(error.message, /Nothing was written/);
        return true;
      },
    );
    assert.equal(count(db), 0);
  });
});
