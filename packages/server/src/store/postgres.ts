import pg from 'pg';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type QueryResult,
  type SqlBool,
} from 'kysely';
import {
  FILLED_TABLES,
  type RowWithoutSource,
  selectWithoutSource,
  setSource,
  SOURCE_FILL_BATCH,
  sourceOfStored,
} from './fill-sources.js';
import { pendingMigrations, POSTGRES_MIGRATIONS, POSTGRES_MIGRATIONS_TABLE } from './migrations.js';
import { compilerFor, SqlStore, type Executor, type SqlConnection, type SqlDialect } from './sql-store.js';

export { POSTGRES_MIGRATIONS as MIGRATIONS } from './migrations.js';
export { EVENT_RETENTION_MS } from './sql-store.js';

/**
 * Keys of the advisory locks this store takes (PostgreSQL's lock space is per database and
 * shared by every schema in it, hence the prefix).
 */
const LOCK_PREFIX = 'colloquy:';
const MIGRATION_LOCK = `${LOCK_PREFIX}migrations`;

/**
 * Lowercase only: search_path folds an unquoted name to lowercase, so "Site" would be created
 * as one schema and searched as another. Plain names also need no quoting in the startup options.
 */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const POSTGRES: SqlDialect = {
  anyOf: (column, values) => sql<SqlBool>`${sql.ref(column)} = any(${values}::text[])`,
  // The same expression as the GIN index replies_text_search, so that the index serves it.
  matchesText: (words) =>
    sql<SqlBool>`to_tsvector('simple', replies.text) @@ plainto_tsquery('simple', ${words})`,
  /**
   * A transaction-level advisory lock per key. The one on 'events' keeps event ids in commit
   * order: a reader that has seen id 12 must never later find a newly committed 11, but
   * BIGSERIAL hands ids out at insert time, and two transactions can commit in the other
   * order. Every event-writing transaction takes this one database-wide lock just before its
   * insert and holds it to its commit, so inserts and commits of events are serialized and ids
   * follow commit order. (A row lock on a single counter row would do the same; the advisory
   * lock needs no row and no schema, and it is taken last, after the topic's row lock, so it
   * cannot join a deadlock.) Its cost is that event writes are serialized across the database
   * for the few microseconds between insert and commit.
   */
  lock: async (trx, key) => {
    await trx.executeQuery(
      CompiledQuery.raw('SELECT pg_advisory_xact_lock(hashtext($1))', [LOCK_PREFIX + key]),
    );
  },
};

/** What the store reads (see schema.ts): JSON documents as their text, times as ISO text. */
function storeTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  const { JSON: JSON_OID, JSONB, TIMESTAMPTZ } = pg.types.builtins;
  const asText = (text: string) => text;
  types.setTypeParser(JSON_OID, asText);
  types.setTypeParser(JSONB, asText);
  const instant: (text: string) => Date = pg.types.getTypeParser(TIMESTAMPTZ);
  types.setTypeParser(TIMESTAMPTZ, (text) => instant(text).toISOString());
  return types;
}

/**
 * The pool, running the statements Kysely compiled: a statement on any pooled connection, a
 * transaction on one of its own. (Kysely's PostgresDriver does the same through Kysely's
 * executor, which measured 4.6 µs more CPU a statement, 11% of pg's own cost.) A read-only
 * transaction is REPEATABLE READ: one snapshot for all its statements, as SQLite's gives.
 */
