/**
 * The pieces the two dialects share beyond the store contract: the released migrations, which
 * existing databases ran and which must never change, and prepare(), which every statement of
 * the store goes through.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from './migrations.js';
import { prepare, prepareNamed, prepareRows } from './prepared.js';
import type { Schema } from './schema.js';

const digest = (sql: string) => createHash('sha256').update(sql).digest('hex');

describe('released migrations', () => {
  it('are exactly the SQL existing databases ran', () => {
    assert.deepEqual(SQLITE_MIGRATIONS.map(digest), [
      'af5de479d87c88b3ee6b0388121a73a6edabedd9b1567797b18065e884bc1ce6',
      '9e85d102b17be39939eaa4adcc5855c587ca9f839d5e23d6df1c93bf07329e01',
      '5a341727489caaeadf38d55634e1605409c21a5eedf2b65b7cce074d699e0860',
      'a5e64a2a08694c0f114020b12fabe5ac52b972cd9fce26306752c86cb7d94fed',
      'fa9fbfa7c46bbefca6d4f389001569bebda9f2e503b3d0ea0fc61fcf03742227',
      'a6265f6f9200874c39767856a5b193dbc69601f6629a045912452e6754089476',
      '72c486517dcdd0cc4200a33f436e9da031168a9476cfbae3a0bcfbd43743192c',
      'b006a3449ca4868c2cfc40e49e8522e429559cc0d8194423a3a3e553e72d9687',
      'f2471872cfd2b534faa48daebc543d9b3773100c8c71caf61ba2a2ab373a20d9',
      '1f71ad04d76818caf4d83fdbcc270ac940ef135d3c95fb04df02100acd6f1722',
      'e04c1e631b9934b5a9c325119101aa8c5b655c4358a4cc8791f25082802712eb',
    ]);
    assert.deepEqual(POSTGRES_MIGRATIONS.map(digest), [
      'bb348ce47cf8eada40127bf5b4044ceb86a8956d1dcc5b4812c0b774d545eb1c',
      '789b4db199721969dbcde2d605a3f7a7b3a97b6d50481146103cf65f36acfa55',
      '033e9991899460c638acdbf61c95ef3a2e9a13fe14242b2b781fd34dd52acb2f',
      'fa6e9603220bc1a38a5ac2d51d4d6acd74ad5ac9347c19efe08a3e90c5cdd841',
      'acf63ccc7a904c2569132e9dc747cbf65e9e67a656aa9490d07972255eb4174e',
      '6f8a8cb54b6df935f35a6b013e39a96b40f0a29a43b10bafcfd047cef3ff12b1',
      '5ff40f153e0c8e6b4d371f25c60e8bb3d5d0d329ad8540d60c2624dd032edd36',
      'f2471872cfd2b534faa48daebc543d9b3773100c8c71caf61ba2a2ab373a20d9',
      '1f71ad04d76818caf4d83fdbcc270ac940ef135d3c95fb04df02100acd6f1722',
      'e04c1e631b9934b5a9c325119101aa8c5b655c4358a4cc8791f25082802712eb',
    ]);
  });
});

describe('prepare', () => {
  // Compiling needs no connection: these dialects are never asked for one.
  const sqlite = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: { close() {}, prepare: () => assert.fail('no query runs') } }),
  });
  const postgres = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: async () => assert.fail('no query runs') }),
  });

  it('compiles once and binds new values in the places of the arguments, constants kept', () => {
    for (const db of [sqlite, postgres]) {
      const page = prepare((topicId: string, limit: number) =>
        db
          .selectFrom('replies')
          .select('id')
          .where('topic_id', '=', topicId)
          .where('depth', '=', 0)
          .where('root_id', '<>', topicId)
          .limit(limit),
      );
      const first = page('a', 5);
      const second = page('b', 7);
      assert.equal(first.sql, second.sql);
      assert.deepEqual(first.parameters, ['a', 0, 'a', 5]);
      assert.deepEqual(second.parameters, ['b', 0, 'b', 7]);
    }
  });

  it('binds named values', () => {
    const insert = prepareNamed((ban: { kind: 'reader' | 'address'; value: string; now: string }) =>
      sqlite.insertInto('bans').values({ kind: ban.kind, value: ban.value, created_at: ban.now }),
    );
    const query = insert({ now: '2026-01-01T00:00:00.000Z', kind: 'address', value: '192.0.2.0/24' });
    assert.match(query.sql, /^insert into "bans" \("kind", "value", "created_at"\) values \(\?, \?, \?\)$/);
    assert.deepEqual(query.parameters, ['address', '192.0.2.0/24', '2026-01-01T00:00:00.000Z']);
  });

  it('binds many rows, one statement compiled per count of rows', () => {
    const insert = prepareRows(
      ['kind', 'value'],
      (rows: Array<{ kind: 'reader' | 'address'; value: string }>) =>
        sqlite
          .insertInto('bans')
          .values(rows.map((row) => ({ kind: row.kind, value: row.value, created_at: '2026-01-01' }))),
    );
    const two = insert([
      { kind: 'address', value: '192.0.2.0/24' },
      { kind: 'reader', value: 'r1' },
    ]);
    assert.match(two.sql, /values \(\?, \?, \?\), \(\?, \?, \?\)$/);
    assert.deepEqual(two.parameters, ['address', '192.0.2.0/24', '2026-01-01', 'reader', 'r1', '2026-01-01']);
    const again = insert([
      { kind: 'reader', value: 'r2' },
      { kind: 'reader', value: 'r3' },
    ]);
    assert.equal(again.sql, two.sql);
    assert.deepEqual(again.parameters, ['reader', 'r2', '2026-01-01', 'reader', 'r3', '2026-01-01']);
    const one = insert([{ kind: 'address', value: '198.51.100.7' }]);
    assert.match(one.sql, /values \(\?, \?, \?\)$/);
    assert.deepEqual(one.parameters, ['address', '198.51.100.7', '2026-01-01']);
  });

  it('refuses a build that uses an argument as anything but a value', () => {
    // Arithmetic and string building run once, on the stand-in, and would bind their result for good.
    assert.throws(
      () =>
        prepare((limit: number) =>
          sqlite
            .selectFrom('topics')
            .select('id')
            .limit(limit + 1),
        ),
      /Argument 0 of a prepared query is not one of its parameters/,
    );
    assert.throws(
      () =>
        prepareNamed((topic: { id: string }) =>
          sqlite.selectFrom('topics').select('id').where('id', '=', `page:${topic.id}`),
        ),
      /Argument id of a prepared query is not one of its parameters/,
    );
  });
});
