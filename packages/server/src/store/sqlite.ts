import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SelectQueryNode,
  sql,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type SqlBool,
  type SqliteDatabase,
  type SqliteDialectConfig,
  type SqliteStatement,
  type TransactionSettings,
  type UnknownRow,
} from 'kysely';
import { pendingMigrations, SQLITE_MIGRATIONS, SQLITE_MIGRATIONS_TABLE } from './migrations.js';
import type { Schema } from './schema.js';
import { SqlStore, type SqlDialect } from './sql-store.js';

export { SQLITE_MIGRATIONS as MIGRATIONS } from './migrations.js';
export { EVENT_RETENTION_MS } from './sql-store.js';

/**
 * SQLite in one file through better-sqlite3, on one connection. Kysely's SqliteDriver lends
 * that connection to one query or one transaction at a time, so no other query runs inside an
 * open transaction; write transactions begin IMMEDIATE (see ImmediateWrites).
 */
const SQLITE: SqlDialect = {
  // The list is bound as JSON text (see toSqlite).
  anyOf: (column, values) => sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${values}))`,
  // A write transaction holds the database's write lock from BEGIN to COMMIT: writes never
  // overlap, in this process or any other, so there is nothing more to serialize.
  lock: async () => {},
};

export class SqliteStore extends SqlStore {
  readonly #db: Database.Database;
  readonly #statements: SqliteDatabase;

  private constructor(db: Database.Database) {
    const statements = preparedOnce(db);
    const dialect = new ImmediateWritesDialect({ database: statements });
    super(new Kysely<Schema>({ dialect, plugins: [new WithoutRowLocks()] }), SQLITE);
    this.#db = db;
    this.#statements = statements;
  }

  /** Opens (creating if needed) the database file and brings its schema up to date. */
  static open(file: string): SqliteStore {
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL'); // durable enough with WAL, much faster
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000'); // another process (a second server, a backup) may hold the lock
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db);
  }

  /**
   * Deletes events created before `before`, keeping each topic's newest; returns how many.
   * At once, so it cannot wait for a transaction this store has open: it refuses to run inside one.
   */
  pruneEvents(before: Date): number {
    if (this.#db.inTransaction) throw new Error('pruneEvents() ran while a transaction of this store was open; await its writes first.');
    const { sql: text, parameters } = this.pruneStatement(before);
    return Number(this.#statements.prepare(text).run(parameters).changes);
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.#db.open) this.#db.close(); // Kysely closes it only once a query has opened its driver
  }
}

function migrate(db: Database.Database): void {
  db.exec(SQLITE_MIGRATIONS_TABLE);
  const applied = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const [version, script] of pendingMigrations(SQLITE_MIGRATIONS, applied)) {
    db.transaction(() => {
      db.exec(script);
      record.run(version, new Date().toISOString());
    }).immediate();
  }
}

/**
 * better-sqlite3 as Kysely's SqliteDriver drives it, with each SQL text prepared once (the
 * store's statements are a fixed set, see prepare()) and values converted to what SQLite
 * binds: booleans as 0/1, lists as JSON text.
 */
function preparedOnce(db: Database.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  const bind = (values: readonly unknown[]) =>
    values.map((value) => (typeof value === 'boolean' ? Number(value) : Array.isArray(value) ? JSON.stringify(value) : value));
  return {
    close: () => {
      if (db.open) db.close();
    },
    prepare(text) {
      let statement = statements.get(text);
      if (!statement) {
        const prepared = db.prepare(text);
        statement = {
          reader: prepared.reader,
          all: (values) => prepared.all(bind(values)),
          run: (values) => prepared.run(bind(values)),
          iterate: (values) => prepared.iterate(bind(values)),
        };
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** Kysely's SQLite dialect with ImmediateWrites for its driver. */
class ImmediateWritesDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateWrites(this.#config);
  }
}

/**
 * A deferred transaction takes the write lock at its first write, and if another process
 * holds it then, SQLite fails at once (SQLITE_BUSY) instead of waiting busy_timeout. So a
 * write transaction begins IMMEDIATE, taking the lock (or waiting for it) at BEGIN; a read
 * transaction stays deferred, a snapshot that takes no lock.
 */
class ImmediateWrites extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings = {}): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin' : 'begin immediate'));
  }
}

/**
 * SQLite has no row locks and needs none (a write transaction holds the whole database), so
 * the FOR UPDATE and FOR SHARE that PostgreSQL needs are left out of the store's statements.
 */
class WithoutRowLocks implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (!SelectQueryNode.is(node) || !node.endModifiers) return node;
    const endModifiers = node.endModifiers.filter((m) => m.modifier !== 'ForUpdate' && m.modifier !== 'ForShare');
    return { ...node, endModifiers };
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