function pooled(pool: pg.Pool): SqlConnection {
  const on = (client: pg.Pool | pg.PoolClient): Executor => ({
    executeQuery: async <Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>> => {
      const { rows, rowCount } = await client.query(query.sql, [...query.parameters]);
      return rowCount === null ? { rows } : { rows, numAffectedRows: BigInt(rowCount) };
    },
    takeFirst: async (query) => (await client.query(query.sql, [...query.parameters])).rows[0],
  });
  return {
    ...on(pool),
    async transaction(access, work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(
          access === 'read only' ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN',
        );
        const result = await work(on(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back is dropped from the pool, not reused.
        await client.query('ROLLBACK').catch((failure: unknown) => {
          broken = failure instanceof Error ? failure : new Error(String(failure));
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

export interface PostgresStoreOptions {
  /**
   * Schema to keep the tables in: created when missing and put first on every pooled
   * connection's search_path. Omitted: the connection's default (usually `public`).
   */
  schema?: string;
  /** Most pooled connections (default 10). */
  max?: number;
  /**
   * Runs once the schema is current, while the migration lock is still held: of servers
   * starting together on one database it runs in one at a time, so work that must happen once
   * (seeding an empty database) sees what the servers before it did.
   */
  underMigrationLock?: (store: PostgresStore) => Promise<void>;
}

export class PostgresStore extends SqlStore {
  readonly sharedByServers = true;
  private constructor(pool: pg.Pool) {
    const compiler = compilerFor({
      createAdapter: () => new PostgresAdapter(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    });
    super(compiler, pooled(pool), POSTGRES);
  }

  /**
   * Connects and brings the schema up to date. Several servers may start at once: migrations
   * (and `underMigrationLock`) run under an advisory lock, so exactly one of them applies each
   * version.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const { schema } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new TypeError(`Schema name "${schema}" must be lowercase letters, digits and underscores.`);
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      // An unreachable server (a dropped packet, not a refusal) must fail a request, not hang it.
      connectionTimeoutMillis: 10_000,
      types: storeTypes(),
      // Every connection of the pool, including ones made later, starts with the schema first.
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client's connection can drop (a server restart); the pool replaces it, and the
    // error must not crash the process.
    pool.on('error', (error) => console.error('colloquy: idle PostgreSQL connection failed:', error.message));
    const store = new PostgresStore(pool);
    try {
      await migrate(pool, schema ?? null, () => options.underMigrationLock?.(store));
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return store;
  }

  /** Deletes events created before `before`, keeping each topic's newest; returns how many. */
  async pruneEvents(before: Date): Promise<number> {
    return this.deleteEventsBefore(before);
  }
}

/** Rows from before sources were kept get one from their tree (see fill-sources.ts). */
async function fillSources(client: pg.PoolClient): Promise<void> {
  for (const table of FILLED_TABLES) {
    for (let more = true; more; ) {
      const { rows } = await client.query<RowWithoutSource>(selectWithoutSource(table));
      more = rows.length === SOURCE_FILL_BATCH;
      if (rows.length === 0) break;
      await client.query('BEGIN');
      try {
        for (const row of rows)
          await client.query(setSource(table, ['$1', '$2']), [sourceOfStored(row.body), row.id]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    }
  }
}

async function migrate(
  pool: pg.Pool,
  schema: string | null,
  thenUnderLock: () => Promise<void> | undefined,
): Promise<void> {
  const client = await pool.connect();
  // Session lock, keyed by the schema the tables go into: servers starting together wait
  // here, and each then finds the schema and the versions the first one made.
  const lockSql = (fn: string) => `SELECT ${fn}(hashtext($1))`;
  let lockKey: string[] = [];
  try {
    const target =
      schema ?? (await client.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0]?.s ?? '';
    lockKey = [`${MIGRATION_LOCK}:${target}`];
    await client.query(lockSql('pg_advisory_lock'), lockKey);
    try {
      // Concurrent CREATE SCHEMA IF NOT EXISTS can still collide, hence inside the lock.
      if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(POSTGRES_MIGRATIONS_TABLE);
      const applied =
        (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]
          ?.v ?? 0;
      for (const [version, script] of pendingMigrations(POSTGRES_MIGRATIONS, applied)) {
        await client.query('BEGIN');
        try {
          await client.query(script);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }
      await fillSources(client);
      await thenUnderLock();
    } finally {
      await client.query(lockSql('pg_advisory_unlock'), lockKey).catch(() => {});
    }
  } finally {
    client.release();
  }
}
